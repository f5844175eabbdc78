"""The outbox page lists the messages sent in debug mode (`make run`), and exists only then."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.wallet import fixtures_signin

issuing_settings = fixtures_signin.issuing_settings
pytestmark = pytest.mark.django_db


def test_outbox_shows_the_links_in_debug(client: Any, settings: Any) -> None:
    from microcred_web.wallet import outbox

    outbox.clear()
    settings.EMAIL_BACKEND = "microcred_web.wallet.outbox.OutboxBackend"
    settings.DEBUG = True
    assert client.post("/wallet/sign-in/", {"email": "ada@example.eu"}).status_code == 200
    page = client.get("/wallet/outbox/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your sign-in link" in text and "ada@example.eu" in text
    assert 'href="https://issuer.example/wallet/sign-in/' in text


def test_no_outbox_outside_debug(client: Any, settings: Any) -> None:
    settings.DEBUG = False
    assert client.get("/wallet/outbox/").status_code == 404
