"""A mail backend for `make run`: print every message on the console and keep the last ones
in memory for the outbox page (``/wallet/outbox/``, debug mode only), so that whoever tries
the instance on a laptop can open the sign-in and claim links without a mail server."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.utils import timezone

#: How many messages the outbox keeps (the newest first).
KEEP = 50


@dataclass(frozen=True)
class Kept:
    sent: datetime
    to: tuple[str, ...]
    subject: str
    body: str


_kept: deque[Kept] = deque(maxlen=KEEP)


def messages() -> list[Kept]:
    """The messages sent through this backend in this process, the newest first."""
    return list(_kept)


def clear() -> None:
    _kept.clear()


class OutboxBackend(ConsoleBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            _kept.appendleft(
                Kept(timezone.now(), tuple(message.to), str(message.subject), str(message.body))
            )
        return int(super().send_messages(email_messages) or 0)
