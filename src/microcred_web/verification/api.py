"""``POST /api/v1/credentials/verify``: the verify pipeline over HTTP, in the VC-API style.

The body is ``{"verifiableCredential": {...}}`` (W3C VC-API "verify credential") or the bare
credential. The answer is 200 with ``{"verified", "outcome", "checks"}`` whenever there is a
credential to look at, verified or not; 400 when the body is not JSON, 413 when it is too
large, 422 when it is JSON but holds no credential, 429 when rate limited. Each error is a
:class:`~microcred_web.api_errors.Problem` (``code``, ``detail``).
The body is read here rather than through a request model so that the wrapper and the bare
form are both accepted and each problem gets its own message.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import BaseModel

from microcred_web.api_errors import Problem, responses
from microcred_web.security.limits import rate_limit
from microcred_web.verification import presentations, services

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


class PresentationOut(VerifyOut):
    """The presentation's checks and, in ``credentials``, each credential's own result."""

    credentials: list[VerifyOut]


#: The VC-API "verify presentation" body (W3C VC-API, verifier): options are optional.
PRESENTATION_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "title": "VerifyPresentationRequest",
                    "type": "object",
                    "required": ["verifiablePresentation"],
                    "properties": {
                        "verifiablePresentation": {"type": "object"},
                        "options": {
                            "type": "object",
                            "properties": {
                                "challenge": {"type": "string", "minLength": 1},
                                "domain": {"type": "string", "minLength": 1},
                            },
                        },
                    },
                }
            }
        },
    }
}


_MARKERS = list(services.CREDENTIAL_MARKERS)

#: What the endpoint really takes: the VC-API wrapper with an object inside, or a bare object
#: that names at least one credential member (``{}`` and stray objects are a 422).
_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": 'Either {"verifiableCredential": {...}} or the credential itself (an '
        "object with at least one of " + ", ".join(_MARKERS) + ").",
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {
                            "title": "VerifyRequest",
                            "type": "object",
                            "required": ["verifiableCredential"],
                            "properties": {"verifiableCredential": {"type": "object"}},
                        },
                        {
                            "title": "BareCredential",
                            "type": "object",
                            "not": {"required": ["verifiableCredential"]},
                            "anyOf": [{"required": [name]} for name in _MARKERS],
                        },
                    ]
                }
            }
        },
    }
}


@router.post(
    "/credentials/verify",
    response=responses({200: VerifyOut}, 400, 413, 422),
    summary="Verify a credential",
    openapi_extra=_BODY_DOC,
)
@rate_limit("verify")
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


@router.post(
    "/presentations/verify",
    response=responses({200: PresentationOut}, 400, 413, 422),
    summary="Verify a presentation",
    openapi_extra=PRESENTATION_BODY_DOC,
)
@rate_limit("verify")
def verify_presentation(request: HttpRequest) -> Any:
    """Check the holder's proof (``authentication``), challenge, domain, holder = subject, and
    run the credential pipeline on every credential inside (docs/verification.md).

    200 whenever there is a presentation to look at, verified or not. A challenge is accepted
    once: the same presentation sent again is not verified (``challenge-replayed``).
    """
    try:
        body = presentations.read_request(request.body)
    except services.InputError as error:
        return Status(error.status, Problem(detail=error.message, code=error.code))
    return presentations.verify(body).as_dict()
