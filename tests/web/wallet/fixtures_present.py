"""Learners for the presentation tests: a User without a password, a LearnerAccount, and a
verified address (as the sign-in flow leaves them), made directly."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from microcred_web.issuing import issue
from microcred_web.wallet.models import EntrySource, LearnerAccount, LearnerAddress, WalletEntry


def make_learner(email: str, *, verified: bool = True, username: str | None = None) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username=username or email)
    user.set_unusable_password()
    user.save()
    account = LearnerAccount.objects.create(user=user)
    LearnerAddress.objects.create(
        account=account,
        email=email.lower(),
        identifier_hash=issue.learner_hash(email.lower()),
        verified=timezone.now() if verified else None,
    )
    return account


def issue_to(world: Any, identifier: str, spec: Any = None) -> Any:
    from microcred_web.issuing.cli import ShellOperator  # the operator no longer issues

    return issue.issue_credential(
        ShellOperator(), spec or world.spec_a, issue.Learner(identifier, "Ada Lovelace")
    )


def add_entry(account: Any, record: Any) -> WalletEntry:
    """The account's entry of ``record``; matching by address may have made it already (after
    the issuing transaction commits, i.e. in transactional tests)."""
    entry, _ = WalletEntry.objects.get_or_create(
        account=account, issued=record, defaults={"source": EntrySource.ISSUED_HERE}
    )
    return entry
