"""``seed_demo``: load demonstration data into an empty database.

There is no demo data yet, so this is a no-op that says so. ``make run`` calls it on every start,
so when demo data is added it must stay idempotent (load only what is missing).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load demonstration data (idempotent). Nothing to load yet."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("seed_demo: no demo data yet, nothing to load.")
