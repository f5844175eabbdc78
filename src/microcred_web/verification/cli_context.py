"""The instance's resolvers for ``microcred verify`` (entry point ``microcred.verification``).

``microcred verify`` run on the server should verify credentials of this instance's own
providers offline, as the API and the page do: their did:web documents, status lists and QA
standing are in the database. When Django cannot be set up or the database is not there (a
laptop with microcred installed but no instance), this returns None and the command verifies
as on any machine.
"""

from __future__ import annotations

from microcred.verify import VerificationContext


def context() -> VerificationContext | None:
    from microcred_web.cli_plugin import setup_django

    if setup_django():
        return None
    from pathlib import Path

    from django.db import DatabaseError, connection

    from microcred_web.register.models import Provider
    from microcred_web.verification.services import verification_context

    name = str(connection.settings_dict["NAME"])
    on_disk = not (name == ":memory:" or name.startswith("file:"))
    if connection.vendor == "sqlite" and on_disk and not Path(name).is_file():
        return None  # connecting would create an empty database file: no instance here
    try:
        if Provider._meta.db_table not in connection.introspection.table_names():
            return None  # not migrated: no instance here
    except DatabaseError:
        return None
    return verification_context()
