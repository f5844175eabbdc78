"""Start-up checks of issuing (Django system checks, run by ``runserver``, ``migrate``,
``check`` and, through :func:`microcred_web.core.checks.refuse_to_serve`, the WSGI application).

- The learner-identifier key: missing is a warning (the instance serves everything but issuing,
  which refuses with the same message); malformed, or not the key the database's credentials
  were issued under, is an error, because issuing would otherwise duplicate every learner.
- The instance's public identity: a ``MICROCRED_HOST`` or http/https setting that differs from
  the identity recorded in the database (:func:`~microcred_web.issuing.identity.mismatch` says
  why and what to set) is an error: every credential issued would stop verifying.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError, connection

from microcred.credentials.identifier_key import IdentifierKey
from microcred.credentials.keystore import KeystoreError

#: The tag of the checks a server must pass before it serves (core.checks.refuse_to_serve).
SERVE_TAG = "microcred"


@register(SERVE_TAG)
def identifier_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from microcred_web.issuing import identifier

    try:
        IdentifierKey.from_env()
    except KeystoreError as error:
        if error.code == "identifier-key-missing":
            return [
                Warning(
                    f"{error.message}; issuing is refused until it is set",
                    id="microcred.W010",
                )
            ]
        return [Error(error.message, id="microcred.E010")]
    try:
        problem = identifier.state(count=False).problem
    except DatabaseError:  # not migrated yet: migrate says so itself
        return []
    if problem:
        return [Error(problem, id="microcred.E011")]
    return []


@register(SERVE_TAG)
def recorded_identity_kept(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
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
        Error(
            f"The instance's public identity changed: {problem}.",
            hint=(
                "Moving an instance to another address is not supported: its credentials "
                "would all stop verifying. Serve the old address too (a proxy) and keep the "
                "recorded settings."
            ),
            id="issuing.E001",
        )
    ]
