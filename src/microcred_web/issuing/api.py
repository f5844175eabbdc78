"""Issuing endpoints of the API (``/api/v1/credentials/...``), in the W3C VC-API style.

Views only translate HTTP to the services in :mod:`~microcred_web.issuing.issue` and
:mod:`~microcred_web.issuing.status`. Statuses: 201 issued, 200 already issued (idempotent on
specification + learner) or status changed; 401 no or bad token; 403 not staff of the issuing
provider; 404 no such specification or credential; 409 a status change that contradicts the
current status; 422 input rejected (with a ``code``).
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import BaseModel, Field

from microcred_web.issuing import issue, status
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.register import permissions
from microcred_web.register.models import Specification
from microcred_web.register.tokens import TokenAuth

router = Router(tags=["issuing"])
auth = TokenAuth()


class LearnerIn(BaseModel):
    identifier: str = Field(min_length=1, max_length=issue.MAX_IDENTIFIER_LENGTH)
    name: str | None = Field(default=None, max_length=issue.MAX_NAME_LENGTH)


class IssueOptions(BaseModel):
    cryptosuite: Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"] = "eddsa-rdfc-2022"


class IssueIn(BaseModel):
    specification: str = Field(min_length=1, max_length=16, description="Its public id (S-...)")
    learner: LearnerIn
    options: IssueOptions = Field(default_factory=IssueOptions)


class IssueOut(BaseModel):
    verifiableCredential: dict[str, Any]


class StatusChangeIn(BaseModel):
    action: Literal["revoke", "suspend", "reinstate"]
    reason: str = Field(default="", max_length=2000)


class StatusOut(BaseModel):
    id: str
    revoked: bool
    suspended: bool


class Problem(BaseModel):
    detail: Any
    code: str | None = None


def _refused(error: IssuingError) -> HttpError:
    return HttpError(error.status, f"{error.code}: {error.message}")


def _record(request: HttpRequest, credential_id: str) -> IssuedCredentialRecord:
    try:
        public_id = uuid.UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        raise HttpError(404, f"no credential {credential_id}") from None
    record = (
        IssuedCredentialRecord.objects.select_related("provider")
        .filter(public_id=public_id)
        .first()
    )
    if record is None:
        raise HttpError(404, f"no credential {credential_id}")
    return record


@router.post(
    "/credentials/issue",
    auth=auth,
    response={200: IssueOut, 201: IssueOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Issue a signed credential for a published specification",
)
def issue_credential(request: HttpRequest, payload: IssueIn) -> Status[IssueOut]:
    """201 with the new credential, 200 with the existing one when already issued."""
    specification = (
        Specification.objects.select_related("provider")
        .filter(public_id=payload.specification)
        .first()
    )
    if specification is None:
        raise HttpError(404, f"no specification {payload.specification}")
    learner = issue.Learner(payload.learner.identifier, payload.learner.name)
    try:
        outcome = issue.issue_credential(
            request.auth, specification, learner, payload.options.cryptosuite
        )
    except permissions.PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except IssuingError as exc:
        raise _refused(exc) from None
    return Status(
        201 if outcome.created else 200, IssueOut(verifiableCredential=outcome.credential)
    )


@router.get(
    "/credentials/{credential_id}",
    auth=auth,
    response={200: IssueOut, 401: Problem, 403: Problem, 404: Problem},
    summary="The learner's signed copy (issuing provider's staff only)",
)
def get_credential(request: HttpRequest, credential_id: str) -> IssueOut:
    record = _record(request, credential_id)
    if not permissions.can_edit_provider(request.auth, record.provider):
        raise HttpError(403, f"not allowed to read credentials of {record.provider.slug}")
    return IssueOut(verifiableCredential=record.credential)


@router.post(
    "/credentials/{credential_id}/status",
    auth=auth,
    response={200: StatusOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Revoke, suspend or reinstate an issued credential",
)
def change_status(request: HttpRequest, credential_id: str, payload: StatusChangeIn) -> StatusOut:
    record = _record(request, credential_id)
    try:
        record = status.set_status(request.auth, record, payload.action, payload.reason)
    except permissions.PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except IssuingError as exc:
        raise _refused(exc) from None
    return StatusOut(
        id=f"urn:uuid:{record.public_id}", revoked=record.revoked, suspended=record.suspended
    )
