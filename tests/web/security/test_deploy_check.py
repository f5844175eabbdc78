"""``manage.py check --deploy`` is clean with the production settings (debug off).

Run in a fresh interpreter with a production-like environment (a strong secret key, a host
name, a KEK, none of the test run's variables). The second case switches https off and sees the
warnings of the issue come back, so the first one is not clean by accident.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from microcred.credentials.keystore import generate_kek


def _check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MICROCRED_")
        and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    clean.update(
        MICROCRED_SECRET_KEY=secrets.token_urlsafe(50),
        MICROCRED_ALLOWED_HOSTS="credentials.example.org",
        MICROCRED_VAR_DIR=str(tmp_path),
        MICROCRED_KEK=generate_kek(),
        MICROCRED_IDENTIFIER_KEY=secrets.token_urlsafe(32),
        # Whitenoise's manifest needs collectstatic; that is the deployment's business.
        MICROCRED_STATIC_MANIFEST="0",
        # Learners' sign-in links and claim messages need a mail server (microcred.W020).
        MICROCRED_EMAIL_HOST="smtp.example.org",
    )
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "microcred_web.manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_the_warnings_of_the_issue_return(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, MICROCRED_HTTPS="0")

    assert result.returncode != 0
    report = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in report, report
