# ruff: noqa: F811 (pytest fixtures imported from fixtures_share)
"""A share page in Debian's chromium under the Content Security Policy: the JSON-LD data block
and the page run no violation; the learner's "link made" page copies with its static script.

Violations are collected from ``securitypolicyviolation`` events and the console; the test ends
by making one on purpose, to show the collector would have seen any. Screenshots go to
``var/screenshots/`` (look at them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from microcred_web.issuing import status
from tests.web.wallet.fixtures_share import (  # noqa: F401 (fixtures)
    Learner,
    _fresh_rate_limits,
    assure,
    issuing_settings,
    make_learner,
    world,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

COLLECT = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation(`${e.violatedDirective} ${e.blockedURI} on ${document.location.pathname}`);
});
"""
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def test_a_share_page_runs_under_the_csp_and_reads_as_verified(
    transactional_db: Any, world: Any, live_server: LiveServer, page: Page, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    assure(world.provider_a)
    ada: Learner = make_learner(world, "ada", "ada@example.org", "Ada Lovelace")
    violations: list[str] = []
    page.expose_function("cspViolation", lambda text: violations.append(text))
    page.add_init_script(COLLECT)
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The learner makes a link (signed in through the session cookie of a forced login).
    from django.test import Client
    from playwright.sync_api import expect

    client = Client()
    client.force_login(ada.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/wallet/shares/new/entry/{ada.entries[0].public_id}/")
    page.get_by_label("Label (only you see it)").fill("For ACME")
    page.screenshot(path=str(SHOTS / "share-new.png"), full_page=True)
    page.get_by_role("button", name="Make the link").click()
    address = page.get_by_label("Address of the link").input_value()
    expect(page.get_by_role("button", name="Copy")).to_be_visible()  # the static script ran
    page.screenshot(path=str(SHOTS / "share-created.png"), full_page=True)
    token = address.rstrip("/").rsplit("/", 1)[1]
    page.goto(f"{live_server.url}/wallet/shares/")
    expect(page.get_by_role("cell", name="For ACME", exact=True)).to_be_visible()
    page.screenshot(path=str(SHOTS / "share-list.png"), full_page=True)
    assert violations == []

    # Signed out, as anyone the link is given to.
    page.context.clear_cookies()
    response = page.goto(f"{live_server.url}/s/{token}/")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Result: verified")).to_be_visible()
    assert page.locator('script[type="application/ld+json"]').count() == 0
    schema = page.locator('link[type="application/ld+json"]').get_attribute("href")
    linked = page.request.get(f"{live_server.url}{schema}")
    assert json.loads(linked.text())["@type"] == "EducationalOccupationalCredential"
    page.screenshot(path=str(SHOTS / "share-page.png"), full_page=True)
    assert violations == []

    # Revoked by the provider: the next view says so.
    status.set_status(world.users["staff_a"], ada.entries[0].issued, "revoke", "test")
    page.goto(f"{live_server.url}/s/{token}/")
    expect(page.get_by_role("alert")).to_contain_text("Revoked: the issuer has revoked")
    page.screenshot(path=str(SHOTS / "share-page-revoked.png"), full_page=False)
    assert violations == []

    # The collector works: an inline script is refused and seen.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1'; "
        "document.body.appendChild(s); }"
    )
    for _ in range(50):  # the event arrives asynchronously
        if violations:
            break
        page.wait_for_timeout(100)
    assert violations, "the collector saw no violation made on purpose"
