"""Collections a learner names ("Data science", "For my employer") and the entries in them.

Names are unique per account (compared after trimming spaces, without regard to case, so
"CV" and "cv " are one name); an entry is in any number of collections.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from microcred_web.wallet.models import Collection, LearnerAccount, WalletEntry

MAX_NAME = 120


class CollectionError(Exception):
    """A name that is empty, too long or taken; ``field`` is the form field at fault."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def collections_of(account: LearnerAccount) -> QuerySet[Collection]:
    return Collection.objects.filter(account=account)


def find_collection(account: LearnerAccount, public_id: Any) -> Collection | None:
    return collections_of(account).filter(public_id=public_id).first()


def _clean_name(account: LearnerAccount, name: str, keep: Collection | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CollectionError("Give the collection a name.")
    if len(name) > MAX_NAME:
        raise CollectionError(f"The name is {len(name)} characters; at most {MAX_NAME}.")
    taken = collections_of(account).filter(name__iexact=name)
    if keep is not None:
        taken = taken.exclude(pk=keep.pk)
    if taken.exists():
        raise CollectionError(f"You already have a collection named “{name}”.")
    return name


def create_collection(account: LearnerAccount, name: str) -> Collection:
    name = _clean_name(account, name)
    try:
        with transaction.atomic():
            return Collection.objects.create(account=account, name=name)
    except IntegrityError:  # the same name made at the same moment
        raise CollectionError(f"You already have a collection named “{name}”.") from None


def rename_collection(account: LearnerAccount, collection: Collection, name: str) -> Collection:
    _own(account, collection)
    collection.name = _clean_name(account, name, keep=collection)
    try:
        with transaction.atomic():
            collection.save(update_fields=["name"])
    except IntegrityError:
        raise CollectionError(f"You already have a collection named “{name}”.") from None
    return collection


def delete_collection(account: LearnerAccount, collection: Collection) -> None:
    """Delete the collection (and its share links); its entries stay in the wallet."""
    _own(account, collection)
    collection.delete()


def set_membership(
    account: LearnerAccount, entry: WalletEntry, collection: Collection, member: bool
) -> None:
    """Put ``entry`` in ``collection`` or take it out (both the account's own)."""
    _own(account, collection)
    if entry.account_id != account.pk or entry.removed is not None:
        raise PermissionError("not this learner's entry")
    if member:
        collection.entries.add(entry)
    else:
        collection.entries.remove(entry)


def _own(account: LearnerAccount, collection: Collection) -> None:
    if collection.account_id != account.pk:
        raise PermissionError("not this learner's collection")
