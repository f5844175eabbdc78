"""The dashboard in Debian's chromium: sign in, issue, revoke with a reason, see the status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord
from tests.web.axe import assert_accessible

from .conftest import IssuingWorld

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser

PASSWORD = "a long browser test password"


def test_sign_in_issue_and_revoke_in_chromium(
    transactional_db: Any, world: IssuingWorld, live_server: LiveServer, page: Page, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    user = world.users["staff_a"]
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

    response = page.goto(live_server.url + "/dashboard/")
    assert response is not None and response.status == 200, page.content()
    assert page.url == live_server.url + "/accounts/login/?next=/dashboard/"
    assert_accessible(page)
    page.get_by_label("User name").fill("staff_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/dashboard/")
    assert_accessible(page)

    page.get_by_role("link", name="North Sea University").click()
    page.get_by_role("heading", level=1, name="North Sea University").wait_for()
    assert_accessible(page)

    page.get_by_label("Learner identifier").fill("ada@example.org")
    page.get_by_label("Learner name (optional)").fill("Ada Lovelace")
    # Keyboard: submit the issue form from the name field with Enter.
    page.get_by_label("Learner name (optional)").press("Enter")
    page.get_by_role("heading", name="Issued credential", exact=True).wait_for()
    record = IssuedCredentialRecord.objects.get()
    assert page.get_by_role("link", name="Download the learner’s credential (JSON)").count() == 1
    assert_accessible(page)

    row = page.locator(f"#credential-{record.public_id}")
    assert row.locator(".credential-status").inner_text() == "Active"
    row.get_by_label("Action").select_option("revoke")
    row.get_by_label("Reason").fill("Assessment was not passed")
    row.get_by_role("button", name="Apply").click()
    # Revocation is final: a confirmation page first, with the reason kept.
    page.get_by_role("heading", name="Revoke this credential?").wait_for()
    assert page.get_by_label("Reason").input_value() == "Assessment was not passed"
    page.get_by_role("button", name="Revoke for good").click()
    page.get_by_role("status").filter(has_text="revoked").wait_for()
    row = page.locator(f"#credential-{record.public_id}")
    assert row.locator(".credential-status").inner_text() == "Revoked"

    # A revoked credential offers no status change any more.
    assert row.get_by_label("Action").count() == 0
    assert "revocation is final" in row.inner_text()
    assert_accessible(page)

    record.refresh_from_db()
    assert record.revoked
    assert AuditEvent.objects.get(action="revoke").reason == "Assessment was not passed"
    assert elsewhere == []
