"""The verification page in Debian's chromium: paste a credential, submit, read the verdict."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.web.axe import assert_accessible

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser


def test_paste_and_verify_in_chromium(live_server: LiveServer, page: Page, signed: Any) -> None:
    elsewhere: list[str] = []

    def only_the_live_server(route: Route) -> None:
        if route.request.url.startswith(live_server.url + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_live_server)
    response = page.goto(live_server.url + "/verify/")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Verify a credential"
    assert_accessible(page)

    page.get_by_label("Paste the credential (JSON)").fill(json.dumps(signed))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(live_server.url + "/verify/#result")

    verdict = page.get_by_role("heading", name="Result: verified")
    verdict.wait_for()
    assert "Result: verified" in verdict.inner_text()
    qa = page.locator(".qa-statement")
    assert "issuer not in this register" in qa.inner_text()
    assert page.get_by_text("Signature: Passed").is_visible()
    assert page.get_by_role("heading", name="What this credential says").is_visible()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert elsewhere == []
