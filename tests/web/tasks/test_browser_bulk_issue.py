"""In Debian's chromium: a provider's staff member uploads a CSV of 2,000 learners on the
dashboard and watches the progress bar move while a real worker process issues them in the
background, until the job has finished; every learner is then issued exactly once.

The server and the worker are processes of their own (``runserver`` and ``manage.py
worker``), on a database of the test's own: a SQLite file, or the PostgreSQL test database.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.web.axe import assert_accessible
from tests.web.issuing.instance import Instance
from tests.web.tasks.conftest import learners_csv
from tests.web.tasks.instance_steps import PASSWORD
from tests.web.tasks.test_worker_killed_resumes import start_worker, steps

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ROWS = 2000
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
#: Every value the bar takes, recorded in the page (Playwright's evaluate is not under the CSP).
RECORD_BAR = """() => {
  window.barValues = [];
  const bar = document.getElementById("job-progress");
  new MutationObserver(() => window.barValues.push(Number(bar.value)))
    .observe(bar, {attributes: true, attributeFilter: ["value", "max"]});
  const setter = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, "value").set;
  Object.defineProperty(bar, "value", {
    set(v) { setter.call(bar, v); window.barValues.push(Number(v)); },
    get() { return Number(bar.getAttribute("value")); },
  });
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(instance: Instance, port: int, log: Path) -> subprocess.Popen[bytes]:
    argv = [
        sys.executable, "-m", "microcred_web.manage", "runserver", "--noreload", "--insecure",
        f"127.0.0.1:{port}",
    ]  # fmt: skip
    with log.open("ab") as out:
        server = subprocess.Popen(argv, env=instance.env(), stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.2)
    server.kill()
    raise AssertionError(log.read_text())


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.django_db(transaction=True)
def test_bulk_issue_of_2000_in_the_background_while_the_bar_moves(
    tmp_path: Path, page: Page
) -> None:
    instance = Instance.create(
        tmp_path,
        MICROCRED_ALLOWED_HOSTS="127.0.0.1,issuer.example",
        MICROCRED_HTTPS="0",
    )
    steps(instance, "staff")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "processes.log"
    worker = start_worker(instance, log)
    server = start_server(instance, port, log)
    try:
        page.goto(base + "/accounts/login/?next=/dashboard/providers/north-sea-university/")
        page.get_by_label("User name").fill("staff")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", level=1, name="North Sea University").wait_for()
        form = page.locator("form[action$='/bulk-issue']")
        # A file without an identifier column: refused on the form, next to the field.
        form.get_by_label("Learners (CSV file)").set_input_files(
            {"name": "names.csv", "mimeType": "text/csv", "buffer": b"name\nAda\n"}
        )
        form.get_by_label("Cryptosuite").select_option("eddsa-jcs-2022")
        form.get_by_role("button", name="Upload and issue in the background").click()
        page.get_by_role(
            "heading", level=1, name="Issue to many learners from a CSV file"
        ).wait_for()
        assert "identifier" in page.locator("#bulk-file-error").inner_text()
        assert page.get_by_label("Cryptosuite").input_value() == "eddsa-jcs-2022"  # kept
        assert_accessible(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "tasks-bulk-refused.png"), full_page=True)
        form = page.locator("form[action$='/bulk-issue']")
        form.get_by_label("Learners (CSV file)").set_input_files(
            {"name": "learners.csv", "mimeType": "text/csv", "buffer": learners_csv(ROWS)}
        )
        assert_accessible(page)
        started = time.monotonic()
        form.get_by_role("button", name="Upload and issue in the background").click()
        page.wait_for_url(f"{base}/jobs/*/")
        page.evaluate(RECORD_BAR)
        assert_accessible(page)
        page.wait_for_function(
            f"() => (window.barValues || []).some(v => v > 0 && v < {ROWS})", timeout=120_000
        )
        page.screenshot(path=str(SCREENSHOTS / "tasks-job-running.png"), full_page=True)
        page.locator("#job-state").filter(has_text="Finished").wait_for(timeout=240_000)
        seconds = time.monotonic() - started
        page.get_by_role("link", name="The job has finished: show its report").wait_for()
        values: list[Any] = page.evaluate("() => window.barValues")
        moving = sorted({v for v in values if 0 < v < ROWS})
        assert len(moving) >= 2, values  # the user saw it move, not only start and end
        assert values == sorted(values) and values[-1] == ROWS, values
        assert page.locator("#job-issued").inner_text() == str(ROWS)
        assert page.locator("#job-count").inner_text() == f"{ROWS} of {ROWS}"
        assert page.locator("#job-finished").inner_text().endswith(" UTC")  # no reload needed
        assert_accessible(page)
        page.screenshot(path=str(SCREENSHOTS / "tasks-job-finished.png"), full_page=True)
        page.get_by_role("link", name="Jobs", exact=True).click()
        page.get_by_role("heading", level=1, name="Background jobs").wait_for()
        assert_accessible(page)
        page.screenshot(path=str(SCREENSHOTS / "tasks-jobs.png"), full_page=True)
    finally:
        stop(server)
        stop(worker)
    report = instance.script("report", instance.spec)
    assert report["records"] == ROWS and report["learners"] == ROWS, report
    print(f"\n{ROWS} learners issued in the background in {seconds:.1f} s")
