"""The home page in Debian's chromium, served by the live server, with no outside request."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.web.axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser


def test_home_page_in_chromium_and_on_to_the_api_docs(live_server: LiveServer, page: Page) -> None:
    served: list[str] = []
    elsewhere: list[str] = []

    def only_the_live_server(route: Route) -> None:
        url = route.request.url
        if url.startswith(live_server.url + "/"):
            served.append(url)
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    page.route("**/*", only_the_live_server)

    response = page.goto(live_server.url + "/")
    assert response is not None and response.status == 200
    assert page.title() == "microcred: micro-credentials the European way"
    assert page.get_by_role("heading", level=1).inner_text() == "microcred"
    assert_accessible(page)

    # The first thing a keyboard user reaches is the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"

    page.get_by_role("link", name="API documentation").click()
    page.wait_for_url(live_server.url + "/api/v1/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for(timeout=15_000)
    assert "microcred API" in title.inner_text()
    page.get_by_text("/api/v1/health").first.wait_for()

    assert elsewhere == []
    assert live_server.url + "/static/microcred.css" in served
    assert live_server.url + "/api/v1/openapi.json" in served
