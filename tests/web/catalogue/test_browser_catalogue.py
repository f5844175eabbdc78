"""The catalogue in Debian's chromium: keyboard, search, a facet, a specification's QA statement."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlparse

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.web.axe import assert_accessible
from tests.web.catalogue import factories as f

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Route

pytestmark = pytest.mark.browser


def only_live_server(page: Page | BrowserContext, live_server: LiveServer) -> list[str]:
    """Route every request of a page (or of all a context's pages) to the live server only;
    the list of what was refused, for the test to assert empty."""
    elsewhere: list[str] = []

    def route(route: Route) -> None:
        if route.request.url.startswith(live_server.url + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return elsewhere


def test_search_filter_and_open_a_specification(live_server: LiveServer, page: Page) -> None:
    from playwright.sync_api import expect

    uni = f.provider()
    f.qa_result(f.agency(), uni)
    company = f.provider("acme-training", "Acme Training", kind="company", country="DE")
    f.publish(uni, "A", title={"en": "Data stewardship basics"})
    f.publish(uni, "B", title={"en": "Research data ethics"})
    f.publish(company, "C", title={"en": "Cloud data operations"}, participation={"mode": "online"})
    f.publish(
        company,
        "D",
        title={"en": "Welding safety"},
        description={"en": "Safe work."},
        learning_outcomes=[{"text": {"en": "Weld safely"}}],
    )
    elsewhere = only_live_server(page, live_server)

    response = page.goto(live_server.url + "/catalogue/")
    assert response is not None and response.status == 200
    status = page.locator("#result-count")
    assert status.inner_text() == "4 micro-credentials found"
    assert_accessible(page)

    # Keyboard: Tab reaches the search box, and the focus is visible.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"

    # Type a search and submit with Enter.
    page.keyboard.type("data")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalogue/?*q=data*")
    assert status.inner_text() == "3 micro-credentials found"
    online = page.get_by_label("Online (1)")
    assert online.is_visible()

    # Tick a facet: it applies at once (catalogue/facets.js), and the focus comes back to it.
    online.check()
    page.wait_for_url("**mode=online**")
    expect(status).to_have_text("1 micro-credential found")  # announced again, after a moment
    assert page.get_by_label("Online (1)").is_checked()
    page.wait_for_function("document.activeElement && document.activeElement.value === 'online'")
    assert_accessible(page)
    params = parse_qs(urlparse(page.url).query)
    assert params["q"] == ["data"] and params["mode"] == ["online"]

    # Remove the filter again through its link.
    page.get_by_role("link", name="Remove filter: Form of participation: Online").click()
    page.wait_for_load_state()
    expect(status).to_have_text("3 micro-credentials found")

    # Open a specification and read its QA statement.
    page.get_by_role("link", name="Data stewardship basics").click()
    page.get_by_role("heading", level=1, name="Data stewardship basics").wait_for()
    statement = page.locator(".qa-statement").inner_text()
    assert statement.startswith("Quality assured: Institutional review by NVAO, positive")
    assert page.get_by_role("link", name="North Sea University").is_visible()
    assert_accessible(page)

    # The provider's page, then the agency's.
    page.get_by_role("link", name="North Sea University").click()
    page.get_by_role("heading", level=1, name="North Sea University").wait_for()
    assert_accessible(page)
    response = page.goto(live_server.url + "/agencies/nvao/")
    assert response is not None and response.status == 200
    assert_accessible(page)

    assert elsewhere == []
