"""Asking for sign-in links is limited per address and per network (429)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.wallet import fixtures_signin
from tests.web.wallet.fixtures_signin import Mailbox

# The fixtures these tests use (pytest finds them by name in the module).
mailbox = fixtures_signin.mailbox
issuing_settings = fixtures_signin.issuing_settings

pytestmark = pytest.mark.django_db


def limits(settings: Any, **rates: str) -> None:
    settings.MICROCRED_RATE_LIMITS = {
        **settings.MICROCRED_RATE_LIMITS,
        **{scope.replace("_", "-"): rate for scope, rate in rates.items()},
    }


def test_per_address(client: Any, mailbox: Mailbox, settings: Any) -> None:
    limits(settings, wallet_link_address="2/h")
    for _ in range(2):
        assert client.post("/wallet/sign-in/", {"email": "ada@example.eu"}).status_code == 200
    # The same address in capitals is the same address.
    refused = client.post("/wallet/sign-in/", {"email": "ADA@example.eu"})
    assert refused.status_code == 429 and "Retry-After" in refused
    assert len(mailbox.messages) == 2
    assert client.post("/wallet/sign-in/", {"email": "bob@example.eu"}).status_code == 200


def test_per_network(client: Any, mailbox: Mailbox, settings: Any) -> None:
    limits(settings, wallet_link_ip="3/h")
    for n in range(3):
        assert client.post("/wallet/sign-in/", {"email": f"l{n}@example.eu"}).status_code == 200
    assert client.post("/wallet/sign-in/", {"email": "l9@example.eu"}).status_code == 429
    other = client.post("/wallet/sign-in/", {"email": "l9@example.eu"}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200
    assert len(mailbox.messages) == 4


def test_using_links_is_limited_per_network(client: Any, settings: Any) -> None:
    limits(settings, wallet_link_use="2/h")
    for _ in range(2):
        assert client.post("/wallet/sign-in/" + "x" * 43 + "/").status_code == 404
    assert client.post("/wallet/sign-in/" + "x" * 43 + "/").status_code == 429
