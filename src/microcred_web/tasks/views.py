"""The background-job pages: the user's jobs, one job with its progress, starting jobs.

Thin views over :mod:`.services`, which checks every permission. A job one may not see is a
404, as if it did not exist. The job page works without JavaScript (a plain "Refresh" link);
``static/tasks/progress.js`` polls :func:`progress` and moves the bar while the job runs.
"""

from __future__ import annotations

import csv
import functools
import io
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred.credentials.keystore import KeystoreError
from microcred.standard.csv_safety import escape_cell
from microcred_web.register import permissions
from microcred_web.register.models import Provider, Role, Specification
from microcred_web.security.middleware import too_large_page
from microcred_web.tasks import services
from microcred_web.tasks.forms import BulkIssueForm, PublishForm
from microcred_web.tasks.models import Job, JobKind
from microcred_web.wallet.uploads import body_limit

LIST_LIMIT = 100


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except permissions.PermissionDenied as exc:
            return render(request, "dashboard/forbidden.html", {"reason": str(exc)}, status=403)

    return login_required(wrapper)


def _providers_of(user: Any) -> list[Provider]:
    if permissions.is_operator(user):
        return list(Provider.objects.order_by("slug"))
    return list(
        Provider.objects.filter(membership__user=user, membership__role=Role.PROVIDER)
        .distinct()
        .order_by("slug")
    )


def state_of(job: Job) -> dict[str, Any]:
    """What the progress bar needs (the page's JSON and the API read the same job)."""
    return {
        "id": str(job.public_id),
        "kind": job.kind,
        "state": job.state,
        "stateLabel": job.get_state_display(),
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "issued": job.issued,
        "existing": job.existing,
        "refused": job.refused,
        "message": job.message,
        "finished": job.finished,
        "counts": services.report_counts(job),
        "startedAt": _when(job.started_at),
        "finishedAt": _when(job.finished_at),
    }


def _when(moment: Any) -> str:
    """As the page writes it (UTC), or a dash."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment is not None else "—"


@require_GET
@_guarded
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(services.visible_jobs(request.user)[:LIST_LIMIT])
    providers = _providers_of(request.user)
    return render(
        request,
        "tasks/jobs.html",
        {
            "jobs": jobs,
            "operator": permissions.is_operator(request.user),
            "publish_form": PublishForm(providers=providers) if providers else None,
        },
    )


def _job_or_404(request: HttpRequest, job_id: uuid.UUID) -> Job:
    job = services.get_job(request.user, job_id)
    if job is None:
        raise Http404("no such job")
    return job


#: Rows of an import's report shown on the job page (all are in the downloads).
REPORT_ROWS_SHOWN = 500


@require_GET
@_guarded
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _job_or_404(request, job_id)
    context: dict[str, Any] = {"job": job, "counts": services.report_counts(job)}
    if job.kind == JobKind.IMPORT and job.finished:
        # The rows to look at first (rejected, then with warnings), then the others.
        rows = list(job.report_rows.order_by("position")[: REPORT_ROWS_SHOWN * 10])
        rows.sort(key=lambda r: (r.outcome != "rejected", not r.findings, r.position))
        context["report_rows"] = rows[:REPORT_ROWS_SHOWN]
        context["report_total"] = job.report_rows.count()
    return render(request, "tasks/job.html", context)


@require_GET
@_guarded
def report_download(request: HttpRequest, job_id: uuid.UUID, fmt: str) -> HttpResponse:
    """An import job's whole report: JSON (the synchronous import's shape) or CSV (one line
    per finding; a row without findings has one line), cells safe for spreadsheets."""
    job = _job_or_404(request, job_id)
    if job.kind != JobKind.IMPORT or fmt not in ("csv", "json"):
        raise Http404("no such report")
    name = f"import-report-{job.public_id}"
    if fmt == "json":
        response = JsonResponse(services.report_document(job), json_dumps_params={"indent": 1})
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["row", "key", "outcome", "public_id", "severity", "code", "path", "message"]
        )
        for row in job.report_rows.order_by("position").iterator():
            head = [row.row, row.key, row.outcome, row.public_id]
            for finding in row.findings or [{}]:
                cells = [finding.get(k, "") for k in ("severity", "code", "path", "message")]
                writer.writerow([escape_cell(str(c)) for c in head + cells])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@_guarded
def progress(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    response = JsonResponse(state_of(_job_or_404(request, job_id)))
    response["Cache-Control"] = "no-store"
    return response


def _bulk_page(
    request: HttpRequest,
    provider: Provider,
    form: BulkIssueForm | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    specifications = _published(provider)
    context = {
        "provider": provider,
        "specifications": specifications,
        "bulk_form": form or BulkIssueForm(specifications=specifications),
        "max_bytes": services.max_bytes(),
        "max_rows": services.max_rows(),
        "error": error,
    }
    return render(request, "tasks/bulk_issue.html", context, status=status)


def _published(provider: Provider) -> list[Specification]:
    from microcred_web.dashboard.views import _published as published

    return published(provider)


def _provider(request: HttpRequest, slug: str) -> Provider:
    provider = get_object_or_404(Provider, slug=slug)
    permissions.require(
        permissions.can_issue(request.user, provider),
        f"issue credentials of {provider.slug} (its issuers and admins only)",
    )
    return provider


def _too_large(request: HttpRequest) -> HttpResponse:
    match = request.resolver_match
    slug = match.kwargs.get("slug", "") if match else ""
    provider = Provider.objects.filter(slug=slug).first()
    if provider is None or not permissions.can_issue(request.user, provider):
        return HttpResponse(status=413)
    form = BulkIssueForm(specifications=_published(provider))
    kb = services.max_bytes() // 1024
    message = _("The file is larger than %(kb)s KB; split it.") % {"kb": kb}
    return _bulk_page(request, provider, form, error=message, status=413)


@too_large_page(_too_large)
@body_limit(services.max_bytes)
@require_http_methods(["GET", "POST"])
@_guarded
def bulk_issue(request: HttpRequest, slug: str) -> HttpResponse:
    """The upload form (GET) and the start of a background bulk issue (POST)."""
    provider = _provider(request, slug)
    if request.method == "GET":
        return _bulk_page(request, provider)
    specifications = _published(provider)
    form = BulkIssueForm(request.POST, request.FILES, specifications=specifications)
    if not form.is_valid():
        return _bulk_page(request, provider, form, status=422)
    specification = get_object_or_404(
        Specification, provider=provider, public_id=form.cleaned_data["specification"]
    )
    upload = form.cleaned_data["file"]
    if upload.size > services.max_bytes():
        return _too_large(request)
    try:
        job = services.start_bulk_issue(
            request.user,
            specification,
            upload.read(services.max_bytes() + 1),
            filename=upload.name or "",
            cryptosuite=form.cleaned_data["cryptosuite"],
        )
    except services.StartRefused as refused:
        if refused.field in form.fields:
            form.add_error(refused.field, refused.message)
        return _bulk_page(request, provider, form, error=refused.message, status=refused.status)
    except KeystoreError as exc:
        message = _("Signing is unavailable: %(problem)s") % {"problem": exc}
        return _bulk_page(request, provider, form, error=message, status=503)
    messages.success(
        request,
        _("The bulk issue of %(rows)s learners is queued; this page shows how far it is.")
        % {"rows": job.total},
    )
    return HttpResponseRedirect(reverse("tasks:job", args=[job.public_id]))


@require_POST
@_guarded
def start_reindex(request: HttpRequest) -> HttpResponse:
    job = services.start_reindex(request.user)
    messages.success(request, _("The search index rebuild is queued."))
    return HttpResponseRedirect(reverse("tasks:job", args=[job.public_id]))


@require_POST
@_guarded
def start_publish(request: HttpRequest) -> HttpResponse:
    providers = _providers_of(request.user)
    form = PublishForm(request.POST, providers=providers)
    if not form.is_valid():
        jobs = list(services.visible_jobs(request.user)[:LIST_LIMIT])
        context = {
            "jobs": jobs,
            "operator": permissions.is_operator(request.user),
            "publish_form": form,
        }
        return render(request, "tasks/jobs.html", context, status=422)
    provider = get_object_or_404(Provider, slug=form.cleaned_data["provider"])
    job = services.start_publish_status_lists(request.user, provider)
    messages.success(request, _("Publishing the status lists is queued."))
    return HttpResponseRedirect(reverse("tasks:job", args=[job.public_id]))
