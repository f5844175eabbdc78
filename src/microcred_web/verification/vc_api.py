"""W3C VC-API verifier semantics for machines: ``POST /vc-api/credentials/verify`` and
``POST /vc-api/presentations/verify``.

Why besides ``/credentials/verify`` and ``/presentations/verify``: those answer 200 with the
checks whether or not the document verified (a person or a program reads the checks); VC-API
clients and the W3C test suites' verifier tests read the HTTP status instead — 200 when
verified, 400 with ``problemDetails`` when not (https://w3c-ccg.github.io/vc-api/#verify-credential,
#verify-presentation). Same pipeline, same checks, only the envelope differs. Each problem
detail has a ``type`` URL: the VC 2.0 / Data Integrity error types where one fits
(https://www.w3.org/TR/vc-data-model-2.0/#verification, https://www.w3.org/TR/vc-data-integrity/#processing-errors),
else ``https://microcred.eu/problems#<reason>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import BaseModel

from microcred.verify import Check
from microcred.verify import Status as CheckStatus
from microcred_web.api_errors import Problem, responses
from microcred_web.security.limits import rate_limit
from microcred_web.verification import presentations, services
from microcred_web.verification.api import PRESENTATION_BODY_DOC, CheckOut, VerifyOut

router = Router(tags=["vc-api"])

_VCDM = "https://www.w3.org/TR/vc-data-model#"
_SEC = "https://w3id.org/security#"
_OURS = "https://microcred.eu/problems#"
#: (check code, reason or None for any) -> problem type.
_TYPES: dict[tuple[str, str | None], str] = {
    ("format", "not-json"): _VCDM + "PARSING_ERROR",
    ("format", None): _VCDM + "MALFORMED_VALUE_ERROR",
    ("proof", "malformed-proof"): _SEC + "MALFORMED_PROOF_ERROR",
    ("proof", "wrong-proof-purpose"): _SEC + "MISMATCHED_PROOF_PURPOSE_ERROR",
    ("proof", None): _VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR",
    ("challenge", None): _SEC + "INVALID_CHALLENGE_ERROR",
    ("domain", None): _SEC + "INVALID_DOMAIN_ERROR",
}


class ProblemDetail(BaseModel):
    """A VC-API ``ProblemDetails`` entry: one failing (or warning) check."""

    type: str
    title: str
    detail: str


class VcApiVerified(VerifyOut):
    """200: verified; ``warnings`` are the checks with status warning, as problem details."""

    warnings: list[ProblemDetail]
    credentials: list[VerifyOut] | None = None


class VcApiNotVerified(Problem):
    """400 when the document does not verify: the Problem shape plus ``problemDetails``."""

    verified: Literal[False]
    outcome: Literal["not-verified", "could-not-check"]
    checks: list[CheckOut]
    problemDetails: list[ProblemDetail]
    credentials: list[VerifyOut] | None = None


def _detail(check: Check) -> dict[str, str]:
    reason = check.reason or check.status.value
    kind = _TYPES.get((check.code, reason)) or _TYPES.get((check.code, None))
    return {"type": kind or _OURS + reason, "title": reason, "detail": check.message}


def _answer(body: dict[str, Any], checks: Iterable[Check]) -> Any:
    checks = list(checks)
    if body["verified"]:
        warnings = [_detail(c) for c in checks if c.status is CheckStatus.WARNING]
        return {**body, "warnings": warnings}
    failed = [c for c in checks if c.status is CheckStatus.ERROR]
    return Status(
        400,
        {
            **body,
            "code": "not-verified",
            "detail": "not verified: " + "; ".join(f"{c.code}: {c.message}" for c in failed[:3]),
            "problemDetails": [_detail(c) for c in failed],
        },
    )


def _input_problem(error: services.InputError) -> Any:
    return Status(error.status, Problem(detail=error.message, code=error.code))


_CREDENTIAL_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "title": "VcApiVerifyCredentialRequest",
                    "type": "object",
                    "required": ["verifiableCredential"],
                    "properties": {
                        "verifiableCredential": {"type": "object"},
                        "options": {"type": "object"},
                    },
                }
            }
        },
    }
}
_RESPONSES = {
    **responses({200: VcApiVerified}, 413, 422),
    400: VcApiNotVerified | Problem,
}


@router.post(
    "/vc-api/credentials/verify",
    response=_RESPONSES,
    summary="Verify a credential (VC-API: 200 verified, 400 not)",
    openapi_extra=_CREDENTIAL_BODY_DOC,
)
@rate_limit("verify")
def vc_api_verify_credential(request: HttpRequest) -> Any:
    """The credential pipeline, answered as the W3C VC-API does: 200 when verified, 400 with
    ``problemDetails`` when not; 400/413/422 Problems when there is nothing to verify."""
    try:
        body = services.parse_json(request.body)
        if not isinstance(body, dict) or "verifiableCredential" not in body:
            raise services.InputError(
                "no-credential", 'Expected {"verifiableCredential": {...}, "options": {...}}'
            )
        if body.get("options") is not None and not isinstance(body["options"], dict):
            raise services.InputError("invalid-options", "options must be a JSON object")
        credential = services.credential_from_json(body)
    except services.InputError as error:
        return _input_problem(error)
    result = services.verify(credential)
    return _answer(result.as_dict(), result.checks)


@router.post(
    "/vc-api/presentations/verify",
    response=_RESPONSES,
    summary="Verify a presentation (VC-API: 200 verified, 400 not)",
    openapi_extra=PRESENTATION_BODY_DOC,
)
@rate_limit("verify")
def vc_api_verify_presentation(request: HttpRequest) -> Any:
    """The presentation verifier (challenge, domain, holder, every credential), answered as
    the W3C VC-API does: 200 when verified, 400 with ``problemDetails`` when not."""
    try:
        body = presentations.read_request(request.body)
    except services.InputError as error:
        return _input_problem(error)
    result = presentations.verify(body)
    return _answer(result.as_dict(), result.checks)
