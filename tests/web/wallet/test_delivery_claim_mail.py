"""Issuing to an e-mail address mails a claim message (real SMTP), stores no address, and a
mail server that is down loses nothing: the credential is issued, the failure recorded and
the message sent when the issuer issues again."""

from __future__ import annotations

from typing import Any

from tests.web.wallet import fixtures_signin
from tests.web.wallet.fixtures_signin import IssuingWorld, Mailbox, dead_mail_server

mailbox = fixtures_signin.mailbox
issuing_settings = fixtures_signin.issuing_settings
world = fixtures_signin.world

ADDRESS = "Ada.Lovelace@Example.eu"


def issue(world: IssuingWorld, identifier: str = ADDRESS, **options: Any) -> Any:
    from microcred_web.issuing.issue import Learner, issue_credential

    return issue_credential(
        world.users["staff_a"], world.spec_a, Learner(identifier, "Ada"), **options
    )


def test_issuing_to_an_address_mails_a_claim_link(
    world: IssuingWorld, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.issuing.models import AuditEvent
    from microcred_web.wallet.models import ClaimDelivery, OneTimeLink

    with django_capture_on_commit_callbacks(execute=True):
        outcome = issue(world)
    [message] = mailbox.to(ADDRESS)
    assert "Data stewardship basics" in str(message["Subject"])
    assert "North Sea University" in mailbox.text(message)
    assert "/wallet/claim/" in mailbox.html(message)
    mailbox.link(message, "claim")
    delivery = ClaimDelivery.objects.get(issued=outcome.record)
    assert delivery.state == "sent" and delivery.sent is not None and delivery.attempts == 1
    link = OneTimeLink.objects.get(purpose="claim")
    assert link.email == "" and link.issued_id == outcome.record.pk
    # The address is nowhere in the database, in any case.
    for row in [delivery, link, *AuditEvent.objects.all()]:
        values = str([getattr(row, f.attname) for f in row._meta.concrete_fields]).lower()
        assert ADDRESS.lower() not in values


def test_issuing_again_sends_no_second_message(
    world: IssuingWorld, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        issue(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert issue(world).created is False
    assert len(mailbox.to(ADDRESS)) == 1


def test_identifiers_that_are_not_addresses_get_no_message(
    world: IssuingWorld, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.wallet.models import ClaimDelivery

    with django_capture_on_commit_callbacks(execute=True):
        issue(world, "student-4711")
    assert mailbox.messages == [] and not ClaimDelivery.objects.exists()


def test_notify_false_sends_nothing(
    world: IssuingWorld, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.wallet.models import ClaimDelivery

    with django_capture_on_commit_callbacks(execute=True):
        issue(world, notify=False)
    assert mailbox.messages == []
    assert ClaimDelivery.objects.get().state == "off"


def test_mail_server_down_loses_nothing(
    world: IssuingWorld,
    settings: Any,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord
    from microcred_web.wallet.models import ClaimDelivery

    live_port = settings.EMAIL_PORT
    dead_mail_server(settings)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = issue(world)
    assert outcome.created and IssuedCredentialRecord.objects.count() == 1
    delivery = ClaimDelivery.objects.get()
    assert delivery.state == "failed" and "ConnectionRefused" in delivery.error
    event = AuditEvent.objects.get(action="claim-mail-failed")
    assert event.target == f"credential {outcome.record.public_id}"
    assert "example.eu" not in str(event.details).lower()
    # The server is back: issuing to the same learner again sends the message, once.
    settings.EMAIL_PORT = live_port
    with django_capture_on_commit_callbacks(execute=True):
        assert issue(world).created is False
    with django_capture_on_commit_callbacks(execute=True):
        issue(world)
    assert len(mailbox.to(ADDRESS)) == 1
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 2
