"""A worker killed with SIGKILL in the middle of a bulk issue, then a new worker: the job
resumes and finishes, every learner issued exactly once (no duplicates, no gaps).

Real processes on a database of the test's own (SQLite file, or the PostgreSQL test database):
the worker is ``manage.py worker`` as production runs it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.web.issuing.instance import Instance

ROWS = 2000


def steps(instance: Instance, *args: str) -> Any:
    import json

    argv = [sys.executable, "-m", "tests.web.tasks.instance_steps", *args]
    return json.loads(instance.run(argv).stdout)


def start_worker(instance: Instance, log: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "microcred_web.manage", "worker", "--interval", "0.2"]
    with log.open("ab") as out:
        return subprocess.Popen(argv, env=instance.env(), stdout=out, stderr=out)


def wait_for(instance: Instance, job: str, done: Any, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = steps(instance, "job", job)
        if done(state):
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {job} never got there: {state}")


def kill_worker_when(instance: Instance, job: str, log: Path, done: Any) -> dict[str, Any]:
    """Start a worker, SIGKILL it once ``done(state)`` holds; the state it was killed in."""
    worker = start_worker(instance, log)
    try:
        seen = wait_for(instance, job, done)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    return seen


@pytest.mark.django_db(transaction=True)
def test_killed_worker_then_restarted_resumes_without_duplicates_or_gaps(
    tmp_path: Path,
) -> None:
    instance = Instance.create(tmp_path)
    job = steps(instance, "queue", str(ROWS))["job"]
    log = tmp_path / "worker.log"
    # Killed once some batches have committed, and well before the end.
    seen = kill_worker_when(instance, job, log, lambda s: 400 <= s["done"] < ROWS - 400)
    stopped = steps(instance, "job", job)
    assert stopped["state"] == "running" and stopped["task"] == "RUNNING", stopped
    partial = instance.script("report", instance.spec)
    assert seen["done"] <= partial["records"] < ROWS, (seen, partial)  # whole batches only

    second = start_worker(instance, log)
    try:
        final = wait_for(instance, job, lambda s: s["state"] in ("succeeded", "failed"))
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert final["state"] == "succeeded", (final, log.read_text())
    assert final["attempts"] == 2 and len(final["workers"]) == 2, final
    assert (final["done"], final["issued"], final["existing"], final["refused"]) == (
        ROWS,
        ROWS,
        0,
        0,
    ), final
    report = instance.script("report", instance.spec)
    assert report["records"] == ROWS  # no gaps
    assert report["learners"] == ROWS  # no duplicates
    assert report["revocations"] == ROWS and report["allocations"] == ROWS
    assert "queued again" in log.read_text()
