"""Start-up check: the settings give the identity this instance's credentials were issued under.

A system check, so that ``runserver``, ``manage.py check``, management commands and the WSGI
application (:mod:`microcred_web.wsgi` runs the checks tagged :data:`IDENTITY_TAG`) all refuse
to run with a ``MICROCRED_HOST`` or http/https setting that differs from the identity recorded
in the database (:func:`~microcred_web.issuing.identity.mismatch` says why and what to set).
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError, connection

IDENTITY_TAG = "microcred-identity"


@checks.register(IDENTITY_TAG)
def recorded_identity_kept(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from microcred_web.issuing import identity
    from microcred_web.issuing.models import InstanceIdentity

    try:
        if InstanceIdentity._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet: nothing can have been issued
        problem = identity.mismatch()
    except DatabaseError:
        return []  # no database to compare with (the database checks report that)
    if problem is None:
        return []
    return [
        checks.Error(
            f"The instance's public identity changed: {problem}.",
            hint=(
                "Moving an instance to another address is not supported: its credentials "
                "would all stop verifying. Serve the old address too (a proxy) and keep the "
                "recorded settings."
            ),
            id="issuing.E001",
        )
    ]


def refuse_to_start() -> None:
    """Raise :class:`SystemCheckError` if the identity check fails (for WSGI servers)."""
    from django.core.management.base import SystemCheckError

    errors = [m for m in checks.run_checks(tags=[IDENTITY_TAG]) if m.is_serious()]
    if errors:
        raise SystemCheckError("\n".join(f"{m.id}: {m.msg}\n\tHINT: {m.hint}" for m in errors))
