"""API endpoints of the core app: the health check (what it checks: :mod:`.health`)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from microcred_web.core import health as checks

router = Router(tags=["service"])

ComponentState = Literal["ok", "missing", "stale", "error"]


class Component(Schema):
    status: ComponentState
    detail: str = ""
    counts: dict[str, int] = Field(default_factory=dict)


class Health(Schema):
    status: Literal["ok", "degraded", "error"]
    version: str
    database: str
    components: dict[str, Component]


@router.get(
    "/health",
    response={200: Health, 503: Health},
    summary="Service health",
    description=(
        "Checks the database (a query), the search index (read, its document count against "
        "the published specifications), the key-encryption key (parsed, and opens an "
        "existing provider key), the learner-identifier key, and that every status list is "
        "signed. 200 when every component is `ok`; 503 otherwise, with `status` `degraded` "
        "(the database answers: public pages are served, issuing may be refused) or `error` "
        "(the database does not answer). Components: `database`, `search_index`, `kek`, "
        "`identifier_key`, `status_lists`; each `ok`, `missing`, `stale` or `error`."
    ),
)
def health(request: HttpRequest) -> Status[Health]:
    report = checks.check()
    body = Health(
        status=report.status,  # type: ignore[arg-type]
        version=report.version,
        database=report.database,
        components={
            name: Component(
                status=c.status,  # type: ignore[arg-type]
                detail=c.detail,
                counts=c.counts,
            )
            for name, c in report.components.items()
        },
    )
    return Status(report.http_status, body)
