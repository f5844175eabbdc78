"""``POST /api/v1/credentials/verify``: the verify pipeline over HTTP, in the VC-API style.

The body is ``{"verifiableCredential": {...}}`` (W3C VC-API "verify credential") or the bare
credential. The answer is 200 with ``{"verified", "outcome", "checks"}`` whenever there is a
credential to look at, verified or not; 400 when the body is not JSON, 413 when it is too
large, 422 when it is JSON but holds no credential. Each error has ``detail`` and ``code``.
The body is read here rather than through a request model so that the wrapper and the bare
form are both accepted and each problem gets its own message.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import BaseModel

from microcred_web.verification import services

router = Router(tags=["verification"])


class CheckOut(BaseModel):
    code: str
    status: Literal["ok", "warning", "error", "skipped"]
    message: str
    details: dict[str, Any]


class VerifyOut(BaseModel):
    verified: bool
    outcome: Literal["verified", "not-verified", "could-not-check"]
    checks: list[CheckOut]


class Problem(BaseModel):
    detail: str
    code: str


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": 'Either {"verifiableCredential": {...}} or the credential itself.',
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"verifiableCredential": {"type": "object"}},
                    "additionalProperties": True,
                }
            }
        },
    }
}


@router.post(
    "/credentials/verify",
    response={200: VerifyOut, 400: Problem, 413: Problem, 422: Problem},
    summary="Verify a credential",
    openapi_extra=_BODY_DOC,
)
def verify_credential(request: HttpRequest) -> Any:
    """Check format, signature, issuer, status, validity, QA of the issuer and Annex I.

    Works without the network for ``did:key`` issuers and for this instance's own providers;
    a ``did:web`` issuer elsewhere is fetched over HTTPS only when the instance enables it
    (``MICROCRED_FOREIGN_DID_WEB``), else the ``issuer`` check says it cannot be resolved.
    """
    try:
        credential = services.credential_from_bytes(request.body)
    except services.InputError as error:
        return Status(error.status, Problem(detail=error.message, code=error.code))
    return services.verify(credential).as_dict()
