"""Approving a registration request creates the provider through the register's service and
the contact's staff account (no usable password) and mails a set-password link that works
once; rejecting needs a reason, which the contact is mailed. Both are audited."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Membership, Provider, Role

from .conftest import IssuingWorld, Mailbox, signed_in

PASSWORD = "a long and fresh password 42"


def _set_password_path(mailbox: Mailbox, address: str) -> str:
    text = mailbox.text(mailbox.to(address)[-1])
    found = re.search(r"https?://[^/\s]+(/welcome/set-password/\S+)", text)
    assert found, text
    return found.group(1)


def test_approving_creates_provider_account_and_mails_a_link(
    client: Any, world: IssuingWorld, pending_request: Any, mailbox: Mailbox
) -> None:
    signed_in(client, world.users["operator"])
    url = f"/operator/requests/{pending_request.public_id}/approve"
    response = client.post(url, {"slug": pending_request.slug})
    assert response.status_code == 302
    provider = Provider.objects.get(slug="baltic-coding-school")
    assert provider.legal_name == {"en": "Baltic Coding School"}
    assert (provider.kind, provider.country, provider.city) == ("company", "LV", "Riga")
    account = get_user_model().objects.get(email="ilze@bcs.example")
    assert not account.has_usable_password()
    assert Membership.objects.filter(user=account, role=Role.PROVIDER, provider=provider).exists()
    pending_request.refresh_from_db()
    assert pending_request.status == "approved" and pending_request.provider == provider
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "provider-created",
        "account-created",
        "membership-granted",
        "registration-approved",
    } <= actions

    path = _set_password_path(mailbox, "ilze@bcs.example")
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "Set your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.check_password(PASSWORD)
    # The link works once.
    again = client.get(path, follow=True)
    assert "has been used or has expired" in again.content.decode()


def test_a_taken_slug_at_approval_is_shown_at_the_field(
    client: Any, world: IssuingWorld, pending_request: Any, mailbox: Mailbox
) -> None:
    signed_in(client, world.users["operator"])
    url = f"/operator/requests/{pending_request.public_id}/approve"
    response = client.post(url, {"slug": world.provider_a.slug})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="slug-error"' in body and "exists already" in body
    assert not get_user_model().objects.filter(email="ilze@bcs.example").exists()
    assert mailbox.messages == []
    bad = client.post(url, {"slug": "Not a slug"})
    assert bad.status_code == 422 and 'value="Not a slug"' in bad.content.decode()


def test_an_existing_staff_account_is_reused(
    client: Any, world: IssuingWorld, pending_request: Any, mailbox: Mailbox
) -> None:
    staff = world.users["staff_b"]
    staff.email = "ilze@bcs.example"
    staff.save()
    signed_in(client, world.users["operator"])
    client.post(f"/operator/requests/{pending_request.public_id}/approve", {"slug": "bcs"})
    provider = Provider.objects.get(slug="bcs")
    assert Membership.objects.filter(user=staff, provider=provider).exists()
    assert get_user_model().objects.filter(email="ilze@bcs.example").count() == 1
    assert "/accounts/login/" in mailbox.text(mailbox.to("ilze@bcs.example")[-1])


def test_rejecting_needs_a_reason_and_mails_it(
    client: Any, world: IssuingWorld, pending_request: Any, mailbox: Mailbox
) -> None:
    signed_in(client, world.users["operator"])
    url = f"/operator/requests/{pending_request.public_id}/reject"
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 422 and 'id="reason-error"' in empty.content.decode()
    response = client.post(url, {"reason": "Not a provider of learning."})
    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == "rejected"
    row = AuditEvent.objects.get(action="registration-rejected")
    assert row.reason == "Not a provider of learning."
    assert "Not a provider of learning." in mailbox.text(mailbox.to("ilze@bcs.example")[-1])
    assert not Provider.objects.filter(slug="baltic-coding-school").exists()
    # Deciding twice is refused, not a 500.
    twice = client.post(
        f"/operator/requests/{pending_request.public_id}/approve", {"slug": "baltic-coding-school"}
    )
    assert twice.status_code == 409 and "already rejected" in twice.content.decode()


def test_a_mail_server_down_does_not_undo_the_decision(
    client: Any, world: IssuingWorld, pending_request: Any, settings: Any
) -> None:
    from tests.web.wallet.fixtures_signin import dead_mail_server

    dead_mail_server(settings)
    signed_in(client, world.users["operator"])
    response = client.post(
        f"/operator/requests/{pending_request.public_id}/approve", {"slug": "bcs"}, follow=True
    )
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert Provider.objects.filter(slug="bcs").exists()
