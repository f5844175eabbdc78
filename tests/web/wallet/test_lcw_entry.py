"""A signed-in learner offers their own wallet entry to Learner Credential Wallet: a POST makes a
fresh exchange and shows its link and QR code; nobody else's entry, nor a removed one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from microcred_web.wallet.models import CredentialExchange, LearnerAccount, WalletEntry
from tests.web.issuing.conftest import HOST
from tests.web.wallet import fixtures_lcw
from tests.web.wallet.fixtures_lcw import post

issuing_settings = fixtures_lcw.issuing_settings
world = fixtures_lcw.world
record = fixtures_lcw.record

pytestmark = pytest.mark.django_db


def learner(name: str) -> LearnerAccount:
    user = get_user_model().objects.create_user(username=name, password=None)
    return LearnerAccount.objects.create(user=user)


@pytest.fixture
def entry(record: Any) -> WalletEntry:
    return WalletEntry.objects.create(account=learner("ada"), source="issued", issued=record)


def offer_url(entry: WalletEntry) -> str:
    return reverse("wallet:entry-other-wallets", args=[entry.public_id])


def test_learner_gets_a_fresh_offer_of_their_entry(client: Any, entry: WalletEntry) -> None:
    client.force_login(entry.account.user)
    response = client.post(offer_url(entry), HTTP_HOST=HOST, secure=True)
    assert response.status_code == 200
    html = response.content.decode()
    exchange = CredentialExchange.objects.get()
    assert (exchange.account, exchange.issued) == (entry.account, entry.issued)
    assert f"https%3A%2F%2F{HOST}%2Fapi%2Fv1%2Fexchanges%2F{exchange.public_id}%2F" in html
    assert "<svg" in html and 'href="https://lcw.app/request.html?' in html
    assert "Data stewardship basics" in html
    # the exchange it made answers a wallet, and the audit row names the learner
    link = next(part for part in html.split('"') if part.startswith("https://lcw.app/"))
    from urllib.parse import parse_qs, urlsplit

    url = parse_qs(urlsplit(link.replace("&amp;", "&")).query)["vc_request_url"][0]
    client.logout()
    assert post(client, url, {}).status_code == 200


def test_entry_partial_posts_to_the_offer(entry: WalletEntry) -> None:
    html = render_to_string("wallet/_entry_other_wallets.html", {"entry": entry, "csrf_token": "t"})
    assert f'action="{offer_url(entry)}"' in html and 'method="post"' in html
    entry.removed = timezone.now()
    assert "<form" not in render_to_string("wallet/_entry_other_wallets.html", {"entry": entry})


def test_another_learners_entry_is_404(client: Any, entry: WalletEntry) -> None:
    client.force_login(learner("eve").user)
    assert client.post(offer_url(entry), HTTP_HOST=HOST, secure=True).status_code == 404
    assert not CredentialExchange.objects.exists()


def test_removed_or_imported_entry_is_404(client: Any, entry: WalletEntry) -> None:
    client.force_login(entry.account.user)
    WalletEntry.objects.filter(pk=entry.pk).update(removed=timezone.now())
    assert client.post(offer_url(entry), HTTP_HOST=HOST, secure=True).status_code == 404
    imported = WalletEntry.objects.create(
        account=entry.account, source="imported", credential={"type": ["VerifiableCredential"]}
    )
    assert client.post(offer_url(imported), HTTP_HOST=HOST, secure=True).status_code == 404
    assert not CredentialExchange.objects.exists()


def test_get_is_refused_and_nothing_made(client: Any, entry: WalletEntry) -> None:
    client.force_login(entry.account.user)
    assert client.get(offer_url(entry), HTTP_HOST=HOST, secure=True).status_code == 405
    assert not CredentialExchange.objects.exists()


def test_staff_and_visitors_go_to_the_sign_in(
    client: Any, entry: WalletEntry, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a learner's own wallet: others are sent to the learner sign-in (the sign-in page
    is another module's; its address is stubbed here), nothing is made."""
    from microcred_web.wallet import access

    real = access.reverse
    monkeypatch.setattr(
        access,
        "reverse",
        lambda name, *a, **k: "/sign-in/" if name == "wallet:sign-in" else real(name, *a, **k),
    )
    for user in (world.users["staff_a"], None):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.post(offer_url(entry), HTTP_HOST=HOST, secure=True)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")
    assert not CredentialExchange.objects.exists()
