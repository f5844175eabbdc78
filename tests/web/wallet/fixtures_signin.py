"""Fixtures of the sign-in, delivery and claim tests: a real SMTP server on 127.0.0.1
(aiosmtpd) that Django's SMTP backend sends to, and helpers that read links out of mail."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.web.issuing.conftest import HOST, IssuingWorld, issuing_settings, world

__all__ = ["HOST", "IssuingWorld", "Mailbox", "issuing_settings", "mailbox", "world"]


@dataclass
class Mailbox:
    port: int
    messages: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[Any]:
        return [message for rcpts, message in self.messages if address in rcpts]

    def text(self, message: Any) -> str:
        return str(message.get_body(preferencelist=("plain",)).get_content())

    def html(self, message: Any) -> str:
        return str(message.get_body(preferencelist=("html",)).get_content())

    def link(self, message: Any, kind: str) -> str:
        """The path of the ``/wallet/<kind>/...`` link in the message's plain text."""
        found = re.search(rf"https?://[^/\s]+(/wallet/{kind}/[^\s]+)", self.text(message))
        assert found, self.text(message)
        return found.group(1)

    def last_link(self, address: str, kind: str) -> str:
        return self.link(self.to(address)[-1], kind)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """Django sends real SMTP to a server on 127.0.0.1 that keeps what it receives."""
    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = box.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield box
    finally:
        controller.stop()


def dead_mail_server(settings: Any) -> None:
    """Point Django at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
