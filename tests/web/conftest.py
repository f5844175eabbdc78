"""Fixtures for the web tests: Debian's chromium driven by Playwright.

Browser tests never download a browser and never fail over to a skip: if ``chromium`` is not
installed the test fails and says how to install it (``make test`` does it for you).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is not installed; run `make test` (it installs it) "
            "or `apt-get install -y chromium`",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(autouse=True)
def _private_search_index(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> None:
    """Every web test writes any catalogue index into its own temporary folder, never var/."""
    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search-index")


@pytest.fixture
def suspension(settings: Any) -> None:
    """Issue credentials with a suspension entry too (off by default: OBv3 allows one status)."""
    settings.MICROCRED_STATUS_SUSPENSION = True


class RateWindowClock:
    """The clock the rate limits read, standing still unless a test moves it.

    Rate limits count in fixed windows, so a test that makes a limit's worth of requests and
    expects the next one refused fails when the real clock crosses a window's end between
    them (CI saw it once on PostgreSQL). With the clock held, a test sees exactly one window;
    :meth:`advance` is how a test lets one end.
    """

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def rate_window_clock(monkeypatch: pytest.MonkeyPatch) -> RateWindowClock:
    import time

    import django_ratelimit.core

    from microcred_web.security import limits

    clock = RateWindowClock(time.time())
    monkeypatch.setattr(django_ratelimit.core, "time", clock)
    monkeypatch.setattr(limits, "time", clock)  # the lockouts' clock
    return clock
