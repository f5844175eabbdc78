"""The axe helper itself: it finds known violations (so it cannot pass silently), and it runs
under the site's CSP on a real page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.web.axe import assert_accessible, axe_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

BROKEN = """<!doctype html><html lang="en"><head><title>Broken</title></head><body>
<main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="picture">
<form><input type="text" id="unlabelled"></form></main></body></html>"""


def test_fails_on_an_image_without_alt_and_an_unlabelled_input(page: Page) -> None:
    page.set_content(BROKEN)
    found = {v["id"]: v for v in axe_violations(page)}
    assert found["image-alt"]["impact"] == "critical"
    assert found["image-alt"]["targets"] == ["#picture"]
    assert found["label"]["impact"] == "critical"
    assert found["label"]["targets"] == ["#unlabelled"]
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message and "#picture" in message
    assert "label (critical)" in message and "#unlabelled" in message


def test_context_limits_the_check(page: Page) -> None:
    page.set_content(BROKEN.replace("<main>", "<main><p id='fine'>Fine.</p>"))
    assert_accessible(page, context="#fine")


def test_runs_under_the_site_csp(live_server: LiveServer, page: Page) -> None:
    response = page.goto(live_server.url + "/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_accessible(page)
    assert page.evaluate("() => window.axe.version") == "4.14.1"
