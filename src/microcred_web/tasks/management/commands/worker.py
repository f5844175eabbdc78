"""``worker``: run background jobs (bulk issuing, reindex, status lists) from the queue."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from microcred_web.tasks import worker


class Command(BaseCommand):
    help = (
        "Run the background worker: takes jobs from the database queue and runs them. "
        "First puts back in the queue the jobs of workers that died, which then resume "
        "without duplicates or gaps. SIGTERM / Ctrl-C: the running job stops between two "
        "batches and waits in the queue; a second signal stops at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle"
        )
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        log = logging.getLogger("microcred_web.tasks")
        if not log.handlers:
            log.addHandler(logging.StreamHandler(self.stderr))
        log.setLevel(logging.INFO if options["verbosity"] else logging.WARNING)
        lib = logging.getLogger("django_tasks_db")
        if not lib.handlers:
            lib.addHandler(logging.StreamHandler(self.stderr))
        lib.setLevel(logging.INFO if options["verbosity"] > 1 else logging.WARNING)
        recovered = worker.recover()
        if recovered:
            self.stderr.write(f"worker: {len(recovered)} interrupted job(s) queued again")
        runner = worker.make_worker(
            interval=options["interval"], batch=options["batch"], max_tasks=options["max_tasks"]
        )
        self.stderr.write(f"worker {runner.worker_id}: waiting for jobs (Ctrl-C stops)")
        runner.configure_signals()
        runner.run()
