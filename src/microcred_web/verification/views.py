"""The public verification page: paste, upload, or open a link to a credential hosted here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from microcred_web.catalogue import labels
from microcred_web.security.limits import rate_limit
from microcred_web.security.middleware import too_large_page
from microcred_web.verification import presentations, services
from microcred_web.verification.forms import VerifyForm

TEMPLATE = "verification/verify.html"


def _render(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    base = {
        "languages": labels.visitor_languages(request),
        "max_mb": services.MAX_BYTES // (1024 * 1024),
    }
    return render(request, TEMPLATE, base | context, status=status)


def _too_large(request: HttpRequest) -> HttpResponse:
    message = (
        f"What was sent is too large; the largest credential accepted is "
        f"{services.MAX_BYTES // (1024 * 1024)} MB."
    )
    return _render(request, 413, form=VerifyForm(), problem=message)


@too_large_page(_too_large)
@require_http_methods(["GET", "POST"])
@rate_limit("verify", methods=("POST",))
def verify_page(request: HttpRequest) -> HttpResponse:
    """GET: the form (or ``?url=``, a credential hosted here); POST: verify what was sent."""
    if request.method == "POST":
        try:
            form = VerifyForm(request.POST, request.FILES)
        except RequestDataTooBig:
            return _too_large(request)
        if not form.is_valid():
            return _render(request, 413 if form.too_large else 400, form=form)
        presentation = form.cleaned_data.get("presentation")
        if presentation is not None:
            asked = presentations.PresentationRequest(
                presentation,
                form.cleaned_data.get("challenge") or None,
                form.cleaned_data.get("domain") or None,
            )
            found = presentations.report(presentations.verify(asked), asked)
            return _render(request, form=VerifyForm(), presentation=found)
        result = services.verify(form.cleaned_data["parsed"])
        return _render(request, form=VerifyForm(), report=services.report(result))
    url = request.GET.get("url", "").strip()
    if not url:
        return _render(request, form=VerifyForm())
    try:
        credential = services.credential_from_url(url, request.get_host())
    except services.InputError as error:
        return _render(request, error.status, form=VerifyForm(), problem=error.message, url=url)
    result = services.verify(credential)
    return _render(request, form=VerifyForm(), report=services.report(result), url=url)
