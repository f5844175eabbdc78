"""One-time links sent by e-mail (sign-in, verify an address, claim a credential).

A link is made with :func:`make` (its token goes into the mail, only its SHA-256 into the
database) and used with :func:`take`, which marks it used in the same UPDATE that checks it is
unused and unexpired: two requests racing with one link cannot both win. :func:`peek` reads
a link without using it (the confirmation page a mail scanner may prefetch).
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

from django.utils import timezone

from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.wallet.models import LearnerAddress, OneTimeLink
from microcred_web.wallet.tokens import MAX_TOKEN_LENGTH, new_token, token_hash


class LinkState(Enum):
    LIVE = "live"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


def make(
    purpose: str,
    identifier_hash: str,
    lifetime: timedelta,
    *,
    email: str = "",
    address: LearnerAddress | None = None,
    issued: IssuedCredentialRecord | None = None,
) -> tuple[OneTimeLink, str]:
    token, digest = new_token()
    link = OneTimeLink.objects.create(
        purpose=purpose,
        token_hash=digest,
        identifier_hash=identifier_hash,
        email=email,
        address=address,
        issued=issued,
        expires=timezone.now() + lifetime,
    )
    return link, token


def peek(token: str, purpose: str) -> tuple[LinkState, OneTimeLink | None]:
    """The link of ``token`` and its state, without using it."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkState.UNKNOWN, None
    link = OneTimeLink.objects.filter(token_hash=token_hash(token), purpose=purpose).first()
    if link is None:
        return LinkState.UNKNOWN, None
    if link.used is not None:
        return LinkState.USED, link
    if link.expires <= timezone.now():
        return LinkState.EXPIRED, link
    return LinkState.LIVE, link


def take(token: str, purpose: str) -> tuple[LinkState, OneTimeLink | None]:
    """Use the link of ``token``: LIVE (and now used) for the one request that wins."""
    state, link = peek(token, purpose)
    if state is not LinkState.LIVE or link is None:
        return state, link
    now = timezone.now()
    won = OneTimeLink.objects.filter(pk=link.pk, used__isnull=True, expires__gt=now).update(
        used=now,
        email="",  # the clear address is not kept once the link has served
    )
    if not won:
        return peek(token, purpose)[0], link
    link.used = now  # (link.email still holds the address for the caller, in memory)
    return LinkState.LIVE, link


def purge_expired() -> None:
    """Forget sign-in and verification links a day after they expired (they hold an address)."""
    cutoff = timezone.now() - timedelta(days=1)
    OneTimeLink.objects.filter(expires__lt=cutoff, issued__isnull=True).delete()
