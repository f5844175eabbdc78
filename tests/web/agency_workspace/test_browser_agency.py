"""The agency workspace in Debian's chromium: an agency records a QA result (an error shown
next to its field and fixed, the preview, the save) and the provider's standing changes on its
public page. Every page of the workspace is checked with axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from microcred_web.register.models import QAResult
from tests.web.axe import assert_accessible

from .conftest import World

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser

PASSWORD = "a long browser test password"
SHOTS = Path("var/screenshots")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"agency-{name}.png"), full_page=True)


def test_agency_records_a_result_and_the_standing_changes(
    transactional_db: Any, world: World, live_server: LiveServer, page: Page, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    user = world.users["agency_x"]
    user.set_password(PASSWORD)
    user.save()
    elsewhere: list[str] = []

    def only_the_live_server(route: Route) -> None:
        if route.request.url.startswith(live_server.url + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_live_server)
    base = live_server.url

    # The provider is not quality assured yet.
    page.goto(base + "/providers/north-sea-university/")
    assert "Not quality assured today" in page.locator(".qa-statement").inner_text()

    page.goto(base + "/dashboard/")
    page.get_by_label("User name").fill("agency_x")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/dashboard/")
    assert_accessible(page)
    page.get_by_role("link", name="NVAO", exact=True).click()
    page.get_by_role("heading", level=1, name="NVAO (NVAO)").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Record a QA result").click()
    page.get_by_role("heading", level=1).filter(has_text="Record a QA result").wait_for()
    assert_accessible(page)

    page.get_by_label("The agency's reference for this result").fill("NVAO-2025-17")
    page.get_by_label("ESG activity").select_option("institutional")
    # The picker: search as you type, add with a click (the script is served under the CSP).
    page.get_by_label("Find a provider by name, slug or register id").fill("North Sea")
    page.get_by_role("button", name="Add North Sea University (north-sea-university)").click()
    assert page.get_by_label("North Sea University").is_checked()
    page.get_by_label("Decision", exact=True).select_option("positive")
    page.get_by_label("Valid from (the day the decision takes effect)").fill("2025-07-01")
    page.get_by_label("Valid until (optional)").fill("2031-06-30")
    page.get_by_label("Report (web address, optional)").fill("nvao.example/17.pdf")
    page.get_by_label("The whole provider's micro-credential provision").check()

    # An error: a report address that is not one, shown next to its field.
    page.get_by_role("button", name="Preview the effect").click()
    page.get_by_role("alert").wait_for()
    assert "absolute http(s) URL" in page.locator("#f-report_url-error").inner_text()
    assert page.get_by_label("The agency's reference for this result").input_value() == (
        "NVAO-2025-17"
    )
    assert page.get_by_label("North Sea University").is_checked()
    _shot(page, "result-errors")
    assert_accessible(page)

    assert page.get_by_label("Valid until (optional)").input_value() == "2031-06-30"
    page.get_by_label("Report (web address, optional)").fill("https://nvao.example/17.pdf")
    page.get_by_role("button", name="Preview the effect").click()
    preview = page.get_by_role("status")
    preview.wait_for()
    assert (
        "after this, North Sea University: quality assured until 2031-06-30" in preview.inner_text()
    )
    assert QAResult.objects.count() == 0
    _shot(page, "result-preview")
    assert_accessible(page)

    page.get_by_role("button", name="Save the result").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    result = QAResult.objects.get()
    assert result.agency == world.agency_x and result.local_id == "NVAO-2025-17"
    row = page.locator(f"#result-{result.public_id}")
    assert row.locator(".result-state").inner_text() == "Current"
    _shot(page, "workspace")
    assert_accessible(page)

    # The provider's public page now shows it quality assured, on NVAO's result.
    page.goto(base + "/providers/north-sea-university/")
    statement = page.locator(".qa-statement").inner_text()
    assert statement.startswith("Quality assured:"), statement
    assert "Institutional review by NVAO, positive, valid until 2031-06-30" in statement

    # The other pages of the workspace: the agency's record and the withdrawal.
    page.goto(base + "/dashboard/agencies/nvao/record")
    page.get_by_label("Acronym").wait_for()
    _shot(page, "record")
    assert_accessible(page)
    page.get_by_label("Website").fill("www.nvao.net")
    page.get_by_role("button", name="Save the record").click()
    assert "absolute http(s) URL" in page.locator("#f-website-error").inner_text()
    assert_accessible(page)
    page.get_by_label("Website").fill("https://www.nvao.net")
    page.get_by_role("button", name="Save the record").click()
    page.get_by_role("status").filter(has_text="record is saved").wait_for()

    page.goto(base + f"/dashboard/agencies/nvao/results/{result.public_id}/withdraw")
    page.get_by_label("Why is it withdrawn?").wait_for()
    _shot(page, "withdraw")
    assert_accessible(page)
    assert elsewhere == []
