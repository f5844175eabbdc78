"""Credentials issued here join the wallet of the learner whose verified address they were
issued to, whenever the two meet: at sign-in, when an address is verified, and when a
credential is issued to an address that already belongs to a wallet.

A record matches an account when its ``learner_hash`` is the hash of one of the account's
verified addresses (lower-cased, or as the learner typed it), or when its delivery row's
``address_hash`` (the lower-cased address at issue time) is one of them: see
:mod:`~microcred_web.wallet.accounts` for why both. Entries the learner removed stay as
tombstones and are never brought back. Each entry is inserted in a savepoint and the unique
constraint (one entry per account and credential) settles a race: running twice, or in two
processes at once, adds each credential once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q

from microcred_web.issuing.issue import learner_hash
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.wallet.models import EntrySource, LearnerAccount, LearnerAddress, WalletEntry


def account_hashes(account: LearnerAccount) -> tuple[set[str], set[str]]:
    """(hashes a record's ``learner_hash`` may have, lower-cased hashes) of the account's
    verified addresses."""
    exact: set[str] = set()
    lowered: set[str] = set()
    for address in LearnerAddress.objects.filter(account=account, verified__isnull=False):
        lowered.add(address.identifier_hash)
        exact.add(address.identifier_hash)
        if address.email:
            exact.add(learner_hash(address.email.strip()))
    return exact, lowered


def sync_entries(account: LearnerAccount) -> int:
    """Add every credential issued to the account's verified addresses that it lacks; the
    number added."""
    exact, lowered = account_hashes(account)
    if not exact:
        return 0
    have = WalletEntry.objects.filter(account=account, issued__isnull=False).values("issued_id")
    missing = (
        IssuedCredentialRecord.objects.filter(
            Q(learner_hash__in=exact) | Q(wallet_delivery__address_hash__in=lowered)
        )
        .exclude(pk__in=have)
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(add_entry(account, record_id) for record_id in missing)


def add_entry(account: LearnerAccount, record_id: int) -> bool:
    """Add one issued credential to the wallet; False when it is there (or was removed)."""
    try:
        with transaction.atomic():
            WalletEntry.objects.create(
                account=account, source=EntrySource.ISSUED_HERE, issued_id=record_id
            )
    except IntegrityError:
        return False
    return True


def sync_accounts_of(hashes: Iterable[str]) -> int:
    """Sync every account holding one of these (lower-cased) address hashes verified: the
    learners who have a wallet get a credential issued to them at once."""
    accounts = LearnerAccount.objects.filter(
        addresses__identifier_hash__in=set(hashes), addresses__verified__isnull=False
    ).distinct()
    return sum(sync_entries(account) for account in accounts)
