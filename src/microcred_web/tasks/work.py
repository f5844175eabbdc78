"""What the worker runs: one task, :func:`run_job`, that does a :class:`~.models.Job`.

Why one task for every kind of job: the queue row (the library's) carries only the job's id,
and everything the work needs, and everything it reports, is in the job. A task that runs
again for the same job (a worker was killed, another took it over, see :mod:`.worker`) picks
up where the data says: bulk issuing is idempotent on (specification, learner), so the learners
of committed batches are found again and the rest issued, with no duplicates and no gaps
(:mod:`microcred_web.issuing.bulk`); a reindex or a publication is simply done again.

A worker asked to stop (SIGTERM, Ctrl-C) sets :data:`STOP`; the job then stops at its next
progress report, between two batches, and goes back to the queue for the next worker.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from microcred.credentials.keystore import KeystoreError
from microcred_web.issuing import audit, bulk
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.register.permissions import PermissionDenied
from microcred_web.tasks.models import Job, JobKind, JobState

logger = logging.getLogger("microcred_web.tasks")

#: Set by the worker when it is asked to stop: the running job yields at its next report.
STOP = threading.Event()
#: Row problems kept in a job's report (the counts are always complete).
MAX_ERRORS = 1000
#: A progress report is written at least this often (seconds) besides once per batch.
REPORT_EVERY = 1.0


class Interrupted(Exception):
    """The worker is stopping: the job goes back to the queue, its committed work kept."""


class JobFailed(Exception):
    """The job cannot run at all; its message is the report."""


@task()
def run_job(job_id: str) -> str:
    """The task the queue holds: do job ``job_id`` (its public id)."""
    return run(job_id)


def run(job_id: str) -> str:
    job = (
        Job.objects.select_related("started_by", "provider", "specification")
        .filter(public_id=job_id)
        .first()
    )
    if job is None:
        return "gone"
    if job.finished:  # delivered again after it had finished
        return str(job.state)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        started_at=Coalesce(F("started_at"), now),
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        message="",
    )
    job.refresh_from_db()
    try:
        with audit.interface(job.interface):
            RUNNERS[job.kind](job)
    except Interrupted:
        _save(
            job,
            state=JobState.QUEUED,
            message="The worker stopped; the job resumes when a "
            "worker starts. Work done so far is kept.",
        )
        raise
    except (JobFailed, IssuingError, PermissionDenied, KeystoreError) as error:
        _finish(job, JobState.FAILED, str(error))
    except Exception:
        logger.exception("job %s failed", job.public_id)
        _finish(job, JobState.FAILED, "The job stopped on an unexpected error (see the log).")
        raise
    return str(job.state)


def _save(job: Job, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


def _finish(job: Job, state: str, message: str) -> None:
    _save(job, state=state, message=message, finished_at=timezone.now())
    if state == JobState.SUCCEEDED:
        # The upload holds learners' names and identifiers: kept only while it may be needed.
        from microcred_web.tasks.models import JobInput

        JobInput.objects.filter(job=job).delete()


class Reporter:
    """Writes a job's progress once per batch (or :data:`REPORT_EVERY`), and yields to STOP."""

    def __init__(self, job: Job, every: int) -> None:
        self.job = job
        self.every = max(every, 1)
        self.last_done = -1
        self.last_time = 0.0

    def __call__(self, done: int, **counts: Any) -> None:
        now = time.monotonic()
        due = (
            done >= self.last_done + self.every
            or done >= self.job.total
            or now - self.last_time >= REPORT_EVERY
        )
        stopping = STOP.is_set()  # then the job says how far it got before it yields
        if (due or stopping) and done != self.last_done:
            self.last_done, self.last_time = done, now
            _save(self.job, done=done, heartbeat_at=timezone.now(), **counts)
        if stopping:
            raise Interrupted(str(self.job.public_id))


def _row_errors(report: bulk.BulkReport) -> list[dict[str, Any]]:
    rows = [{"line": line, "message": message} for line, message in report.failed]
    rows += [
        {"line": line, "message": f"the learner of line {first} again (issued once)"}
        for line, first in report.repeated
    ]
    return sorted(rows, key=lambda row: row["line"])[:MAX_ERRORS]


def _bulk_issue(job: Job) -> None:
    user = job.started_by
    if user is None or not user.is_active:
        raise JobFailed("The account that started the job is no longer active.")
    if job.specification is None:
        raise JobFailed("The specification is gone.")
    text = getattr(getattr(job, "input", None), "text", None)
    if text is None:
        raise JobFailed("The uploaded file is no longer kept; upload it again.")
    try:
        learners = list(bulk.read_learners(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise JobFailed(f"The learners file is not valid CSV: {error}.") from None
    _mark(job)
    reporter = Reporter(job, bulk.BATCH_SIZE)

    def progress(report: bulk.BulkReport) -> None:
        reporter(report.done, refused=len(report.failed))

    report = bulk.issue_many(
        user,
        job.specification,
        learners,
        None,
        cryptosuite=str(job.params.get("cryptosuite") or bulk.DEFAULT_CRYPTOSUITE),
        total=len(learners),
        progress=progress,
    )
    issued = _issued_by(job, [credential for _, credential, _ in report.credentials])
    found = len({credential for _, credential, _ in report.credentials})
    _save(
        job,
        total=len(learners),
        done=report.done,
        issued=issued,
        existing=found - issued,
        refused=len(report.failed),
        errors=_row_errors(report),
    )
    _finish(
        job,
        JobState.SUCCEEDED,
        f"{issued} issued, {found - issued} already issued, {len(report.failed)} refused.",
    )


def _mark(job: Job) -> int:
    """The last credential record before the job's first run, kept in the job.

    A resumed run finds the learners of the batches committed before the stop as "already
    issued"; what tells them from learners issued before the job is that their records came
    after this mark (record keys only grow).
    """
    if "records_after" not in job.params:
        last = IssuedCredentialRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
        job.params = {**job.params, "records_after": last or 0}
        Job.objects.filter(pk=job.pk).update(params=job.params)
    return int(job.params["records_after"])


def _issued_by(job: Job, credential_ids: list[str]) -> int:
    """How many of the credentials this job issued, over all its attempts."""
    after = _mark(job)
    ids = [credential.removeprefix("urn:uuid:") for credential in set(credential_ids)]
    issued = 0
    for start in range(0, len(ids), 500):
        issued += IssuedCredentialRecord.objects.filter(
            public_id__in=ids[start : start + 500], pk__gt=after
        ).count()
    return issued


def _reindex(job: Job) -> None:
    from microcred_web.catalogue import services

    _save(job, total=services.catalogue_count())
    reporter = Reporter(job, 100)
    count = services.rebuild_index(progress=lambda done: reporter(done))
    _save(job, done=count, total=max(count, job.total))
    _finish(job, JobState.SUCCEEDED, f"{count} specifications indexed.")


def _publish_status_lists(job: Job) -> None:
    from microcred_web.issuing import status

    lists = status.lists_of(job.provider)
    _save(job, total=len(lists))
    reporter = Reporter(job, 1)
    for done, status_list in enumerate(lists, start=1):
        status.republish(status_list)
        reporter(done)
    from microcred_web.issuing.cli import ShellOperator

    audit.record_event(
        job.started_by or ShellOperator(),
        "status-lists-published",
        f"provider {job.provider.slug}" if job.provider else "all providers",
        details={"lists": len(lists), "job": str(job.public_id)},
    )
    _finish(job, JobState.SUCCEEDED, f"{len(lists)} status lists signed and published.")


def _import_user(job: Job) -> Any:
    if job.params.get("as") == "command-line":
        from microcred_web.cli_plugin import CommandLineOperator

        return CommandLineOperator()
    user = job.started_by
    if user is None or not user.is_active:
        raise JobFailed("The account that started the job is no longer active.")
    return user


def _import(job: Job) -> None:
    """An uploaded file imported row by row, each row's report committed with the row.

    A run that resumes (a worker was killed or stopped) skips the rows whose report is there
    (:class:`~.models.JobReportRow`): no row is imported twice and none is left out.
    """
    from microcred_web.register import importing
    from microcred_web.tasks.models import JobReportRow

    user = _import_user(job)
    text = getattr(getattr(job, "input", None), "text", None)
    if text is None:
        raise JobFailed("The uploaded file is no longer kept; upload it again.")
    kind = str(job.params.get("kind", ""))
    if kind == "specifications":
        from microcred_web.register import permissions

        if job.provider is None:
            raise JobFailed("The provider is gone.")
        permissions.require(
            permissions.can_edit_specifications(user, job.provider),
            f"edit specifications of {job.provider.slug}",
        )
    finished = dict(JobReportRow.objects.filter(job=job).values_list("position", "public_id"))
    reporter = Reporter(job, 50)

    def record(position: int, row: importing.RowReport) -> None:
        JobReportRow.objects.create(
            job=job,
            position=position,
            row=row.row,
            key=row.key,
            outcome=row.outcome,
            public_id=row.public_id or "",
            findings=row.findings,
        )

    try:
        importing.import_bytes(
            text.encode("utf-8"),
            kind=kind,
            user=user,
            name=str(job.params.get("file") or "upload"),
            provider=job.provider,
            status=job.params.get("status") or None,
            progress=lambda done, total: reporter(done),
            on_row=record,
            skip={position: public_id or None for position, public_id in finished.items()},
        )
    except importing.ImportFileError as error:
        raise JobFailed(str(error)) from None
    from microcred_web.tasks.services import report_counts

    counts = report_counts(job) or {}
    _save(job, done=job.total, refused=counts.get("rejected", 0))
    _finish(
        job,
        JobState.SUCCEEDED,
        "{created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected.".format(
            **{
                name: counts.get(name, 0)
                for name in ("created", "updated", "unchanged", "rejected")
            }
        ),
    )


def _last_refresh(job: Job) -> datetime.date | None:
    last = (
        Job.objects.filter(kind=JobKind.REFRESH_STANDING, state=JobState.SUCCEEDED)
        .exclude(pk=job.pk)
        .order_by("-finished_at", "-pk")
        .values_list("params", flat=True)
        .first()
    )
    until = (last or {}).get("until")
    return datetime.date.fromisoformat(until) if until else None


def _refresh_standing(job: Job) -> None:
    """Reindex the providers whose QA standing changed since the last refresh, by the date.

    "Since": the day the last successful refresh looked at (so a worker down for three days
    catches up on all three); the very first refresh looks at today only (``reindex``
    rebuilds everything).
    """
    from microcred_web.catalogue import services as catalogue

    today = catalogue.today()
    since = job.params.get("since")
    after = datetime.date.fromisoformat(since) if since else _last_refresh(job)
    if after is None or after > today:
        after = today - datetime.timedelta(days=1)
    providers = catalogue.standing_may_change(after, today) if after < today else []
    job.params = {**job.params, "since": after.isoformat(), "until": today.isoformat()}
    _save(job, params=job.params, total=len(providers))
    reporter = Reporter(job, 10)
    specifications = 0
    with catalogue.batch():
        for done, provider in enumerate(providers, start=1):
            specifications += catalogue.reindex_provider(provider)
            reporter(done)
    _save(job, done=len(providers))
    _finish(
        job,
        JobState.SUCCEEDED,
        f"{len(providers)} providers whose QA standing changed after {after.isoformat()} "
        f"up to {today.isoformat()}: {specifications} specifications reindexed.",
    )


RUNNERS: dict[str, Callable[[Job], None]] = {
    JobKind.BULK_ISSUE: _bulk_issue,
    JobKind.REINDEX: _reindex,
    JobKind.PUBLISH_STATUS_LISTS: _publish_status_lists,
    JobKind.IMPORT: _import,
    JobKind.REFRESH_STANDING: _refresh_standing,
}
