"""In Debian's chromium: an organisation sends the public form, the operator approves it, the
contact receives the mail over real SMTP, sets a password from its link and signs in to the
new provider's dashboard. Every new page is checked with axe-core and screenshotted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from microcred_web.issuing import issue
from microcred_web.operator.models import RegistrationRequest
from microcred_web.register.models import Agency, Membership, Provider
from tests.web.axe import assert_accessible

from .conftest import IssuingWorld, Mailbox

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

OPERATOR_PASSWORD = "the operator's long password"
NEW_PASSWORD = "Ilze's brand new long password"
SHOTS = Path("var/screenshots")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"operator-{name}.png"), full_page=True)


def _sign_in(page: Page, live: str, username: str, password: str) -> None:
    page.goto(live + "/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/dashboard/$"))


def test_operator_approves_a_registration_request_in_chromium(
    transactional_db: Any,
    world: IssuingWorld,
    live_server: LiveServer,
    page: Page,
    settings: Any,
    mailbox: Mailbox,
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    live = live_server.url
    operator = world.users["operator"]
    operator.set_password(OPERATOR_PASSWORD)
    operator.save()

    # The organisation's contact sends the public form, first with a mistake.
    page.goto(live + "/register-organisation/")
    assert_accessible(page)
    page.get_by_label("Legal name of the organisation").fill("Baltic Coding School")
    page.get_by_label("Short name for its address").fill("Baltic Coding")
    page.get_by_label("Kind of organisation").select_option("company")
    page.get_by_label("Country").select_option("LV")
    page.get_by_label("Your name").fill("Ilze Kalnina")
    page.get_by_label("Your e-mail address").fill("ilze@bcs.example")
    page.get_by_role("button", name="Send the request").click()
    page.locator("#slug-error").wait_for()
    assert page.get_by_label("Your name").input_value() == "Ilze Kalnina"  # nothing lost
    assert_accessible(page)
    _shot(page, "register-error")
    page.get_by_label("Short name for its address").fill("baltic-coding-school")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_role("heading", name="Request sent").wait_for()
    assert_accessible(page)
    request = RegistrationRequest.objects.get()

    # The operator finds it in the queue and approves it.
    _sign_in(page, live, "operator", OPERATOR_PASSWORD)
    page.get_by_role("link", name="The register operator's pages").click()
    page.get_by_role("heading", level=1, name="Register operator").wait_for()
    assert_accessible(page)
    _shot(page, "home")
    page.get_by_role("link", name=re.compile("registration request")).first.click()
    page.get_by_role("heading", level=1, name="Registration requests").wait_for()
    assert_accessible(page)
    _shot(page, "requests")
    page.get_by_role("link", name=request.public_id).click()
    page.get_by_role(
        "heading", level=1, name=f"Registration request {request.public_id}"
    ).wait_for()
    assert_accessible(page)
    _shot(page, "request")
    page.get_by_role("button", name="Approve the request").click()
    page.get_by_role("status").filter(has_text="Approved").wait_for()
    assert page.locator(".request-status").inner_text() == "Approved"
    assert_accessible(page)
    provider = Provider.objects.get(slug="baltic-coding-school")

    # The contact receives the mail, sets a password and signs in as the provider's staff.
    messages = mailbox.to("ilze@bcs.example")
    assert len(messages) == 1
    assert "Baltic Coding School is in the register" in messages[0]["Subject"]
    link = re.search(r"https?://[^/\s]+(/welcome/set-password/\S+)", mailbox.text(messages[0]))
    assert link, mailbox.text(messages[0])
    page.get_by_role("button", name="Sign out").click()
    page.goto(live + link.group(1))
    page.get_by_role("heading", name="Set your password").wait_for()
    assert_accessible(page)
    _shot(page, "set-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    page.get_by_role("heading", name="Password set").wait_for()
    assert_accessible(page)
    account = Membership.objects.get(provider=provider).user
    _sign_in(page, live, account.get_username(), NEW_PASSWORD)
    page.get_by_role("link", name="Baltic Coding School").click()
    page.get_by_role("heading", level=1, name="Baltic Coding School").wait_for()


def test_every_other_operator_page_is_accessible(
    transactional_db: Any,
    world: IssuingWorld,
    live_server: LiveServer,
    page: Page,
    settings: Any,
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    live = live_server.url
    operator = world.users["operator"]
    operator.set_password(OPERATOR_PASSWORD)
    operator.save()
    Agency.objects.create(slug="nvao", name={"en": "NVAO"}, acronym="NVAO", countries=["NL"])
    record = issue.issue_credential(
        world.users["staff_a"], world.spec_a, issue.Learner("ada@example.org")
    ).record
    _sign_in(page, live, "operator", OPERATOR_PASSWORD)
    pages = {
        "providers": "/operator/providers/?q=a",
        "provider": f"/operator/providers/{world.provider_a.slug}/",
        "agencies": "/operator/agencies/",
        "agency": "/operator/agencies/nvao/",
        "accounts": "/operator/accounts/",
        "account": f"/operator/accounts/{world.users['staff_a'].pk}/",
        "audit": "/operator/audit/",
        "emergency": f"/operator/emergency/?q={record.public_id}",
    }
    for name, path in pages.items():
        response = page.goto(live + path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)
        _shot(page, name)

    # The emergency action, then the provider's dashboard notice and history.
    page.get_by_label("Action", exact=True).select_option("revoke")
    page.get_by_label("Reason and reference (e.g. the court order)").fill("Court order 117")
    page.get_by_label("I confirm this is an emergency action").check()
    page.get_by_role("button", name="Take the emergency action").click()
    page.get_by_role("status").filter(has_text="Done").wait_for()
    assert page.locator(".credential-status").inner_text() == "Revoked"
    assert_accessible(page)
    page.goto(live + "/operator/audit/?action=emergency-revoke")
    assert page.locator(".audit-row").count() == 1
    assert_accessible(page)
    _shot(page, "audit-filtered")
    page.goto(live + f"/dashboard/providers/{world.provider_a.slug}/")
    page.get_by_role("heading", name="Emergency actions by the register operator").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Your audit history").click()
    page.get_by_role("heading", level=1, name=re.compile("History of")).wait_for()
    assert_accessible(page)
    _shot(page, "history")
