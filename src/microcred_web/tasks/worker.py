"""The worker: django-tasks-db's, plus what it leaves to us (resuming after a crash).

The library claims a task by marking it RUNNING with the worker's id. A worker killed in the
middle (``kill -9``, a crash, a power cut) leaves it RUNNING for ever; the library has no
lease. So before it takes work, a worker gives back to the queue every RUNNING task whose
worker is gone: on this host, a worker whose process no longer exists (worker ids are
``host:pid:random``); on another host, one whose job has reported nothing for
:data:`STALE_AFTER` (jobs report at every batch). The job then runs again from its data
(:mod:`.work`), which is what makes that safe.

A worker asked to stop (SIGTERM, SIGINT) lets the running job stop between two batches and
puts its task back in the queue; a second signal stops it at once (the next worker resumes).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as LibraryWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from microcred_web.tasks import work
from microcred_web.tasks.models import Job, JobState

logger = logging.getLogger("microcred_web.tasks")

#: A running job on another host whose worker has said nothing for this long is taken over.
STALE_AFTER = datetime.timedelta(minutes=10)
RUNNING = "RUNNING"


def worker_id() -> str:
    """``host:pid:random``, at most 64 characters (the library's limit)."""
    host = socket.gethostname()[:40]
    return f"{host}:{os.getpid()}:{get_random_string(8)}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _gone(owner: str, job: Job | None, now: datetime.datetime) -> bool:
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host == socket.gethostname()[:40] and pid_text.isdigit():
        return int(pid_text) != os.getpid() and not _alive(int(pid_text))
    beat = job.heartbeat_at if job is not None else None
    return beat is None or now - beat > STALE_AFTER


def recover(backend_name: str = "default") -> list[str]:
    """Put back in the queue the running tasks whose worker is gone; their task ids."""
    now = timezone.now()
    jobs = {job.task_id: job for job in Job.objects.filter(state=JobState.RUNNING)}
    recovered = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=RUNNING, backend_name=backend_name
        )
        for result in running:
            owner = result.worker_ids[-1] if result.worker_ids else ""
            job = jobs.get(str(result.id))
            if not _gone(owner, job, now):
                continue
            _requeue(result)
            if job is not None:
                Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
                    state=JobState.QUEUED,
                    message="The worker running this job stopped; the job resumes where it was.",
                )
            recovered.append(str(result.id))
    for task_id in recovered:
        logger.warning("task %s: its worker is gone; queued again", task_id)
    return recovered


def _requeue(result: DBTaskResult) -> None:
    result.status = "READY"
    result.finished_at = None
    result.exception_class_path = ""
    result.traceback = ""
    result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])


#: How often (seconds) a worker checks that today's scheduled jobs are queued.
SCHEDULE_EVERY = 60.0


class Worker(LibraryWorker):
    """The library's loop; a stop yields the job between batches, and requeues its task.

    It also queues the day's ``refresh-standing`` job (``services.schedule_daily``). The
    library's loop has no hook between polls, but reads ``self.running`` before each one: so
    ``running`` is a property that, at most every :data:`SCHEDULE_EVERY` seconds, makes that
    check first, in the worker's own thread and connection (no second writer on SQLite).
    ``MICROCRED_SCHEDULE_DAILY = False`` turns it off.
    """

    _running = False
    _next_schedule = 0.0

    @property  # type: ignore[override]
    def running(self) -> bool:
        if self._running:
            self._schedule()
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        self._running = value

    def _schedule(self) -> None:
        if work.STOP.is_set() or getattr(self, "running_task", False):
            return  # read from the signal handler, or between a task's steps: not now
        now = time.monotonic()
        if now < self._next_schedule or not getattr(settings, "MICROCRED_SCHEDULE_DAILY", True):
            return
        self._next_schedule = now + SCHEDULE_EVERY
        from microcred_web.tasks import services

        try:
            job = services.schedule_daily()
        except DatabaseError:  # a locked SQLite file, a lost connection: next minute
            logger.warning("could not queue today's scheduled jobs; trying again", exc_info=True)
            return
        if job is not None:
            logger.info("queued today's %s job %s", job.kind, job.public_id)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        work.STOP.set()
        super().shutdown(signum, frame)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        interrupted = f"{work.Interrupted.__module__}.{work.Interrupted.__qualname__}"
        if db_task_result.exception_class_path == interrupted:
            _requeue(db_task_result)
            logger.info("task %s: stopped with the worker, queued again", db_task_result.id)


def make_worker(**options: Any) -> Worker:
    return Worker(
        queue_names=options.get("queue_names", ["default"]),
        interval=options.get("interval", 1.0),
        batch=options.get("batch", False),
        backend_name=options.get("backend_name", "default"),
        startup_delay=options.get("startup_delay", False),
        max_tasks=options.get("max_tasks"),
        worker_id=options.get("worker_id") or worker_id(),
        excluded_queue_names=[],
    )


def run_pending(backend_name: str = "default") -> int:
    """Run every queued task in this process, one after another; how many ran.

    For tests and one-off runs. Not the library's loop, which closes the database connection
    between tasks (a test's transaction with it).
    """
    recover(backend_name)
    worker = make_worker(batch=True, interval=0, backend_name=backend_name)
    ran = 0
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name=backend_name)
        with exclusive_transaction(ready.db):
            result = ready.get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            return ran
        worker.run_task(result)
        ran += 1
