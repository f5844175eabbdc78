"""The one error shape of the API, and the response declarations every router shares.

Every error of ``/api/v1/`` is a JSON :class:`Problem`::

    {"code": "not-found", "detail": "no provider acme"}
    {"code": "invalid-request", "detail": "body.payload.slug: String should match ...",
     "errors": [{"loc": ["body", "payload", "slug"], "msg": "...", "type": "string_type"}]}
    {"code": "rejected", "detail": "rejected: slug: ...", "outcome": "rejected", "findings": [...]}

``code`` is stable and meant for programs; ``detail`` is a sentence for people (never parse
it); ``errors`` comes with request-model failures, ``findings`` (and ``outcome`` for the write
endpoints' earlier clients) with records the register rejects. Why one shape: a client then
handles every failure with one code path, and the OpenAPI document can promise it truthfully
for every status (the contract tests in ``tests/web/api_contract`` hold it to that).

Routers raise :class:`ApiError` (or ninja's ``HttpError``, which gets a default code from its
status) and declare their statuses with :func:`responses`; the handlers in
:mod:`microcred_web.api` turn both into a :class:`Problem`.
"""

from __future__ import annotations

from typing import Any, Literal

from ninja.errors import HttpError
from pydantic import BaseModel, Field

#: The code an error gets when the raiser names none: one per HTTP status.
DEFAULT_CODES: dict[int, str] = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid",
    429: "rate-limited",
    500: "internal-error",
    503: "unavailable",
}

#: Every operation may be rate limited (429), and every one reads some text from the request
#: (a path, a query, a body) that may hold a NUL or be malformed (400).
ALWAYS = (400, 429)


class FieldError(BaseModel):
    """One problem with a request parameter or body, as the request model found it."""

    loc: list[str | int] = Field(description='Where: ["body", "payload", "slug"], ["query", …]')
    msg: str
    type: str


class Finding(BaseModel):
    """One problem with a record, named by its element (``workload.ects``, ``providers.1``)."""

    code: str
    severity: Literal["error", "warning"]
    path: str
    message: str


class Problem(BaseModel):
    """Every error answer of the API."""

    code: str = Field(description="Stable, machine-readable: not-found, invalid-request, …")
    detail: str = Field(description="A sentence for people; do not parse it.")
    errors: list[FieldError] | None = Field(None, description="Request-model problems (422).")
    findings: list[Finding] | None = Field(None, description="Why a record was rejected (422).")
    outcome: Literal["rejected"] | None = Field(None, description="Write endpoints' rejections.")


class ApiError(HttpError):
    """An error with its stable ``code`` and optional extra members of :class:`Problem`."""

    def __init__(self, status: int, detail: str, code: str | None = None, **extra: Any) -> None:
        super().__init__(status, detail)
        self.code = code or DEFAULT_CODES.get(status, "error")
        self.extra = extra


def field_error(status: int, message: str, code: str, field: str, where: str = "body") -> ApiError:
    """A service's refusal of one input field, named as a request-model error names it
    (``["body", "payload", field]``, or ``[where, field]`` for a query or path parameter)."""
    loc = [where, "payload", field] if where == "body" else [where, field]
    return ApiError(status, message, code, errors=[{"loc": loc, "msg": message, "type": code}])


def problem(status: int, detail: str, code: str | None = None, **extra: Any) -> dict[str, Any]:
    """The body of an error answer (members that are None are left out)."""
    body: dict[str, Any] = {"code": code or DEFAULT_CODES.get(status, "error"), "detail": detail}
    body.update({name: value for name, value in extra.items() if value is not None})
    return body


def code_of(exc: HttpError) -> str:
    return getattr(exc, "code", None) or DEFAULT_CODES.get(exc.status_code, "error")


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The ``response=`` of an operation: its success shapes, a :class:`Problem` for each
    error status it can answer, and 429 (any operation may be rate limited)."""
    out = dict(ok)
    for status in (*errors, *ALWAYS):
        out[status] = Problem
    return out


def rejected(findings: list[dict[str, Any]], what: str = "the record") -> ApiError:
    """A 422 for a record the register refuses, with the findings that say why."""
    errors = [f for f in findings if f.get("severity") == "error"] or findings
    named = "; ".join(
        f"{f.get('path') or what}: {f.get('message', '')}".strip() for f in errors[:3]
    )
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return ApiError(
        422,
        f"{what} was rejected: {named}{more}" if named else f"{what} was rejected",
        "rejected",
        outcome="rejected",
        findings=findings,
    )


def upload_body(description: str) -> dict[str, Any]:
    """``openapi_extra`` for a multipart operation: its ``file`` is required and not empty (an
    empty part is no file to Django), so the document says so."""
    file = {"minLength": 1, "description": description}
    return {
        "requestBody": {
            "content": {"multipart/form-data": {"schema": {"properties": {"file": file}}}}
        }
    }
