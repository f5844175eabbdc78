"""The claim page: what the credential is, "Add to my wallet" signed out (the address the
message came to) or signed in; single use, late use, unknown link, staff refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.web.wallet import fixtures_signin
from tests.web.wallet.fixtures_signin import IssuingWorld, Mailbox

mailbox = fixtures_signin.mailbox
issuing_settings = fixtures_signin.issuing_settings
world = fixtures_signin.world
pytestmark = pytest.mark.django_db

ADDRESS = "Ada@Example.eu"


def issued(world: IssuingWorld, mailbox: Mailbox, capture: Any) -> tuple[Any, str]:
    from microcred_web.issuing.issue import Learner, issue_credential

    with capture(execute=True):
        record = issue_credential(world.users["staff_a"], world.spec_a, Learner(ADDRESS)).record
    return record, mailbox.last_link(ADDRESS, "claim")


def test_claim_signed_out_opens_a_wallet_with_the_credential(
    world: IssuingWorld, client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.wallet.models import LearnerAccount, LearnerAddress, WalletEntry

    record, path = issued(world, mailbox, django_capture_on_commit_callbacks)
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    for shown in ("Data stewardship basics", "North Sea University", "Add to my wallet"):
        assert shown in text
    assert record.issued_at.strftime("%Y-%m-%d") in text
    wrong = client.post(path, {"email": "eve@example.eu"})
    assert wrong.status_code == 422
    assert "not the address the claim message was sent to" in wrong.content.decode()
    assert client.get(path).status_code == 200  # a wrong address does not use the link
    response = client.post(path, {"email": "ada@example.eu"})
    assert response.status_code == 302 and response["Location"] == "/wallet/"
    account = LearnerAccount.objects.get()
    assert int(client.session["_auth_user_id"]) == account.user.pk
    assert WalletEntry.objects.get(account=account).issued_id == record.pk
    assert LearnerAddress.objects.get(account=account).verified is not None
    again = client.post(path, {"email": "ada@example.eu"})
    assert again.status_code == 410
    assert "Already claimed" in again.content.decode()


def test_claim_signed_in_adds_to_that_wallet(
    world: IssuingWorld, client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.wallet.models import LearnerAddress, WalletEntry

    client.post("/wallet/sign-in/", {"email": "bob@example.eu"})
    client.post(mailbox.last_link("bob@example.eu", "sign-in"))
    client.post("/wallet/addresses/", {"email": "ada@example.eu"})  # added, not verified
    record, path = issued(world, mailbox, django_capture_on_commit_callbacks)
    response = client.post(path)
    assert response.status_code == 302
    entry = WalletEntry.objects.get()
    assert entry.issued_id == record.pk and entry.account.addresses.count() == 2
    # The claim link proved the address the wallet held unverified.
    assert LearnerAddress.objects.filter(verified__isnull=True).count() == 0


def test_late_and_unknown_claim_links(
    world: IssuingWorld, client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.wallet.models import OneTimeLink, WalletEntry

    _record, path = issued(world, mailbox, django_capture_on_commit_callbacks)
    OneTimeLink.objects.update(expires=timezone.now() - timedelta(minutes=1))
    late = client.post(path, {"email": ADDRESS})
    assert late.status_code == 410 and "expired" in late.content.decode()
    assert client.get("/wallet/claim/" + "y" * 43 + "/").status_code == 404
    assert not WalletEntry.objects.exists()


def test_staff_cannot_claim(
    world: IssuingWorld, client: Any, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.wallet.models import WalletEntry

    _record, path = issued(world, mailbox, django_capture_on_commit_callbacks)
    client.force_login(world.users["staff_a"])
    assert client.post(path, {"email": ADDRESS}).status_code == 409
    assert not WalletEntry.objects.exists()
