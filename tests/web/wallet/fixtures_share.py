"""Fixtures for the share-link tests: learners with wallets holding credentials issued here.

Learners are made directly (a ``User`` with no usable password and a ``LearnerAccount``) and
signed in with ``force_login``; credentials are issued through the issuing service by the
issuing tests' providers (``world``). Import the fixtures into a test module::

    from tests.web.wallet.fixtures_share import *  # noqa: F403
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from microcred_web.issuing import issue
from microcred_web.register.models import Agency, QAResult
from microcred_web.wallet.models import (
    Collection,
    EntrySource,
    LearnerAccount,
    WalletEntry,
)
from tests.web.issuing.conftest import HOST, IssuingWorld, issuing_settings, world

__all__ = [
    "HOST",
    "IssuingWorld",
    "Learner",
    "_fresh_rate_limits",
    "ada",
    "assure",
    "bob",
    "issuing_settings",
    "make_learner",
    "world",
]


@dataclass
class Learner:
    user: Any
    account: LearnerAccount
    entries: list[WalletEntry]

    def collection(self, name: str, entries: list[WalletEntry]) -> Collection:
        collection = Collection.objects.create(account=self.account, name=name)
        collection.entries.set(entries)
        return collection


def make_learner(world: IssuingWorld, username: str, email: str, name: str) -> Learner:
    """A learner holding the two specifications' credentials (one from each provider)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username=username, email=email)
    user.set_unusable_password()
    user.save()
    account = LearnerAccount.objects.create(user=user)
    entries = []
    for staff, spec in (("staff_a", world.spec_a), ("staff_b", world.spec_b)):
        outcome = issue.issue_credential(world.users[staff], spec, issue.Learner(email, name))
        entries.append(
            WalletEntry.objects.create(
                account=account, source=EntrySource.ISSUED_HERE, issued=outcome.record
            )
        )
    return Learner(user, account, entries)


@pytest.fixture
def ada(world: IssuingWorld) -> Learner:
    return make_learner(world, "ada", "ada@example.org", "Ada Lovelace")


@pytest.fixture
def bob(world: IssuingWorld) -> Learner:
    return make_learner(world, "bob", "bob@example.org", "Bob Babbage")


def assure(provider: Any) -> QAResult:
    """A positive institutional review of ``provider`` by an EQAR-registered agency."""
    agency, _ = Agency.objects.get_or_create(
        slug="nvao",
        defaults={
            "name": {"en": "Accreditation Organisation of the Netherlands and Flanders"},
            "acronym": "NVAO",
            "countries": ["NL", "BE"],
            "eqar_registered_since": date(2008, 5, 1),
        },
    )
    result = QAResult.objects.create(
        agency=agency,
        activity="institutional",
        decision="positive",
        valid_from=date(2020, 1, 1),
        valid_until=date(2031, 12, 31),
        covers_microcredentials=True,
        report_url="https://nvao.example/reports/nsu",
    )
    result.providers.add(provider)
    return result


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request: pytest.FixtureRequest) -> None:
    """Empty rate-limit counters (a database table transactional tests do not flush)."""
    wanted = [name for name in ("transactional_db", "db") if name in request.fixturenames]
    if not wanted:
        return
    request.getfixturevalue(wanted[0])
    from django.core.cache import caches

    caches["ratelimit"].clear()
