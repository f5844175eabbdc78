"""Operator tests reuse the issuing world (two providers with staff, an operator, a user with
no membership, a KEK) and the real SMTP server of the wallet tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.issuing.conftest import (  # noqa: F401 (fixtures)
    HOST,
    IssuingWorld,
    issuing_settings,
    world,
)
from tests.web.wallet.fixtures_signin import Mailbox, mailbox  # noqa: F401

REQUEST = {
    "legal_name": "Baltic Coding School",
    "name_language": "en",
    "slug": "baltic-coding-school",
    "kind": "company",
    "country": "LV",
    "city": "Riga",
    "website": "https://bcs.example",
    "national_id": "LV-123",
    "erasmus_code": "",
    "contact_name": "Ilze Kalnina",
    "contact_email": "ilze@bcs.example",
    "message": "We run short courses.",
}


@pytest.fixture
def pending_request(db: Any) -> Any:
    from microcred_web.operator import registration

    values = {k: v for k, v in REQUEST.items()}
    assert registration.check(values) == []
    return registration.submit(values)


def signed_in(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client
