"""A bulk issue queued from an upload and run by the worker: counts, row errors, the upload
deleted once done, every learner issued once, the audit rows."""

from __future__ import annotations

from typing import Any

import pytest

from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord
from microcred_web.tasks import services
from microcred_web.tasks.models import Job, JobInput
from microcred_web.tasks.worker import run_pending

from .conftest import IssuingWorld, learners_csv


def test_a_queued_bulk_issue_runs_in_the_worker(world: IssuingWorld) -> None:
    bad = "not-an-email@,Bad\n,No identifier but a name\nlearner-3@example.org,Again\n"
    job = services.start_bulk_issue(
        world.users["staff_a"], world.spec_a, learners_csv(25, bad), filename="a.csv"
    )
    assert job.state == "queued" and job.total == 28
    assert IssuedCredentialRecord.objects.count() == 0  # nothing before the worker runs
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    assert (job.done, job.issued, job.existing, job.refused) == (28, 25, 0, 2)
    assert [row["line"] for row in job.errors] == [27, 28, 29]
    assert "identifier" in job.errors[0]["message"] or "e-mail" in job.errors[0]["message"]
    assert "line 5 again" in job.errors[2]["message"]
    assert job.started_at is not None and job.finished_at is not None and job.attempts == 1
    records = IssuedCredentialRecord.objects.filter(specification=world.spec_a)
    assert records.count() == 25
    assert records.values("learner_hash").distinct().count() == 25
    assert not JobInput.objects.filter(job=job).exists()  # learners' data not kept
    started = AuditEvent.objects.get(action="job-started")
    assert started.interface == "cli" and started.details["rows"] == 28
    assert AuditEvent.objects.filter(action="issue").count() == 25
    assert AuditEvent.objects.filter(action="issue-bulk").count() == 1


def test_uploading_the_same_file_again_issues_nothing_twice(world: IssuingWorld) -> None:
    user = world.users["staff_a"]
    services.start_bulk_issue(user, world.spec_a, learners_csv(10))
    run_pending()
    again = services.start_bulk_issue(user, world.spec_a, learners_csv(15))
    run_pending()
    again.refresh_from_db()
    assert (again.issued, again.existing, again.refused) == (5, 10, 0)
    assert IssuedCredentialRecord.objects.count() == 15


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"name\nAda\n", "identifier"),
        (b"identifier,grdae\na@example.org,1\n", "unknown column grdae"),
        (b"identifier,name\n", "no learner rows"),
        (b"identifier\n\xff\xfe\n", "not UTF-8"),
        (b"identifier\na\x00b\n", "NUL"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_before_queueing(
    world: IssuingWorld, data: bytes, expected: str
) -> None:
    with pytest.raises(services.StartRefused) as refused:
        services.start_bulk_issue(world.users["staff_a"], world.spec_a, data)
    assert refused.value.field == "file" and expected in refused.value.message
    assert not Job.objects.exists()


def test_limits_on_size_and_rows(world: IssuingWorld, settings: Any) -> None:
    settings.MICROCRED_BULK_UPLOAD_MAX_ROWS = 5
    with pytest.raises(services.StartRefused) as refused:
        services.start_bulk_issue(world.users["staff_a"], world.spec_a, learners_csv(6))
    assert refused.value.status == 413 and "at most 5" in refused.value.message
    settings.MICROCRED_BULK_UPLOAD_MAX_BYTES = 100
    with pytest.raises(services.StartRefused) as refused:
        services.start_bulk_issue(world.users["staff_a"], world.spec_a, learners_csv(4))
    assert refused.value.status == 413
    assert not Job.objects.exists()


def test_a_specification_that_cannot_be_issued_is_refused_on_its_field(
    world: IssuingWorld,
) -> None:
    world.spec_a.status = "draft"
    world.spec_a.save()
    with pytest.raises(services.StartRefused) as refused:
        services.start_bulk_issue(world.users["staff_a"], world.spec_a, learners_csv(2))
    assert refused.value.field == "specification"
    assert not Job.objects.exists()


def test_a_field_over_the_csv_limit_is_refused_with_its_reason(world: IssuingWorld) -> None:
    data = learners_csv(3, "learner-x@example.org," + "x" * 200_000 + "\n")
    with pytest.raises(services.StartRefused) as refused:
        services.start_bulk_issue(world.users["staff_a"], world.spec_a, data)
    assert "not valid CSV" in refused.value.message and "field" in refused.value.message
