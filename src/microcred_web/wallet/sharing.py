"""Share links: make one, find one by its token.

A token that does not exist, has expired or was revoked is the same ``None`` to the caller
(the page answers 404 without saying which).
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from microcred_web.issuing import identity
from microcred_web.wallet.models import Collection, LearnerAccount, ShareLink, WalletEntry
from microcred_web.wallet.tokens import MAX_TOKEN_LENGTH, new_token, token_hash


def create_share(
    account: LearnerAccount,
    *,
    entry: WalletEntry | None = None,
    collection: Collection | None = None,
    label: str = "",
    expires: datetime | None = None,
    indexable: bool = False,
    made_for: str = "",
) -> tuple[ShareLink, str]:
    """A new share link of the account's own entry or collection, and its token (shown once)."""
    owner = entry.account_id if entry is not None else getattr(collection, "account_id", None)
    if owner != account.pk or (entry is None) == (collection is None):
        raise ValueError("a share link is of one entry or one collection of the same account")
    token, digest = new_token()
    share = ShareLink.objects.create(
        account=account,
        entry=entry,
        collection=collection,
        token_hash=digest,
        label=label,
        expires=expires,
        indexable=indexable,
        made_for=made_for,
    )
    return share, token


def find_share(token: str) -> ShareLink | None:
    """The live share link of ``token``; None when unknown, expired or revoked."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    share = (
        ShareLink.objects.select_related("entry", "collection")
        .filter(token_hash=token_hash(token), revoked__isnull=True)
        .first()
    )
    if share is None or (share.expires is not None and share.expires <= timezone.now()):
        return None
    return share


def share_url(token: str) -> str:
    """The absolute address of a share page (what a QR code or a social post carries)."""
    return identity.base_url() + reverse("wallet:share", args=[token])
