"""Share links: make one, find one by its token, list, count and revoke them.

A token that does not exist, has expired or was revoked is the same ``None`` to the caller
(the page answers 404 without saying which). A link of an entry the learner removed from the
wallet is dead too: the learner took it back.

Every function that manages links takes the learner's account and filters on it, so an
identifier from a URL can never reach another learner's entry, collection or link.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, QuerySet
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
        ShareLink.objects.select_related("entry__issued", "collection")
        .filter(token_hash=token_hash(token), revoked__isnull=True)
        .first()
    )
    if share is None or (share.expires is not None and share.expires <= timezone.now()):
        return None
    if share.entry is not None and share.entry.removed is not None:
        return None
    return share


def share_url(token: str) -> str:
    """The absolute address of a share page (what a QR code or a social post carries)."""
    return identity.base_url() + reverse("wallet:share", args=[token])


# --- managing one's links -------------------------------------------------------------------


class ShareError(ValueError):
    """A share link that cannot be made as asked: ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def expiry_at(day: date | None, today: date | None = None) -> datetime | None:
    """When a link chosen to last "until ``day``" stops working: the end of that day.

    ``None`` is "never". A day before today is refused (the link would be dead at birth).
    """
    if day is None:
        return None
    today = today or timezone.localdate()
    if day < today:
        raise ShareError("expires", "The expiry date is in the past: choose today or later.")
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def own_entry(account: LearnerAccount, public_id: uuid.UUID | str) -> WalletEntry | None:
    """The account's entry (not removed) of ``public_id``; None for anyone else's."""
    return WalletEntry.objects.filter(
        account=account, public_id=public_id, removed__isnull=True
    ).first()


def own_collection(account: LearnerAccount, public_id: uuid.UUID | str) -> Collection | None:
    return Collection.objects.filter(account=account, public_id=public_id).first()


def shares_of(account: LearnerAccount) -> QuerySet[ShareLink]:
    """The account's links, newest first (revoked and expired ones too: the list says so)."""
    return ShareLink.objects.filter(account=account).select_related("entry__issued", "collection")


def revoke_share(account: LearnerAccount, public_id: uuid.UUID | str) -> bool:
    """Revoke one of the account's links at once; False when it is not the account's.

    Revoking twice keeps the first time; the page of a revoked link is a 404 from the next
    request on (:func:`find_share` filters on ``revoked``).
    """
    updated = ShareLink.objects.filter(
        account=account, public_id=public_id, revoked__isnull=True
    ).update(revoked=timezone.now())
    return bool(updated) or ShareLink.objects.filter(account=account, public_id=public_id).exists()


def count_view(share: ShareLink) -> None:
    """One more view, counted in the database (``F()``: two visitors at once make two)."""
    ShareLink.objects.filter(pk=share.pk).update(views=F("views") + 1)


@dataclass(frozen=True)
class ShareState:
    code: str  # active | expired | revoked
    label: str


def state_of(share: ShareLink, now: datetime | None = None) -> ShareState:
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    if share.revoked is not None:
        return ShareState("revoked", _("Revoked"))
    if share.expires is not None and share.expires <= now:
        return ShareState("expired", _("Expired"))
    if share.entry is not None and share.entry.removed is not None:
        return ShareState("revoked", _("Removed from the wallet"))
    return ShareState("active", _("Active"))


# --- what a link shows ---------------------------------------------------------------------


def credential_of(entry: WalletEntry) -> dict[str, Any] | None:
    """The signed credential of an entry: the issuer's record, or the imported file."""
    if entry.issued is not None:
        return dict(entry.issued.credential)
    return dict(entry.credential) if isinstance(entry.credential, dict) else None


def entries_shown(share: ShareLink) -> list[WalletEntry]:
    """What a link shows: its entry, or the collection's entries still in the wallet.

    Only these: a collection's page never reaches the learner's other entries.
    """
    if share.entry is not None:
        return [share.entry] if share.entry.removed is None else []
    assert share.collection is not None
    return list(share.collection.entries.filter(removed__isnull=True).select_related("issued"))


def entry_shown(share: ShareLink, public_id: uuid.UUID | str) -> WalletEntry | None:
    """One entry of a collection's link (None when it is not in that collection)."""
    if share.collection is None:
        return None
    return (
        share.collection.entries.filter(public_id=public_id, removed__isnull=True)
        .select_related("issued")
        .first()
    )
