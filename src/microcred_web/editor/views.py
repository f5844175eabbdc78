"""The provider's specification pages: list, editor, history and diff, duplicate, withdraw,
import. Thin: every read and write goes through :mod:`.services`, which checks the right.

The editor form works without JavaScript: its buttons (add a language, add or remove a row,
check, save, publish) are submit buttons whose ``action`` the view acts on, re-showing the form
as typed. ``static/editor/editor.js`` does the same in the page and checks as one types.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from microcred_web.api_parser import NUL_MESSAGE
from microcred_web.editor import diff as spec_diff
from microcred_web.editor import layout, pickers, services
from microcred_web.editor.forms import DiffForm, DuplicateForm, ImportForm, WithdrawForm
from microcred_web.register import importing, permissions
from microcred_web.register.api import DEFAULT_IMPORT_MAX_BYTES
from microcred_web.register.models import Provider, Specification
from microcred_web.tasks.models import Job
from microcred_web.tasks.services import import_background_rows

_ACTIONS = ("save", "publish", "check")


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; a refused right renders the 403 page (GET and POST alike)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except permissions.PermissionDenied as exc:
            return render(request, "dashboard/forbidden.html", {"reason": str(exc)}, status=403)

    return login_required(wrapper)


def _provider(request: HttpRequest, slug: str) -> Provider:
    provider = get_object_or_404(Provider, slug=slug)
    services.require_edit(request.user, provider)
    return provider


def _spec(request: HttpRequest, slug: str, public_id: str) -> Specification:
    provider = _provider(request, slug)
    spec = services.get_specification(request.user, provider, public_id)
    if spec is None:
        raise Http404("no such specification")
    return spec


def _editor_url(spec: Specification) -> str:
    return reverse("editor:edit", args=[spec.provider.slug, spec.public_id])


@require_GET
@_guarded
def specification_list(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(request, slug)
    rows = services.specifications(request.user, provider)
    return render(request, "editor/list.html", {"provider": provider, "rows": rows})


@require_http_methods(["GET", "POST"])
@_guarded
def new(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(request, slug)
    if request.method == "GET":
        return _editor_page(request, provider, None, {}, [], status=200)
    return _post_editor(request, provider, None)


@require_http_methods(["GET", "POST"])
@_guarded
def edit(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    spec = _spec(request, slug, public_id)
    if request.method == "GET":
        data = services.editor_data(request.user, spec)
        return _editor_page(request, spec.provider, spec, data, services.check(data))
    return _post_editor(request, spec.provider, spec)


def _post_editor(request: HttpRequest, provider: Provider, spec: Specification | None) -> Any:
    data = layout.form_to_data(request.POST)
    if spec is not None:
        data["id"] = spec.local_id
    action = request.POST.get("action", "save")
    extra_rows: dict[str, int] = {}
    extra_langs: list[str] = []
    if action.startswith("add-row:") and action[8:] in layout.GROUPS:
        extra_rows[action[8:]] = 1
    elif action.startswith("add-lang:") and layout.kind_of(action[9:]) == "lang":
        extra_langs.append(action[9:])
    elif action.startswith("remove-row:"):
        _remove_row(data, action[11:])
    elif action in ("save", "publish"):
        return _save(request, provider, spec, data, publish=action == "publish")
    # check, add, remove and anything unknown: show the form as it is, with its findings.
    return _editor_page(
        request,
        provider,
        spec,
        data,
        services.check(data),
        extra_rows=extra_rows,
        extra_langs=extra_langs,
    )


def _remove_row(data: dict[str, Any], path: str) -> None:
    parts = layout.parse_path(path)
    if len(parts) == 2 and parts[0] in layout.GROUPS and isinstance(parts[1], int):
        rows = data.get(str(parts[0]))
        if isinstance(rows, list) and parts[1] < len(rows):
            del rows[parts[1]]
            if not rows:
                data.pop(str(parts[0]))


def _save(
    request: HttpRequest,
    provider: Provider,
    spec: Specification | None,
    data: dict[str, Any],
    *,
    publish: bool,
) -> HttpResponse:
    try:
        outcome = services.save(request.user, provider, data, spec=spec, publish=publish)
    except services.EditorError as exc:
        finding = {"code": "duplicate-key", "severity": "error", "path": exc.field}
        finding["message"] = exc.message
        findings = [finding, *services.check(data)]
        return _editor_page(request, provider, spec, data, findings, status=422)
    saved = outcome.specification
    if saved is None:  # no local id: nothing could be stored; the form keeps what was typed
        return _editor_page(request, provider, spec, data, outcome.findings, status=422)
    errors = len(outcome.errors)
    if outcome.publish_refused:
        messages.warning(
            request,
            ngettext(
                "Saved as a draft. It cannot be published until its error is fixed.",
                "Saved as a draft. It cannot be published until its %(n)d errors are fixed.",
                errors,
            )
            % {"n": errors},
        )
    elif saved.status == Specification.Status.PUBLISHED and not saved.has_errors:
        messages.success(request, _("Saved and published: it is in the catalogue."))
    elif errors:
        messages.warning(
            request,
            ngettext("Draft saved with %(n)d error.", "Draft saved with %(n)d errors.", errors)
            % {"n": errors},
        )
    else:
        messages.success(request, _("Draft saved."))
    return HttpResponseRedirect(_editor_url(saved))


def _editor_page(
    request: HttpRequest,
    provider: Provider,
    spec: Specification | None,
    data: dict[str, Any],
    findings: list[dict[str, Any]],
    *,
    status: int | None = None,
    extra_rows: dict[str, int] | None = None,
    extra_langs: list[str] | None = None,
) -> HttpResponse:
    form = layout.build(
        data,
        findings,
        extra_rows=extra_rows,
        extra_langs=extra_langs or (),
        readonly_id=spec is not None,
    )
    context = {
        "provider": provider,
        "spec": spec,
        "form": form,
        "local_id": spec.local_id if spec is not None else data.get("id", ""),
        "language_tags": pickers.language_tags(),
        "validate_url": reverse("api-1:validate_specification"),
    }
    if status is None:
        status = 200
    return render(request, "editor/edit.html", context, status=status)


@require_GET
@_guarded
def history(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    spec = _spec(request, slug, public_id)
    versions = services.versions(request.user, spec)
    form = DiffForm(
        initial={
            "before": versions[1].version if len(versions) > 1 else 1,
            "after": versions[0].version if versions else 1,
        }
    )
    context = {"spec": spec, "provider": spec.provider, "versions": versions, "form": form}
    return render(request, "editor/history.html", context)


@require_GET
@_guarded
def version_diff(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    spec = _spec(request, slug, public_id)
    form = DiffForm(request.GET)
    context: dict[str, Any] = {"spec": spec, "provider": spec.provider, "form": form}
    if not form.is_valid():
        context["versions"] = services.versions(request.user, spec)
        return render(request, "editor/history.html", context, status=400)
    try:
        before, after = services.version_pair(
            request.user, spec, form.cleaned_data["before"], form.cleaned_data["after"]
        )
    except services.EditorError as exc:
        form.add_error("before" if exc.field == "from" else "after", exc.message)
        context["versions"] = services.versions(request.user, spec)
        return render(request, "editor/history.html", context, status=400)
    context |= {
        "before": before,
        "after": after,
        "changes": spec_diff.diff(before.data, after.data),
        "status_changed": before.status != after.status,
    }
    return render(request, "editor/diff.html", context)


@require_http_methods(["GET", "POST"])
@_guarded
def duplicate(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    spec = _spec(request, slug, public_id)
    initial = {"local_id": f"{spec.local_id}-copy"[:120]}
    form = DuplicateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.duplicate(request.user, spec, form.cleaned_data["local_id"])
        except services.EditorError as exc:
            form.add_error("local_id", exc.message)
        else:
            messages.success(
                request,
                _("Copied as a new draft, %(id)s: change what differs, then publish.")
                % {"id": copy.local_id},
            )
            return HttpResponseRedirect(_editor_url(copy))
    code = 422 if request.method == "POST" else 200
    context = {"spec": spec, "provider": spec.provider, "form": form}
    return render(request, "editor/duplicate.html", context, status=code)


@require_http_methods(["GET", "POST"])
@_guarded
def withdraw(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    spec = _spec(request, slug, public_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(request.user, spec, form.cleaned_data["reason"])
        except services.EditorError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, _("Withdrawn: the catalogue shows it no more."))
            return HttpResponseRedirect(_editor_url(spec))
    code = 422 if request.method == "POST" else 200
    context = {"spec": spec, "provider": spec.provider, "form": form}
    return render(request, "editor/withdraw.html", context, status=code)


@require_http_methods(["GET", "POST"])
@_guarded
def import_page(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(request, slug)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    context: dict[str, Any] = {"provider": provider, "form": form, "report": None}
    limit = int(getattr(settings, "MICROCRED_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES))
    context["limit"] = limit
    context["background_rows"] = import_background_rows()
    if request.method == "GET":
        return render(request, "editor/import.html", context)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size is not None and upload.size > limit:
            form.add_error(
                "file",
                _("The file is %(size)s bytes; the limit is %(limit)s.")
                % {"size": f"{upload.size:,}", "limit": f"{limit:,}"},
            )
        else:
            data = upload.read(limit + 1)
            try:
                if b"\x00" in data or b"\\u0000" in data:
                    raise importing.ImportFileError(NUL_MESSAGE.format(what="the file"))
                report = services.import_or_queue(
                    request.user,
                    provider,
                    data,
                    upload.name or "upload",
                    publish=form.cleaned_data["publish"],
                )
            except importing.ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                if isinstance(report, Job):
                    messages.success(
                        request,
                        _(
                            "The import of %(rows)s rows runs in the background; this page "
                            "shows how far it is, and its report when it is done."
                        )
                        % {"rows": report.total},
                    )
                    return HttpResponseRedirect(reverse("tasks:job", args=[report.public_id]))
                context["report"] = report
                return render(request, "editor/import.html", context)
    return render(request, "editor/import.html", context, status=422)
