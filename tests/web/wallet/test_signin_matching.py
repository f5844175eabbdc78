"""Credentials issued to an address join the wallet of the learner who verified it: those
issued before the wallet existed (at sign-in), on verifying another address, and at issue
time; whatever the case the issuer typed; never brought back once removed; idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.web.wallet import fixtures_signin
from tests.web.wallet.fixtures_signin import IssuingWorld, Mailbox

mailbox = fixtures_signin.mailbox
issuing_settings = fixtures_signin.issuing_settings
world = fixtures_signin.world
pytestmark = pytest.mark.django_db


def issue(world: IssuingWorld, identifier: str, spec: str = "a", notify: bool = False) -> Any:
    from microcred_web.issuing.issue import Learner, issue_credential

    who, specification = ("staff_a", world.spec_a) if spec == "a" else ("staff_b", world.spec_b)
    return issue_credential(
        world.users[who], specification, Learner(identifier), notify=notify
    ).record


def sign_in(client: Any, mailbox: Mailbox, address: str) -> Any:
    from microcred_web.wallet.access import account_of

    client.post("/wallet/sign-in/", {"email": address})
    assert client.post(mailbox.last_link(address, "sign-in")).status_code == 302
    return account_of(client.session and _user(client))


def _user(client: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def entries(account: Any) -> set[int]:
    from microcred_web.wallet.models import WalletEntry

    return set(WalletEntry.objects.filter(account=account).values_list("issued_id", flat=True))


def test_credentials_issued_before_the_wallet_appear_at_sign_in(
    world: IssuingWorld, client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        mixed = issue(world, "Ada@Example.EU")  # the issuer typed capitals
        lower = issue(world, "ada@example.eu", spec="b")
        issue(world, "someone@example.eu")
    account = sign_in(client, mailbox, "ada@example.eu")
    assert entries(account) == {mixed.pk, lower.pk}


def test_issued_later_joins_at_once(
    world: IssuingWorld, client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    account = sign_in(client, mailbox, "ada@example.eu")
    with django_capture_on_commit_callbacks(execute=True):
        record = issue(world, "ADA@example.eu")
    assert entries(account) == {record.pk}


def test_a_removed_entry_is_not_brought_back_and_sync_is_idempotent(
    world: IssuingWorld, client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.wallet.matching import sync_entries
    from microcred_web.wallet.models import WalletEntry

    with django_capture_on_commit_callbacks(execute=True):
        issue(world, "ada@example.eu")
    account = sign_in(client, mailbox, "ada@example.eu")
    assert sync_entries(account) == 0
    WalletEntry.objects.filter(account=account).update(removed=timezone.now())
    assert sync_entries(account) == 0
    client.logout()
    sign_in(client, mailbox, "ada@example.eu")
    assert WalletEntry.objects.filter(account=account).count() == 1
    assert WalletEntry.objects.get(account=account).removed is not None


def test_verifying_another_address_brings_its_credentials(
    world: IssuingWorld, client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        work = issue(world, "ada@work.example")
    account = sign_in(client, mailbox, "ada@example.eu")
    assert entries(account) == set()
    response = client.post("/wallet/addresses/", {"email": "Ada@Work.example"})
    assert response.status_code == 302
    page = client.get("/wallet/addresses/").content.decode()
    assert "Ada@Work.example" in page and "Waiting for confirmation" in page
    path = mailbox.last_link("Ada@Work.example", "verify")
    assert client.get(path).status_code == 200
    assert entries(account) == set()
    assert client.post(path).status_code == 200
    assert entries(account) == {work.pk}
    assert client.post(path).status_code == 404  # single use


def test_an_address_has_one_verified_owner(client: Any, mailbox: Mailbox) -> None:
    from microcred_web.wallet.models import LearnerAddress

    sign_in(client, mailbox, "shared@example.eu")
    client.logout()
    sign_in(client, mailbox, "bob@example.eu")
    client.post("/wallet/addresses/", {"email": "SHARED@example.eu"})
    refused = client.post(mailbox.last_link("SHARED@example.eu", "verify"))
    assert refused.status_code == 409
    assert "belongs to another wallet" in refused.content.decode()
    assert LearnerAddress.objects.filter(verified__isnull=False).count() == 2


def test_removing_addresses(client: Any, mailbox: Mailbox) -> None:
    from microcred_web.wallet.models import LearnerAddress

    account = sign_in(client, mailbox, "ada@example.eu")
    only = LearnerAddress.objects.get(account=account)
    refused = client.post(f"/wallet/addresses/{only.pk}/remove/")
    assert refused.status_code == 409 and LearnerAddress.objects.filter(pk=only.pk).exists()
    client.post("/wallet/addresses/", {"email": "other@example.eu"})
    other = LearnerAddress.objects.get(account=account, verified__isnull=True)
    assert client.post(f"/wallet/addresses/{other.pk}/remove/").status_code == 302
    assert not LearnerAddress.objects.filter(pk=other.pk).exists()
    # Another learner's address is not reachable.
    client.logout()
    sign_in(client, mailbox, "bob@example.eu")
    assert client.post(f"/wallet/addresses/{only.pk}/remove/").status_code == 404


def test_addresses_page_needs_a_learner(client: Any) -> None:
    response = client.get("/wallet/addresses/")
    assert response.status_code == 302
    assert response["Location"].startswith("/wallet/sign-in/?next=")


def test_a_race_is_settled_by_the_unique_constraint(
    world: IssuingWorld, client: Any, mailbox: Mailbox, monkeypatch: Any
) -> None:
    """A second process that read "missing" before the first inserted adds nothing."""
    from microcred_web.wallet import matching
    from microcred_web.wallet.models import WalletEntry

    account = sign_in(client, mailbox, "ada@example.eu")
    record = issue(world, "ada@example.eu")  # on_commit not run: not matched yet
    assert matching.add_entry(account, record.pk) is True
    assert matching.add_entry(account, record.pk) is False  # the loser of the race
    # sync_entries whose "already there" read is stale still adds each credential once.
    real = WalletEntry.objects.filter
    monkeypatch.setattr(
        WalletEntry.objects,
        "filter",
        lambda *a, **k: real(pk__in=[]) if "issued__isnull" in k else real(*a, **k),
    )
    assert matching.sync_entries(account) == 0
    assert WalletEntry.objects.filter(account=account).count() == 1
