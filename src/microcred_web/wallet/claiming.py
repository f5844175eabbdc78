"""Claiming a credential from the link of its claim message.

The claim link proves that whoever holds it reads the mail of the address the credential was
issued to. Claiming adds the credential to a wallet:

- signed in as a learner: to that wallet; if the wallet holds the address unverified, the
  link verifies it (so later credentials to it arrive by themselves);
- signed out: the learner types the address the message came to (the instance never stored
  it, only its hash, so it cannot fill it in); it must be that address. The link then signs
  them in to the wallet of that address, made now if there is none, with the address
  verified, exactly as a sign-in link would.

Single use. A second use says "already claimed": the credential is in the wallet of whoever
claimed it. A late use says so too; the credential is not lost: signing in with the address
it was issued to brings it into the wallet by matching (:mod:`~.matching`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.wallet import links, matching
from microcred_web.wallet.accounts import account_for, address_hash
from microcred_web.wallet.links import LinkState
from microcred_web.wallet.models import LearnerAccount, LearnerAddress, LinkPurpose, OneTimeLink


@dataclass(frozen=True)
class Claim:
    state: LinkState
    link: OneTimeLink | None = None
    record: IssuedCredentialRecord | None = None


def find(token: str) -> Claim:
    state, link = links.peek(token, LinkPurpose.CLAIM)
    record = None
    if link is not None and link.issued_id is not None:
        record = (
            IssuedCredentialRecord.objects.select_related("provider", "specification")
            .filter(pk=link.issued_id)
            .first()
        )
    if link is not None and record is None:
        return Claim(LinkState.UNKNOWN)
    return Claim(state, link, record)


@dataclass(frozen=True)
class Claimed:
    account: LearnerAccount | None = None
    #: "" when claimed; else "used", "expired", "unknown" or "address" (not the address
    #: the message was sent to: the link is not used up).
    problem: str = ""


def matches(claim: Claim, email: str) -> bool:
    return claim.link is not None and address_hash(email) == claim.link.identifier_hash


def claim(token: str, account: LearnerAccount | None, email: str = "") -> Claimed:
    """Claim for ``account`` (signed in), or for the wallet of ``email`` (signed out)."""
    found = find(token)
    if found.state is not LinkState.LIVE or found.record is None:
        return Claimed(problem=found.state.value)
    if account is None and not matches(found, email):
        return Claimed(problem="address")
    state, link = links.take(token, LinkPurpose.CLAIM)
    if state is not LinkState.LIVE or link is None:
        return Claimed(problem=state.value)
    if account is None:
        account, _created = account_for(email)
    else:
        _verify_held_address(account, link.identifier_hash)
    matching.add_entry(account, found.record.pk)
    matching.sync_entries(account)
    return Claimed(account)


def _verify_held_address(account: LearnerAccount, digest: str) -> None:
    """The link proves the address: verify it if the wallet holds it (and nobody else did)."""
    try:
        with transaction.atomic():
            LearnerAddress.objects.filter(
                account=account, identifier_hash=digest, verified__isnull=True
            ).update(verified=timezone.now())
    except IntegrityError:
        pass  # another wallet verified it: this one keeps it unverified
