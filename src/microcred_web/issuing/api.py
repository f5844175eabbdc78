"""Issuing endpoints of the API (``/api/v1/credentials/...``), in the W3C VC-API style.

Views only translate HTTP to the services in :mod:`~microcred_web.issuing.issue` and
:mod:`~microcred_web.issuing.status`. Statuses: 201 issued, 200 already issued (idempotent on
specification + learner) or status changed; 401 no or bad token; 403 not staff of the issuing
provider; 404 no such specification or credential; 409 a status change that contradicts the
current status; 422 input rejected; 429 rate limited; 503 ``kek-unavailable``: signing is
not possible on this instance now (no usable key-encryption key), nothing was written. Every
error is a :class:`~microcred_web.api_errors.Problem` whose ``code`` is the issuing service's
own (``specification-not-published``, ``signing-failed``, ``kek-unavailable``, …).
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import BaseModel, ConfigDict, Field

from microcred.standard.learner_checks import MAX_GRADE_LENGTH
from microcred_web.api_errors import ApiError, responses, upload_body
from microcred_web.api_parser import refuse_nul_in_json
from microcred_web.issuing import bulk, issue, status
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.register import permissions
from microcred_web.register.models import Specification
from microcred_web.register.tokens import TokenAuth

router = Router(tags=["issuing"])
auth = TokenAuth()


class _Input(BaseModel):
    """Unknown members are refused (as the register's inputs do): a typo is reported."""

    model_config = ConfigDict(extra="forbid")


class LearnerIn(_Input):
    identifier: str = Field(min_length=1, max_length=issue.MAX_IDENTIFIER_LENGTH)
    scheme: Literal["email", "did", "student-number", "national-id", "other"] | None = Field(
        default=None,
        description='What the identifier is; inferred when absent ("did:..." a DID, with "@" '
        "an e-mail address, else other). An e-mail address or DID must be one.",
    )
    name: str | None = Field(default=None, max_length=issue.MAX_NAME_LENGTH)
    given_name: str | None = Field(default=None, max_length=issue.MAX_NAME_LENGTH)
    family_name: str | None = Field(default=None, max_length=issue.MAX_NAME_LENGTH)
    date_of_birth: date | None = Field(default=None, description="Disclosed on the credential.")


class IssueOptions(_Input):
    cryptosuite: Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"] = "eddsa-rdfc-2022"


class IssueIn(_Input):
    specification: str = Field(min_length=1, max_length=16, description="Its public id (S-...)")
    learner: LearnerIn
    grade: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_GRADE_LENGTH,
        description="Grade achieved; checked against the specification's grade scheme.",
    )
    achieved_on: date | None = Field(
        default=None, description="Date of achievement, when not the date of issuing."
    )
    options: IssueOptions = Field(default_factory=IssueOptions)
    notify: bool = Field(
        default=True,
        description="Mail the learner a claim message when the identifier is an e-mail "
        "address (docs/wallet.md); false: do not (the credential still joins the wallet of "
        "a learner who verified the address).",
    )


class IssueOut(BaseModel):
    verifiableCredential: dict[str, Any]


class BulkCredential(BaseModel):
    line: int
    id: str
    created: bool


class BulkRefusal(BaseModel):
    line: int
    message: str


class BulkOut(BaseModel):
    total: int
    issued: int
    existing: int
    refused: list[BulkRefusal]
    credentials: list[BulkCredential]


#: Largest learners file one request takes; bigger runs belong to ``microcred issue``, which
#: shows progress and can be resumed (an upload of the same file resumes too: it is idempotent).
DEFAULT_BULK_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_BULK_MAX_ROWS = 10_000


class StatusChangeIn(_Input):
    action: Literal["revoke", "suspend", "reinstate"]
    reason: str = Field(default="", max_length=2000)


class StatusOut(BaseModel):
    id: str
    revoked: bool
    suspended: bool


#: From an issued credential to what its provider's staff can do with it (OpenAPI links).
_CREDENTIAL_LINKS = {
    name: {
        "operationId": name,
        "parameters": {"credential_id": "$response.body#/verifiableCredential/id"},
    }
    for name in ("get_credential", "change_status")
}


#: Where each learner field sits in the issue request (for ``errors[].loc``).
_LOCATIONS = {
    "grade": ["body", "payload", "grade"],
    "achieved_on": ["body", "payload", "achieved_on"],
}


def _refused(error: IssuingError) -> ApiError:
    """The service's refusal with its stable code; ``detail`` keeps the ``code: message`` form
    earlier clients read; a refusal of one field names it in ``errors`` too."""
    extra: dict[str, Any] = {}
    if error.field is not None:
        loc = _LOCATIONS.get(error.field, ["body", "payload", "learner", error.field])
        extra["errors"] = [{"loc": loc, "msg": error.message, "type": error.code}]
    return ApiError(error.status, f"{error.code}: {error.message}", error.code, **extra)


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
    response=responses({200: IssueOut, 201: IssueOut}, 400, 401, 403, 404, 413, 422, 503),
    summary="Issue a signed credential for a published specification",
    openapi_extra={
        "responses": {200: {"links": _CREDENTIAL_LINKS}, 201: {"links": _CREDENTIAL_LINKS}}
    },
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
    given = payload.learner
    learner = issue.Learner(
        given.identifier,
        given.name,
        scheme=given.scheme,
        given_name=given.given_name,
        family_name=given.family_name,
        date_of_birth=given.date_of_birth,
        grade=payload.grade,
        achieved_on=payload.achieved_on,
    )
    try:
        outcome = issue.issue_credential(
            request.auth, specification, learner, payload.options.cryptosuite, notify=payload.notify
        )
    except permissions.PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except IssuingError as exc:
        raise _refused(exc) from None
    return Status(
        201 if outcome.created else 200, IssueOut(verifiableCredential=outcome.credential)
    )


@router.post(
    "/credentials/issue-bulk",
    auth=auth,
    response=responses({200: BulkOut}, 400, 401, 403, 404, 413, 422, 503),
    summary="Issue credentials to every learner of an uploaded CSV",
    openapi_extra=upload_body("UTF-8 CSV with an identifier column; 400 when it cannot be read"),
)
def issue_bulk(
    request: HttpRequest,
    file: File[UploadedFile],
    specification: str = Form(..., min_length=1, max_length=16, description="Its public id"),
    cryptosuite: Form[Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"]] = "eddsa-rdfc-2022",
) -> BulkOut:
    """The same run as ``microcred issue``, answered with a report: one entry per learner
    (the credential id, new or already issued) and the refused lines with the reason.
    Idempotent on (specification, learner), so uploading the file again after a timeout
    finishes the run with no duplicates. Fetch each credential with ``GET
    /credentials/{id}``."""
    max_bytes = int(getattr(settings, "MICROCRED_BULK_MAX_BYTES", DEFAULT_BULK_MAX_BYTES))
    max_rows = int(getattr(settings, "MICROCRED_BULK_MAX_ROWS", DEFAULT_BULK_MAX_ROWS))
    spec = Specification.objects.select_related("provider").filter(public_id=specification).first()
    if spec is None:
        raise HttpError(404, f"no specification {specification}")
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise HttpError(413, f"the learners file is larger than {max_bytes:,} bytes")
    refuse_nul_in_json(data, "the learners file")
    try:
        text = data.decode("utf-8-sig")
        learners = list(bulk.read_learners(io.StringIO(text, newline="")))
    except UnicodeDecodeError as exc:
        raise ApiError(
            400, f"the learners file is not UTF-8 text (byte {exc.start})", "unreadable-file"
        ) from None
    except csv.Error as exc:
        raise ApiError(
            400, f"the learners file is not valid CSV: {exc}", "unreadable-file"
        ) from None
    except IssuingError as exc:
        raise _refused(exc) from None
    if len(learners) > max_rows:
        raise HttpError(
            413,
            f"the learners file has {len(learners):,} rows; at most {max_rows:,} per request "
            "(split it, or use `microcred issue`)",
        )
    try:
        report = bulk.issue_many(
            request.auth, spec, learners, None, cryptosuite=cryptosuite, total=len(learners)
        )
    except permissions.PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except IssuingError as exc:
        raise _refused(exc) from None
    return BulkOut(
        total=len(learners),
        issued=report.issued,
        existing=report.existing,
        refused=[BulkRefusal(line=line, message=message) for line, message in report.failed],
        credentials=[
            BulkCredential(line=line, id=credential_id, created=created)
            for line, credential_id, created in report.credentials
        ],
    )


@router.get(
    "/credentials/{credential_id}",
    auth=auth,
    response=responses({200: IssueOut}, 401, 403, 404),
    summary="The learner's signed copy (issuing provider's staff only)",
)
def get_credential(request: HttpRequest, credential_id: str) -> IssueOut:
    record = _record(request, credential_id)
    if not permissions.can_view_credentials(request.auth, record.provider):
        raise HttpError(403, f"not allowed to read credentials of {record.provider.slug}")
    return IssueOut(verifiableCredential=record.credential)


@router.post(
    "/credentials/{credential_id}/status",
    auth=auth,
    response=responses({200: StatusOut}, 400, 401, 403, 404, 409, 413, 422, 503),
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
