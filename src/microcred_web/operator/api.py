"""The register operator's endpoints of the API (``/api/v1/``), and the public registration.

Every job of the operator's pages (``docs/workspace-operator.md``) is here too, through the
same services, so the two doors keep one set of rules: :mod:`~.registration` (requests to
join the register), :mod:`~.accounts` (staff accounts: roles, deactivation), :mod:`~.merging`
(merging a duplicate provider), :mod:`~.emergency` (the reasoned emergency status change)
and :mod:`~.auditlog` (the audit-log viewer). Each service checks that the caller is the
operator; this module only translates HTTP.

Statuses follow the register's rule (``register/api.py``): 200 done, 201 created; 401 no or a
bad token; 403 not the operator (answered before anything about the record is looked up, so
nobody else learns which requests or accounts exist); 404 no such record; 409 the record's
state is in the way (a request decided already, an account already deactivated, a duplicate
that signed credentials); 422 input refused, naming the field (``errors[].loc``) or the
element (``findings[].path``); 429 rate limited; 503 signing impossible now (no usable
key-encryption key; the emergency action re-signs the status list).

The one public operation is ``POST /registration-requests``: it reads the body with the
public form's own fields and checks (:func:`~.registration.read`), is rate limited with the
form's scope (``register-organisation``: both doors share one budget per client network),
and reveals what the form reveals and nothing more (a short name already taken).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError
from pydantic import BaseModel, ConfigDict, Field

from microcred.standard.vocab import vocabulary
from microcred_web.api_errors import ApiError, field_error, responses
from microcred_web.api_errors import rejected as rejected_error
from microcred_web.api_paging import page_of
from microcred_web.issuing.audit import ACTIONS, INTERFACES
from microcred_web.issuing.errors import IssuingError
from microcred_web.operator import accounts, auditlog, emergency, merging, registration
from microcred_web.operator.forms import AuditFilterForm
from microcred_web.operator.models import RegistrationRequest
from microcred_web.register import exporting, permissions, records
from microcred_web.register.models import Provider, ProviderKind
from microcred_web.register.tokens import TokenAuth
from microcred_web.security.limits import rate_limit

router = Router(tags=["operator"])
auth = TokenAuth()

_SLUG = r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$"
_LANGUAGE = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
_COUNTRIES = tuple(sorted(term.code for term in vocabulary("countries")))
_REQUEST_STATES = tuple(RegistrationRequest.Status.values)


class _Input(BaseModel):
    """Unknown members are refused, as the register's inputs do: a typo is reported."""

    model_config = ConfigDict(extra="forbid")


# --- shapes ---------------------------------------------------------------------------------


class RegistrationIn(_Input):
    """The public form's fields (``/register-organisation/``), with its limits."""

    legal_name: str = Field(min_length=1, max_length=300)
    name_language: str = Field("en", max_length=12, pattern=_LANGUAGE)
    slug: str = Field(
        min_length=1,
        max_length=80,
        pattern=_SLUG,
        description="The short name wanted for the address (read in lower case).",
    )
    kind: Literal[tuple(ProviderKind.values)] = Field(  # type: ignore[valid-type]
        description="Universities and every other kind of provider join the same way."
    )
    country: Literal[_COUNTRIES] = Field(description="ISO 3166-1 alpha-2")  # type: ignore[valid-type]
    city: str = Field("", max_length=120)
    website: str = Field(
        "", max_length=200, description="A web address; https:// assumed when left out"
    )
    national_id: str = Field("", max_length=64)
    erasmus_code: str = Field("", max_length=32)
    contact_name: str = Field(min_length=1, max_length=150)
    contact_email: str = Field(
        min_length=3,
        max_length=254,
        description="Where the decision is sent (and, once approved, the set-password link)",
        json_schema_extra={"format": "email"},
    )
    message: str = Field("", max_length=2000)


class RegistrationSent(BaseModel):
    id: str = Field(description="The request's id (R-…), to quote when writing to the operator")
    status: Literal["pending"]


class RegistrationOut(BaseModel):
    """A request as the operator sees it (the contact is personal data: operator only)."""

    id: str
    status: Literal[tuple(_REQUEST_STATES)]  # type: ignore[valid-type]
    legal_name: str
    name_language: str
    slug: str
    kind: str
    country: str
    city: str
    website: str
    national_id: str
    erasmus_code: str
    contact_name: str
    contact_email: str
    message: str
    reason: str = Field(description="Why it was rejected")
    created: datetime
    decided_at: datetime | None
    decided_by: str | None
    provider: str | None = Field(description="The provider's slug, once approved")


class RegistrationPage(BaseModel):
    count: int
    page: int
    per_page: int
    items: list[RegistrationOut]


class RequestsQuery(BaseModel):
    status: Literal[("", *_REQUEST_STATES)] = Field(  # type: ignore[valid-type]
        "pending", description="Which requests; empty for all"
    )
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(25, ge=1, le=100)


class ApproveIn(_Input):
    slug: str | None = Field(
        None,
        min_length=1,
        max_length=80,
        pattern=_SLUG,
        description="Another short name than the one asked for (e.g. when it is taken)",
    )


class Decided(BaseModel):
    request: RegistrationOut
    account: str | None = Field(description="The provider's first staff account (approval)")
    mail_sent: bool
    mail_error: str = Field(description='"" when the contact was mailed; else what failed')
    provider: dict[str, Any] | None = Field(description="The new provider record (approval)")


class ReasonIn(_Input):
    reason: str = Field(min_length=1, max_length=2000)


class MembershipOut(BaseModel):
    id: int
    role: Literal["operator", "provider", "agency"]
    provider: str | None = Field(description="The provider's slug (role provider)")
    agency: str | None = Field(description="The agency's slug (role agency)")
    level: str | None = Field(description="editor, issuer or admin (role provider)")


class AccountOut(BaseModel):
    username: str
    email: str
    active: bool
    memberships: list[MembershipOut]


class AccountPage(BaseModel):
    count: int
    page: int
    per_page: int
    items: list[AccountOut]


class AccountsQuery(BaseModel):
    q: str = Field("", max_length=200, description="Part of the name or e-mail address")
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(50, ge=1, le=100)


class GrantIn(_Input):
    role: Literal["operator", "provider", "agency"]
    organisation: str = Field(
        "", max_length=80, description="The provider's or agency's slug; empty for operator"
    )


class Deactivated(BaseModel):
    username: str
    active: bool
    tokens_revoked: int


class MergeIn(_Input):
    duplicate: str = Field(
        min_length=1, max_length=80, description="The duplicate provider: its slug or public id"
    )
    reason: str = Field(min_length=1, max_length=2000)


class Moved(BaseModel):
    specifications: int
    qa_results: int
    memberships: int


class Merged(BaseModel):
    provider: dict[str, Any] = Field(description="The provider kept")
    merged: str = Field(description="The duplicate's slug: it now leads to the one kept")
    moved: Moved


class EmergencyIn(_Input):
    action: Literal["revoke", "suspend", "reinstate"]
    reason: str = Field(
        min_length=1,
        max_length=2000,
        description="Required: the order's reference (never the learner's name)",
    )


class EmergencyOut(BaseModel):
    id: str
    provider: str = Field(description="The provider shown the action, its reason and date")
    action: str
    revoked: bool
    suspended: bool


class AuditQuery(BaseModel):
    """The audit-log viewer's filters (``/operator/audit/``); all optional."""

    actor: str = Field("", max_length=150, description="Part of the actor's name")
    action: Literal[("", *ACTIONS)] = ""  # type: ignore[valid-type]
    record_type: Literal[("", *AuditFilterForm.RECORD_TYPES)] = ""  # type: ignore[valid-type]
    record: str = Field("", max_length=200, description="Part of the record's name")
    interface: Literal[("", *INTERFACES)] = ""  # type: ignore[valid-type]
    since: date | None = Field(None, description="From this day (inclusive)")
    until: date | None = Field(
        None, description="Until this day (inclusive); a 422 when before since"
    )
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(auditlog.PAGE_SIZE, ge=1, le=100)


class AuditRow(BaseModel):
    at: datetime
    actor: str
    action: str
    target: str = Field(description="The record: provider <slug>, specification <S-…>, …")
    reason: str
    interface: str = Field(description="api, page, cli or import")
    details: dict[str, Any]


class AuditPage(BaseModel):
    count: int
    page: int
    per_page: int
    items: list[AuditRow]


# --- helpers --------------------------------------------------------------------------------


def _forbidden(exc: permissions.PermissionDenied) -> HttpError:
    return HttpError(403, str(exc))


def _refusal(exc: Any) -> ApiError:
    """A refusal of the operator's services: 409 when state is in the way, else 422."""
    if getattr(exc, "code", "") == "not-found":
        return ApiError(404, exc.message, "not-found")
    status = 409 if getattr(exc, "conflict", False) else 422
    if exc.field:
        return field_error(status, exc.message, exc.code, exc.field)
    return ApiError(status, exc.message, exc.code)


def _request_out(item: RegistrationRequest) -> dict[str, Any]:
    decided_by = item.decided_by.get_username() if item.decided_by is not None else None
    return {
        "id": item.public_id,
        "status": item.status,
        **{
            name: getattr(item, name)
            for name in (
                "legal_name",
                "name_language",
                "slug",
                "kind",
                "country",
                "city",
                "website",
                "national_id",
                "erasmus_code",
                "contact_name",
                "contact_email",
                "message",
                "reason",
                "created",
                "decided_at",
            )
        },
        "decided_by": decided_by,
        "provider": item.provider.slug if item.provider is not None else None,
    }


def _request(user: Any, request_id: str) -> RegistrationRequest:
    try:
        item = registration.get(user, request_id)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    if item is None:
        raise HttpError(404, f"no registration request {request_id}")
    return item


#: From a request (sent or listed) to what the operator does with it.
def _request_links(pointer: str) -> dict[str, Any]:
    return {
        name: {"operationId": name, "parameters": {"request_id": f"$response.body#{pointer}"}}
        for name in ("get_registration_request", "approve_registration", "reject_registration")
    }


# --- registration requests ------------------------------------------------------------------


@router.post(
    "/registration-requests",
    response=responses({201: RegistrationSent}, 413, 422),
    summary="Ask to join the register (public; the form of /register-organisation/)",
    openapi_extra={"responses": {201: {"links": _request_links("/id")}}},
)
@rate_limit("register-organisation")
def post_registration_request(
    request: HttpRequest, payload: RegistrationIn
) -> Status[RegistrationSent]:
    """No token needed. The same fields and checks as the public form: 422 with ``findings``
    naming each field the form would mark (a short name already taken is ``slug``). Nothing
    is mailed; the operator decides. Rate limited per client network with the form."""
    values, findings = registration.read(payload.model_dump())
    if values is None:
        raise rejected_error(findings, "the registration request")
    sent = registration.submit(values)
    return Status(201, RegistrationSent(id=sent.public_id, status="pending"))


@router.get(
    "/registration-requests",
    auth=auth,
    response=responses({200: RegistrationPage}, 401, 403, 422),
    summary="The operator's queue of registration requests",
    openapi_extra={"responses": {200: {"links": _request_links("/items/0/id")}}},
)
def list_registration_requests(request: HttpRequest, query: Query[RequestsQuery]) -> Any:
    """Pending ones by default; ``status`` approved, rejected, or empty for all. Newest
    first."""
    try:
        rows = registration.requests(request.auth, query.status)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    return page_of(rows, query, _request_out)


@router.get(
    "/registration-requests/{request_id}",
    auth=auth,
    response=responses({200: RegistrationOut}, 401, 403, 404),
    summary="One registration request",
)
def get_registration_request(request: HttpRequest, request_id: str) -> Any:
    return _request_out(_request(request.auth, request_id))


@router.post(
    "/registration-requests/{request_id}/approve",
    auth=auth,
    response=responses({200: Decided}, 401, 403, 404, 409, 413, 422),
    summary="Approve a request: the provider, its first staff account, the welcome mail",
)
def approve_registration(request: HttpRequest, request_id: str, payload: ApproveIn) -> Any:
    """The page's approval: the provider is created through the register's service, the
    contact gets a staff account (no usable password) and a mail with a one-time
    set-password link. ``slug`` replaces the short name asked for. 409 when the request was
    decided already; 422 with ``findings`` when the register refuses the provider (a short
    name taken meanwhile). A mail that cannot be sent does not undo the decision
    (``mail_sent`` false, ``mail_error`` says why)."""
    _request(request.auth, request_id)
    slug = (payload.slug or "").strip().lower()
    try:
        decision = registration.approve(request.auth, request_id, slug)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    except registration.RequestRefused as exc:
        raise _refusal(exc) from None
    if decision.findings:
        raise rejected_error(decision.findings, "the new provider")
    provider = decision.request.provider
    return _decided(decision, provider)


@router.post(
    "/registration-requests/{request_id}/reject",
    auth=auth,
    response=responses({200: Decided}, 401, 403, 404, 409, 413, 422),
    summary="Reject a request with a reason, which the contact is mailed",
)
def reject_registration(request: HttpRequest, request_id: str, payload: ReasonIn) -> Any:
    _request(request.auth, request_id)
    try:
        decision = registration.reject(request.auth, request_id, payload.reason)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    except registration.RequestRefused as exc:
        raise _refusal(exc) from None
    return _decided(decision, None)


def _decided(decision: registration.Decision, provider: Provider | None) -> dict[str, Any]:
    decision.request.refresh_from_db()
    return {
        "request": _request_out(decision.request),
        "account": decision.account.get_username() if decision.account is not None else None,
        "mail_sent": not decision.mail_error,
        "mail_error": decision.mail_error,
        "provider": exporting.provider_dict(provider) if provider is not None else None,
    }


# --- accounts and providers -----------------------------------------------------------------


def _membership_out(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "role": m.role,
        "provider": m.provider.slug if m.provider is not None else None,
        "agency": m.agency.slug if m.agency is not None else None,
        "level": m.level if m.provider is not None else None,
    }


def _account_out(account: Any) -> dict[str, Any]:
    memberships = account.memberships.select_related("provider", "agency").order_by("pk")
    return {
        "username": account.get_username(),
        "email": account.email,
        "active": account.is_active,
        "memberships": [_membership_out(m) for m in memberships],
    }


def _account(user: Any, username: str) -> Any:
    try:
        account = accounts.staff_account_named(user, username)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    if account is None:
        raise HttpError(404, f"no staff account {username}")
    return account


@router.get(
    "/accounts",
    auth=auth,
    response=responses({200: AccountPage}, 401, 403, 422),
    summary="Staff accounts (never learners'), with their roles",
)
def list_accounts(request: HttpRequest, query: Query[AccountsQuery]) -> Any:
    try:
        rows = accounts.staff_accounts(request.auth, query.q.strip())
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    return page_of(rows, query, _account_out)


@router.get(
    "/accounts/{username}",
    auth=auth,
    response=responses({200: AccountOut}, 401, 403, 404),
    summary="One staff account, with its roles",
)
def get_account(request: HttpRequest, username: str) -> Any:
    return _account_out(_account(request.auth, username))


@router.post(
    "/accounts/{username}/memberships",
    auth=auth,
    response=responses({201: AccountOut}, 401, 403, 404, 409, 413, 422),
    summary="Grant a staff account a role",
)
def grant_role(request: HttpRequest, username: str, payload: GrantIn) -> Any:
    """The operator's role, or staff of the provider or agency named by ``organisation``
    (its slug). 409 when the account has the role already; 422 naming ``organisation`` when
    there is no such provider or agency (or one is named for the operator's role)."""
    account = _account(request.auth, username)
    try:
        accounts.grant(request.auth, account, payload.role, payload.organisation)
    except accounts.AccountRefused as exc:
        raise _refusal(exc) from None
    return Status(201, _account_out(account))


@router.delete(
    "/accounts/{username}/memberships/{membership_id}",
    auth=auth,
    response=responses({200: AccountOut}, 401, 403, 404, 422),
    summary="Remove one role from a staff account",
)
def remove_role(
    request: HttpRequest,
    username: str,
    membership_id: int = Path(..., ge=1, le=2**63 - 1, description="memberships[].id"),
) -> Any:
    account = _account(request.auth, username)
    removed = accounts.remove(request.auth, membership_id, account)
    if removed is None:
        raise HttpError(404, f"{username} has no membership {membership_id}")
    return _account_out(account)


@router.post(
    "/accounts/{username}/deactivate",
    auth=auth,
    response=responses({200: Deactivated}, 401, 403, 404, 409, 413, 422),
    summary="Deactivate a staff account: no sign-in, every API token revoked",
)
def deactivate_account(request: HttpRequest, username: str, payload: ReasonIn) -> Any:
    """The account, its memberships and its history are kept; one ``account-deactivated``
    audit row holds the reason. 409 when it is deactivated already; 422 for your own account.
    Learners' wallet accounts are not staff accounts (404)."""
    account = _account(request.auth, username)
    try:
        revoked = accounts.deactivate(request.auth, account, payload.reason)
    except accounts.AccountRefused as exc:
        raise _refusal(exc) from None
    return {
        "username": account.get_username(),
        "active": account.is_active,
        "tokens_revoked": revoked,
    }


@router.post(
    "/providers/{key}/merge",
    auth=auth,
    response=responses({200: Merged}, 401, 403, 404, 409, 413, 422),
    summary="Merge a duplicate provider record into this one",
)
def merge_provider(request: HttpRequest, key: str, payload: MergeIn) -> Any:
    """``key`` is the provider kept. Its specifications, QA results, staff and relations
    move; the duplicate's slug and public id lead to the kept provider from then on. 409
    when the duplicate has signed anything (credentials, a key, a status list) or both hold
    a specification with the same local id; 422 naming ``duplicate`` or ``reason`` for bad
    input (an unknown duplicate, the provider itself)."""
    kept = records.find_provider(key)  # providers are public: a 404 reveals nothing
    if kept is None:
        raise HttpError(404, f"no provider {key}")
    try:
        wanted = payload.duplicate.strip()
        duplicate = records.find_provider(wanted)
        moved = merging.merge(
            request.auth, kept, duplicate.slug if duplicate else wanted, payload.reason
        )
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    except merging.MergeRefused as exc:
        raise _refusal(exc) from None
    kept.refresh_from_db()
    merged = duplicate.slug if duplicate else wanted
    return {"provider": exporting.provider_dict(kept), "merged": merged, "moved": moved}


# --- the emergency action -------------------------------------------------------------------


@router.post(
    "/credentials/{credential_id}/emergency-status",
    auth=auth,
    response=responses({200: EmergencyOut}, 401, 403, 404, 409, 413, 422, 503),
    summary="The operator's emergency action on a credential (e.g. a court order)",
)
def emergency_status(request: HttpRequest, credential_id: str, payload: EmergencyIn) -> Any:
    """Revoke (final), suspend or reinstate one credential, with a required reason, as the
    operator (never the provider's own ``/status``, which belongs to its issuers). Audited as
    ``emergency-<action>``; the provider sees the action and its reason on its dashboard and
    in its history. The same state rules as the provider's own change (409: revoked already,
    suspended already, not suspended); 503 when the status list cannot be re-signed now."""
    try:
        record = emergency.find_credential(request.auth, credential_id)
        if record is None:
            raise HttpError(404, f"no credential {credential_id}")
        record = emergency.act(request.auth, record, payload.action, payload.reason)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    except IssuingError as exc:
        if exc.field:
            raise field_error(exc.status, exc.message, exc.code, exc.field) from None
        raise ApiError(exc.status, f"{exc.code}: {exc.message}", exc.code) from None
    return {
        "id": f"urn:uuid:{record.public_id}",
        "provider": record.provider.slug,
        "action": payload.action,
        "revoked": record.revoked,
        "suspended": record.suspended,
    }


# --- the audit log --------------------------------------------------------------------------


@router.get(
    "/audit",
    auth=auth,
    response=responses({200: AuditPage}, 401, 403, 422),
    summary="The audit log, filtered as on the operator's viewer",
)
def list_audit(request: HttpRequest, query: Query[AuditQuery]) -> Any:
    """Every write of the register and of issuing: who, when, what, through which interface
    (``api``, ``page``, ``cli``, ``import``) and why. Newest first, paged."""
    filters = query.model_dump(exclude={"page", "per_page"})
    try:
        rows = auditlog.search(request.auth, filters)
    except permissions.PermissionDenied as exc:
        raise _forbidden(exc) from None
    except auditlog.FilterError as exc:
        raise field_error(422, exc.message, "bad-date-range", exc.field, "query") from None
    return page_of(rows, query, _audit_out)


def _audit_out(row: Any) -> dict[str, Any]:
    return {
        "at": row.at,
        "actor": row.actor_name,
        "action": row.action,
        "target": row.target,
        "reason": row.reason,
        "interface": row.interface,
        "details": row.details,
    }
