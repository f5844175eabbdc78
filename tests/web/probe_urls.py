"""A URLconf for tests only: the project's API factory with a probe router that takes a body.

It lets the error-handling tests exercise the very handlers that ``/api/v1/`` uses
(:func:`microcred_web.api.create_api`) before the project has POST endpoints of its own.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path
from ninja import Router
from ninja.errors import HttpError, Throttled
from pydantic import BaseModel, Field

from microcred_web.api import create_api

router = Router()


class Item(BaseModel):
    title: str
    ects: float = Field(default=5, gt=0, le=60)


@router.post("/items")
def create_item(request: HttpRequest, item: Item) -> dict[str, object]:
    return {"title": item.title, "ects": item.ects}


@router.post("/boom")
def boom(request: HttpRequest) -> dict[str, object]:
    raise RuntimeError("secret internals: /etc/passwd")


@router.post("/limited")
def limited(request: HttpRequest) -> dict[str, object]:
    raise HttpError(429, "Too many verifications from this address; try again in a minute")


@router.post("/throttled")
def throttled(request: HttpRequest) -> dict[str, object]:
    raise Throttled(wait=37)


api = create_api([("/", router)], urls_namespace="probe")

urlpatterns = [path("api/probe/", api.urls)]
