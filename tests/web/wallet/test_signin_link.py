"""Sign-in by a link mailed through a real SMTP server: single use, expiry, no enumeration,
staff kept apart, sign-out."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.web.wallet import fixtures_signin
from tests.web.wallet.fixtures_signin import Mailbox

# The fixtures these tests use (pytest finds them by name in the module).
mailbox = fixtures_signin.mailbox
issuing_settings = fixtures_signin.issuing_settings

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    """The page without its CSRF token (different on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def ask(client: Any, address: str) -> Any:
    return client.post("/wallet/sign-in/", {"email": address})


def test_new_address_gets_a_link_that_opens_a_new_wallet(client: Any, mailbox: Mailbox) -> None:
    from microcred_web.wallet.models import LearnerAccount, LearnerAddress

    response = ask(client, "ada@example.eu")
    assert response.status_code == 200
    assert "If this address can receive mail" in response.content.decode()
    [message] = mailbox.to("ada@example.eu")
    assert "sign in" in mailbox.text(message).lower()
    assert "/wallet/sign-in/" in mailbox.html(message)
    path = mailbox.link(message, "sign-in")
    # Opening the link (as a mail scanner would) does not use it.
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    assert not LearnerAccount.objects.exists()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/wallet/"
    account = LearnerAccount.objects.get()
    assert account.user.username.startswith("learner-")
    assert not account.user.has_usable_password()
    assert account.user.email == ""
    address = LearnerAddress.objects.get(account=account)
    assert address.email == "ada@example.eu" and address.verified is not None
    assert int(client.session["_auth_user_id"]) == account.user.pk


def test_a_link_works_once(client: Any, mailbox: Mailbox) -> None:
    from microcred_web.wallet.models import OneTimeLink

    ask(client, "ada@example.eu")
    path = mailbox.last_link("ada@example.eu", "sign-in")
    assert client.post(path).status_code == 302
    client.logout()
    again = client.post(path)
    assert again.status_code == 404
    assert "cannot be used" in again.content.decode()
    assert client.get(path).status_code == 404
    assert "_auth_user_id" not in client.session
    assert OneTimeLink.objects.get().email == ""  # the address is not kept once used


def test_a_late_link_and_an_unknown_link_answer_alike(client: Any, mailbox: Mailbox) -> None:
    from microcred_web.wallet.models import OneTimeLink

    ask(client, "ada@example.eu")
    path = mailbox.last_link("ada@example.eu", "sign-in")
    OneTimeLink.objects.update(expires=timezone.now() - timedelta(seconds=1))
    late = client.post(path)
    unknown = client.post("/wallet/sign-in/" + "x" * 43 + "/")
    assert late.status_code == unknown.status_code == 404
    assert page(late) == page(unknown)
    assert "_auth_user_id" not in client.session


def test_known_and_unknown_addresses_get_the_same_answer_and_one_mail(
    client: Any, mailbox: Mailbox
) -> None:
    from microcred_web.wallet.models import LearnerAccount

    ask(client, "known@example.eu")
    assert client.post(mailbox.last_link("known@example.eu", "sign-in")).status_code == 302
    client.logout()
    known = ask(client, "known@example.eu")
    unknown = ask(client, "stranger@example.eu")
    assert known.status_code == unknown.status_code == 200
    assert page(known) == page(unknown)
    assert len(mailbox.to("known@example.eu")) == 2
    assert len(mailbox.to("stranger@example.eu")) == 1
    # The known address's link signs in to the same wallet, whatever the case typed.
    ask(client, "Known@Example.EU")
    assert client.post(mailbox.last_link("Known@Example.EU", "sign-in")).status_code == 302
    assert LearnerAccount.objects.count() == 1


def test_not_an_address_is_refused_naming_the_field(client: Any, mailbox: Mailbox) -> None:
    response = ask(client, "not an email")
    assert response.status_code == 422
    assert "is not an e-mail address" in response.content.decode()
    assert mailbox.messages == []


def test_staff_are_never_turned_into_learners(client: Any, mailbox: Mailbox) -> None:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Membership, Role
    from microcred_web.wallet.models import LearnerAccount

    staff = get_user_model().objects.create(username="op", email="op@example.eu")
    Membership.objects.create(user=staff, role=Role.OPERATOR)
    ask(client, "op@example.eu")
    path = mailbox.last_link("op@example.eu", "sign-in")
    client.force_login(staff)
    assert client.get("/wallet/sign-in/").status_code == 200
    assert ask(client, "op@example.eu").status_code == 409
    assert client.post(path).status_code == 409
    assert int(client.session["_auth_user_id"]) == staff.pk
    assert not LearnerAccount.objects.filter(user=staff).exists()
    # Signed out, the same link opens a learner wallet of its own, not the staff account.
    client.logout()
    assert client.post(path).status_code == 302
    account = LearnerAccount.objects.get()
    assert account.user.pk != staff.pk


def test_sign_out(client: Any, mailbox: Mailbox) -> None:
    ask(client, "ada@example.eu")
    client.post(mailbox.last_link("ada@example.eu", "sign-in"))
    response = client.post("/wallet/sign-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_next_is_kept_when_it_is_on_this_site(client: Any, mailbox: Mailbox) -> None:
    client.post("/wallet/sign-in/", {"email": "ada@example.eu", "next": "/wallet/addresses/"})
    client.post("/wallet/sign-in/", {"email": "bob@example.eu", "next": "https://evil.example/"})
    path = mailbox.last_link("ada@example.eu", "sign-in")
    assert client.post(path)["Location"] == "/wallet/addresses/"
    client.logout()
    path = mailbox.last_link("bob@example.eu", "sign-in")
    assert client.post(path)["Location"] == "/wallet/"
