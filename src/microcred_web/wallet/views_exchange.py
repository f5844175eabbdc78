"""The exchange endpoint a wallet calls, and the page that offers a wallet entry to LCW.

``POST /exchange/<exchange id>/<transaction id>`` is a plain Django view, not an operation of
``/api/v1/``: its path is the one LCW's deep link names (``docs/api.md``, "Wallet exchange").
It answers JSON only, errors in the API's one Problem shape (``{"code", "detail"}``); it is
CSRF-exempt (a wallet app calls it, with no cookie), rate-limited (scope ``wallet-exchange``)
and reads at most :data:`~microcred_web.wallet.exchange.MAX_BODY_BYTES`.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from microcred_web.api_errors import problem
from microcred_web.security.limits import RateLimited, rate_limit
from microcred_web.wallet import exchange, lcw
from microcred_web.wallet.access import learner_required
from microcred_web.wallet.models import EntrySource, LearnerAccount, WalletEntry


def _problem(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(problem(status, detail, code), status=status)


def _body(request: HttpRequest) -> Any:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > exchange.MAX_BODY_BYTES:
        raise _too_large(int(declared))
    try:
        raw = request.body
    except RequestDataTooBig:
        raise _too_large(None) from None
    if len(raw) > exchange.MAX_BODY_BYTES:
        raise _too_large(len(raw))
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise exchange.ExchangeError(400, "not-json", f"the body is not JSON: {error}") from None


def _too_large(size: int | None) -> exchange.ExchangeError:
    shown = f"{size:,} bytes" if size is not None else "too large"
    return exchange.ExchangeError(
        413, "too-large", f"the body is {shown}; the limit is {exchange.MAX_BODY_BYTES:,} bytes"
    )


@rate_limit("wallet-exchange")
def _exchange(request: HttpRequest, exchange_id: str, transaction_id: str) -> HttpResponse:
    found = exchange.find(exchange_id, transaction_id)
    presented = exchange.read_body(_body(request))
    if presented is None:
        return JsonResponse(exchange.presentation_request(found, transaction_id))
    return JsonResponse(exchange.deliver(found, transaction_id, presented))


@csrf_exempt
def exchange_view(request: HttpRequest, exchange_id: str, transaction_id: str) -> HttpResponse:
    """``{}`` -> the presentation request; a DIDAuth presentation -> the credential."""
    if request.method != "POST":
        response = _problem(405, "method-not-allowed", "use POST (a wallet's exchange)")
        response["Allow"] = "POST"
        return response
    try:
        return _exchange(request, exchange_id, transaction_id)
    except RateLimited as error:
        response = _problem(429, "rate-limited", str(error))
        response["Retry-After"] = str(error.retry_after)
        return response
    except exchange.ExchangeError as error:
        return _problem(error.status, error.code, error.detail)


@require_POST
@learner_required
def entry_offer(request: HttpRequest, account: LearnerAccount, entry_id: str) -> HttpResponse:
    """A fresh exchange of the learner's own entry (issued here), shown as link and QR code.

    A POST because it writes (a new exchange); the page is the answer, not a redirect, since
    the transaction id is shown once and never stored in clear.
    """
    entry = (
        WalletEntry.objects.select_related("issued__specification")
        .filter(
            account=account,
            public_id=entry_id,
            source=EntrySource.ISSUED_HERE,
            removed__isnull=True,
        )
        .first()
    )
    if entry is None or entry.issued is None:
        raise Http404("no such credential in your wallet")
    offer = lcw.offer_for(entry.issued, account)
    return render(
        request, "wallet/lcw_offer.html", {"entry": entry, "record": entry.issued, "offer": offer}
    )
