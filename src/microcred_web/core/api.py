"""API endpoints of the core app: the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest
from ninja import Router, Schema, Status

import microcred

router = Router(tags=["service"])


class Health(Schema):
    status: str
    version: str
    database: str


@router.get("/health", response={200: Health, 503: Health}, summary="Service health")
def health(request: HttpRequest) -> Status[Health]:
    """Report the package version and which database engine answers (``sqlite``, ``postgresql``).

    The database is queried for real; if it does not answer the status is ``error`` (503).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        status, state = 503, "error"
    else:
        status, state = 200, "ok"
    return Status(
        status, Health(status=state, version=microcred.__version__, database=connection.vendor)
    )
