"""Issue under ``make run`` (debug, http://localhost:8000), restart with debug off.

The restarted server refuses to start (``manage.py check``, and the WSGI application a
production server loads) until the recorded identity is kept; kept, the old credentials'
status lists resolve and new credentials name the same addresses. Real processes, clean
environments: a restart is a new process with other variables.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from .instance import MICROCRED, SERVICE_SECRET, Instance, clean_env, database_env
from .test_bulk import learners_csv

pytestmark = pytest.mark.django_db(transaction=True)

#: The secret key stays the same: it also keys the learner-identifier hash (not this test).
DEBUG = {"MICROCRED_DEBUG": "1", "MICROCRED_HOST": ""}
DEBUG_OFF: dict[str, str | None] = {
    "MICROCRED_DEBUG": None,
    "MICROCRED_SECRET_KEY": SERVICE_SECRET,
    "MICROCRED_ALLOWED_HOSTS": "localhost",
    "MICROCRED_HOST": "localhost:8000",
}
KEPT = {**DEBUG_OFF, "MICROCRED_DID_WEB_ALLOW_HTTP": "1"}


def status_urls(out: Path) -> set[str]:
    urls = set()
    for path in out.glob("*.json"):
        entry = json.loads(path.read_text())["credentialStatus"]
        for item in entry if isinstance(entry, list) else [entry]:
            urls.add(item["statusListCredential"])
    return urls


def test_debug_off_is_refused_until_the_recorded_identity_is_kept(tmp_path: Path) -> None:
    instance = Instance.create(tmp_path, **DEBUG, MICROCRED_ALLOWED_HOSTS="")
    out = tmp_path / "out"

    def issue(count: int, **env: Any) -> None:
        instance.microcred(
            "issue", "--spec", instance.spec, "--learners", str(learners_csv(tmp_path, count)),
            "--out", str(out), "--no-progress", **env,
        )  # fmt: skip

    issue(3)
    assert instance.script("report", instance.spec)["identity"] == "http://localhost:8000"
    old = status_urls(out)
    assert old == {"http://localhost:8000/status/north-sea-university/revocation/1"}

    # restarted with debug off: https by default, refused (with or without MICROCRED_HOST)
    for env in (DEBUG_OFF, {**DEBUG_OFF, "MICROCRED_HOST": None}):
        check = instance.manage("check", check=False, **env)
        assert check.returncode != 0
        assert "issuing.E001" in check.stderr
        assert "MICROCRED_HOST=localhost:8000 and MICROCRED_DID_WEB_ALLOW_HTTP=1" in check.stderr
    wsgi = instance.run(
        [sys.executable, "-c", "import microcred_web.wsgi"], instance.env(**DEBUG_OFF), check=False
    )
    assert wsgi.returncode != 0 and "issuing.E001" in wsgi.stderr

    # kept: starts, old status lists resolve, new credentials use the same base
    assert instance.manage("check", **KEPT).returncode == 0
    instance.run([sys.executable, "-c", "import microcred_web.wsgi"], instance.env(**KEPT))
    issue(6, **KEPT)
    assert status_urls(out) == old
    assert len(list(out.glob("*.json"))) == 6
    instance.script("sign-lists", **KEPT)
    files = sorted(str(path) for path in out.glob("*.json"))
    verified = instance.run(
        [sys.executable, MICROCRED, "verify", "--format", "json", *files],
        clean_env(**database_env(tmp_path), MICROCRED_SECRET_KEY=SERVICE_SECRET),
        check=False,
    )
    assert verified.returncode == 0, verified.stdout
    for line in verified.stdout.splitlines():
        checks = {c["code"]: c["status"] for c in json.loads(line)["checks"]}
        assert checks["status"] == checks["issuer"] == "ok", line
