"""``GET /api/v1/jobs/{job_id}``: a background job's progress and report; ``GET
/api/v1/jobs/{job_id}/report``: an import job's per-row report.

Readable by the account that started the job, its provider's admins and the register
operator; to anyone else the job does not exist (404), as for the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from pydantic import BaseModel, Field

from microcred_web.api_errors import responses
from microcred_web.register.tokens import TokenAuth
from microcred_web.tasks import services
from microcred_web.tasks.models import JobKind

router = Router(tags=["jobs"])
auth = TokenAuth()


class JobRowError(BaseModel):
    line: int
    message: str


class ImportCounts(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int


class JobOut(BaseModel):
    id: str = Field(description="The job's id (a UUID)")
    kind: str = Field(
        description="bulk-issue, import, reindex, publish-status-lists or refresh-standing"
    )
    state: str = Field(description="queued, running, succeeded or failed")
    provider: str | None = Field(description="The provider's slug, if the job is one's")
    specification: str | None = Field(description="The specification's public id (bulk issue)")
    startedBy: str
    total: int
    done: int
    issued: int
    existing: int
    refused: int
    errors: list[JobRowError] = Field(description="Rows refused or repeated, by line")
    message: str
    counts: ImportCounts | None = Field(
        description="An import's rows by outcome so far (complete when it has succeeded); "
        "null for other kinds"
    )
    report: str | None = Field(
        description="An import's per-row report (GET it; complete when it has succeeded)"
    )
    attempts: int = Field(description="Runs: more than one when a worker resumed it")
    created: datetime
    startedAt: datetime | None
    finishedAt: datetime | None


@router.get(
    "/jobs/{job_id}",
    auth=auth,
    response=responses({200: JobOut}, 401, 404),
    summary="A background job: its state, progress and row report",
)
def get_job(request: HttpRequest, job_id: str) -> JobOut:
    """Poll this while a job runs (bulk issuing from a page, a reindex, status lists)."""
    job = services.get_job(request.auth, job_id)
    if job is None:
        raise HttpError(404, f"no job {job_id} that this account may read")
    return JobOut(
        id=str(job.public_id),
        kind=job.kind,
        state=job.state,
        provider=job.provider.slug if job.provider else None,
        specification=job.specification.public_id if job.specification else None,
        startedBy=job.started_by_name,
        total=job.total,
        done=job.done,
        issued=job.issued,
        existing=job.existing,
        refused=job.refused,
        errors=[JobRowError(line=int(e["line"]), message=str(e["message"])) for e in job.errors],
        message=job.message,
        counts=ImportCounts(**counts) if (counts := services.report_counts(job)) else None,
        report=f"/api/v1/jobs/{job.public_id}/report" if job.kind == JobKind.IMPORT else None,
        attempts=job.attempts,
        created=job.created,
        startedAt=job.started_at,
        finishedAt=job.finished_at,
    )


class ReportRow(BaseModel):
    row: str = Field(description="Where in the file: file#n (JSON) or file:row n (CSV)")
    key: str = Field(description="The row's natural key (local id, slug, agency/local id)")
    outcome: str = Field(description="created, updated, unchanged or rejected")
    public_id: str | None
    findings: list[dict[str, Any]] = Field(description="code, severity, path, message")


class ReportOut(BaseModel):
    id: str
    state: str = Field(description="The job's state: the report is complete once succeeded")
    kind: str = Field(description="What was imported: specifications, providers, ...")
    file: str
    counts: ImportCounts
    rows: list[ReportRow] = Field(description="One per row finished so far, in file order")


@router.get(
    "/jobs/{job_id}/report",
    auth=auth,
    response=responses({200: ReportOut}, 401, 404),
    summary="A background import's per-row report (as the synchronous import answers)",
)
def get_job_report(request: HttpRequest, job_id: str) -> dict[str, Any]:
    """The rows done so far while the job runs; all of them once it has succeeded."""
    job = services.get_job(request.auth, job_id)
    if job is None or job.kind != JobKind.IMPORT:
        raise HttpError(404, f"no import job {job_id} that this account may read")
    return services.report_document(job)
