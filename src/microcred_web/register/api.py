"""Register and catalogue endpoints of the API (``/api/v1/``).

Views only translate HTTP to service calls and back: reading rules live in
:mod:`~microcred_web.register.exporting` (the public shapes), writing rules in
:mod:`~microcred_web.register.records`, :mod:`~microcred_web.register.services` and
:mod:`~microcred_web.register.importing`. Status codes follow one rule everywhere:

* 200 read, updated or unchanged; 201 created;
* 400 the body is not JSON, or a search parameter is wrong (with the message);
* 401 no token or a bad one; 403 the token's user lacks the role (the message says what);
* 404 no such record (or one the caller may not see); 413 too large;
* 422 the input was read but rejected, with findings (``code``, ``severity``, ``path``,
  ``message``) naming each element at fault;
* 429 rate limited.

Every error has the one shape of :class:`~microcred_web.api_errors.Problem`.

Specification bodies are read by hand (not by a request model) because they are Annex I
records or ELM documents, whose own validation gives better, element-named findings than a
generic schema error; the OpenAPI document still describes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import BaseModel, ConfigDict, Field

from microcred.catalogue import FACETS, MAX_PER_PAGE, SORTS
from microcred.catalogue.query import MAX_OFFSET, MAX_TEXT_LENGTH, MAX_VALUES_PER_FACET
from microcred.standard.elm import ElmError, is_elm, read_elm
from microcred.standard.readers import ReadError, load_json
from microcred.standard.validation import parse_spec, validate_credential
from microcred_web.api_errors import ApiError, Finding, field_error, responses, upload_body
from microcred_web.api_errors import rejected as rejected_error
from microcred_web.api_paging import page_of
from microcred_web.api_parser import NO_NUL, refuse_nul_in_json
from microcred_web.register import exporting, importing, permissions, records, services
from microcred_web.register.models import Agency, Provider, QAResult, Specification
from microcred_web.register.tokens import TokenAuth, user_from_request
from microcred_web.security.limits import rate_limit

router = Router(tags=["register"])
auth = TokenAuth()

#: Largest file accepted by ``POST /import`` unless settings say otherwise.
DEFAULT_IMPORT_MAX_BYTES = 20 * 1024 * 1024

_JSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "An Annex I specification (docs/json-format.md) "
                    "or an ELM v3 / EDC JSON-LD credential.",
                }
            }
        },
    }
}
#: A body that is stored: any JSON object, but no text in it holds a NUL (U+0000).
_STORED_JSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "An Annex I specification (docs/json-format.md) with its "
                    "local id; no text may hold the NUL character.",
                    "propertyNames": {"pattern": NO_NUL},
                    "additionalProperties": {"$ref": "#/components/schemas/JsonWithoutNul"},
                }
            }
        },
    }
}

#: OpenAPI links: how a client (and the stateful contract tests) gets from a record it wrote
#: or listed to the operations on that record. Targets are operation ids (the view names).
_RECORD_OPERATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "provider": ("key", "slug", ("get_provider", "put_provider", "post_specification")),
    "agency": ("key", "slug", ("get_agency", "put_agency")),
    "qa-result": (
        "public_id",
        "public_id",
        ("get_qa_result", "put_qa_result", "withdraw_qa_result"),
    ),
    "specification": (
        "public_id",
        "public_id",
        (
            "get_specification",
            "post_status",
            "duplicate_specification",
            "get_specification_history",
        ),
    ),
}


def _links(kind: str, pointer: str) -> dict[str, Any]:
    parameter, member, operations = _RECORD_OPERATIONS[kind]
    return {
        name: {"operationId": name, "parameters": {parameter: f"$response.body#{pointer}/{member}"}}
        for name in operations
    }


def created_links(kind: str) -> dict[str, Any]:
    """Links from a write's answer (200 or 201: ``record``) to the record's operations."""
    links = _links(kind, "/record")
    if kind == "specification":
        links |= _issue_link("/record/public_id")
    return {"responses": {200: {"links": links}, 201: {"links": links}}}


LIST_LINKS = {kind: _links(kind, "/items/0") for kind in ("provider", "agency", "qa-result")}


def _issue_link(pointer: str) -> dict[str, Any]:
    """From a specification to issuing a credential of it (to an example learner)."""
    return {
        "issue_credential": {
            "operationId": "issue_credential",
            "requestBody": {
                "specification": f"$response.body#{pointer}",
                "learner": {"identifier": "learner@example.org", "name": "Example Learner"},
            },
        }
    }


#: The catalogue's first hit: read it, or issue a credential of it.
SEARCH_LINKS = {
    "get_specification": {
        "operationId": "get_specification",
        "parameters": {"public_id": "$response.body#/hits/0/id"},
    },
    **_issue_link("/hits/0/id"),
}

# --- shapes ---------------------------------------------------------------------------------


class Paging(BaseModel):
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=100)


class ListPage(BaseModel):
    count: int
    page: int
    per_page: int
    items: list[dict[str, Any]]


class Findings(BaseModel):
    ok: bool
    findings: list[Finding]


class WriteAnswer(BaseModel):
    """A write that was accepted; a rejection is a 422 Problem with its ``findings``."""

    outcome: Literal["created", "updated", "unchanged"]
    findings: list[Finding] = Field(description="Warnings: the record was stored with them.")
    record: dict[str, Any]


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["draft", "published", "withdrawn"]
    reason: str | None = Field(
        None,
        min_length=1,
        max_length=2000,
        description="With withdrawn only: why, shown on the specification's public page (as "
        "the editor's withdraw asks; only a published specification can be withdrawn so). "
        "Without it a withdrawal still works, with no public reason, as before.",
    )


class WithdrawResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        min_length=1,
        max_length=1000,
        description="Why it is withdrawn (recorded in error, annulled): shown with the result",
    )


class FacetCount(BaseModel):
    value: str
    count: int


class SearchOut(BaseModel):
    total: int
    page: int
    per_page: int
    pages: int
    hits: list[dict[str, Any]]
    facets: dict[str, list[FacetCount]]


#: Every body-taking write can meet malformed JSON (400), a missing or bad token (401), a role
#: that does not allow it (403), a body over the size limit (413) and a rejection (422).
_WRITE_ERRORS = (400, 401, 403, 413, 422)
_WRITE_OK = {200: WriteAnswer, 201: WriteAnswer}


def _query(name: str, schema: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, **more}


#: The search parameters as ``parse_query`` reads them (by hand: repeated facets, decimal
#: commas), with the limits it enforces. One rule the document cannot state: ``ects_min``
#: above ``ects_max`` is a 400.
_SEARCH_PARAMETERS = {
    "parameters": [
        _query("q", {"type": "string", "maxLength": MAX_TEXT_LENGTH}),
        *(
            _query(
                facet,
                {
                    "type": "array",
                    "maxItems": MAX_VALUES_PER_FACET,
                    "items": {"type": "string", "maxLength": 200},
                },
                description="A facet value; repeat the parameter for several.",
                style="form",
                explode=True,
            )
            for facet in FACETS
        ),
        _query("ects_min", {"type": "number", "minimum": 0}),
        _query("ects_max", {"type": "number", "minimum": 0}),
        _query("sort", {"type": "string", "enum": [*SORTS, ""], "default": "relevance"}),
        _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_OFFSET // MAX_PER_PAGE}),
        _query(
            "per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20}
        ),
    ]
}


def _json_body(request: HttpRequest) -> Any:
    try:
        return load_json(request.body, "the request body")
    except ReadError as exc:
        raise ApiError(400, str(exc), "not-json") from None


def _answer(outcome: records.RecordOutcome, shape: Any, what: str) -> Status[WriteAnswer]:
    if not outcome.ok or outcome.record is None:
        raise rejected_error(outcome.findings, what)
    body = WriteAnswer(
        outcome=outcome.outcome,  # type: ignore[arg-type]  # not "rejected": checked above
        findings=outcome.findings,
        record=shape(outcome.record),
    )
    return Status(201 if outcome.outcome == "created" else 200, body)


def _forbidden(exc: permissions.PermissionDenied) -> HttpError:
    return HttpError(403, str(exc))


def _get_provider(key: str) -> Provider:
    provider = records.find_provider(key)
    if provider is None:
        raise HttpError(404, f"no provider {key}")
    return provider


def _get_agency(key: str) -> Agency:
    agency = records.find_agency(key)
    if agency is None:
        raise HttpError(404, f"no agency {key}")
    return agency


def _get_result(public_id: str) -> QAResult:
    result = QAResult.objects.select_related("agency").filter(public_id=public_id).first()
    if result is None:
        raise HttpError(404, f"no QA result {public_id}")
    return result


# --- validation and search ------------------------------------------------------------------


@router.post(
    "/specifications/validate",
    response=responses({200: Findings}, 400, 413, 422),
    summary="Check a specification against Annex I",
    openapi_extra=_JSON_BODY,
)
@rate_limit("validate")
def validate_specification(request: HttpRequest) -> Findings:
    """Validate without storing anything; open to everyone, no token needed (rate limited:
    the editor calls it as the provider types)."""
    body = _json_body(request)
    if not isinstance(body, Mapping):
        raise ApiError(
            422, "expected a JSON object: a specification or an ELM credential", "not-an-object"
        )
    if is_elm(body):
        try:
            credentials = read_elm(body)
        except ElmError as exc:
            raise ApiError(422, str(exc), "bad-elm") from None
        found = [f.as_dict() for c in credentials for f in validate_credential(c)]
    else:
        _, report = parse_spec(dict(body))
        found = [f.as_dict() for f in report]
    return Findings(ok=not any(f["severity"] == "error" for f in found), findings=found)


@router.get(
    "/catalogue/search",
    response=responses({200: SearchOut}, 400),
    summary="Search the catalogue with facets",
    tags=["catalogue"],
    openapi_extra={**_SEARCH_PARAMETERS, "responses": {200: {"links": SEARCH_LINKS}}},
)
def catalogue_search(request: HttpRequest) -> dict[str, Any]:
    """The catalogue page's search: ``q``, one parameter per facet (repeat for several
    values), ``ects_min``, ``ects_max``, ``sort``, ``page``, ``per_page``."""
    from dataclasses import asdict

    from microcred.catalogue import SearchQueryError
    from microcred_web.catalogue import services as catalogue

    try:
        query = catalogue.parse_query(request.GET)
    except SearchQueryError as exc:
        raise ApiError(400, str(exc), "bad-search") from None
    result = catalogue.search(query)
    return {
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "hits": [asdict(hit) for hit in result.hits],
        "facets": {
            name: [{"value": c.value, "count": c.count} for c in counts]
            for name, counts in result.facets.items()
        },
    }


# --- reads ----------------------------------------------------------------------------------


@router.get(
    "/providers",
    response=responses({200: ListPage}, 422),
    summary="List providers",
    openapi_extra={"responses": {200: {"links": LIST_LINKS["provider"]}}},
)
def list_providers(
    request: HttpRequest, paging: Query[Paging], country: str = "", kind: str = ""
) -> dict[str, Any]:
    queryset = Provider.objects.order_by("slug")
    if country:
        queryset = queryset.filter(country=country.upper())
    if kind:
        queryset = queryset.filter(kind=kind)
    return page_of(queryset, paging, exporting.provider_dict)


@router.get(
    "/providers/{key}",
    response=responses({200: dict[str, Any]}, 404),
    summary="One provider, with its QA standing today",
)
def get_provider(request: HttpRequest, key: str) -> dict[str, Any]:
    """``key`` is the public id (``P-...``) or the slug."""
    return exporting.provider_dict(_get_provider(key))


@router.get(
    "/agencies",
    response=responses({200: ListPage}, 422),
    summary="List QA agencies",
    openapi_extra={"responses": {200: {"links": LIST_LINKS["agency"]}}},
)
def list_agencies(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    return page_of(Agency.objects.order_by("slug"), paging, exporting.agency_dict)


@router.get("/agencies/{key}", response=responses({200: dict[str, Any]}, 404), summary="One agency")
def get_agency(request: HttpRequest, key: str) -> dict[str, Any]:
    return exporting.agency_dict(_get_agency(key))


@router.get(
    "/qa-results",
    response=responses({200: ListPage}, 404, 422),
    summary="List external QA results",
    openapi_extra={"responses": {200: {"links": LIST_LINKS["qa-result"]}}},
)
def list_qa_results(
    request: HttpRequest, paging: Query[Paging], provider: str = "", agency: str = ""
) -> dict[str, Any]:
    queryset = (
        QAResult.objects.select_related("agency")
        .prefetch_related("providers", "covered_specifications")
        .order_by("-valid_from", "public_id")
    )
    if provider:
        queryset = queryset.filter(providers=_get_provider(provider))
    if agency:
        queryset = queryset.filter(agency=_get_agency(agency))
    return page_of(queryset, paging, exporting.qa_result_dict)


@router.get(
    "/qa-results/{public_id}",
    response=responses({200: dict[str, Any]}, 404),
    summary="One QA result",
)
def get_qa_result(request: HttpRequest, public_id: str) -> dict[str, Any]:
    return exporting.qa_result_dict(_get_result(public_id))


@router.get(
    "/specifications/{public_id}",
    response=responses({200: dict[str, Any]}, 401, 404),
    summary="One specification",
    openapi_extra={"responses": {200: {"links": _issue_link("/public_id")}}},
)
def get_specification(request: HttpRequest, public_id: str) -> dict[str, Any]:
    """Published, error-free specifications for everyone; drafts, withdrawn ones and those
    with errors only with a token of someone who may edit them (404 otherwise, so their
    existence is not revealed)."""
    spec = Specification.objects.select_related("provider").filter(public_id=public_id).first()
    if spec is not None and not spec.in_catalogue:
        user = user_from_request(request)
        if not permissions.can_edit_specifications(user, spec.provider):
            spec = None
    if spec is None:
        raise HttpError(404, f"no specification {public_id}")
    return exporting.specification_dict(spec, base=_base(request))


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- writes ---------------------------------------------------------------------------------


@router.post(
    "/providers",
    auth=auth,
    response=responses(_WRITE_OK, *_WRITE_ERRORS),
    summary="Create or update a provider",
    openapi_extra=created_links("provider"),
)
def post_provider(request: HttpRequest, payload: records.ProviderIn) -> Status[WriteAnswer]:
    """Found by ``slug``: a new slug creates (operator only), a known one updates."""
    return _write(records.save_provider, request, payload, exporting.provider_dict, "the provider")


@router.put(
    "/providers/{key}",
    auth=auth,
    response=responses(_WRITE_OK, *_WRITE_ERRORS, 404),
    summary="Update a provider",
)
def put_provider(
    request: HttpRequest, key: str, payload: records.ProviderIn
) -> Status[WriteAnswer]:
    provider = _get_provider(key)
    return _write(
        records.save_provider,
        request,
        payload,
        exporting.provider_dict,
        "the provider",
        instance=provider,
    )


@router.post(
    "/agencies",
    auth=auth,
    response=responses(_WRITE_OK, *_WRITE_ERRORS),
    summary="Create or update an agency",
    openapi_extra=created_links("agency"),
)
def post_agency(request: HttpRequest, payload: records.AgencyIn) -> Status[WriteAnswer]:
    return _write(records.save_agency, request, payload, exporting.agency_dict, "the agency")


@router.put(
    "/agencies/{key}",
    auth=auth,
    response=responses(_WRITE_OK, *_WRITE_ERRORS, 404),
    summary="Update an agency",
)
def put_agency(request: HttpRequest, key: str, payload: records.AgencyIn) -> Status[WriteAnswer]:
    agency = _get_agency(key)
    return _write(
        records.save_agency, request, payload, exporting.agency_dict, "the agency", instance=agency
    )


@router.post(
    "/qa-results",
    auth=auth,
    response=responses(_WRITE_OK, *_WRITE_ERRORS),
    summary="Record or update a QA result",
    openapi_extra=created_links("qa-result"),
)
def post_qa_result(request: HttpRequest, payload: records.QAResultIn) -> Status[WriteAnswer]:
    """Found by (``agency``, ``local_id``): a new pair creates, a known one updates."""
    return _write(
        records.save_qa_result, request, payload, exporting.qa_result_dict, "the QA result"
    )


@router.put(
    "/qa-results/{public_id}",
    auth=auth,
    response=responses(_WRITE_OK, *_WRITE_ERRORS, 404),
    summary="Update a QA result",
)
def put_qa_result(
    request: HttpRequest, public_id: str, payload: records.QAResultIn
) -> Status[WriteAnswer]:
    result = _get_result(public_id)
    return _write(
        records.save_qa_result,
        request,
        payload,
        exporting.qa_result_dict,
        "the QA result",
        instance=result,
    )


@router.post(
    "/providers/{key}/specifications",
    auth=auth,
    response=responses(_WRITE_OK, *_WRITE_ERRORS, 404),
    summary="Create or update a specification by its local id",
    openapi_extra={**_STORED_JSON_BODY, **created_links("specification")},
)
def post_specification(
    request: HttpRequest, key: str, status: Literal["draft", "published"] | None = None
) -> Status[WriteAnswer]:
    """Body: an Annex I specification with its local ``id``. ``?status=published`` publishes
    it (refused with 422 when it has errors); without it a new record is a draft and an
    existing one keeps its status."""
    provider = _get_provider(key)
    if not permissions.can_edit_specifications(request.auth, provider):
        raise HttpError(403, f"not allowed to edit specifications of {provider.slug}")
    refuse_nul_in_json(request.body)
    body = _json_body(request)
    if not isinstance(body, Mapping):
        raise ApiError(422, "expected a JSON object: an Annex I specification", "not-an-object")
    try:
        saved = services.save_specification(request.auth, provider, dict(body), status=status)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    spec = saved.specification
    if spec is None or saved.outcome == "rejected":
        raise rejected_error(saved.findings, "the specification")
    record = exporting.specification_dict(spec, base=_base(request))
    code = 201 if saved.outcome == "created" else 200
    return Status(code, WriteAnswer(outcome=saved.outcome, findings=saved.findings, record=record))


@router.post(
    "/specifications/{public_id}/status",
    auth=auth,
    response=responses({200: dict[str, Any]}, *_WRITE_ERRORS, 404, 409),
    summary="Move a specification along draft -> published -> withdrawn",
)
def post_status(request: HttpRequest, public_id: str, payload: StatusIn) -> dict[str, Any]:
    """``withdrawn`` with a ``reason`` is the editor's withdrawal (the reason is kept, audited
    as ``specification-withdrawn`` and shown on the public page; 409 unless published);
    without one it is the plain status change earlier clients make. A ``reason`` with any
    other status is a 422 naming it."""
    from microcred_web.editor import services as editor

    spec = editable_specification(request, public_id)
    if payload.reason is not None and payload.status != Specification.Status.WITHDRAWN:
        raise field_error(
            422, "a reason goes with withdrawn only", "reason-not-applicable", "reason"
        )
    try:
        if payload.reason is not None:
            spec = editor.withdraw(request.auth, spec, payload.reason)
        else:
            spec = services.set_status(request.auth, spec, payload.status)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    except editor.EditorError as exc:
        status = 409 if exc.code == "not-published" else 422
        raise field_error(status, exc.message, exc.code, exc.field) from None
    except ValueError as exc:
        raise ApiError(422, str(exc), "status-refused") from None
    return exporting.specification_dict(spec, base=_base(request))


def editable_specification(request: HttpRequest, public_id: str) -> Specification:
    """The specification for a write or a private read: 404 unless it is in the catalogue or
    the caller may edit it (so a draft's existence is not revealed); the service then
    answers 403 to anyone else."""
    spec = Specification.objects.select_related("provider").filter(public_id=public_id).first()
    if spec is None or not (
        spec.in_catalogue or permissions.can_edit_specifications(request.auth, spec.provider)
    ):
        raise HttpError(404, f"no specification {public_id}")
    return spec


@router.post(
    "/qa-results/{public_id}/withdraw",
    auth=auth,
    response=responses({200: dict[str, Any]}, 400, 401, 403, 404, 409, 413, 422),
    summary="Withdraw a QA result, with a reason",
)
def withdraw_qa_result(
    request: HttpRequest, public_id: str, payload: WithdrawResultIn
) -> dict[str, Any]:
    """For a result recorded in error or annulled by its agency: the row stays, shown as
    withdrawn with the reason, and counts on no date (a new decision is a new result). The
    agency's own staff, and the operator, as on the pages. 409 when it is withdrawn already;
    422 naming ``reason`` when it is blank."""
    from microcred_web.register.qa_withdrawal import withdraw_qa_result as withdraw

    result = _get_result(public_id)
    try:
        outcome = withdraw(request.auth, result, payload.reason)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    if not outcome.ok or outcome.record is None:
        if any(f.get("path") == "result" for f in outcome.findings):
            raise ApiError(409, "the QA result is already withdrawn", "already-withdrawn")
        raise rejected_error(outcome.findings, "the withdrawal")
    return exporting.qa_result_dict(outcome.record)


# --- bulk import ----------------------------------------------------------------------------


class JobStarted(BaseModel):
    """The answer to a background import: where to follow it."""

    id: str = Field(description="The job's id (a UUID)")
    state: str = Field(description="queued: a worker runs it")
    total: int = Field(description="Rows in the file")
    job: str = Field(description="GET this for progress and, when done, the counts")
    report: str = Field(description="GET this for the per-row report (complete once done)")
    page: str = Field(description="The job's page, with its progress bar, for a browser")


_TO_JOB = {
    "get_job": {"operationId": "get_job", "parameters": {"job_id": "$response.body#/id"}},
    "get_job_report": {
        "operationId": "get_job_report",
        "parameters": {"job_id": "$response.body#/id"},
    },
}


@router.post(
    "/import",
    auth=auth,
    response=responses({200: dict[str, Any], 202: JobStarted}, 400, 401, 403, 404, 413, 422),
    summary="Bulk import a file (CSV, JSON, ELM JSON-LD), now or in the background",
    openapi_extra=upload_body("CSV, JSON or ELM JSON-LD; 400 when it cannot be read")
    | {"responses": {202: {"links": _TO_JOB}}},
)
def post_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[Literal["specifications", "providers", "agencies", "qa-results"]],
    provider: Form[str] = "",
    status: Form[Literal["draft", "published", ""]] = "",
    background: bool = Query(
        False,
        description="true: check the file, queue it for the worker and answer 202 with the "
        "job (for files of thousands of rows); false: import now and answer 200 with the report",
    ),
) -> Any:
    """The same import as ``microcred import``: one report per row, each row committed on
    its own, idempotent (uploading the same file again reports every row ``unchanged``).

    With ``background=true`` the file is checked as a whole (400 / 413 as here), stored, and
    imported by the worker; ``GET /jobs/{id}`` follows it and ``GET /jobs/{id}/report`` gives
    the same per-row report when it is done. A worker stopped half way resumes the job with
    no row imported twice."""
    limit = int(getattr(settings, "MICROCRED_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES))
    if file.size is not None and file.size > limit:
        raise HttpError(413, f"the file is {file.size:,} bytes; the limit is {limit:,}")
    owner = None
    if kind == "specifications":
        if not provider:
            raise ApiError(400, "importing specifications needs the provider field", "no-provider")
        owner = _get_provider(provider)
        if not permissions.can_edit_specifications(request.auth, owner):
            raise HttpError(403, f"not allowed to edit specifications of {owner.slug}")
    data = file.read(limit + 1)
    if len(data) > limit:
        raise HttpError(413, f"the file is larger than the limit of {limit:,} bytes")
    refuse_nul_in_json(data, "the file")
    if background:
        return _import_in_background(request, data, kind, file.name or "upload", owner, status)
    try:
        report = importing.import_bytes(
            data,
            kind=kind,
            user=request.auth,
            name=file.name or "upload",
            provider=owner,
            status=status or None,
        )
    except importing.ImportFileError as exc:
        raise ApiError(400, str(exc), "unreadable-file") from None
    return report.as_dict()


def _import_in_background(
    request: HttpRequest,
    data: bytes,
    kind: str,
    name: str,
    owner: Provider | None,
    status: str,
) -> Status[JobStarted]:
    from django.urls import reverse

    from microcred_web.tasks import services as jobs

    try:
        job = jobs.start_import(
            request.auth, data, kind=kind, filename=name, provider=owner, status=status or None
        )
    except jobs.StartRefused as refused:
        code = "too-large" if refused.status == 413 else "unreadable-file"
        where = {"loc": ["body", refused.field], "msg": refused.message, "type": code}
        raise ApiError(refused.status, refused.message, code, errors=[where]) from None
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    api = f"/api/v1/jobs/{job.public_id}"
    return Status(
        202,
        JobStarted(
            id=str(job.public_id),
            state=job.state,
            total=job.total,
            job=api,
            report=f"{api}/report",
            page=reverse("tasks:job", args=[job.public_id]),
        ),
    )


# --- open data ------------------------------------------------------------------------------


@router.get(
    "/open-data/{dataset}",
    response=responses({200: Any}, 404),
    summary="Download open data: register.json, catalogue.json, achievements.jsonld",
    tags=["open data"],
)
def open_data(request: HttpRequest, dataset: str) -> Any:
    """The same documents as ``microcred export`` (JSON forms), with no personal data."""
    base = _base(request)
    if dataset == "register.json":
        return exporting.register_document()
    if dataset == "catalogue.json":
        return exporting.catalogue_document(base)
    if dataset == "achievements.jsonld":
        return list(exporting.achievements(base))
    raise HttpError(404, "known datasets: register.json, catalogue.json, achievements.jsonld")


def _write(
    save: Any, request: HttpRequest, payload: Any, shape: Any, what: str, instance: Any = None
) -> Status[WriteAnswer]:
    """One write through a register service: only the fields sent, roles checked there."""
    extra = {"instance": instance} if instance is not None else {}
    try:
        outcome = save(request.auth, payload.model_dump(exclude_unset=True), **extra)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    return _answer(outcome, shape, what)
