"""Starting background jobs and reading them, with the permission checks of each.

Who may see a job: the account that started it, the admins of its provider, and the register
operator; nobody else learns that it exists (a 404, as for a record one may not read). Until
provider roles tell admins from other staff (``register/permissions.py``), every member of
the provider's staff counts as its admin.

A job and its queue entry are written in one transaction: a worker never sees a task whose
job is not there yet, and a refused start leaves neither.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from microcred_web.issuing import audit, bulk
from microcred_web.issuing import issue as issuing
from microcred_web.issuing.errors import IssuingError
from microcred_web.register import permissions
from microcred_web.register.models import Provider, Role, Specification
from microcred_web.tasks.models import Job, JobInput, JobKind

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000


@dataclass
class StartRefused(Exception):
    """A job that cannot start: ``field`` names the form field at fault (or "")."""

    field: str
    message: str
    status: int = 422

    def __str__(self) -> str:
        return self.message


def max_bytes() -> int:
    return int(getattr(settings, "MICROCRED_BULK_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "MICROCRED_BULK_UPLOAD_MAX_ROWS", DEFAULT_MAX_ROWS))


def _is_provider_admin(user: Any, provider: Provider | None) -> bool:
    return provider is not None and permissions.provider_level(user, provider) == "admin"


def can_see_job(user: Any, job: Job) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        job.started_by_id == user.pk
        or permissions.is_operator(user)
        or _is_provider_admin(user, job.provider)
    )


def visible_jobs(user: Any) -> QuerySet[Job]:
    """The jobs ``user`` may see, newest first: their own, their providers', or all."""
    jobs = Job.objects.select_related("provider", "specification", "started_by")
    if not getattr(user, "is_authenticated", False):
        return jobs.none()
    if permissions.is_operator(user):
        return jobs.all()
    providers = Provider.objects.filter(
        membership__user=user, membership__role=Role.PROVIDER
    ).values("pk")
    return jobs.filter(Q(started_by=user) | Q(provider__in=providers))


def get_job(user: Any, public_id: str | uuid.UUID) -> Job | None:
    """The job, if it exists and ``user`` may see it; else None (the caller answers 404)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    job = (
        Job.objects.select_related("provider", "specification", "started_by")
        .filter(public_id=key)
        .first()
    )
    return job if job is not None and can_see_job(user, job) else None


def _enqueue(user: Any, job: Job, details: dict[str, Any]) -> Job:
    from microcred_web.tasks.work import run_job

    audit.record_event(
        user, "job-started", f"job {job.public_id}", details={"kind": job.kind, **details}
    )
    result = run_job.enqueue(str(job.public_id))
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])
    return job


def _new_job(user: Any, kind: str, **fields: Any) -> Job:
    _, name = audit.actor_of(user)
    return Job.objects.create(
        kind=kind,
        started_by=user if getattr(user, "is_authenticated", False) else None,
        started_by_name=name,
        interface=audit.current_interface(),
        **fields,
    )


def read_upload(data: bytes) -> tuple[str, int]:
    """The text of an uploaded learners file and its row count, or :class:`StartRefused`.

    The header is checked now (a file without an identifier column, or with a column of an
    unknown name, is refused before anything is queued); each row is checked by the job,
    which reports the refused ones by line.
    """
    if len(data) > max_bytes():
        raise StartRefused(
            "file",
            _("The file is larger than %(kb)s KB; split it.") % {"kb": max_bytes() // 1024},
            413,
        )
    if b"\x00" in data:
        raise StartRefused("file", _("The file holds NUL bytes: it is not a CSV text file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StartRefused(
            "file",
            _("The file is not UTF-8 text (byte %(at)s); save it as UTF-8 CSV.")
            % {"at": error.start},
        ) from None
    try:
        rows = sum(1 for _ in bulk.read_learners(io.StringIO(text, newline="")))
    except IssuingError as error:
        raise StartRefused("file", error.message[:1].upper() + error.message[1:] + ".") from None
    except csv.Error as error:
        raise StartRefused("file", _("The file is not valid CSV: %(e)s.") % {"e": error}) from None
    if rows == 0:
        raise StartRefused("file", _("The file has a header but no learner rows."))
    if rows > max_rows():
        raise StartRefused(
            "file",
            _("The file has %(rows)s rows; at most %(max)s per upload.")
            % {"rows": rows, "max": max_rows()},
            413,
        )
    return text, rows


def start_bulk_issue(
    user: Any,
    specification: Specification,
    data: bytes,
    *,
    filename: str = "",
    cryptosuite: str = issuing.DEFAULT_CRYPTOSUITE,
) -> Job:
    """Queue a bulk issue of ``specification`` to the learners of an uploaded CSV.

    The checks that concern the whole run are made now, as ``issue_many`` makes them, so the
    page can say at once what is wrong: permission (:class:`PermissionDenied`), a
    specification that cannot be issued or an unknown cryptosuite (:class:`StartRefused` on
    the field at fault), the file's size, encoding and header.
    """
    try:
        issuing.prepare(user, specification, cryptosuite)
    except IssuingError as error:
        field = "cryptosuite" if error.code == "cryptosuite-unknown" else "specification"
        raise StartRefused(field, error.message, error.status) from None
    text, rows = read_upload(data)
    with transaction.atomic():
        job = _new_job(
            user,
            JobKind.BULK_ISSUE,
            provider=specification.provider,
            specification=specification,
            total=rows,
            params={"cryptosuite": cryptosuite, "file": filename[:200]},
        )
        JobInput.objects.create(job=job, text=text)
        return _enqueue(
            user,
            job,
            {
                "provider": specification.provider.slug,
                "specification": specification.public_id,
                "rows": rows,
            },
        )


def start_reindex(user: Any) -> Job:
    """Queue a rebuild of the catalogue search index (the register operator's)."""
    permissions.require(permissions.is_operator(user), "rebuild the search index")
    with transaction.atomic():
        return _enqueue(user, _new_job(user, JobKind.REINDEX), {})


def start_publish_status_lists(user: Any, provider: Provider | None) -> Job:
    """Queue signing ``provider``'s status lists again (None: every provider's; operator)."""
    if provider is None:
        permissions.require(permissions.is_operator(user), "publish every status list")
    else:
        allowed = permissions.is_operator(user) or permissions.can_issue(user, provider)
        permissions.require(allowed, f"publish status lists of {provider.slug}")
    with transaction.atomic():
        job = _new_job(user, JobKind.PUBLISH_STATUS_LISTS, provider=provider)
        return _enqueue(user, job, {"provider": provider.slug if provider else ""})


# --- imports ----------------------------------------------------------------------------------

#: Largest import file, as for the synchronous import (``MICROCRED_IMPORT_MAX_BYTES``).
DEFAULT_IMPORT_MAX_BYTES = 20 * 1024 * 1024
#: The import page runs files of more rows than this in the background.
DEFAULT_IMPORT_BACKGROUND_ROWS = 200
#: Import kinds (``importing.KINDS``) as a job's ``params["kind"]``.
IMPORT_KINDS = ("specifications", "providers", "agencies", "qa-results")


def import_max_bytes() -> int:
    return int(getattr(settings, "MICROCRED_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES))


def import_background_rows() -> int:
    """Files with more rows than this go to the worker from the import page."""
    return int(
        getattr(settings, "MICROCRED_IMPORT_BACKGROUND_ROWS", DEFAULT_IMPORT_BACKGROUND_ROWS)
    )


def read_import(
    user: Any,
    data: bytes,
    *,
    kind: str,
    filename: str = "",
    provider: Provider | None = None,
    status: str | None = None,
) -> int:
    """How many rows an import file has, or :class:`StartRefused` naming ``file``.

    The whole-file checks of the synchronous import (size, NUL, the JSON or CSV reader with
    its UTF-8 check, the columns) are made here, before anything is queued, so a bad file is refused
    at once with the same message; each row is checked by the job, which reports it.
    """
    from microcred_web.api_parser import NUL_MESSAGE
    from microcred_web.register import importing

    limit = import_max_bytes()
    if len(data) > limit:
        raise StartRefused(
            "file",
            _("The file is %(size)s bytes; the limit is %(limit)s.")
            % {"size": f"{len(data):,}", "limit": f"{limit:,}"},
            413,
        )
    if b"\x00" in data or b"\\u0000" in data:
        raise StartRefused("file", NUL_MESSAGE.format(what="the file"), 400)
    try:  # the readers refuse text that is not UTF-8, naming the byte
        rows = importing.read_rows(
            data, kind=kind, user=user, name=filename or "upload", provider=provider, status=status
        )
    except importing.ImportFileError as error:
        raise StartRefused("file", str(error), 400) from None
    if not rows:
        raise StartRefused("file", _("The file holds no rows to import."), 400)
    return len(rows)


def start_import(
    user: Any,
    data: bytes,
    *,
    kind: str,
    filename: str = "",
    provider: Provider | None = None,
    status: str | None = None,
) -> Job:
    """Queue an import of an uploaded file: the synchronous import's rules, in the worker.

    Specifications need a provider whose specifications ``user`` may edit
    (:class:`PermissionDenied` otherwise, as the page and the API answer 403). Register
    records (providers, agencies, QA results) are checked row by row as they are written, as
    the synchronous import does: a row the account may not write is ``rejected``,
    ``forbidden``. The file is kept in the database (:class:`JobInput`) until the job has
    finished, so a worker killed half way and the next one resume it.
    """
    if kind not in IMPORT_KINDS:
        raise StartRefused("kind", _("Unknown kind %(kind)s.") % {"kind": kind}, 400)
    if kind == "specifications":
        if provider is None:
            raise StartRefused("provider", _("Importing specifications needs the provider."), 400)
        permissions.require(
            permissions.can_edit_specifications(user, provider),
            f"edit specifications of {provider.slug}",
        )
    else:
        provider = None
    rows = read_import(user, data, kind=kind, filename=filename, provider=provider, status=status)
    params: dict[str, Any] = {"kind": kind, "file": (filename or "upload")[:200]}
    if status:
        params["status"] = status
    if not getattr(user, "is_authenticated", False):
        # The server's command line (no account): the job acts with its rights, as
        # `microcred import` does. Only the shell reaches this (pages and the API need an
        # account).
        params["as"] = "command-line"
    with transaction.atomic():
        job = _new_job(user, JobKind.IMPORT, provider=provider, total=rows, params=params)
        JobInput.objects.create(job=job, text=data.decode("utf-8"))
        return _enqueue(
            user,
            job,
            {
                "import": kind,
                "file": params["file"],
                "rows": rows,
                "provider": provider.slug if provider else "",
            },
        )


def report_counts(job: Job) -> dict[str, int] | None:
    """An import job's rows by outcome so far (None for other kinds of job)."""
    if job.kind != JobKind.IMPORT:
        return None
    counts = dict.fromkeys(("created", "updated", "unchanged", "rejected"), 0)
    for outcome, count in job.report_rows.order_by().values_list("outcome").annotate(n=Count("pk")):
        counts[outcome] = counts.get(outcome, 0) + count
    return counts


def report_document(job: Job) -> dict[str, Any]:
    """The report of an import job, in the synchronous import's shape (``kind``, ``counts``,
    ``rows``) plus the job's ``id`` and ``state``: what the JSON download and the API give."""
    return {
        "id": str(job.public_id),
        "state": job.state,
        "kind": job.params.get("kind", ""),
        "file": job.params.get("file", ""),
        "counts": report_counts(job),
        "rows": [row.as_dict() for row in job.report_rows.order_by("position").iterator()],
    }


# --- the daily QA standing refresh ------------------------------------------------------------


def start_refresh_standing(user: Any) -> Job:
    """Queue a refresh of the QA standing shown by the catalogue (the register operator's)."""
    permissions.require(permissions.is_operator(user), "refresh the QA standing")
    with transaction.atomic():
        return _enqueue(user, _new_job(user, JobKind.REFRESH_STANDING), {})


def schedule_daily(today: date | None = None) -> Job | None:
    """Queue today's standing refresh unless it is queued already; the job, or None.

    Called by every worker before it looks for work (:mod:`.worker`). Two workers finding the
    day's job missing at once both try to insert it; the unique ``schedule_key`` lets one
    insert win and the other's roll back, so it is queued once.
    """
    from microcred_web.catalogue import services as catalogue
    from microcred_web.issuing.cli import ShellOperator

    day = today or catalogue.today()
    key = f"{JobKind.REFRESH_STANDING}:{day.isoformat()}"
    if Job.objects.filter(schedule_key=key).exists():
        return None
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=JobKind.REFRESH_STANDING,
                started_by_name="scheduler",
                interface="cli",
                schedule_key=key,
                params={"day": day.isoformat()},
            )
            return _enqueue(ShellOperator(), job, {"scheduled": day.isoformat()})
    except IntegrityError:
        return None
