"""Start-up checks of the issuing secrets (Django system checks, run by ``runserver``,
``migrate`` and ``check``).

The learner-identifier key: missing is a warning (the instance serves everything but issuing,
which refuses with the same message); malformed, or not the key the database's credentials
were issued under, is an error, because issuing would otherwise duplicate every learner.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError

from microcred.credentials.identifier_key import IdentifierKey
from microcred.credentials.keystore import KeystoreError


@register()
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
