"""``microcred verify`` next to an instance needs no ``MICROCRED_HOST`` in the shell.

Before, a shell without the service's ``MICROCRED_HOST`` built the instance's DIDs from the
default host, and the instance's own credentials failed with "not a provider of this
instance". The identity is now recorded in the database (issuing/identity.py), and the
command reads it there, as the server does. Run in subprocesses with clean environments
against a database that issued credentials.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.web.issuing.instance import MICROCRED, SERVICE_SECRET, Instance, clean_env, database_env
from tests.web.issuing.test_bulk import learners_csv

pytestmark = pytest.mark.django_db(transaction=True)

#: A shell on the server: where the database is, nothing of the service's identity or KEK.
SHELLS = {
    "production shell": {"MICROCRED_SECRET_KEY": SERVICE_SECRET},
    "debug shell": {"MICROCRED_DEBUG": "1"},
}


def test_the_instance_credentials_verify_from_a_shell_without_its_host(tmp_path: Path) -> None:
    instance = Instance.create(tmp_path)
    out = tmp_path / "out"
    instance.microcred(
        "issue", "--spec", instance.spec, "--learners", str(learners_csv(tmp_path, 2)),
        "--out", str(out), "--no-progress",
    )  # fmt: skip
    instance.script("sign-lists")  # as serving them does; the shell has no KEK to sign
    files = sorted(out.glob("*.json"))
    assert len(files) == 2
    issuer = json.loads(files[0].read_text())["issuer"]["id"]
    assert issuer == "did:web:issuer.example:providers:north-sea-university"

    for shell, variables in SHELLS.items():
        result = instance.run(
            [sys.executable, MICROCRED, "verify", "--format", "json", *map(str, files)],
            env=clean_env(**database_env(tmp_path), **variables),
            check=False,
        )
        assert result.returncode == 0, (shell, result.stdout, result.stderr)
        reports = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        assert len(reports) == 2
        for report in reports:
            checks = {check["code"]: check["status"] for check in report["checks"]}
            assert checks["issuer"] == checks["proof"] == checks["status"] == "ok", (shell, report)
