"""Team and token endpoints of the API: a provider's or an agency's members and invitations,
and the caller's own API tokens (``/api/v1/providers/{key}/team``, ``/agencies/{key}/team``,
``/tokens``).

The same jobs as the team pages (``/team/...``), through the same services
(:mod:`~microcred_web.team.services`, :mod:`~microcred_web.team.tokens`), which check every
permission and hold every rule (a team keeps an admin, an invitation replaces an earlier one
to the same address, a token is shown once). Views here only translate HTTP: a refused
permission is a 403; a service's refusal keeps its code and status, and names the field at
fault in ``errors`` (``["body", "payload", "email"]``, ``["path", "member_id"]``).

Statuses, as everywhere in the API (``register/api.py``): 200 read or changed (a DELETE
answers the record as it now stands), 201 created, 401 no or bad token, 403 not allowed
(only a provider's admins manage its team, only an agency's staff its team; the register
operator manages accounts from its own pages, not here), 404 no such provider, agency,
member, invitation or token of yours, 409 the change would leave the team without an admin
(or an agency without staff), 422 the input was refused, 429 rate limited, 503 the mail
server did not take the invitation (nothing kept; try again).

Accepting an invitation stays a page action (``/team/invitations/<token>/``): it needs the
invitee signed in (or choosing a password), which a bearer token of someone else cannot be.
Making a token is a page action too (``/team/tokens/``), for the same reason: a token that
could make tokens would let whoever copied it keep access after it is revoked. The API lists
and revokes them (revoking is what a leak calls for, from wherever one is).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Path, Router, Status
from pydantic import BaseModel, ConfigDict, Field

from microcred_web.api_errors import ApiError, responses
from microcred_web.register import permissions, records
from microcred_web.register.models import ApiToken, Membership
from microcred_web.register.tokens import TokenAuth
from microcred_web.security.limits import rate_limit
from microcred_web.team import services, tokens
from microcred_web.team.models import Invitation
from microcred_web.team.services import Organisation, TeamError

router = Router(tags=["team"])
auth = TokenAuth()

#: Database ids are 64-bit (BigAutoField); a larger number names nothing.
MAX_ID = 2**63 - 1
Level = Literal["editor", "issuer", "admin"]
InvitationState = Literal["pending", "accepted", "withdrawn", "expired"]


class _Input(BaseModel):
    """Unknown members are refused, as in every request body of the API: a typo is reported."""

    model_config = ConfigDict(extra="forbid")


# --- shapes ---------------------------------------------------------------------------------


class AgencyMemberOut(BaseModel):
    id: int = Field(description="The membership's id, for PUT / DELETE .../members/{member_id}")
    username: str
    email: str = Field(description="The account's address, or empty")


class ProviderMemberOut(AgencyMemberOut):
    level: Level = Field(description="editor: specifications; issuer: credentials; admin: both")


class AgencyInvitationOut(BaseModel):
    id: str = Field(description="The invitation's public id (I-...)")
    email: str = Field(description="Where the link was sent")
    created: datetime
    expires: datetime
    state: InvitationState


class ProviderInvitationOut(AgencyInvitationOut):
    level: Level = Field(description="The level the colleague gets on accepting")


class ProviderTeamOut(BaseModel):
    provider: str = Field(description="The provider's slug")
    members: list[ProviderMemberOut]
    invitations: list[ProviderInvitationOut] = Field(description="Pending invitations only")


class AgencyTeamOut(BaseModel):
    agency: str = Field(description="The agency's slug")
    members: list[AgencyMemberOut]
    invitations: list[AgencyInvitationOut] = Field(description="Pending invitations only")


class ProviderInvitationIn(_Input):
    email: str = Field(
        min_length=1,
        max_length=services.MAX_EMAIL_LENGTH,
        description="The colleague's e-mail address; the link is sent there",
        json_schema_extra={"format": "email"},
    )
    level: Level


class AgencyInvitationIn(_Input):
    email: str = Field(
        min_length=1,
        max_length=services.MAX_EMAIL_LENGTH,
        description="The colleague's e-mail address; the link is sent there",
        json_schema_extra={"format": "email"},
    )


class LevelIn(_Input):
    level: Level


class TokenOut(BaseModel):
    id: int = Field(description="For DELETE /tokens/{token_id}")
    name: str
    prefix: str = Field(description="The token's first characters: not secret on their own")
    created: datetime
    last_used: datetime | None = Field(description="Refreshed at most once a minute")
    revoked: bool


# --- helpers --------------------------------------------------------------------------------

_MEMBER_ID = Path(..., ge=1, le=MAX_ID, description="A membership's id (members[].id)")
_INVITATION_ID = Path(
    ..., min_length=1, max_length=16, description="An invitation's public id (I-...)"
)
_TOKEN_ID = Path(..., ge=1, le=MAX_ID, description="One of your tokens' id")

#: Where each path parameter's record is named, for a 404 that says which one.
_PATH_FIELDS = {
    "member-unknown": "member_id",
    "invitation-unknown": "invitation_id",
    "token-unknown": "token_id",
}


def _refused(exc: TeamError) -> ApiError:
    """A service's refusal, with its own code and status, naming the field at fault."""
    extra: dict[str, Any] = {}
    if exc.field is not None:
        loc = ["body", "payload", exc.field]
    elif exc.code in _PATH_FIELDS:
        loc = ["path", _PATH_FIELDS[exc.code]]
    else:
        loc = []
    if loc:
        extra["errors"] = [{"loc": loc, "msg": exc.message, "type": exc.code}]
    return ApiError(exc.status, exc.message, exc.code, **extra)


def _call(function: Any, *args: Any) -> Any:
    """Run a service: its permission refusal is a 403, its other refusals keep their status."""
    try:
        return function(*args)
    except permissions.PermissionDenied as exc:
        raise ApiError(403, str(exc)) from None
    except TeamError as exc:
        raise _refused(exc) from None


def _provider(key: str) -> Organisation:
    provider = records.find_provider(key)
    if provider is None:
        raise ApiError(404, f"no provider {key}")
    return Organisation("provider", provider)


def _agency(key: str) -> Organisation:
    agency = records.find_agency(key)
    if agency is None:
        raise ApiError(404, f"no agency {key}")
    return Organisation("agency", agency)


def _invitation(org: Organisation, invitation: Invitation) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "id": invitation.public_id,
        "email": invitation.email,
        "created": invitation.created,
        "expires": invitation.expires,
        "state": services.invitation_state(invitation),
    }
    if org.has_levels:
        shape["level"] = invitation.level
    return shape


def _member(org: Organisation, membership: Membership, pk: int | None = None) -> dict[str, Any]:
    """A member's shape; ``pk`` names a membership just deleted (Django clears its own)."""
    shape: dict[str, Any] = {
        "id": membership.pk if pk is None else pk,
        "username": membership.user.get_username(),
        "email": membership.user.email or "",
    }
    if org.has_levels:
        shape["level"] = membership.level
    return shape


def _team(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    members = _call(services.members, request.auth, org)
    invitations = _call(services.pending_invitations, request.auth, org)
    return {
        org.kind: org.slug,
        "members": [_member(org, m) for m in members],
        "invitations": [_invitation(org, i) for i in invitations],
    }


def _account(request: HttpRequest) -> str:
    """The invitation limit counts per account, API and page together (each sends a mail)."""
    return f"user-{getattr(request.auth, 'pk', None)}"


def _links(operations: dict[str, tuple[str, str]]) -> dict[str, Any]:
    return {
        name: {"operationId": name, "parameters": {parameter: f"$response.body#{pointer}"}}
        for name, (parameter, pointer) in operations.items()
    }


def _answer_links(status: int, links: dict[str, Any]) -> dict[str, Any]:
    return {"responses": {status: {"links": links}}}


_PROVIDER_TEAM_LINKS = _links(
    {
        "put_provider_member": ("member_id", "/members/0/id"),
        "delete_provider_member": ("member_id", "/members/0/id"),
        "delete_provider_invitation": ("invitation_id", "/invitations/0/id"),
    }
)
_AGENCY_TEAM_LINKS = _links(
    {
        "delete_agency_member": ("member_id", "/members/0/id"),
        "delete_agency_invitation": ("invitation_id", "/invitations/0/id"),
    }
)

#: Reads: no token (401), not allowed (403), no such organisation (404).
_READ_ERRORS = (401, 403, 404)
#: Operations on one member, invitation or token: also an id that cannot be one (422).
_ONE_ERRORS = (*_READ_ERRORS, 422)
#: Writes add a refused body (422) and the body's own problems (400 is always declared).
_WRITE_ERRORS = (401, 403, 404, 413, 422)


# --- provider team --------------------------------------------------------------------------


@router.get(
    "/providers/{key}/team",
    auth=auth,
    response=responses({200: ProviderTeamOut}, *_READ_ERRORS),
    summary="A provider's team: members with their level, pending invitations (its admins)",
    openapi_extra=_answer_links(200, _PROVIDER_TEAM_LINKS),
)
def get_provider_team(request: HttpRequest, key: str) -> dict[str, Any]:
    """``key`` is the provider's public id (``P-...``) or slug."""
    return _team(request, _provider(key))


@router.post(
    "/providers/{key}/team/invitations",
    auth=auth,
    response=responses({201: ProviderInvitationOut}, *_WRITE_ERRORS, 503),
    summary="Invite a colleague by e-mail with a level (the same mail as the team page)",
    openapi_extra=_answer_links(
        201, _links({"delete_provider_invitation": ("invitation_id", "/id")})
    ),
)
@rate_limit("team-invite", key=_account)
def post_provider_invitation(
    request: HttpRequest, key: str, payload: ProviderInvitationIn
) -> Status[dict[str, Any]]:
    """The link is mailed before this answers; it works once, for ``MICROCRED_INVITATION_DAYS``
    days, and replaces a pending invitation to the same address. 422 ``email-invalid`` /
    ``already-member``; 503 ``mail-failed`` when the mail server refused it (nothing kept).
    Accepting is a page action: the colleague opens the link."""
    org = _provider(key)
    invitation = _call(services.invite, request.auth, org, payload.email, payload.level)
    return Status(201, _invitation(org, invitation))


@router.delete(
    "/providers/{key}/team/invitations/{invitation_id}",
    auth=auth,
    response=responses({200: ProviderInvitationOut}, *_ONE_ERRORS),
    summary="Withdraw an invitation: its link stops working",
)
def delete_provider_invitation(
    request: HttpRequest, key: str, invitation_id: str = _INVITATION_ID
) -> dict[str, Any]:
    """Answers the invitation as it now stands: ``withdrawn``, or ``accepted`` when the
    colleague was quicker (then remove the member instead)."""
    org = _provider(key)
    invitation = _call(services.revoke_invitation, request.auth, org, invitation_id)
    return _invitation(org, invitation)


@router.put(
    "/providers/{key}/team/members/{member_id}",
    auth=auth,
    response=responses({200: ProviderMemberOut}, *_WRITE_ERRORS, 409),
    summary="Change a member's level",
)
def put_provider_member(
    request: HttpRequest, key: str, payload: LevelIn, member_id: int = _MEMBER_ID
) -> dict[str, Any]:
    """409 ``last-admin``: the team's only admin cannot be demoted (make another admin
    first). An admin may demote themselves while another admin remains."""
    org = _provider(key)
    membership = _call(services.change_level, request.auth, org, member_id, payload.level)
    return _member(org, membership)


@router.delete(
    "/providers/{key}/team/members/{member_id}",
    auth=auth,
    response=responses({200: ProviderMemberOut}, *_ONE_ERRORS, 409),
    summary="Remove a member from the team",
)
def delete_provider_member(
    request: HttpRequest, key: str, member_id: int = _MEMBER_ID
) -> dict[str, Any]:
    """Answers the membership that was removed. 409 ``last-admin``: the only admin stays.
    The member's API tokens lose this provider's rights with the membership."""
    org = _provider(key)
    membership = _call(services.remove_member, request.auth, org, member_id)
    return _member(org, membership, member_id)


# --- agency team ----------------------------------------------------------------------------


@router.get(
    "/agencies/{key}/team",
    auth=auth,
    response=responses({200: AgencyTeamOut}, *_READ_ERRORS),
    summary="An agency's team: its staff and pending invitations (its staff)",
    openapi_extra=_answer_links(200, _AGENCY_TEAM_LINKS),
)
def get_agency_team(request: HttpRequest, key: str) -> dict[str, Any]:
    """Agency staff have one kind of membership: no levels."""
    return _team(request, _agency(key))


@router.post(
    "/agencies/{key}/team/invitations",
    auth=auth,
    response=responses({201: AgencyInvitationOut}, *_WRITE_ERRORS, 503),
    summary="Invite a colleague to the agency's staff by e-mail",
    openapi_extra=_answer_links(
        201, _links({"delete_agency_invitation": ("invitation_id", "/id")})
    ),
)
@rate_limit("team-invite", key=_account)
def post_agency_invitation(
    request: HttpRequest, key: str, payload: AgencyInvitationIn
) -> Status[dict[str, Any]]:
    """As for a provider, without a level."""
    org = _agency(key)
    invitation = _call(services.invite, request.auth, org, payload.email)
    return Status(201, _invitation(org, invitation))


@router.delete(
    "/agencies/{key}/team/invitations/{invitation_id}",
    auth=auth,
    response=responses({200: AgencyInvitationOut}, *_ONE_ERRORS),
    summary="Withdraw an invitation to the agency's staff",
)
def delete_agency_invitation(
    request: HttpRequest, key: str, invitation_id: str = _INVITATION_ID
) -> dict[str, Any]:
    org = _agency(key)
    invitation = _call(services.revoke_invitation, request.auth, org, invitation_id)
    return _invitation(org, invitation)


@router.delete(
    "/agencies/{key}/team/members/{member_id}",
    auth=auth,
    response=responses({200: AgencyMemberOut}, *_ONE_ERRORS, 409),
    summary="Remove a member of the agency's staff",
)
def delete_agency_member(
    request: HttpRequest, key: str, member_id: int = _MEMBER_ID
) -> dict[str, Any]:
    """409 ``last-admin``: the agency's only member stays."""
    org = _agency(key)
    membership = _call(services.remove_member, request.auth, org, member_id)
    return _member(org, membership, member_id)


# --- the caller's own API tokens ------------------------------------------------------------


def _token(record: ApiToken) -> dict[str, Any]:
    return {
        "id": record.pk,
        "name": record.name,
        "prefix": record.prefix,
        "created": record.created,
        "last_used": record.last_used,
        "revoked": record.revoked,
    }


@router.get(
    "/tokens",
    auth=auth,
    response=responses({200: list[TokenOut]}, 401, 403),
    summary="Your API tokens (never the tokens themselves)",
)
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    """The token's own user's tokens, live ones first, revoked ones kept for the record."""
    return [_token(record) for record in _call(tokens.tokens_of, request.auth)]


@router.delete(
    "/tokens/{token_id}",
    auth=auth,
    response=responses({200: TokenOut}, 401, 403, 404, 422),
    summary="Revoke one of your API tokens, for good",
)
def delete_token(request: HttpRequest, token_id: int = _TOKEN_ID) -> dict[str, Any]:
    """Another account's token is 404 (not yours to name). Revoking the token this request
    carries works, and it is the last request that token makes."""
    return _token(_call(tokens.revoke, request.auth, token_id))
