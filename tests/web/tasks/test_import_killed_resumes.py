"""A worker killed with SIGKILL half way through a background import of 2,000
specifications, then a new worker: the import resumes and finishes, every row imported once
(no duplicates), none left out (no gaps), each reported once with the outcome of the run that
wrote it, and the search index holding every one (the killed run never reached its commit).

Real processes on a database of the test's own, as the bulk-issue kill test
(``test_worker_killed_resumes.py``).
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.web.issuing.instance import Instance
from tests.web.tasks.test_worker_killed_resumes import (
    kill_worker_when,
    start_worker,
    steps,
    wait_for,
)

ROWS = 2000


@pytest.mark.django_db(transaction=True)
def test_killed_import_resumes_without_duplicates_or_gaps(tmp_path: Path) -> None:
    instance = Instance.create(tmp_path)
    job = steps(instance, "queue-import", str(ROWS))["job"]
    log = tmp_path / "worker.log"
    seen = kill_worker_when(instance, job, log, lambda s: 200 <= s["done"] < ROWS - 600)
    partial = steps(instance, "imported", job)
    # Whole rows only: a report row exactly for each specification committed.
    assert seen["done"] <= partial["report_rows"] < ROWS, (seen, partial)
    assert partial["specifications"] == partial["report_rows"], partial
    assert partial["positions"] == list(range(1, partial["report_rows"] + 1))

    second = start_worker(instance, log)
    try:
        final = wait_for(instance, job, lambda s: s["state"] in ("succeeded", "failed"))
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert final["state"] == "succeeded", (final, log.read_text())
    assert final["attempts"] == 2 and final["done"] == ROWS, final
    done = steps(instance, "imported", job)
    assert done["positions"] == list(range(1, ROWS + 1))  # each row reported once
    assert done["outcomes"] == {"created": ROWS}, done["outcomes"]
    assert done["specifications"] == done["local_ids"] == ROWS  # no duplicates, no gaps
    assert done["versions"] == ROWS  # no row written twice
    assert done["in_catalogue"] == ROWS + 1  # with the instance's own published one
    assert done["indexed"] == done["in_catalogue"], done
    assert "queued again" in log.read_text()
