"""``microcred verify`` next to an instance: its providers' credentials verify offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred import cli
from microcred.commands import verify as verify_command
from tests.web.issuing.conftest import IssuingWorld
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.verification.test_instance import assure, issued


def run_verify(path: Path, capsys: Any) -> tuple[int, dict[str, Any]]:
    code = cli.main(["verify", "--format", "json", str(path)])
    out = capsys.readouterr().out
    return code, json.loads(out)


def checks(report: dict[str, Any]) -> dict[str, str]:
    return {check["code"]: check["status"] for check in report["checks"]}


def test_a_credential_of_this_instance_verifies_with_the_cli(
    world: IssuingWorld, tmp_path: Path, capsys: Any
) -> None:
    assure(world.provider_a)
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(issued(world).credential))
    # the installed entry point finds this (test) database
    assert verify_command.instance_context() is not None
    code, report = run_verify(path, capsys)
    assert code == 0, report
    assert checks(report) == {
        "format": "ok", "proof": "ok", "issuer": "ok", "status": "ok", "validity": "ok",
        "qa": "ok", "annex1": "ok",
    }  # fmt: skip


def test_without_the_instance_the_same_credential_cannot_be_resolved(
    world: IssuingWorld, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(issued(world).credential))
    monkeypatch.setattr(verify_command, "instance_context", lambda: None)
    code, report = run_verify(path, capsys)
    assert code == 1
    assert checks(report)["issuer"] == "error"


def test_status_lists_are_read_without_the_kek(
    world: IssuingWorld, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(issued(world).credential))
    monkeypatch.delenv("MICROCRED_KEK")  # a shell without the service's KEK
    code, report = run_verify(path, capsys)
    # Lists are signed when opened and at every change, so reading one never needs the KEK.
    assert checks(report)["status"] == "ok"
    assert checks(report)["proof"] == "ok"
    assert (report["verified"], report["outcome"]) == (True, "verified")
    assert code == 0
