"""The main pages in Debian's chromium under the Content Security Policy: no violation at all.

Violations are collected two ways, from the console (chromium logs each refused inline style or
script there) and from ``securitypolicyviolation`` events; the test ends by making one on
purpose, to show the collectors would have seen any.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from microcred_web.issuing.models import IssuedCredentialRecord
from tests.web.axe import assert_accessible

from .conftest import IssuingWorld

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser

PASSWORD = "a long browser test password"
COLLECT = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation(`${e.violatedDirective} ${e.blockedURI} on ${document.location.pathname}`);
});
"""


def test_main_pages_report_no_csp_violation(
    transactional_db: Any, world: IssuingWorld, live_server: LiveServer, page: Page, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    user = world.users["staff_a"]
    user.set_password(PASSWORD)
    user.save()
    violations: list[str] = []
    console: list[str] = []
    elsewhere: list[str] = []
    page.expose_function("cspViolation", lambda text: violations.append(text))
    page.add_init_script(COLLECT)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def only_the_live_server(route: Route) -> None:
        if route.request.url.startswith(live_server.url + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_live_server)

    def visit(path: str, status: int = 200) -> None:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == status, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        if path != "/api/v1/docs":  # Swagger UI's own markup is not ours to fix
            assert_accessible(page)

    visit("/")
    visit("/catalogue/")
    visit(f"/catalogue/specifications/{world.spec_a.public_id}/")
    visit(f"/providers/{world.provider_a.slug}/")
    visit("/no/such/page/", 404)
    visit("/accounts/login/")
    page.get_by_label("User name").fill("staff_a")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/dashboard/")
    visit(f"/dashboard/providers/{world.provider_a.slug}/")
    page.get_by_label("Learner identifier").fill("ada@example.org")
    page.get_by_label("Learner identifier").press("Enter")
    page.get_by_role("heading", name="Issued credential", exact=True).wait_for()
    assert_accessible(page)
    visit("/accounts/password_change/")

    record = IssuedCredentialRecord.objects.get()
    visit("/verify/")
    page.get_by_label("Paste the credential (JSON)").fill(json.dumps(record.credential))
    page.get_by_role("button", name="Verify").click()
    page.locator("ul.checks").wait_for()
    # The element is there as soon as the HTML is parsed; its stylesheet may still be on the
    # way (a loaded machine): read the computed style once the page has loaded.
    page.wait_for_load_state("load")
    assert page.locator("ul.checks").evaluate("e => getComputedStyle(e).listStyleType") == "none"
    assert_accessible(page)

    visit("/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
    # Open an operation and run it: Swagger UI draws its icons and the response then.
    page.get_by_text("/api/v1/health").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".responses-wrapper .live-responses-table").wait_for(timeout=15_000)
    page.wait_for_timeout(300)

    assert violations == [], violations
    assert console == [], console
    assert elsewhere == []

    # The collectors work: an inline style attribute is refused and reported.
    visit("/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_function("() => true")
    page.wait_for_timeout(200)
    assert any(v.startswith("style-src") for v in violations), violations
