"""The present page and the verify page with a presentation result, in Chromium: the flow
works through the pages (no inline script; the Copy button appears with the static script).
Screenshots go to $MICROCRED_SCREENSHOTS when set."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.web.wallet.fixtures_present import add_entry, issue_to, make_learner

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("MICROCRED_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_present_then_verify_in_the_browser(
    world: Any, live_server: Any, chromium: Any, settings: Any, client: Any
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    ada = make_learner("ada@example.org")
    entry = add_entry(ada, issue_to(world, "ada@example.org").record)
    client.force_login(ada.user)
    cookie = client.cookies["sessionid"].value
    context = chromium.new_context()
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "response",
        lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    query = f"challenge=b-1&domain=hr.example&entry={entry.public_id}"
    page.goto(f"{live_server.url}/wallet/present/?{query}")
    _shot(page, "present.png")
    page.click("button[value=show]")
    # the static script ran under the CSP and showed the Copy button
    page.wait_for_selector("#copy-presentation", state="visible", timeout=5000)
    text = page.input_value("#presentation")
    _shot(page, "present_done.png")
    page.goto(f"{live_server.url}/verify/")
    page.fill("#id_credential", text)
    page.fill("#id_challenge", "b-1")
    page.fill("#id_domain", "hr.example")
    page.click("form[enctype] button[type=submit]")
    assert "Presentation: verified" in page.inner_text("#result-title")
    _shot(page, "verify_presentation.png")
    assert not errors, errors
    context.close()
