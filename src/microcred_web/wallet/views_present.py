"""The wallet's "present to a verifier" page: choose credentials, sign for a challenge."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from microcred_web.issuing.errors import IssuingError
from microcred_web.wallet import presenting
from microcred_web.wallet.access import learner_required
from microcred_web.wallet.models import LearnerAccount


def _choices(account: LearnerAccount) -> list[dict[str, object]]:
    rows = []
    for entry in presenting.presentable(account):
        credential = presenting.credential_of(entry) or {}
        issuer = credential.get("issuer")
        rows.append(
            {
                "id": str(entry.public_id),
                "name": credential.get("name") or str(entry.public_id),
                "issuer": issuer.get("name") if isinstance(issuer, dict) else issuer,
                "issued": credential.get("validFrom", ""),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@learner_required
def present(request: HttpRequest, account: LearnerAccount) -> HttpResponse:
    """GET: the form (``?challenge=&domain=&entry=`` from a verifier's link or an entry page);
    POST: the signed presentation, shown to copy or, with ``action=download``, as a file."""
    source = request.POST if request.method == "POST" else request.GET
    context: dict[str, object] = {
        "challenge": source.get("challenge", "")[: presenting.MAX_OPTION_LENGTH],
        "domain": source.get("domain", "")[: presenting.MAX_OPTION_LENGTH],
        "chosen": set(source.getlist("entries") or source.getlist("entry")),
        "choices": _choices(account),
    }
    if request.method == "GET":
        return render(request, "wallet/present.html", context)
    try:
        signed = presenting.present(
            account, request.POST.getlist("entries"), source.get("challenge"), source.get("domain")
        )
    except IssuingError as error:
        context["error"] = error
        return render(request, "wallet/present.html", context, status=error.status)
    text = json.dumps(signed, indent=2, ensure_ascii=False)
    if request.POST.get("action") == "download":
        response = HttpResponse(text, content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="presentation.json"'
        return response
    return render(request, "wallet/present_done.html", {"presentation": text, **context})
