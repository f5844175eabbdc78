"""API tokens from a page: a user's own tokens, made and revoked through
:mod:`microcred_web.register.tokens` (only the digest stored, shown once, audited).

A token acts with its user's memberships and levels at the moment it is used, so a token can
never do more than its user could on a page, and a user removed from a team takes the
token's rights with them.
"""

from __future__ import annotations

from typing import Any

from microcred_web.register import permissions
from microcred_web.register.models import ApiToken
from microcred_web.register.tokens import NewToken, create_token, revoke_token
from microcred_web.team.services import TeamError

MAX_NAME_LENGTH = 120


def _require(user: Any) -> None:
    permissions.require(
        permissions.can_hold_api_tokens(user),
        "hold API tokens (only staff of a provider or an agency, and the operator)",
    )


def tokens_of(user: Any) -> list[ApiToken]:
    _require(user)
    return list(ApiToken.objects.filter(user=user).order_by("revoked", "-created", "-pk"))


def create(user: Any, name: str) -> NewToken:
    _require(user)
    name = (name or "").strip()
    if not name:
        raise TeamError("token-name-missing", "give the token a name", "name")
    if len(name) > MAX_NAME_LENGTH:
        raise TeamError(
            "token-name-too-long", f"the name is longer than {MAX_NAME_LENGTH} characters", "name"
        )
    return create_token(user, name)


def revoke(user: Any, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens; another user's token is 'not found'."""
    _require(user)
    record = ApiToken.objects.select_related("user").filter(pk=token_id, user=user).first()
    if record is None:
        raise TeamError("token-unknown", "no such token of yours", status=404)
    if not record.revoked:
        revoke_token(record, actor=user)
    return record
