"""Settings come from the environment; production refuses to start without a secret key.

Each case imports the settings in a fresh interpreter with a controlled environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "PORT": db.get("PORT", ""),
}))
"""


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MICROCRED_") and key != "DATABASE_URL"
    }
    clean["DJANGO_SETTINGS_MODULE"] = "microcred_web.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=False
    )


def loaded(**env: str) -> dict[str, object]:
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    values: dict[str, object] = json.loads(result.stdout)
    return values


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    result = load_settings(MICROCRED_VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "MICROCRED_SECRET_KEY is not set" in result.stderr


def test_debug_mode_uses_a_labelled_development_key(tmp_path: Path) -> None:
    values = loaded(MICROCRED_DEBUG="1", MICROCRED_VAR_DIR=str(tmp_path))

    assert values["DEBUG"] is True
    assert str(values["SECRET_KEY"]).startswith("django-insecure-")
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]


def test_production_takes_key_and_hosts_from_environment(tmp_path: Path) -> None:
    values = loaded(
        MICROCRED_SECRET_KEY="k" * 50,
        MICROCRED_ALLOWED_HOSTS="credentials.example.org, www.example.org",
        MICROCRED_VAR_DIR=str(tmp_path),
    )

    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == "k" * 50
    assert values["ALLOWED_HOSTS"] == ["credentials.example.org", "www.example.org"]


def test_sqlite_is_the_default_database_under_var(tmp_path: Path) -> None:
    var = tmp_path / "var"
    values = loaded(MICROCRED_DEBUG="1", MICROCRED_VAR_DIR=str(var))

    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(var / "microcred.sqlite3")
    assert var.is_dir()


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    values = loaded(
        MICROCRED_DEBUG="1",
        MICROCRED_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://micro@db.internal:6543/register",
    )

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["NAME"], values["HOST"], values["PORT"]) == ("register", "db.internal", 6543)
