"""Start-up checks: a server with a key-encryption key it cannot use must not start.

Why a system check: ``runserver``, ``check`` and ``migrate`` run the registered checks, and
:mod:`microcred_web.wsgi` runs them before gunicorn (or any WSGI server) takes a request, so
one definition covers every way the instance starts. A KEK that is *set but unusable*
(malformed, both ``MICROCRED_KEK`` and ``MICROCRED_KEK_FILE``, a file that cannot be read) is
an error: the operator meant to give one, and an instance that served anyway would refuse
every signature while looking healthy. A KEK that is simply *absent* is a warning only: a
read-only instance (a mirror, a restore being checked) serves every public document without
it, and ``GET /api/v1/health`` reports it as ``missing`` (503) so an orchestrator can act.
``manage.py`` commands that never run the checks (``call_command``, the test suite) and
``migrate --skip-checks`` are not affected.

Static files: with the hashed manifest storage (``MICROCRED_STATIC_MANIFEST``, on when debug
is off), every page would fail until ``collectstatic`` has run; the WSGI start-up says so up
front (only there: ``migrate`` and ``collectstatic`` itself must run before it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from microcred.credentials.keystore import KeyEncryptionKey, KeystoreError

#: Keystore codes that mean "no KEK at all" (a warning) rather than "a KEK that is wrong".
_ABSENT = "kek-missing"


def kek_problem() -> KeystoreError | None:
    """Why the KEK in the environment cannot be used, or None when it can."""
    try:
        KeyEncryptionKey.from_env()
    except KeystoreError as error:
        return error
    return None


def kek_is_absent(error: KeystoreError) -> bool:
    """True when neither variable is set (as opposed to set and unusable)."""
    return error.code == _ABSENT and not any(
        os.environ.get(name) for name in ("MICROCRED_KEK", "MICROCRED_KEK_FILE")
    )


@checks.register("microcred")
def check_kek(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    error = kek_problem()
    if error is None:
        return []
    if kek_is_absent(error):
        return [
            checks.Warning(
                "no key-encryption key: this instance serves every public document but cannot "
                "issue, revoke, suspend or rotate keys",
                hint="set MICROCRED_KEK or MICROCRED_KEK_FILE (docs/keys-and-backup.md)",
                id="microcred.W001",
            )
        ]
    return [
        checks.Error(
            f"the key-encryption key cannot be used: {error.message}",
            hint="fix MICROCRED_KEK / MICROCRED_KEK_FILE (docs/keys-and-backup.md) or unset "
            "both to run read-only",
            id="microcred.E001",
        )
    ]


def check_static_manifest(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not getattr(settings, "MICROCRED_STATIC_MANIFEST", False):
        return []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        return []
    return [
        checks.Error(
            "static files are not collected: every page would fail",
            hint="run `python -m microcred_web.manage collectstatic --noinput` (make serve "
            "does), or set MICROCRED_STATIC_MANIFEST=0",
            id="microcred.E002",
        )
    ]


def refuse_to_serve() -> None:
    """Run the checks a server needs and stop with their messages if any is an error.

    Called by :mod:`microcred_web.wsgi`: WSGI servers do not run Django's system checks.
    """
    from django.core.exceptions import ImproperlyConfigured

    found = [*checks.run_checks(tags=["microcred"]), *check_static_manifest()]
    errors = [message for message in found if message.is_serious()]
    if errors:
        lines = "\n".join(f"{m.id}: {m.msg} (hint: {m.hint})" for m in errors)
        raise ImproperlyConfigured(f"microcred refuses to start:\n{lines}")
