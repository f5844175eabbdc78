"""API bearer tokens: created once, shown once, stored only as a SHA-256 digest.

Why a digest and not the token: a leaked database backup must not let anyone write to the
register. Tokens are long random strings (256 bits), so a plain SHA-256 is enough; a slow
password hash would only make every API call slower without adding safety. The short
``prefix`` (the first characters, not secret on its own) lets an operator tell tokens apart in
lists and logs without ever seeing one again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from microcred_web.issuing.audit import record_event
from microcred_web.register.models import ApiToken
from microcred_web.security.clients import client_network
from microcred_web.security.limits import count_failure, describe_wait, refuse_when_exhausted

#: Every token starts with this, so secret scanners and people recognise one on sight.
TOKEN_MARK = "mcr_"
PREFIX_LENGTH = 12
#: Only refresh ``last_used`` this often: a write per request would serialise busy clients.
_LAST_USED_GRANULARITY_SECONDS = 60


@dataclass(frozen=True)
class NewToken:
    """The stored record and the token itself, which is never available again."""

    record: ApiToken
    token: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: Any, name: str, *, actor: Any = None) -> NewToken:
    """Create a token for ``user``; the caller must show ``token`` now, it cannot be recovered.

    ``actor`` is who creates it, for the audit log (default: ``user`` themselves).
    """
    token = TOKEN_MARK + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user, name=name[:120], prefix=token[:PREFIX_LENGTH], digest=digest(token)
        )
        _audit(actor or user, "token-created", record)
    return NewToken(record, token)


def revoke_token(record: ApiToken, *, actor: Any = None) -> None:
    """Revoke a token for good; ``actor`` (default: its owner) is recorded in the audit log."""
    with transaction.atomic():
        record.revoked = True
        record.save(update_fields=["revoked"])
        _audit(actor or record.user, "token-revoked", record)


def _audit(actor: Any, action: str, record: ApiToken) -> None:
    """The prefix names the token (it is not secret on its own); the token never appears."""
    owner = record.user.get_username()
    details = {"owner": owner, "prefix": record.prefix, "name": record.name}
    record_event(actor, action, f"token {record.prefix}… of {owner}", details=details)


def user_for_token(token: str) -> Any | None:
    """The active user a token belongs to, or None (unknown, revoked, or inactive user)."""
    token = token.strip()
    if not token.startswith(TOKEN_MARK) or len(token) > 200:
        return None
    wanted = digest(token)
    record = (
        ApiToken.objects.select_related("user")
        .filter(prefix=token[:PREFIX_LENGTH], revoked=False)
        .filter(digest=wanted)
        .first()
    )
    # The digest lookup already matched; compare again in constant time as a belt and braces.
    if record is None or not hmac.compare_digest(record.digest, wanted):
        return None
    if not record.user.is_active:
        return None
    now = timezone.now()
    last = record.last_used
    if last is None or (now - last).total_seconds() > _LAST_USED_GRANULARITY_SECONDS:
        ApiToken.objects.filter(pk=record.pk).update(last_used=now)
    return record.user


#: Failed token authentications per client network (settings.MICROCRED_RATE_LIMITS).
FAILURE_SCOPE = "api-token"


def _too_many_failures(retry_after: int) -> str:
    return (
        "Too many requests with an invalid API token from your network. Try again in "
        f"{describe_wait(retry_after)}."
    )


def authenticate_token(request: HttpRequest, token: str) -> Any | None:
    """:func:`user_for_token`, refused with 429 while the client has too many failures.

    Every wrong token counts against the client's network; past the limit every request with
    a token (right or wrong) is refused until the window ends, so guessing gets nowhere.
    """
    network = client_network(request)
    refuse_when_exhausted(request, FAILURE_SCOPE, network, _too_many_failures)
    user = user_for_token(token)
    if user is None:
        count_failure(request, FAILURE_SCOPE, network)
    return user


def user_from_request(request: HttpRequest) -> Any | None:
    """For endpoints open to everyone that show more to a token holder.

    No ``Authorization`` header: anonymous (None). A header that is present but wrong is a
    401, not a silent downgrade to anonymous, so a client with a broken token finds out.
    """
    header = request.headers.get("Authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    user = authenticate_token(request, token) if scheme.lower() == "bearer" else None
    if user is None:
        raise AuthenticationError(message="invalid or revoked API token")
    return user


class TokenAuth(HttpBearer):
    """django-ninja authentication: ``Authorization: Bearer <token>``; ``request.auth`` = user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return authenticate_token(request, token)
