"""The learner's "Add to Learner Credential Wallet" page in Chromium: under the CSP (no
violation), the link and the QR code shown, and the code read back from the screen."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from PIL import Image

from microcred_web.wallet.models import LearnerAccount, WalletEntry
from tests.web.wallet import fixtures_lcw

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

issuing_settings = fixtures_lcw.issuing_settings
world = fixtures_lcw.world
record = fixtures_lcw.record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_entry_offer_page_in_chromium(
    live_server: LiveServer, page: Page, record: Any, settings: Any, tmp_path: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    user = get_user_model().objects.create_user(username="ada", password=None)
    account = LearnerAccount.objects.create(user=user)
    entry = WalletEntry.objects.create(account=account, source="issued", issued=record)
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )

    assert page.goto(live_server.url + "/").status == 200
    # submit the entry's form as the wallet page would (the form is the partial's markup)
    action = reverse("wallet:entry-other-wallets", args=[entry.public_id])
    page.evaluate(
        """action => {
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            const form = document.createElement('form');
            form.method = 'post'; form.action = action;
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = 'csrfmiddlewaretoken'; input.value = token;
            form.appendChild(input); document.body.appendChild(form); form.submit();
        }""",
        action,
    )
    page.wait_for_url(live_server.url + action)
    assert page.get_by_role("heading", level=1).inner_text() == "Add to Learner Credential Wallet"
    link = page.get_by_role("link", name="Open in Learner Credential Wallet")
    deep_link = link.get_attribute("href")
    assert deep_link is not None and deep_link.startswith("https://lcw.app/request.html?")
    qr = page.get_by_role("img", name="QR code for Learner Credential Wallet")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())).convert("L"))
    assert [code.text for code in found] == [deep_link]
    page.screenshot(path=str(tmp_path / "lcw-offer.png"), full_page=True)
    assert not [text for text in problems if "Content Security Policy" in text], problems
