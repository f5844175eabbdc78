"""The team journeys in Debian's chromium, each page checked with axe-core: an admin invites
a colleague, who accepts from the mail and lands on the provider's page; an issuer finds a
credential by the learner's name and revokes it through the confirmation page; API tokens."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_django.live_server_helper import LiveServer

from microcred_web.issuing import issue
from microcred_web.register.models import Membership
from tests.web.axe import assert_accessible
from tests.web.wallet.fixtures_signin import Mailbox

from .conftest import PASSWORD, TeamWorld, invitation_path

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")


def _only(page: Page, live_server: LiveServer) -> list[str]:
    elsewhere: list[str] = []

    def route(request: Route) -> None:
        if request.request.url.startswith(live_server.url + "/"):
            request.continue_()
        else:
            elsewhere.append(request.request.url)
            request.abort()

    page.route("**/*", route)
    return elsewhere


def _sign_in(page: Page, live_server: LiveServer, team: TeamWorld, who: str) -> None:
    user = team.users[who]
    user.set_password(PASSWORD)
    user.save()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("User name").fill(who)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/dashboard/")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def browser_settings(settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]


def test_invite_a_colleague_who_accepts(
    transactional_db: Any,
    team: TeamWorld,
    mailbox: Mailbox,
    live_server: LiveServer,
    page: Page,
    chromium: Any,
    browser_settings: None,
) -> None:
    elsewhere = _only(page, live_server)
    _sign_in(page, live_server, team, "admin_a")
    page.get_by_role("link", name="North Sea University").click()
    page.get_by_role("link", name="Team", exact=True).click()
    page.get_by_role("heading", name="Team of North Sea University").wait_for()
    assert_accessible(page)
    # a typo first: the error is next to the field and the text stays
    page.get_by_label("Colleague’s e-mail address").fill("grace@")
    page.get_by_role("button", name="Send the invitation").click()
    page.locator("#invite-email-error").wait_for()
    assert page.get_by_label("Colleague’s e-mail address").input_value() == "grace@"
    assert_accessible(page)
    page.get_by_label("Colleague’s e-mail address").fill("grace@nsu.example")
    page.get_by_label("Role").last.select_option("issuer")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_role("status").filter(has_text="Invitation sent").wait_for()
    assert page.locator("#pending-title ~ table").inner_text().count("grace@nsu.example") == 1
    _shot(page, "team-page")
    assert_accessible(page)

    # The colleague opens the link from the mail, in a browser of their own.
    path = invitation_path(mailbox, "grace@nsu.example")
    context = chromium.new_context()
    try:
        theirs = context.new_page()
        _only(theirs, live_server)
        theirs.goto(live_server.url + path)
        theirs.get_by_role("heading", name="Join the team of North Sea University").wait_for()
        assert_accessible(theirs)
        theirs.get_by_label("User name").fill("grace")
        theirs.get_by_label("Password", exact=True).fill("correct horse battery staple 42")
        theirs.get_by_label("Password again").fill("correct horse battery staple 4")
        theirs.get_by_role("button", name="Create the account and join").click()
        theirs.locator("#account-password2-error").wait_for()
        assert theirs.get_by_label("User name").input_value() == "grace"
        _shot(theirs, "team-invitation")
        assert_accessible(theirs)
        theirs.get_by_label("Password", exact=True).fill("correct horse battery staple 42")
        theirs.get_by_label("Password again").fill("correct horse battery staple 42")
        theirs.get_by_role("button", name="Create the account and join").click()
        theirs.wait_for_url(live_server.url + "/dashboard/providers/north-sea-university/")
        theirs.get_by_role("status").filter(has_text="Welcome to the team").wait_for()
        assert "Your role: issuer" in theirs.content()
        assert theirs.get_by_role("button", name="Issue the credential").count() == 1
        assert_accessible(theirs)
    finally:
        context.close()
    assert Membership.objects.get(user__username="grace").level == "issuer"
    # back on the admin's page, the invitation is no longer pending and grace is a member
    page.reload()
    assert "No pending invitation." in page.content()
    assert "grace" in page.locator("#members-title ~ table").inner_text()
    assert elsewhere == []


def test_find_a_credential_by_name_and_revoke_it(
    transactional_db: Any,
    team: TeamWorld,
    live_server: LiveServer,
    page: Page,
    browser_settings: None,
) -> None:
    elsewhere = _only(page, live_server)
    for n, name in enumerate(["Ada Lovelace", "Grace Hopper", "Alan Turing"]):
        issue.issue_credential(
            team.users["issuer_a"], team.base.spec_a, issue.Learner(f"l{n}@example.org", name)
        )
    _sign_in(page, live_server, team, "issuer_a")
    page.goto(live_server.url + "/dashboard/providers/north-sea-university/")
    page.get_by_label("Find by the learner’s name or exact identifier").fill("hopper")
    page.get_by_role("button", name="Search").click()
    page.locator("#issued-count").filter(has_text="1 credential matches").wait_for()
    rows = page.locator("table.data tbody tr").filter(has=page.locator(".learner-name"))
    assert rows.count() == 1 and "Grace Hopper" in rows.first.inner_text()
    assert_accessible(page)
    _shot(page, "issued-list-search")
    rows.first.get_by_label("Action").select_option("revoke")
    rows.first.get_by_label("Reason").fill("Certificate obtained by fraud")
    rows.first.get_by_role("button", name="Apply").click()
    page.get_by_role("heading", name="Revoke this credential?").wait_for()
    assert "Grace Hopper" in page.content()
    _shot(page, "issued-confirm-revoke")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke for good").click()
    page.get_by_role("status").filter(has_text="revoked").wait_for()
    assert "q=hopper" in page.url  # back on the search
    row = page.locator("table.data tbody tr").filter(has_text="Grace Hopper")
    assert row.locator(".credential-status").inner_text() == "Revoked"
    assert row.get_by_label("Action").count() == 0
    # the exact identifier finds it too; the whole list shows the others still active
    page.get_by_label("Find by the learner’s name or exact identifier").fill("l0@example.org")
    page.get_by_role("button", name="Search").click()
    page.locator("#issued-count").filter(has_text="1 credential matches").wait_for()
    assert "Ada Lovelace" in page.locator("table.data").first.inner_text()
    assert elsewhere == []


def test_api_tokens_page(
    transactional_db: Any,
    team: TeamWorld,
    live_server: LiveServer,
    page: Page,
    browser_settings: None,
) -> None:
    elsewhere = _only(page, live_server)
    _sign_in(page, live_server, team, "editor_a")
    page.get_by_role("link", name="Your API tokens").click()
    page.get_by_role("heading", name="Your API tokens").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Create the token").click()
    page.locator("#token-name-error").wait_for()
    page.get_by_label("Token name").fill("catalogue sync")
    page.get_by_role("button", name="Create the token").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("mcr_")
    _shot(page, "team-tokens")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token catalogue sync").click()
    page.get_by_role("status").filter(has_text="revoked").wait_for()
    assert token not in page.content()
    assert elsewhere == []


def test_refusal_pages_are_accessible(
    transactional_db: Any,
    team: TeamWorld,
    live_server: LiveServer,
    page: Page,
    browser_settings: None,
) -> None:
    """The pages that say no: an unusable invitation link, a team page of someone else's."""
    elsewhere = _only(page, live_server)
    response = page.goto(live_server.url + "/team/invitations/no-such-token/")
    assert response is not None and response.status == 404
    page.get_by_role("heading", name="This invitation cannot be used").wait_for()
    assert_accessible(page)
    _sign_in(page, live_server, team, "issuer_a")
    response = page.goto(live_server.url + "/team/providers/north-sea-university/")
    assert response is not None and response.status == 403
    assert "its admins only" in page.content()
    assert_accessible(page)
    assert elsewhere == []
