"""A key-encryption key that is set but unusable stops start-up with a clear message; a
missing one is only a warning (the instance can still serve every public document)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from microcred.credentials.keystore import generate_kek
from microcred_web.core.checks import check_kek, refuse_to_serve

SRC = Path(__file__).resolve().parents[2] / "src"
#: The server's checks read the database too (the recorded identity, the identifier key's
#: fingerprint): every test here may touch it.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROCRED_KEK", raising=False)
    monkeypatch.delenv("MICROCRED_KEK_FILE", raising=False)


def unreadable(tmp_path: Path) -> str:
    return str(tmp_path / "absent-kek.txt")


@pytest.mark.parametrize(
    ("environment", "says"),
    [
        ({"MICROCRED_KEK": "too-short"}, "not base64url"),
        ({"MICROCRED_KEK": "A" * 43}, "key-encryption key"),
        ({"MICROCRED_KEK": generate_kek(), "MICROCRED_KEK_FILE": "/x"}, "set only one"),
        ({"MICROCRED_KEK_FILE": "{tmp}/absent-kek.txt"}, "does not exist"),
    ],
    ids=["malformed", "wrong-length-or-zero", "both", "unreadable-file"],
)
def test_an_unusable_kek_is_an_error_that_stops_the_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, environment: dict[str, str], says: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value.replace("{tmp}", str(tmp_path)))
    (message,) = check_kek()
    assert message.id == "microcred.E001" and message.is_serious()
    assert says in message.msg
    with pytest.raises(ImproperlyConfigured, match="microcred refuses to start"):
        refuse_to_serve()
    with pytest.raises(SystemCheckError, match=r"microcred\.E001"):
        call_command("check")


def test_a_missing_kek_is_a_warning_only() -> None:
    (message,) = check_kek()
    assert message.id == "microcred.W001" and not message.is_serious()
    refuse_to_serve()  # does not raise: a read-only instance may serve


def test_a_good_kek_passes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key_file = tmp_path / "kek.txt"
    key_file.write_text(generate_kek() + "\n")
    monkeypatch.setenv("MICROCRED_KEK_FILE", str(key_file))
    assert check_kek() == []


def test_the_wsgi_application_refuses_to_load_with_a_malformed_kek(tmp_path: Path) -> None:
    """What gunicorn imports: the worker fails to boot and says why."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "MICROCRED_KEK": "nonsense",
        "MICROCRED_VAR_DIR": str(tmp_path),
        "MICROCRED_STATIC_MANIFEST": "0",
    }
    env.pop("MICROCRED_KEK_FILE", None)
    done = subprocess.run(
        [sys.executable, "-c", "import microcred_web.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "microcred refuses to start" in done.stderr and "MICROCRED_KEK" in done.stderr
    env["MICROCRED_KEK"] = generate_kek()
    ok = subprocess.run(
        [sys.executable, "-c", "import microcred_web.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr


def test_migrate_is_not_blocked_by_a_missing_kek(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "MICROCRED_VAR_DIR": str(tmp_path),
        "MICROCRED_STATIC_MANIFEST": "0",
    }
    for name in ("MICROCRED_KEK", "MICROCRED_KEK_FILE", "DATABASE_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "microcred_web.manage", "migrate", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "microcred.W001" in done.stderr  # said, not refused
