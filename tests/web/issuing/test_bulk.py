"""issue_bulk: one transaction per learner; killed half way and re-run, no duplicates, no gaps."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from microcred.credentials import rdfc
from microcred_web.issuing import bulk
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.files import FileWriter
from microcred_web.issuing.issue import IssuingRun, prepare
from microcred_web.issuing.models import IssuedCredentialRecord, StatusAllocation
from microcred_web.issuing.signing import SigningError, SigningJob, SigningPool

from .conftest import IssuingWorld, signing_jobs


def learners_csv(tmp_path: Path, count: int, extra: str = "") -> Path:
    path = tmp_path / "learners.csv"
    rows = [f"learner-{n}@example.org,Learner {n}" for n in range(count)]
    path.write_text("identifier,name\n" + "\n".join(rows) + "\n" + extra, encoding="utf-8")
    return path


class Crash(Exception):
    pass


def crash_after(signed: int) -> Any:
    """IssuingRun.sign that signs ``signed`` credentials in this process, then is killed."""
    real = IssuingRun.sign
    calls = {"n": 0}

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > signed:
            raise Crash("killed")
        return real(*args, **kwargs)

    return crashing


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
    world: IssuingWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    suspension: None,
) -> None:
    monkeypatch.setattr(bulk, "BATCH_SIZE", 4)
    learners = learners_csv(tmp_path, 12)
    out = tmp_path / "out"
    real = IssuingRun.sign
    # the first batch (4) committed, the second killed half way
    monkeypatch.setattr(IssuingRun, "sign", crash_after(6))
    with pytest.raises(Crash):
        run(world, learners, out)
    assert IssuedCredentialRecord.objects.count() == 4  # whole batches, nothing else
    assert len(list(out.glob("*.json"))) == 4
    assert StatusAllocation.objects.count() == 8  # the killed batch's indexes rolled back

    monkeypatch.setattr(IssuingRun, "sign", real)
    stdout, _ = run(world, learners, out)
    assert "8 issued, 4 already issued, 0 refused" in stdout
    assert "12/12" in capsys.readouterr().err  # the progress line
    records = IssuedCredentialRecord.objects.all()
    assert records.count() == 12
    assert StatusAllocation.objects.count() == 24
    assert records.values("revocation").distinct().count() == 12
    assert records.values("suspension").distinct().count() == 12
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


@pytest.mark.django_db(transaction=True)
def test_a_row_that_cannot_be_signed_costs_only_itself(
    world: IssuingWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "BATCH_SIZE", 5)
    real = IssuingRun.sign

    def refuse_learner_3(self: IssuingRun, item: Any) -> Any:
        if item.learner.identifier == "learner-3@example.org":
            raise IssuingError("signing-failed", "the credential cannot be signed: test")
        return real(self, item)

    monkeypatch.setattr(IssuingRun, "sign", refuse_learner_3)
    with pytest.raises(CommandError, match="1 learner"):
        run(world, learners_csv(tmp_path, 8), tmp_path / "out")
    # the batch with learner 3 was redone one by one: its 4 other learners were issued
    assert IssuedCredentialRecord.objects.count() == 7
    assert len(list((tmp_path / "out").glob("*.json"))) == 7


def test_a_learner_listed_twice_is_issued_once(world: IssuingWorld, tmp_path: Path) -> None:
    learners = learners_csv(tmp_path, 2, extra="learner-0@example.org,Learner 0\n")
    stdout, stderr = run(world, learners, tmp_path / "out")
    assert "2 issued, 1 already issued, 0 refused" in stdout
    assert "line 4: the learner of line 2 again (issued once)" in stderr
    assert IssuedCredentialRecord.objects.count() == 2


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


def test_issued_credentials_take_the_fast_canonicalisation_path(
    world: IssuingWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A str subclass (a Django choices member) in a credential once sent every issued
    # credential down the slow general path: same signature, ten times the cost.
    def general_path(*args: Any) -> Any:
        raise AssertionError("the general JSON-LD path was used while issuing")

    monkeypatch.setattr(rdfc, "to_dataset", general_path)
    stdout, _ = run(world, learners_csv(tmp_path, 3), tmp_path / "out")
    assert "3 issued" in stdout
    assert len(list((tmp_path / "out").glob("*.json"))) == 3


@pytest.mark.django_db(transaction=True)
def test_an_output_directory_that_cannot_be_written_is_a_clear_error(
    world: IssuingWorld, tmp_path: Path
) -> None:
    learners = learners_csv(tmp_path, 3)
    out = tmp_path / "out"
    out.write_text("a file, not a directory")
    with pytest.raises(CommandError, match=r"out: .*run the same command again"):
        run(world, learners, out)


def test_the_writer_process_writes_whole_files_and_reports_failures(tmp_path: Path) -> None:
    files = [(f"{n}.json", json.dumps({"n": n}).encode() * (n + 1)) for n in range(300)]
    with FileWriter(tmp_path) as writer:
        writer.submit(files[:150])
        writer.submit(files[150:])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(name for name, _ in files)
    assert all((tmp_path / name).read_bytes() == data for name, data in files)

    # a re-run writes only what is missing: a file there is whole (temporary name + rename)
    (tmp_path / "0.json").write_bytes(b"kept")
    (tmp_path / "1.json").unlink()
    with FileWriter(tmp_path) as writer:
        writer.submit(files[:2])
    assert (tmp_path / "0.json").read_bytes() == b"kept"
    assert (tmp_path / "1.json").read_bytes() == files[1][1]
    assert not list(tmp_path.glob(".*.tmp"))

    with pytest.raises(FileNotFoundError), FileWriter(tmp_path / "gone") as writer:
        writer.submit(files[:1])


@pytest.fixture
def shared_signing(monkeypatch: pytest.MonkeyPatch) -> list[SigningJob]:
    """Small batches that still hand half their credentials to the signing process; the jobs
    it was given are recorded."""
    monkeypatch.setattr(bulk, "BATCH_SIZE", 6)
    return signing_jobs(monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_the_signing_process_signs_what_the_parent_would(
    world: IssuingWorld, tmp_path: Path, shared_signing: list[SigningJob]
) -> None:
    out = tmp_path / "out"
    stdout, _ = run(world, learners_csv(tmp_path, 10), out)
    assert "10 issued" in stdout
    assert len(shared_signing) == 3 + 2  # half of each batch (6, then 4)
    signer = prepare(world.users["staff_a"], world.spec_a).signer
    for job in shared_signing:
        record = IssuedCredentialRecord.objects.get(public_id=job.public_id)
        # Ed25519 is deterministic: the parent signing the same job gives the same credential
        assert record.credential == signer.sign(job)
        assert json.loads((out / f"{job.public_id}.json").read_text()) == record.credential


@pytest.mark.django_db(transaction=True)
def test_killed_during_a_shared_batch_then_resumed(
    world: IssuingWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shared_signing: list[SigningJob],
) -> None:
    learners = learners_csv(tmp_path, 12)
    out = tmp_path / "out"
    real = IssuingRun.sign
    # the parent's share: 3 in the first batch, then killed at the second's 2nd
    monkeypatch.setattr(IssuingRun, "sign", crash_after(4))
    with pytest.raises(Crash):
        run(world, learners, out)
    assert len(shared_signing) == 6  # the child signed its share of both batches
    assert IssuedCredentialRecord.objects.count() == 6  # the first batch only
    assert len(list(out.glob("*.json"))) == 6
    assert StatusAllocation.objects.count() == 6  # the killed batch's indexes rolled back

    monkeypatch.setattr(IssuingRun, "sign", real)
    stdout, _ = run(world, learners, out)
    assert "6 issued, 6 already issued, 0 refused" in stdout
    assert IssuedCredentialRecord.objects.count() == 12
    assert IssuedCredentialRecord.objects.values("revocation").distinct().count() == 12
    assert len(list(out.glob("*.json"))) == 12


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_signing_process_costs_nothing(
    world: IssuingWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shared_signing: list[SigningJob],
) -> None:
    def refuse(future: Any) -> Any:
        future.result()
        raise SigningError("ValueError: test")

    monkeypatch.setattr(SigningPool, "credentials", staticmethod(refuse))
    stdout, _ = run(world, learners_csv(tmp_path, 8), tmp_path / "out")
    # each batch was redone learner by learner in the parent
    assert "8 issued, 0 already issued, 0 refused" in stdout
    assert IssuedCredentialRecord.objects.count() == 8
    assert StatusAllocation.objects.count() == 8
    assert len(list((tmp_path / "out").glob("*.json"))) == 8


def test_the_signing_process_reports_what_it_cannot_sign(world: IssuingWorld) -> None:
    signer = prepare(world.users["staff_a"], world.spec_a).signer
    when = datetime(2026, 1, 1, tzinfo=UTC)
    good = SigningJob("a@example.org", "A", "6a1f3c52-8d0b-4bb0-9b43-000000000001", when, (), "5a")
    bad = SigningJob("b@example.org", "B", "not a uuid\n", when, (), "5a")
    with SigningPool(signer) as pool:
        with pytest.raises(SigningError, match="InvalidJsonLd: IRI"):
            SigningPool.credentials(pool.submit([good, bad]))
        (credential,) = SigningPool.credentials(pool.submit([good]))
    assert credential == signer.sign(good)
