"""A worker asked to stop (SIGTERM, as systemd and `make run`'s Ctrl-C do) in the middle of a
bulk issue: the job stops between two batches, goes back to the queue, and the next worker
finishes it; every learner issued exactly once."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.web.issuing.instance import Instance
from tests.web.tasks.test_worker_killed_resumes import start_worker, steps, wait_for

ROWS = 2000


@pytest.mark.django_db(transaction=True)
def test_a_stopped_worker_puts_its_job_back_in_the_queue(tmp_path: Path) -> None:
    instance = Instance.create(tmp_path)
    job = steps(instance, "queue", str(ROWS))["job"]
    log = tmp_path / "worker.log"
    first = start_worker(instance, log)
    try:
        wait_for(instance, job, lambda s: 200 <= s["done"] < ROWS - 400)
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=120) == 0, log.read_text()  # a clean stop, not a kill
    finally:
        if first.poll() is None:
            first.kill()
    stopped = steps(instance, "job", job)
    assert stopped["state"] == "queued" and stopped["task"] == "READY", stopped
    assert "resumes" in stopped["message"]
    assert instance.script("report", instance.spec)["records"] < ROWS

    second = start_worker(instance, log)
    try:
        final = wait_for(instance, job, lambda s: s["state"] in ("succeeded", "failed"))
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert final["state"] == "succeeded" and final["attempts"] == 2, (final, log.read_text())
    assert (final["issued"], final["existing"]) == (ROWS, 0)
    report = instance.script("report", instance.spec)
    assert report["records"] == ROWS and report["learners"] == ROWS
