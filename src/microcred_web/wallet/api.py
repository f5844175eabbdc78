"""The exchange a wallet calls to collect a credential (Learner Credential Wallet's VC-API
exchange; docs/wallet.md): ``POST /api/v1/exchanges/{exchange_id}/{transaction_id}``.

In the API, not beside it, so that it is declared in the OpenAPI document and held to it by
the contract suite like every other operation. LCW does not care where it lives: the deep
link names the exchange URL (``vc_request_url``). No cookie, no token: the transaction id in
the path is the capability, single use and short-lived; rate-limited (``wallet-exchange``).
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from ninja import Router

from microcred_web.api_errors import ApiError, responses
from microcred_web.security.limits import rate_limit
from microcred_web.wallet import exchange

router = Router(tags=["wallet"])

_BODY_DOC = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "title": "ExchangeRequest",
                    "description": (
                        "{} asks for the presentation request; a DIDAuth presentation (bare, "
                        'or as {"verifiablePresentation": ...}) collects the credential'
                    ),
                    "type": "object",
                }
            }
        },
    }
}


def _body(request: HttpRequest) -> Any:
    raw = request.body
    if len(raw) > exchange.MAX_BODY_BYTES:
        raise ApiError(
            413,
            f"the body is {len(raw):,} bytes; the limit is {exchange.MAX_BODY_BYTES:,} bytes",
            "too-large",
        )
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ApiError(400, f"the body is not JSON: {error}", "not-json") from None


@router.post(
    "/exchanges/{exchange_id}/{transaction_id}",
    response=responses({200: dict[str, Any]}, 401, 404, 409, 410, 413, 422),
    summary="A wallet's credential exchange (VC-API; Learner Credential Wallet)",
    url_name="wallet_exchange",
    openapi_extra=_BODY_DOC,
)
@rate_limit("wallet-exchange")
def wallet_exchange(request: HttpRequest, exchange_id: str, transaction_id: str) -> Any:
    """``{}`` -> the DIDAuth presentation request; the wallet's DIDAuth presentation -> the
    credential bound to the wallet's DID. 404 unknown, 410 expired, 409 already used, 400/401
    a presentation that does not prove the challenge and domain."""
    try:
        found = exchange.find(exchange_id, transaction_id)
        presented = exchange.read_body(_body(request))
        if presented is None:
            return exchange.presentation_request(found, transaction_id)
        return exchange.deliver(found, transaction_id, presented)
    except exchange.ExchangeError as error:
        raise ApiError(error.status, error.detail, error.code) from None
