"""The HTTP API, version 1, served under ``/api/v1/`` (django-ninja).

Each app keeps its endpoints in ``microcred_web/<app>/api.py`` as a ``ninja.Router``. To publish a
new app's endpoints, add one line to :data:`ROUTERS` below.

Request bodies are plain ``pydantic.BaseModel`` classes, not ``ninja.Schema``: a Schema reads
attributes (``from_attributes``), so the JSON string ``"abc"`` would validate as an object whose
``title`` is ``"Abc"`` (``str.title``). The error tests pin this down.

Errors are always JSON with a ``detail`` member, never an HTML page or a stack trace:

* 400: the body is not JSON (with the position of the first error);
* 413: the body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``;
* 422: the body is JSON but does not match the request model (one entry per problem, each with
  ``loc``, ``msg`` and ``type``);
* 500: an unexpected failure, logged on the server, reported with a generic message.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import HttpError, ValidationError

from microcred_web.core.api import router as core_router
from microcred_web.issuing.api import router as issuing_router
from microcred_web.register.api import router as register_router
from microcred_web.security.limits import install_api_handler
from microcred_web.verification.api import router as verification_router

logger = logging.getLogger("microcred_web.api")

#: (prefix, router) pairs mounted under /api/v1/. One line per app.
ROUTERS: list[tuple[str, Router]] = [
    ("/", core_router),
    ("/", register_router),
    ("/", verification_router),  # before issuing: /credentials/verify vs /credentials/{id}
    ("/", issuing_router),
]


def create_api(routers: Iterable[tuple[str, Router]], *, urls_namespace: str = "api-1") -> NinjaAPI:
    """Build the API with the project's error handling and the given routers."""
    api = NinjaAPI(
        title="microcred API",
        version="1",
        description="Micro-credentials the European way: register, catalogue, issuer, verifier.",
        docs_url="/docs",
        openapi_url="/openapi.json",
        # No online validator badge: the docs page makes no request outside this server.
        docs=Swagger(settings={"validatorUrl": None}),
        urls_namespace=urls_namespace,
    )
    install_error_handlers(api)
    for prefix, router in routers:
        api.add_router(prefix, router)
    return api


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error a JSON answer with a human message."""

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        cause = exc.__cause__
        if isinstance(cause, json.JSONDecodeError):
            message = f"Malformed JSON: {cause.msg} at line {cause.lineno} column {cause.colno}"
        elif isinstance(cause, UnicodeDecodeError):
            message = "Malformed JSON: the body is not valid UTF-8"
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [_plain_error(error) for error in exc.errors]
        return api.create_response(request, {"detail": errors}, status=422)

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(request, {"detail": "Request body is too large"}, status=413)

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return api.create_response(request, {"detail": "Bad request"}, status=400)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return api.create_response(request, {"detail": "Internal server error"}, status=500)

    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(Exception, on_unexpected)
    install_api_handler(api)  # 429 rate-limited, with Retry-After (docs/security.md)


def _plain_error(error: dict[str, Any]) -> dict[str, Any]:
    """Keep the stable, JSON-safe parts of a pydantic error."""
    return {
        "loc": [str(part) if not isinstance(part, int) else part for part in error.get("loc", ())],
        "msg": str(error.get("msg", "Invalid value")),
        "type": str(error.get("type", "value_error")),
    }


api = create_api(ROUTERS)
