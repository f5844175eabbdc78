"""``GET /api/v1/jobs/{job_id}``: a background job's progress and report.

Readable by the account that started the job, its provider's admins and the register
operator; to anyone else the job does not exist (404), as for the pages.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from pydantic import BaseModel, Field

from microcred_web.api_errors import responses
from microcred_web.register.tokens import TokenAuth
from microcred_web.tasks import services

router = Router(tags=["jobs"])
auth = TokenAuth()


class JobRowError(BaseModel):
    line: int
    message: str


class JobOut(BaseModel):
    id: str = Field(description="The job's id (a UUID)")
    kind: str = Field(description="bulk-issue, reindex or publish-status-lists")
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
        attempts=job.attempts,
        created=job.created,
        startedAt=job.started_at,
        finishedAt=job.finished_at,
    )
