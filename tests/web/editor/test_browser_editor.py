"""The editor in Debian's chromium: a provider writes a new specification from an empty form
to published, sees a live error as they type and fixes it; the pages pass axe-core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from microcred_web.register.models import Specification
from tests.web.axe import assert_accessible

from .conftest import EditorWorld

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PASSWORD = "a long browser test password"


def _sign_in(page: Page, live_server: LiveServer, world: EditorWorld, settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1", "testserver"]
    user = world.users["staff_a"]
    user.set_password(PASSWORD)
    user.save()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("User name").fill("staff_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/dashboard/")


def _pick(page: Page, select: str, search: str, value: str) -> None:
    page.fill(f"{select}-search", search)
    page.select_option(select, value)


def test_write_a_specification_from_empty_to_published(
    transactional_db: Any,
    editor_world: EditorWorld,
    live_server: LiveServer,
    page: Page,
    settings: Any,
) -> None:
    _sign_in(page, live_server, editor_world, settings)
    page.goto(live_server.url + editor_world.url("list"))
    assert_accessible(page)
    page.get_by_role("link", name="Write a new specification").click()
    page.get_by_role("heading", level=1, name="New specification").wait_for()
    assert_accessible(page)

    page.fill("#f-id", "WEB-1")
    page.fill("#f-title-lang-0", "en")
    page.fill("#f-title-text-0", "Research software basics")
    # A second language, added in the page; the missing-languages hint follows.
    page.locator("#f-title").get_by_role("button", name="Add a language").click()
    page.fill("#f-title-lang-1", "nl")
    page.fill("#f-title-text-1", "Basis van onderzoekssoftware")
    page.fill("#f-description-lang-0", "en")
    page.fill("#f-description-text-0", "Write, test and share research code.")
    page.locator("[data-missing-for='description']").filter(has_text="nl").wait_for()

    _pick(page, "#f-issuer_countries", "nether", "NL")
    page.fill("#f-awarding_bodies-0-name-lang-0", "en")
    page.fill("#f-awarding_bodies-0-name-text-0", "North Sea University")
    page.fill("#f-learning_outcomes-0-text-lang-0", "en")
    page.fill("#f-learning_outcomes-0-text-text-0", "Write unit tests for research code")
    page.get_by_role("button", name="Add: Learning outcome").click()
    page.fill("#f-learning_outcomes-1-text-lang-0", "en")
    page.fill("#f-learning_outcomes-1-text-text-0", "Publish code with a licence")
    page.fill("#f-learning_outcomes-1-esco_skill", "http://data.europa.eu/esco/skill/bbbb")

    # The live check: a workload that is not a number is named at its input, with its code.
    page.fill("#f-workload-ects", "five")
    live = page.locator("#f-workload-ects-findings .finding-error")
    live.wait_for()
    assert "invalid-value" in live.inner_text()
    assert_accessible(page)
    page.fill("#f-workload-ects", "4")
    page.locator("#f-workload-ects-findings .finding-error").wait_for(state="detached")

    page.select_option("#f-level-eqf", "6")
    page.select_option("#f-assessment-types", "project")
    page.select_option("#f-participation-mode", "online")
    page.select_option("#f-quality_assurance-0-type", "internal")
    _pick(page, "#f-languages", "engl", "en")
    page.locator("#summary-count").filter(has_text="0 error").wait_for()
    page.screenshot(path="var/screenshots/editor-new.png", full_page=True)

    page.locator(".toolbar").first.get_by_role("button", name="Save and publish").click()
    page.get_by_role("status").filter(has_text="Saved and published").wait_for()
    assert_accessible(page)
    spec = Specification.objects.get(provider=editor_world.provider_a, local_id="WEB-1")
    assert spec.status == "published" and spec.in_catalogue
    assert spec.data["title"] == {
        "en": "Research software basics",
        "nl": "Basis van onderzoekssoftware",
    }
    assert [o["text"]["en"] for o in spec.data["learning_outcomes"]] == [
        "Write unit tests for research code",
        "Publish code with a licence",
    ]
    assert spec.data["workload"] == {"ects": 4.0}

    # Its public page, then its history and a diff after a change.
    page.goto(live_server.url + f"/catalogue/specifications/{spec.public_id}/")
    page.get_by_role("heading", level=1, name="Research software basics").wait_for()
    page.go_back()
    page.fill("#f-title-text-0", "Research software essentials")
    page.locator(".toolbar").first.get_by_role("button", name="Save draft").click()
    page.get_by_role("status").wait_for()
    page.get_by_role("link", name="Version history").click()
    page.get_by_role("heading", level=1).filter(has_text="Version history").wait_for()
    assert_accessible(page)
    page.screenshot(path="var/screenshots/editor-history.png", full_page=True)
    page.get_by_role("button", name="Show the differences").click()
    page.locator("li.change").first.wait_for()
    assert "Title (en)" in page.locator("ul.diff").inner_text()
    assert page.locator("ins").filter(has_text="essentials").count() == 1
    assert_accessible(page)
    page.screenshot(path="var/screenshots/editor-diff.png", full_page=True)


def test_import_page_is_accessible(
    transactional_db: Any,
    editor_world: EditorWorld,
    live_server: LiveServer,
    page: Page,
    settings: Any,
    tmp_path: Any,
) -> None:
    _sign_in(page, live_server, editor_world, settings)
    page.goto(live_server.url + editor_world.url("import"))
    assert_accessible(page)
    upload = tmp_path / "specs.json"
    upload.write_text(
        '{"specifications": [{"id": "IMP-1", "title": {"en": "Imported"}}]}', encoding="utf-8"
    )
    page.set_input_files("#imp-file", str(upload))
    page.get_by_role("button", name="Import").click()
    page.locator("#import-report").wait_for()
    assert page.locator("#count-created").inner_text() == "1"
    assert "missing-element" in page.locator("#import-report").inner_text()
    assert_accessible(page)
    page.screenshot(path="var/screenshots/editor-import.png", full_page=True)


def test_duplicate_then_withdraw_with_a_reason_on_the_public_page(
    transactional_db: Any,
    editor_world: EditorWorld,
    live_server: LiveServer,
    page: Page,
    settings: Any,
) -> None:
    _sign_in(page, live_server, editor_world, settings)
    spec = editor_world.spec
    page.goto(live_server.url + editor_world.url("edit", spec.public_id))
    page.get_by_role("link", name="Duplicate as a new draft").click()
    assert_accessible(page)
    page.get_by_label("Local identifier of the copy").fill("DS-102")
    page.get_by_role("button", name="Make the copy").click()
    page.get_by_role("status").filter(has_text="DS-102").wait_for()
    assert Specification.objects.get(local_id="DS-102").status == "draft"

    page.goto(live_server.url + editor_world.url("withdraw", spec.public_id))
    page.get_by_role("button", name="Withdraw").click()  # no reason, no confirmation
    page.locator("#wd-reason-error").wait_for()
    assert_accessible(page)
    page.get_by_label("Reason (shown on the public page)").fill("Replaced by DS-102.")
    page.get_by_label("Yes, withdraw it from the catalogue").check()
    page.get_by_role("button", name="Withdraw").click()
    page.get_by_role("status").filter(has_text="Withdrawn").wait_for()
    page.goto(live_server.url + f"/catalogue/specifications/{spec.public_id}/")
    assert page.locator("#withdrawal-reason").inner_text() == "Reason: Replaced by DS-102."
    assert_accessible(page)
    page.screenshot(path="var/screenshots/editor-withdrawn-public.png", full_page=True)
