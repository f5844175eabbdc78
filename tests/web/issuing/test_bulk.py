"""issue_bulk: one transaction per learner; killed half way and re-run, no duplicates, no gaps."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from microcred_web.issuing import bulk
from microcred_web.issuing.models import IssuedCredentialRecord

from .conftest import IssuingWorld


def learners_csv(tmp_path: Path, count: int, extra: str = "") -> Path:
    path = tmp_path / "learners.csv"
    rows = [f"learner-{n}@example.org,Learner {n}" for n in range(count)]
    path.write_text("identifier,name\n" + "\n".join(rows) + "\n" + extra, encoding="utf-8")
    return path


class Crash(Exception):
    pass


def run(world: IssuingWorld, learners: Path, out: Path) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "issue_bulk",
        "--spec", world.spec_a.public_id,
        "--learners", str(learners),
        "--out", str(out),
        stdout=stdout,
        stderr=stderr,
    )  # fmt: skip
    return stdout.getvalue(), stderr.getvalue()


@pytest.mark.django_db(transaction=True)
def test_killed_half_way_then_resumed(
    world: IssuingWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    learners = learners_csv(tmp_path, 12)
    out = tmp_path / "out"
    real = bulk.issue_credential
    calls = {"n": 0}

    def crash_after_five(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > 5:
            raise Crash("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk, "issue_credential", crash_after_five)
    with pytest.raises(Crash):
        run(world, learners, out)
    assert IssuedCredentialRecord.objects.count() == 5
    assert len(list(out.glob("*.json"))) == 5

    monkeypatch.setattr(bulk, "issue_credential", real)
    stdout, _ = run(world, learners, out)
    assert "7 issued, 5 already issued, 0 refused" in stdout
    assert "12/12" in capsys.readouterr().err  # the progress line
    records = IssuedCredentialRecord.objects.all()
    assert records.count() == 12
    files = sorted(out.glob("*.json"))
    assert sorted(f.stem for f in files) == sorted(str(r.public_id) for r in records)
    names = {
        next(
            identity["identityHash"]
            for identity in json.loads(f.read_text())["credentialSubject"]["identifier"]
            if identity["identityType"] == "name"
        )
        for f in files
    }
    assert names == {f"Learner {n}" for n in range(12)}

    # A third run issues nothing.
    stdout, _ = run(world, learners, out)
    assert "0 issued, 12 already issued" in stdout
    assert IssuedCredentialRecord.objects.count() == 12


def test_refused_rows_are_reported_and_the_rest_issued(world: IssuingWorld, tmp_path: Path) -> None:
    learners = learners_csv(tmp_path, 3, extra=",No identifier\n")
    with pytest.raises(CommandError, match="1 learner"):
        run(world, learners, tmp_path / "out")
    assert IssuedCredentialRecord.objects.count() == 3


def test_bad_arguments(world: IssuingWorld, tmp_path: Path) -> None:
    learners = learners_csv(tmp_path, 1)
    with pytest.raises(CommandError, match="no specification"):
        call_command("issue_bulk", "--spec", "S-NOPE", "--learners", str(learners),
                     "--out", str(tmp_path))  # fmt: skip
    no_header = tmp_path / "bad.csv"
    no_header.write_text("who\nx\n")
    with pytest.raises(CommandError, match="header"):
        run(world, no_header, tmp_path / "out")
    with pytest.raises(CommandError, match="not allowed"):
        call_command("issue_bulk", "--spec", world.spec_a.public_id, "--learners",
                     str(learners), "--out", str(tmp_path), "--user", "staff_b")  # fmt: skip
