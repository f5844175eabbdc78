"""Fixtures of the wallet pages' tests: a signed-in learner, entries issued here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from microcred_web.issuing import issue
from microcred_web.wallet.models import EntrySource, LearnerAccount, WalletEntry


def learner(client: Any, name: str = "ada") -> LearnerAccount:
    """A learner (no usable password) signed in on ``client``."""
    user = get_user_model().objects.create(username=f"learner-{name}")
    user.set_unusable_password()
    user.save()
    account = LearnerAccount.objects.create(user=user)
    client.force_login(user)
    return account


def issued_entry(world: Any, account: LearnerAccount, email: str = "ada@example.org") -> Any:
    outcome = issue.issue_credential(
        world.users["staff_a"], world.spec_a, issue.Learner(email, "Ada Lovelace")
    )
    return WalletEntry.objects.create(
        account=account, source=EntrySource.ISSUED_HERE, issued=outcome.record
    )
