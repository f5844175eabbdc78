"""The specification editor's jobs in the API (``/api/v1/specifications/{public_id}/...``).

Duplicate a specification as a new draft, and read its version history with what changed
from one version to the next: the same services as the editor's pages
(:mod:`microcred_web.editor.services`), so the same people may do it (the provider's editors
and admins, and the operator, who governs the catalogue: ``can_edit_specifications``) and the
same rules hold. Withdrawing with a reason is ``POST .../status`` with ``reason``
(``register/api.py``). A specification that is not in the catalogue is a 404 to anyone who may
not edit it, as everywhere in the API; one that is gives them a 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import BaseModel, ConfigDict, Field

from microcred_web.api_errors import field_error, responses
from microcred_web.editor import diff, services
from microcred_web.register import exporting, permissions
from microcred_web.register.api import (
    WriteAnswer,
    created_links,
    editable_specification,
)
from microcred_web.register.tokens import TokenAuth

router = Router(tags=["editor"])
auth = TokenAuth()


class DuplicateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    local_id: str = Field(
        min_length=1,
        max_length=120,
        description="The copy's own local id (not used yet by the provider)",
    )


class ChangeOut(BaseModel):
    path: str = Field(description="The element, as the editor names it: title.en, workload.ects")
    label: str
    kind: Literal["added", "removed", "changed"]
    before: str
    after: str


class VersionOut(BaseModel):
    version: int
    status: str
    created: datetime
    author: str | None
    errors: int = Field(description="Findings of severity error in this version")
    warnings: int
    changes: list[ChangeOut] = Field(description="What changed from the version before")


class WithdrawalOut(BaseModel):
    version: int
    reason: str
    created: datetime


class HistoryOut(BaseModel):
    public_id: str
    provider: str
    status: str
    version: int
    versions: list[VersionOut] = Field(description="Newest first")
    withdrawals: list[WithdrawalOut] = Field(description="Each withdrawal's reason, newest first")


def _refused(exc: Exception) -> HttpError:
    if isinstance(exc, permissions.PermissionDenied):
        return HttpError(403, str(exc))
    assert isinstance(exc, services.EditorError)
    status = 409 if exc.code == "not-published" else 422
    return field_error(status, exc.message, exc.code, exc.field)


@router.post(
    "/specifications/{public_id}/duplicate",
    auth=auth,
    response=responses({201: WriteAnswer}, 401, 403, 404, 413, 422),
    summary="Copy a specification as a new draft, a starting point",
    openapi_extra={
        "responses": {201: created_links("specification")["responses"][201]},
    },
)
def duplicate_specification(
    request: HttpRequest, public_id: str, payload: DuplicateIn
) -> Status[WriteAnswer]:
    """201 with the new draft (the same elements under ``local_id``; its findings as
    warnings and errors: a draft may hold errors). 422 naming ``local_id`` when that id is
    used already by the provider."""
    spec = editable_specification(request, public_id)
    try:
        copy = services.duplicate(request.auth, spec, payload.local_id)
    except (permissions.PermissionDenied, services.EditorError) as exc:
        raise _refused(exc) from None
    record = exporting.specification_dict(copy, base=request.build_absolute_uri("/").rstrip("/"))
    return Status(201, WriteAnswer(outcome="created", findings=copy.findings, record=record))


def _counts(findings: Any) -> tuple[int, int]:
    rows = [f for f in findings if isinstance(f, dict)] if isinstance(findings, list) else []
    errors = sum(1 for f in rows if f.get("severity") == "error")
    return errors, sum(1 for f in rows if f.get("severity") == "warning")


@router.get(
    "/specifications/{public_id}/history",
    auth=auth,
    response=responses({200: HistoryOut}, 401, 403, 404),
    summary="A specification's versions, each with what changed, and its withdrawals",
)
def get_specification_history(request: HttpRequest, public_id: str) -> Any:
    """The editor's history page: every saved version (a status change is a version too),
    newest first, with the elements changed from the version before it."""
    spec = editable_specification(request, public_id)
    try:
        versions = services.versions(request.auth, spec)
    except permissions.PermissionDenied as exc:
        raise _refused(exc) from None
    out = []
    for n, version in enumerate(versions):
        older = versions[n + 1].data if n + 1 < len(versions) else {}
        errors, warnings = _counts(version.findings)
        changes = [
            {
                "path": c.path,
                "label": str(c.label),
                "kind": c.kind,
                "before": c.before,
                "after": c.after,
            }
            for c in diff.diff(older, version.data)
        ]
        out.append(
            {
                "version": version.version,
                "status": version.status,
                "created": version.created,
                "author": version.author.get_username() if version.author else None,
                "errors": errors,
                "warnings": warnings,
                "changes": changes,
            }
        )
    return {
        "public_id": spec.public_id,
        "provider": spec.provider.slug,
        "status": spec.status,
        "version": spec.version,
        "versions": out,
        "withdrawals": [
            {"version": w.version, "reason": w.reason, "created": w.created}
            for w in spec.withdrawals.all()
        ],
    }
