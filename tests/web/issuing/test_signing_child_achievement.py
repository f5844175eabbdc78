"""The signing process gets everything of a credential with a grade, a date of achievement and
name parts in its job, and signs byte-for-byte what the parent would."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from microcred_web.issuing import bulk
from microcred_web.issuing.issue import prepare
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.issuing.signing import SigningJob

from .conftest import IssuingWorld, _spec, signing_jobs


@pytest.mark.django_db(transaction=True)
def test_the_child_signs_graded_credentials_as_the_parent_would(
    world: IssuingWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "BATCH_SIZE", 6)
    given: list[SigningJob] = signing_jobs(monkeypatch)
    spec = _spec(world.provider_a, "DS-301", grade_scheme={"en": "0-20 scale"})
    learners = tmp_path / "learners.csv"
    rows = [
        f"learner-{n}@example.org,Given {n},Family {n},2001-01-0{n + 1},{10 + n},2025-05-0{n + 1}"
        for n in range(6)
    ]
    learners.write_text(
        "identifier,given_name,family_name,date_of_birth,grade,achieved_on\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    call_command(
        "issue_bulk",
        "--spec", spec.public_id,
        "--learners", str(learners),
        "--out", str(out),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )  # fmt: skip
    assert len(given) == 3  # half of the one batch went to the child
    signer = prepare(world.users["staff_a"], spec).signer
    for job in given:
        assert job.grade is not None and job.achieved_on is not None and job.given_name
        record = IssuedCredentialRecord.objects.get(public_id=job.public_id)
        subject = record.credential["credentialSubject"]
        assert subject["result"][0]["value"] == next(iter(job.grade.values()))
        assert subject["activityEndDate"].startswith(job.achieved_on.date().isoformat())
        assert record.credential == signer.sign(job)
        assert json.loads((out / f"{job.public_id}.json").read_text()) == record.credential
