"""``reindex``: rebuild the catalogue search index from the database.

The database is the source of truth; run this after restoring a backup, after upgrading (a new
index schema), or nightly, since "quality assured today" changes with the calendar.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from microcred_web.catalogue import services


class Command(BaseCommand):
    help = "Rebuild the catalogue search index from the database; prints how many were indexed."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(done: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            self.stderr.write(f"  {done:,} indexed ({rate:,.0f}/s)")

        count = services.rebuild_index(progress=progress)
        seconds = time.perf_counter() - started
        self.stdout.write(f"reindex: {count} specifications indexed in {seconds:.1f} s")
