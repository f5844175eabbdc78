"""Bulk issuing mails one claim message per credential: a run that died after committing and
before mailing is resumed with every message sent once, and none twice."""

from __future__ import annotations

from typing import Any

from tests.web.wallet import fixtures_signin
from tests.web.wallet.fixtures_signin import IssuingWorld, Mailbox, dead_mail_server

mailbox = fixtures_signin.mailbox
issuing_settings = fixtures_signin.issuing_settings
world = fixtures_signin.world


def learners(n: int) -> list[Any]:
    from microcred_web.issuing.issue import Learner

    return [(line, Learner(f"learner{line}@example.eu")) for line in range(2, 2 + n)]


def test_resumed_bulk_run_sends_each_message_once(
    world: IssuingWorld, mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    from microcred_web.issuing.bulk import issue_many
    from microcred_web.wallet.models import ClaimDelivery

    user, spec = world.users["staff_a"], world.spec_a
    # The first run commits its first two batches, then dies before their mails go out.
    with django_capture_on_commit_callbacks(execute=False):
        first = issue_many(user, spec, learners(4), None, batch_size=2)
    assert first.issued == 4 and mailbox.messages == []
    assert set(ClaimDelivery.objects.values_list("state", flat=True)) == {"pending"}
    # Resumed with more learners: the four waiting messages go, and the two new ones.
    with django_capture_on_commit_callbacks(execute=True):
        second = issue_many(user, spec, learners(6), None, batch_size=2)
    assert (second.issued, second.existing) == (2, 4)
    received = sorted(rcpt for rcpts, _ in mailbox.messages for rcpt in rcpts)
    assert received == sorted(f"learner{line}@example.eu" for line in range(2, 8))
    # Once more: everything was delivered, nothing is sent again.
    with django_capture_on_commit_callbacks(execute=True):
        issue_many(user, spec, learners(6), None, batch_size=2)
    assert len(mailbox.messages) == 6
    assert set(ClaimDelivery.objects.values_list("state", flat=True)) == {"sent"}


def test_bulk_run_with_the_mail_server_down_is_delivered_when_resumed(
    world: IssuingWorld,
    mailbox: Mailbox,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from microcred_web.issuing.bulk import issue_many
    from microcred_web.issuing.models import AuditEvent
    from microcred_web.wallet.models import ClaimDelivery

    user, spec = world.users["staff_a"], world.spec_a
    live_port = settings.EMAIL_PORT
    dead_mail_server(settings)
    with django_capture_on_commit_callbacks(execute=True):
        report = issue_many(user, spec, learners(3), None, batch_size=2)
    assert report.issued == 3 and not report.failed
    assert set(ClaimDelivery.objects.values_list("state", flat=True)) == {"failed"}
    assert AuditEvent.objects.filter(action="claim-mail-failed").count() == 3
    settings.EMAIL_PORT = live_port
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            issue_many(user, spec, learners(3), None, batch_size=2)
    assert len(mailbox.messages) == 3
    assert set(ClaimDelivery.objects.values_list("state", flat=True)) == {"sent"}
