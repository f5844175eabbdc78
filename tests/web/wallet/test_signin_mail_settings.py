"""Mail settings come from the environment: SMTP when a host is set (password from a file),
the console + outbox backend in debug without one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, django
from django.conf import settings as s
django.setup()
print(json.dumps({k: getattr(s, k, None) for k in (
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL")}))
"""


def load(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MICROCRED_")}
    clean.update(
        DJANGO_SETTINGS_MODULE="microcred_web.settings",
        MICROCRED_VAR_DIR=str(tmp_path / "var"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=False
    )


def test_smtp_from_the_environment(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret\n")
    done = load(
        tmp_path,
        MICROCRED_SECRET_KEY="x" * 50,
        MICROCRED_EMAIL_HOST="smtp.example.eu",
        MICROCRED_EMAIL_HOST_USER="microcred",
        MICROCRED_EMAIL_HOST_PASSWORD_FILE=str(secret),
        MICROCRED_EMAIL_FROM="Wallet <wallet@example.eu>",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("smtp.example.eu", 587)
    assert found["EMAIL_HOST_PASSWORD"] == "s3cret" and found["EMAIL_USE_TLS"] is True
    assert found["DEFAULT_FROM_EMAIL"] == "Wallet <wallet@example.eu>"


def test_debug_without_a_host_uses_the_outbox(tmp_path: Path) -> None:
    done = load(tmp_path, MICROCRED_DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["EMAIL_BACKEND"] == "microcred_web.wallet.outbox.OutboxBackend"


def test_an_unreadable_password_file_stops_start_up(tmp_path: Path) -> None:
    done = load(
        tmp_path,
        MICROCRED_SECRET_KEY="x" * 50,
        MICROCRED_EMAIL_HOST="smtp.example.eu",
        MICROCRED_EMAIL_HOST_PASSWORD_FILE=str(tmp_path / "missing"),
    )
    assert done.returncode != 0
    assert "MICROCRED_EMAIL_HOST_PASSWORD_FILE" in done.stderr
