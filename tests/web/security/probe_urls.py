"""The site's URLs plus probe views that fail on purpose (error pages, the rate-limit pattern)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import Router

from microcred_web.api import create_api
from microcred_web.security.limits import rate_limit
from microcred_web.urls import urlpatterns as site


class ProbeSecret(Exception):
    pass


def boom(request: HttpRequest) -> HttpResponse:
    raise ProbeSecret("SECRET_KEY=probe-must-not-leak")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("probe-reason-must-not-leak")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("probe-suspicion-must-not-leak")


@rate_limit("probe", methods=("POST",))
def limited_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("served")


router = Router()


@router.post("/items")
@rate_limit("probe")
def limited_operation(request: HttpRequest, name: str = "x") -> dict[str, str]:
    return {"name": name}


probe_api = create_api([("/", router)], urls_namespace="probe-limits")

urlpatterns = [
    path("probe/500", boom),
    path("probe/403", forbidden),
    path("probe/400", suspicious),
    path("probe/limited", limited_page),
    path("probe/api/", probe_api.urls),
    *site,
]
