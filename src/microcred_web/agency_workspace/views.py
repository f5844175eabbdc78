"""The agency workspace's pages: thin views over :mod:`microcred_web.agency_workspace.services`.

Every page, read or write, is for the agency's staff or an operator (checked by the service);
anyone else gets the 403 page, for GET and POST alike; a signed-out visitor is sent to sign
in. A form with errors is shown again with everything typed and each message next to its
field (status 422); nothing is stored until "Save" is pressed on a form without errors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from microcred.register.standing import Grade, Standing
from microcred.standard.vocab import vocabulary
from microcred_web.agency_workspace import services
from microcred_web.register import permissions
from microcred_web.register.models import (
    Agency,
    Decision,
    EsgActivity,
    Provider,
    QAResult,
    Specification,
)
from microcred_web.register.qa_states import states_for
from microcred_web.register.qa_withdrawal import withdraw_qa_result

#: How the error summary names each field (the message itself is the register's).
FIELD_NAMES = {
    "local_id": _lazy("Reference"),
    "activity": _lazy("ESG activity"),
    "providers": _lazy("Providers reviewed"),
    "decision": _lazy("Decision"),
    "status": _lazy("Status of the review"),
    "valid_from": _lazy("Valid from"),
    "valid_until": _lazy("Valid until"),
    "report_url": _lazy("Report"),
    "decision_url": _lazy("Decision (web address)"),
    "coverage": _lazy("Coverage"),
    "covered_specifications": _lazy("Micro-credentials named"),
    "name": _lazy("Name"),
    "acronym": _lazy("Acronym"),
    "countries": _lazy("Countries"),
    "website": _lazy("Website"),
    "eqar_registered_since": _lazy("Registered in EQAR since"),
    "eqar_registered_until": _lazy("Registered in EQAR until"),
    "activities": _lazy("ESG activities"),
    "reason": _lazy("Reason"),
}


def _summary(errors: dict[str, list[str]]) -> list[tuple[str, Any, str]]:
    """(field, its name, the messages) for the error summary at the top of a form."""
    return [(name, FIELD_NAMES.get(name, ""), " ".join(msgs)) for name, msgs in errors.items()]


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; a refused permission renders the 403 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except permissions.PermissionDenied as exc:
            return render(
                request, "agency_workspace/forbidden.html", {"reason": str(exc)}, status=403
            )

    return login_required(wrapper)


def _agency(request: HttpRequest, slug: str) -> Agency:
    agency = get_object_or_404(Agency, slug=slug)
    services.require_agency(request.user, agency)
    return agency


def _result(agency: Agency, public_id: str) -> QAResult:
    return get_object_or_404(
        QAResult.objects.select_related("agency"), agency=agency, public_id=public_id
    )


def standing_summary(standing: Standing) -> str:
    """E.g. "quality assured until 2031-06-30" — what the preview says of a standing."""
    basis = standing.basis
    until = basis.valid_until.isoformat() if basis and basis.valid_until else ""
    if standing.grade is Grade.ASSURED:
        text = (
            _("quality assured until %(day)s") % {"day": until} if until else _("quality assured")
        )
    elif standing.grade is Grade.CONDITIONAL:
        text = (
            _("quality assured with conditions until %(day)s") % {"day": until}
            if until
            else _("quality assured with conditions")
        )
    elif standing.quality_assured:
        text = _("quality assured, with a caveat")
    else:
        text = _("not quality assured")
    return text


# --- workspace ------------------------------------------------------------------------------


@require_GET
@_guarded
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    """The agency's record and every QA result it recorded, with where each stands today."""
    agency = _agency(request, slug)
    results = list(
        agency.results.prefetch_related("providers", "covered_specifications").order_by(
            "-valid_from", "-pk"
        )
    )
    states = states_for(results)
    for result in results:
        result.state = states[result.pk].state  # type: ignore[attr-defined]
        result.superseded_by = states[result.pk].superseded_by  # type: ignore[attr-defined]
    notice = ""
    for key, text in (("saved", _("Saved %(id)s.")), ("withdrawn", _("Withdrew %(id)s."))):
        found = request.GET.get(key, "")
        if found and any(r.public_id == found for r in results):
            notice = text % {"id": found}
    if request.GET.get("record") == "saved":
        notice = _("The agency's record is saved.")
    return render(
        request,
        "agency_workspace/workspace.html",
        {"agency": agency, "results": results, "notice": notice},
    )


# --- QA results -----------------------------------------------------------------------------


def _result_page(
    request: HttpRequest,
    agency: Agency,
    form: services.ResultForm,
    *,
    instance: QAResult | None = None,
    attempt: services.Attempt | None = None,
    found: list[Provider] | None = None,
    searched: str = "",
    status: int = 200,
) -> HttpResponse:
    # A key with a NUL is shown as typed (with its error) but never queried: PostgreSQL
    # refuses the character even in a query.
    keys = [key for key in form.values["providers"] if "\x00" not in key]
    chosen = list(Provider.objects.filter(slug__in=keys))
    known = {p.slug for p in chosen} | {p.public_id for p in chosen}
    unknown = [key for key in form.values["providers"] if key not in known]
    specs = list(
        Specification.objects.filter(provider__in=chosen)
        .exclude(status=Specification.Status.WITHDRAWN)
        .select_related("provider")
        .order_by("provider__slug", "title_en", "public_id")
    )
    listed = {s.public_id for s in specs}
    effects = [
        {
            "provider": e.provider,
            "day": e.day,
            "before": standing_summary(e.before),
            "before_reason": e.before.reason,
            "after": standing_summary(e.after),
            "after_reason": e.after.reason,
            "changes": e.changes,
        }
        for e in (attempt.effects if attempt else [])
    ]
    context = {
        "agency": agency,
        "instance": instance,
        "form": form,
        "errors": form.errors,
        "summary": _summary(form.errors),
        "v": form.values,
        "activities": EsgActivity.choices,
        "decisions": Decision.choices,
        "statuses": QAResult.Status.choices,
        "chosen": chosen,
        "unknown": unknown,
        "found": [p for p in (found or []) if p.slug not in known],
        "searched": searched,
        "specs": specs,
        "other_specs": [s for s in form.values["covered_specifications"] if s not in listed],
        "effects": effects,
        "today": date.today(),
        "previewed": attempt is not None and attempt.result is not None and bool(effects),
    }
    return render(request, "agency_workspace/result_form.html", context, status=status)


def _handle_result(request: HttpRequest, agency: Agency, instance: QAResult | None) -> HttpResponse:
    if request.method == "GET":
        form = (
            services.result_form_from(instance)
            if instance is not None
            else services.blank_result_form()
        )
        return _result_page(request, agency, form, instance=instance)
    form = services.result_form_from_post(request.POST)
    action = request.POST.get("action", "save")
    if action == "search":
        text = str(request.POST.get("provider_search", ""))
        found = services.search_providers(request.user, agency, text)
        return _result_page(
            request, agency, form, instance=instance, found=found, searched=text.strip()
        )
    if action == "update":  # no JavaScript: list the specifications of the chosen providers
        return _result_page(request, agency, form, instance=instance)
    preview = action == "preview"
    attempt = services.save_result(request.user, agency, form, instance=instance, preview=preview)
    if form.has_errors:
        return _result_page(request, agency, form, instance=instance, attempt=attempt, status=422)
    if preview:
        return _result_page(request, agency, form, instance=instance, attempt=attempt)
    assert attempt.result is not None
    url = reverse("agency_workspace:workspace", args=[agency.slug])
    return HttpResponseRedirect(f"{url}?saved={attempt.result.public_id}")


@require_http_methods(["GET", "POST"])
@_guarded
def new_result(request: HttpRequest, slug: str) -> HttpResponse:
    return _handle_result(request, _agency(request, slug), None)


@require_http_methods(["GET", "POST"])
@_guarded
def edit_result(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    agency = _agency(request, slug)
    return _handle_result(request, agency, _result(agency, public_id))


@require_http_methods(["GET", "POST"])
@_guarded
def withdraw_result(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """Confirm, with a reason, then withdraw; a withdrawn result counts on no date."""
    agency = _agency(request, slug)
    result = _result(agency, public_id)
    reason, errors, code = "", {}, 200
    if request.method == "POST":
        reason = str(request.POST.get("reason", ""))
        outcome = withdraw_qa_result(request.user, result, reason)
        if outcome.ok:
            url = reverse("agency_workspace:workspace", args=[agency.slug])
            return HttpResponseRedirect(f"{url}?withdrawn={result.public_id}")
        for item in outcome.findings:
            errors.setdefault(item["path"], []).append(item["message"])
        code = 422
    return render(
        request,
        "agency_workspace/withdraw.html",
        {"agency": agency, "result": result, "reason": reason, "errors": errors},
        status=code,
    )


@require_GET
@_guarded
def provider_search(request: HttpRequest, slug: str) -> JsonResponse:
    """The picker's search as JSON (for its script; the form works without it too)."""
    agency = _agency(request, slug)
    found = services.search_providers(request.user, agency, str(request.GET.get("q", "")))
    return JsonResponse(
        {
            "providers": [
                {"slug": p.slug, "name": p.name(), "country": p.country, "public_id": p.public_id}
                for p in found
            ]
        }
    )


# --- the agency's record --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_guarded
def agency_record(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    code = 200
    if request.method == "POST":
        form = services.agency_form_from_post(request.POST)
        outcome = services.save_agency_record(request.user, agency, form)
        if outcome.ok:
            url = reverse("agency_workspace:workspace", args=[agency.slug])
            return HttpResponseRedirect(f"{url}?record=saved")
        code = 422
    else:
        form = services.agency_form_from(agency)
    return render(
        request,
        "agency_workspace/agency_form.html",
        {
            "agency": agency,
            "form": form,
            "errors": form.errors,
            "summary": _summary(form.errors),
            "v": form.values,
            "rows": form.name_rows,
            "row_count": len(form.name_rows),
            # The chosen countries first, so that the list shows them without scrolling.
            "countries": sorted(
                vocabulary("countries"),
                key=lambda t: (t.code not in form.values["countries"], t.label),
            ),
            "activities": EsgActivity.choices,
        },
        status=code,
    )
