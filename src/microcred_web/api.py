"""The HTTP API, version 1, served under ``/api/v1/`` (django-ninja).

Each app keeps its endpoints in ``microcred_web/<app>/api.py`` as a ``ninja.Router``. To publish a
new app's endpoints, add one line to :data:`ROUTERS` below.

Request bodies are plain ``pydantic.BaseModel`` classes, not ``ninja.Schema``: a Schema reads
attributes (``from_attributes``), so the JSON string ``"abc"`` would validate as an object whose
``title`` is ``"Abc"`` (``str.title``). The error tests pin this down.

Every error is one JSON shape, :class:`~microcred_web.api_errors.Problem` (``code``, ``detail``,
and ``errors`` or ``findings`` where they apply), never an HTML page or a stack trace:

* 400: the body is not JSON (with the position of the first error), not UTF-8, a broken
  multipart upload, or a bad search parameter;
* 401 / 403 / 404 / 409: no or bad token; a role that does not allow it; no such record; a
  status change that contradicts the current one;
* 413: the body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (or an endpoint's own limit);
* 422: the body is JSON but does not match the request model (``errors``: one entry per
  problem, each with ``loc``, ``msg`` and ``type``), or the register rejects the record
  (``findings``);
* 429: rate limited, with ``Retry-After``;
* 500: an unexpected failure, logged on the server, reported with a generic message.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import HttpError, ValidationError

from microcred_web.api_errors import code_of, problem
from microcred_web.api_parser import (
    JSON_WITHOUT_NUL,
    NUL_MESSAGE,
    StrictParser,
    no_nul_in_strings,
)
from microcred_web.core.api import router as core_router
from microcred_web.editor.api import router as editor_router
from microcred_web.issuing.api import router as issuing_router
from microcred_web.operator.api import router as operator_router
from microcred_web.register.api import router as register_router
from microcred_web.tasks.api import router as tasks_router
from microcred_web.team.api import router as team_router
from microcred_web.verification.api import router as verification_router
from microcred_web.verification.vc_api import router as vc_api_router
from microcred_web.wallet.api import router as wallet_router

logger = logging.getLogger("microcred_web.api")

#: (prefix, router) pairs mounted under /api/v1/. One line per app.
ROUTERS: list[tuple[str, Router]] = [
    ("/", core_router),
    ("/", register_router),
    ("/", editor_router),
    ("/", operator_router),
    ("/", verification_router),  # before issuing: /credentials/verify vs /credentials/{id}
    ("/", vc_api_router),
    ("/", issuing_router),
    ("/", wallet_router),
    ("/", tasks_router),
    ("/", team_router),  # last: revoking a token ends what that token can still do
]


class MicrocredAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI operation ids are the view names (``get_provider``): short,
    stable, and what the documents' ``links`` name."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The document, with "no NUL" stated on every string (:mod:`~.api_parser`)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["JsonWithoutNul"] = (
            JSON_WITHOUT_NUL
        )
        no_nul_in_strings(schema["paths"])
        no_nul_in_strings(schema["components"])
        return schema


def create_api(routers: Iterable[tuple[str, Router]], *, urls_namespace: str = "api-1") -> NinjaAPI:
    """Build the API with the project's error handling and the given routers."""
    api = MicrocredAPI(
        title="microcred API",
        version="1",
        description="Micro-credentials the European way: register, catalogue, issuer, verifier.",
        docs_url="/docs",
        openapi_url="/openapi.json",
        # No online validator badge: the docs page makes no request outside this server.
        docs=Swagger(settings={"validatorUrl": None}),
        urls_namespace=urls_namespace,
        parser=StrictParser(),
    )
    install_error_handlers(api)
    for prefix, router in routers:
        api.add_router(prefix, router)
    return api


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error a :class:`Problem`-shaped JSON answer with a human message."""

    def answer(
        request: HttpRequest, status: int, detail: str, code: str | None = None, **extra: Any
    ) -> HttpResponse:
        response = api.create_response(
            request, problem(status, detail, code, **extra), status=status
        )
        if status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, HttpError):  # ninja wraps what the parser raised
            exc, cause = cause, cause.__cause__
        message, code = str(exc), code_of(exc)
        if isinstance(cause, json.JSONDecodeError):
            message = f"Malformed JSON: {cause.msg} at line {cause.lineno} column {cause.colno}"
            code = "not-json"
        elif isinstance(cause, UnicodeDecodeError):
            message, code = "Malformed JSON: the body is not valid UTF-8", "not-json"
        elif isinstance(cause, RecursionError):
            message, code = "Malformed JSON: the body is nested too deeply", "not-json"
        response = answer(request, exc.status_code, message, code, **getattr(exc, "extra", {}))
        wait = getattr(exc, "wait", None) or getattr(exc, "retry_after", None)
        if exc.status_code == 429:
            response["Retry-After"] = str(max(1, math.ceil(float(wait or 1))))
        return response

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [_plain_error(error) for error in exc.errors]
        return answer(request, 422, _summary(errors), "invalid-request", errors=errors)

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return answer(request, 413, "Request body is too large", "too-large")

    def on_bad_upload(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return answer(request, 400, f"Malformed multipart body: {exc}", "bad-multipart")

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return answer(request, 400, "Bad request", "bad-request")

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, "Not found", "not-found")

    def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        if "NUL" in str(exc):  # a path parameter: the parser sees bodies and queries only
            return answer(request, 400, NUL_MESSAGE.format(what="the address"), "nul-character")
        return on_unexpected(request, exc)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return answer(request, 500, "Internal server error", "internal-error")

    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(MultiPartParserError, on_bad_upload)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(DataError, on_data_error)
    api.add_exception_handler(Exception, on_unexpected)


def _summary(errors: list[dict[str, Any]]) -> str:
    """One sentence naming the first problems, for people reading ``detail``."""
    named = "; ".join(
        ".".join(str(part) for part in e["loc"]) + f": {e['msg']}" for e in errors[:3]
    )
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"Invalid request: {named}{more}" if named else "Invalid request"


def _plain_error(error: dict[str, Any]) -> dict[str, Any]:
    """Keep the stable, JSON-safe parts of a pydantic error."""
    return {
        "loc": [str(part) if not isinstance(part, int) else part for part in error.get("loc", ())],
        "msg": str(error.get("msg", "Invalid value")),
        "type": str(error.get("type", "value_error")),
    }


api = create_api(ROUTERS)
