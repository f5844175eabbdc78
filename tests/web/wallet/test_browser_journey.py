# ruff: noqa: F811 (pytest fixtures imported by name)
"""The learner's whole journey in Debian's chromium, as issue 10's "done means" lists it.

A provider issues to an e-mail address from the dashboard; the claim message arrives through
real SMTP (aiosmtpd on 127.0.0.1); the learner claims it (which opens the wallet), sees it,
makes a share link and opens it signed out (verified), downloads the certificate PDF and
scans its QR code with an independent decoder (zxing-cpp, from the page as PDFium draws it),
which opens the same verified page; the provider revokes, and the share page, the certificate's
page and the wallet say "revoked"; the learner signs out and back in with a one-time link.
Every page on the way passes axe-core (serious and critical violations fail) and runs under
the CSP without a violation. Runs on SQLite and, in ``make test``, on PostgreSQL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import zxingcpp
from pytest_django.live_server_helper import LiveServer

from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.wallet.models import LearnerAccount, WalletEntry
from tests.web.axe import assert_accessible
from tests.web.wallet.fixtures_pdf import assure, page_image
from tests.web.wallet.fixtures_signin import Mailbox, mailbox  # noqa: F401

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PASSWORD = "a long browser test password"
ADA = "ada@example.org"
TITLE = "Data stewardship basics"
WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation(`${e.violatedDirective} ${e.blockedURI} on ${document.location.pathname}`);
});
"""


def _watched(browser: Browser, violations: list[str]) -> Page:
    page = browser.new_context(accept_downloads=True).new_page()
    page.expose_function("cspViolation", lambda text: violations.append(text))
    page.add_init_script(WATCH)
    return page


SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def _shot(page: Page, name: str) -> None:
    """A full-page screenshot to look at (var/screenshots/journey-*.png)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


def _path(url: str) -> str:
    """The path of an address this instance made (its public host is not the test server's)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_issue_claim_share_print_scan_and_revoke(
    transactional_db: Any,
    world: Any,
    live_server: LiveServer,
    chromium: Browser,
    mailbox: Mailbox,
    settings: Any,
) -> None:
    from playwright.sync_api import expect

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    assure(world.provider_a)
    staff = world.users["staff_a"]
    staff.set_password(PASSWORD)
    staff.save()
    site = live_server.url
    violations: list[str] = []

    # The provider issues to an e-mail address from the dashboard.
    provider = _watched(chromium, violations)
    shown = provider.goto(site + "/dashboard/")
    assert shown is not None and shown.status == 200, provider.content()[:3000]
    provider.get_by_label("User name").fill("staff_a")
    provider.get_by_label("Password").fill(PASSWORD)
    provider.get_by_role("button", name="Sign in").click()
    provider.wait_for_url(site + "/dashboard/")
    provider.get_by_role("link", name="North Sea University").click()
    provider.get_by_label("Learner identifier").fill(ADA)
    provider.get_by_label("Learner name (optional)").fill("Ada Lovelace")
    provider.get_by_label("Learner name (optional)").press("Enter")
    provider.get_by_role("heading", name="Issued credential", exact=True).wait_for()
    record = IssuedCredentialRecord.objects.get()
    assert ADA not in record.learner_hash and len(mailbox.to(ADA)) == 1

    # The claim message's link, opened by the learner (no account yet).
    learner = _watched(chromium, violations)
    learner.goto(site + mailbox.last_link(ADA, "claim"))
    expect(learner.get_by_role("heading", name="A credential for you")).to_be_visible()
    assert_accessible(learner)
    _shot(learner, "claim")
    learner.get_by_label("E-mail address").fill(ADA)
    learner.get_by_role("button", name="Add to my wallet").click()
    learner.wait_for_url(site + "/wallet/")
    expect(learner.get_by_role("heading", name="Your wallet")).to_be_visible()
    row = learner.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("Valid")
    expect(row).to_contain_text("North Sea University")
    assert_accessible(learner)
    _shot(learner, "wallet")
    account = LearnerAccount.objects.get()
    assert WalletEntry.objects.get(account=account).issued_id == record.pk

    # The credential's own page, then a share link.
    row.get_by_role("link", name=TITLE).click()
    expect(learner.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(learner.get_by_role("heading", name="Result: verified")).to_be_visible()
    assert_accessible(learner)
    _shot(learner, "entry")
    learner.get_by_role("link", name="Make a share link").click()
    assert_accessible(learner)
    learner.get_by_label("Label (only you see it)").fill("For my employer")
    learner.get_by_role("button", name="Make the link").click()
    shared = learner.get_by_label(re.compile("Address of the link")).input_value()
    assert_accessible(learner)

    # Anyone with the link, signed out: verified, with the provider's QA standing.
    visitor = _watched(chromium, violations)
    response = visitor.goto(site + _path(shared))
    assert response is not None and response.status == 200
    assert "noindex" in response.headers["x-robots-tag"]
    expect(visitor.get_by_role("heading", name="Result: verified")).to_be_visible()
    expect(visitor.locator("main")).to_contain_text("NVAO")
    assert "Ada" not in visitor.locator('meta[property="og:title"]').get_attribute("content")
    assert_accessible(visitor)

    _shot(visitor, "share-page")
    # The certificate: a PDF whose QR code opens its own verified share page.
    learner.go_back()
    learner.go_back()
    with learner.expect_download() as download:
        learner.get_by_role("link", name="Download certificate (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    page_image(pdf, 1.0).save(SHOTS / "journey-certificate.png")
    assert pdf.startswith(b"%PDF")
    codes = [c for c in zxingcpp.read_barcodes(page_image(pdf)) if c.format == zxingcpp.QRCode]
    assert len(codes) == 1
    scanned = str(codes[0].text)
    assert re.fullmatch(r"https://issuer\.example/s/[A-Za-z0-9_-]{43}/", scanned), scanned
    assert scanned != shared
    visitor.goto(site + _path(scanned))
    expect(visitor.get_by_role("heading", name="Result: verified")).to_be_visible()

    # The learner's other pages are accessible too.
    for path in ("/wallet/shares/", "/wallet/present/", "/wallet/import/", "/wallet/addresses/"):
        assert learner.goto(site + path).status == 200, path
        assert_accessible(learner)

    # The provider revokes; every page that shows the credential says so.
    provider.reload()
    provider_row = provider.locator(f"#credential-{record.public_id}")
    provider_row.get_by_label("Action").select_option("revoke")
    provider_row.get_by_label("Reason").fill("Assessment was not passed")
    provider_row.get_by_role("button", name="Apply").click()
    provider.get_by_role("button", name="Revoke for good").click()  # revocation is confirmed
    provider.get_by_role("status").filter(has_text="revoked").wait_for()
    visitor.goto(site + _path(shared))
    expect(visitor.get_by_role("alert")).to_contain_text("Revoked")
    expect(visitor.get_by_role("heading", name="Result: verified")).to_have_count(0)
    assert_accessible(visitor)
    visitor.goto(site + _path(scanned))
    expect(visitor.get_by_role("alert")).to_contain_text("Revoked")

    _shot(visitor, "share-revoked")
    # Signed out and back in with a one-time link: the wallet shows "Revoked".
    learner.goto(site + "/wallet/")
    learner.get_by_role("button", name="Sign out").click()
    learner.goto(site + "/wallet/sign-in/")
    assert_accessible(learner)
    learner.get_by_label("E-mail address").fill(ADA)
    learner.get_by_role("button", name="Send me a sign-in link").click()
    assert_accessible(learner)
    learner.goto(site + mailbox.last_link(ADA, "sign-in"))
    assert_accessible(learner)
    learner.get_by_role("button", name="Sign in").click()
    learner.wait_for_url(site + "/wallet/")
    expect(learner.locator("tr", has_text=TITLE)).to_contain_text("Revoked")

    assert violations == []
