"""Fixtures of the team tests: the issuing world (two providers, a KEK, published
specifications) with a provider team of every level, an agency with staff, and a real SMTP
server on 127.0.0.1 (``mailbox``) where invitations arrive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from tests.web.issuing.conftest import IssuingWorld, issuing_settings, world  # noqa: F401
from tests.web.wallet.fixtures_signin import Mailbox, dead_mail_server, mailbox  # noqa: F401

PASSWORD = "a long team test password"

#: Who is who: the issuing world's users, plus these (username -> membership).
LEVELS = {"editor_a": "editor", "issuer_a": "issuer", "admin_a": "admin"}


@dataclass
class TeamWorld:
    base: IssuingWorld
    agency: Any
    other_agency: Any
    users: dict[str, Any]

    @property
    def provider_a(self) -> Any:
        return self.base.provider_a

    @property
    def provider_b(self) -> Any:
        return self.base.provider_b

    def client(self, who: str | None) -> Any:
        from django.test import Client

        client = Client()
        if who is not None:
            client.force_login(self.users[who])
        return client

    def token(self, who: str) -> str:
        from microcred_web.register.tokens import create_token

        return create_token(self.users[who], "tests").token


@pytest.fixture
def team(world: IssuingWorld) -> TeamWorld:  # noqa: F811
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Agency, Membership, Role

    users = dict(world.users)  # operator, staff_a (admin), staff_b (admin), nobody
    user_model = get_user_model()
    for name, level in LEVELS.items():
        user = user_model.objects.create(username=name, email=f"{name}@nsu.example")
        Membership.objects.create(
            user=user, role=Role.PROVIDER, provider=world.provider_a, level=level
        )
        users[name] = user
    agency = Agency.objects.create(slug="nvao", acronym="NVAO", name={"en": "NVAO agency"})
    other = Agency.objects.create(slug="aqas", acronym="AQAS", name={"en": "AQAS agency"})
    for name, target in (("agency_staff", agency), ("other_agency_staff", other)):
        user = user_model.objects.create(username=name, email=f"{name}@agency.example")
        Membership.objects.create(user=user, role=Role.AGENCY, agency=target)
        users[name] = user
    return TeamWorld(world, agency, other, users)


def invitation_path(box: Mailbox, address: str) -> str:
    """The path of the invitation link in the last message to ``address``."""
    messages = box.to(address)
    assert messages, f"no mail to {address}"
    text = box.text(messages[-1])
    found = re.search(r"https?://[^/\s]+(/team/invitations/[^\s]+)", text)
    assert found, text
    return found.group(1)
