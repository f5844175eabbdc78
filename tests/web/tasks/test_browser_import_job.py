"""In Debian's chromium: a provider's staff member uploads 2,000 specifications on the import
page; the import runs in the background in a real worker process while the job page's bar
moves, and the per-row report is shown (and downloadable) when it is done. axe on each page.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.web.axe import assert_accessible
from tests.web.issuing.instance import Instance
from tests.web.tasks.conftest import specifications_csv
from tests.web.tasks.instance_steps import PASSWORD
from tests.web.tasks.test_browser_bulk_issue import (
    RECORD_BAR,
    SCREENSHOTS,
    free_port,
    start_server,
    stop,
)
from tests.web.tasks.test_worker_killed_resumes import start_worker, steps

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ROWS = 2000


@pytest.mark.django_db(transaction=True)
def test_import_of_2000_rows_in_the_background_while_the_bar_moves(
    tmp_path: Path, page: Page
) -> None:
    instance = Instance.create(
        tmp_path, MICROCRED_ALLOWED_HOSTS="127.0.0.1,issuer.example", MICROCRED_HTTPS="0"
    )
    steps(instance, "staff")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "processes.log"
    worker = start_worker(instance, log)
    server = start_server(instance, port, log)
    url = "/dashboard/providers/north-sea-university/specifications/import"
    try:
        page.goto(f"{base}/accounts/login/?next={url}")
        page.get_by_label("User name").fill("staff")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", level=1, name="Import specifications from a file").wait_for()
        assert (
            "more than 200 rows is imported in the background" in page.locator("main").inner_text()
        )
        assert_accessible(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "editor-import-page.png"), full_page=True)
        # A malformed file first: refused at the field, nothing queued.
        page.get_by_label("File (CSV, JSON or ELM JSON-LD)").set_input_files(
            {"name": "broken.json", "mimeType": "application/json", "buffer": b'{"x": ['}
        )
        page.get_by_role("button", name="Import").click()
        page.locator("#imp-file-error").wait_for()
        assert "JSON" in page.locator("#imp-file-error").inner_text()
        assert_accessible(page)
        page.get_by_label("File (CSV, JSON or ELM JSON-LD)").set_input_files(
            {"name": "big.csv", "mimeType": "text/csv", "buffer": specifications_csv(ROWS)}
        )
        page.get_by_label("Publish the rows without errors").check()
        started = time.monotonic()
        page.get_by_role("button", name="Import").click()
        page.wait_for_url(f"{base}/jobs/*/")
        page.evaluate(RECORD_BAR)
        assert "runs in the background" in page.locator("main").inner_text()
        assert_accessible(page)
        page.wait_for_function(
            f"() => (window.barValues || []).some(v => v > 0 && v < {ROWS})", timeout=120_000
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "tasks-import-running.png"), full_page=True)
        page.locator("#job-state").filter(has_text="Finished").wait_for(timeout=300_000)
        seconds = time.monotonic() - started
        values: list[Any] = page.evaluate("() => window.barValues")
        moving = sorted({v for v in values if 0 < v < ROWS})
        assert len(moving) >= 2, values  # the user saw it move
        assert values == sorted(values) and values[-1] == ROWS, values
        assert page.locator("#count-created").inner_text() == str(ROWS)  # updated live
        page.get_by_role("link", name="The job has finished: show its report").click()
        page.locator("#import-report").wait_for()
        assert page.locator("#count-created").inner_text() == str(ROWS)
        assert page.locator("#import-report tbody tr").count() == 500  # the first 500 shown
        assert_accessible(page)
        page.screenshot(path=str(SCREENSHOTS / "tasks-import-finished.png"), full_page=False)
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV", exact=True).click()
        lines = Path(download.value.path()).read_text().splitlines()
        assert len(lines) == ROWS + 1 and lines[0].startswith("row,key,outcome")
    finally:
        stop(server)
        stop(worker)
    done = steps(instance, "imported", page.url.rstrip("/").rsplit("/", 1)[-1])
    assert done["specifications"] == done["local_ids"] == ROWS, done
    assert done["in_catalogue"] == ROWS + 1 and done["indexed"] == ROWS + 1, done
    print(f"\n{ROWS} specifications imported in the background in {seconds:.1f} s")
