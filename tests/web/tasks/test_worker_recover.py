"""Which running tasks a starting worker takes over: those whose worker is gone (a dead
process on this host; on another host, a job silent for STALE_AFTER), never a live one's."""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from microcred_web.tasks import services, worker
from microcred_web.tasks.models import Job

from .conftest import IssuingWorld


def running(world: IssuingWorld, owner: str, silent_for: datetime.timedelta) -> Job:
    job = services.start_reindex(world.users["operator"])
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING", worker_ids=[owner])
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat_at=timezone.now() - silent_for)
    return job


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize(
    ("owner", "silent_for", "taken_over"),
    [
        (f"{socket.gethostname()[:40]}:{{dead}}:x", datetime.timedelta(0), True),
        (f"{socket.gethostname()[:40]}:{os.getppid()}:x", datetime.timedelta(hours=1), False),
        ("elsewhere:123:x", datetime.timedelta(minutes=1), False),
        ("elsewhere:123:x", worker.STALE_AFTER + datetime.timedelta(minutes=1), True),
    ],
)
def test_recover(
    world: IssuingWorld, owner: str, silent_for: datetime.timedelta, taken_over: bool
) -> None:
    job = running(world, owner.replace("{dead}", str(dead_pid())), silent_for)
    assert (job.task_id in worker.recover()) is taken_over
    task = DBTaskResult.objects.get(id=job.task_id)
    job.refresh_from_db()
    assert task.status == ("READY" if taken_over else "RUNNING")
    assert job.state == ("queued" if taken_over else "running")
    if taken_over:
        assert worker.run_pending() == 1
        job.refresh_from_db()
        assert job.state == "succeeded" and job.attempts == 1
