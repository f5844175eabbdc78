"""Registration requests through the API: the public request with the form's own checks and
rate limit, the operator's queue, approval (provider, account, a mail with a set-password link
that works) and rejection (a reason, mailed), each audited as ``api``."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model

from microcred_web.issuing.models import AuditEvent
from microcred_web.operator.models import RegistrationRequest
from microcred_web.register.models import Membership, Provider, Role

from .conftest import REQUEST, ApiWorld, Mailbox, errors_name

URL = "/api/v1/registration-requests"
NEW = REQUEST | {"legal_name": "Tallinn Data School", "slug": "tallinn-data-school"}


def test_anyone_may_ask_to_join_and_gets_an_id(api: ApiWorld, mailbox: Mailbox) -> None:
    response = api.post("anonymous", URL, NEW)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and re.fullmatch(r"R-\w+", body["id"])
    saved = RegistrationRequest.objects.get(public_id=body["id"])
    assert (saved.slug, saved.contact_email) == ("tallinn-data-school", "ilze@bcs.example")
    row = AuditEvent.objects.get(
        action="registration-requested", target=f"registration {body['id']}"
    )
    assert row.interface == "api" and "ilze" not in str(row.details)
    assert mailbox.messages == []  # nothing is mailed until the operator decides
    assert "contact_email" not in body


def test_the_forms_checks_name_the_field(api: ApiWorld) -> None:
    cases = [
        ({k: v for k, v in NEW.items() if k != "legal_name"}, "legal_name"),
        (NEW | {"contact_email": "not an address"}, "contact_email"),
        (NEW | {"website": "http://"}, "website"),
        (NEW | {"country": "XX"}, "country"),
        (NEW | {"kind": "pirate"}, "kind"),
        (NEW | {"slug": "no_underscores"}, "slug"),
        (NEW | {"legal_name": "   "}, "legal_name"),
        (NEW | {"surprise": 1}, "surprise"),
    ]
    for body, field in cases:
        response = api.post("anonymous", URL, body)
        assert response.status_code == 422, (field, response.content)
        assert errors_name(response, field), (field, response.json())
    assert RegistrationRequest.objects.filter(slug=NEW["slug"]).count() == 0


def test_a_taken_short_name_is_what_it_reveals(api: ApiWorld) -> None:
    """As on the form: a short name taken by a provider or by a pending request is refused at
    ``slug``; nothing else about other records shows."""
    for slug in (api.provider_a.slug, api.request.slug):
        response = api.post("anonymous", URL, NEW | {"slug": slug})
        assert response.status_code == 422
        body = response.json()
        assert [f["path"] for f in body["findings"]] == ["slug"]
        assert body["findings"][0]["code"] == "duplicate-value"
    # The same legal name and contact as a pending request is no reason to refuse (or reveal).
    assert (
        api.post("anonymous", URL, NEW | {"legal_name": api.request.legal_name}).status_code == 201
    )


def test_the_public_request_shares_the_forms_rate_limit(api: ApiWorld, settings: Any) -> None:
    settings.MICROCRED_RATE_LIMITS = settings.MICROCRED_RATE_LIMITS | {
        "register-organisation": "2/h"
    }
    from django.test import Client

    page = Client().post("/register-organisation/", {"legal_name": ""})
    assert page.status_code == 422
    first = api.post("anonymous", URL, NEW)
    assert first.status_code == 201
    refused = api.post("anonymous", URL, NEW | {"slug": "another-school"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate-limited" and refused["Retry-After"]
    assert not RegistrationRequest.objects.filter(slug="another-school").exists()


def test_the_operators_queue_filters_by_state(api: ApiWorld) -> None:
    other = api.post("anonymous", URL, NEW).json()["id"]
    api.post("operator", f"{URL}/{other}/reject", {"reason": "a duplicate of R-1"})

    pending = api.get("operator", URL).json()
    assert [item["id"] for item in pending["items"]] == [api.request.public_id]
    assert pending["items"][0]["contact_email"] == "ilze@bcs.example"
    rejected = api.get("operator", URL, {"status": "rejected"}).json()
    assert [item["id"] for item in rejected["items"]] == [other]
    assert rejected["items"][0]["reason"] == "a duplicate of R-1"
    everything = api.get("operator", URL, {"status": ""}).json()
    assert everything["count"] == 2
    paged = api.get("operator", URL, {"status": "", "per_page": 1, "page": 2}).json()
    assert paged["count"] == 2 and len(paged["items"]) == 1
    bad = api.get("operator", URL, {"status": "lost"})
    assert bad.status_code == 422 and errors_name(bad, "status")


def test_approving_creates_provider_and_account_and_mails_a_working_link(
    api: ApiWorld, mailbox: Mailbox
) -> None:
    response = api.post("operator", f"{URL}/{api.request.public_id}/approve", {})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["mail_sent"] is True and body["mail_error"] == ""
    assert body["request"]["status"] == "approved"
    assert body["request"]["provider"] == "baltic-coding-school"
    assert body["provider"]["slug"] == "baltic-coding-school"
    provider = Provider.objects.get(slug="baltic-coding-school")
    account = get_user_model().objects.get(username=body["account"])
    assert account.email == "ilze@bcs.example" and not account.has_usable_password()
    assert Membership.objects.filter(user=account, role=Role.PROVIDER, provider=provider).exists()
    rows = AuditEvent.objects.filter(
        action__in=[
            "provider-created",
            "account-created",
            "membership-granted",
            "registration-approved",
        ]
    )
    assert rows.count() == 4 and set(rows.values_list("interface", flat=True)) == {"api"}

    (message,) = mailbox.to("ilze@bcs.example")
    found = re.search(r"https?://[^/\s]+(/welcome/set-password/\S+)", mailbox.text(message))
    assert found, mailbox.text(message)
    from django.test import Client

    client = Client()
    form = client.get(found.group(1), follow=True)
    assert form.status_code == 200 and "Set your password" in form.content.decode()
    password = "a long and fresh password 42"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.check_password(password)

    again = api.post("operator", f"{URL}/{api.request.public_id}/approve", {})
    assert again.status_code == 409 and again.json()["code"] == "already-decided"
    assert len(mailbox.to("ilze@bcs.example")) == 1


def test_approving_under_another_short_name(api: ApiWorld, mailbox: Mailbox) -> None:
    taken = api.post(
        "operator", f"{URL}/{api.request.public_id}/approve", {"slug": api.provider_a.slug}
    )
    assert taken.status_code == 422 and errors_name(taken, "slug")
    assert not get_user_model().objects.filter(email="ilze@bcs.example").exists()
    assert mailbox.messages == []
    bad = api.post("operator", f"{URL}/{api.request.public_id}/approve", {"slug": "Not a slug"})
    assert bad.status_code == 422 and errors_name(bad, "slug")

    ok = api.post("operator", f"{URL}/{api.request.public_id}/approve", {"slug": "BCS-Riga"})
    assert ok.status_code == 200
    assert Provider.objects.filter(slug="bcs-riga").exists()


def test_rejecting_needs_a_reason_which_is_mailed(api: ApiWorld, mailbox: Mailbox) -> None:
    path = f"{URL}/{api.request.public_id}/reject"
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = api.post("operator", path, body)
        assert response.status_code == 422, body
        assert errors_name(response, "reason"), response.json()
    assert mailbox.messages == []

    response = api.post("operator", path, {"reason": "We register providers of learning only."})
    assert response.status_code == 200
    assert response.json()["request"]["status"] == "rejected"
    assert response.json()["provider"] is None and response.json()["account"] is None
    (message,) = mailbox.to("ilze@bcs.example")
    assert "We register providers of learning only." in mailbox.text(message)
    row = AuditEvent.objects.get(action="registration-rejected")
    assert row.interface == "api" and row.actor == api.users["operator"]
    assert not Provider.objects.filter(slug="baltic-coding-school").exists()
    assert api.post("operator", path, {"reason": "again"}).status_code == 409


def test_a_mail_that_cannot_be_sent_does_not_undo_the_decision(
    api: ApiWorld, settings: Any
) -> None:
    from tests.web.wallet.fixtures_signin import dead_mail_server

    dead_mail_server(settings)
    response = api.post("operator", f"{URL}/{api.request.public_id}/approve", {})
    assert response.status_code == 200
    assert response.json()["mail_sent"] is False and response.json()["mail_error"]
    assert Provider.objects.filter(slug="baltic-coding-school").exists()
