"""``seed_demo``: load the demonstration register and catalogue (``make run`` calls it).

Idempotent: only what is missing is loaded, so running it on every start changes nothing after
the first time. The data live in :mod:`microcred_web.register.demo_data` and
:mod:`microcred_web.register.demo_specs`; the loader is :mod:`microcred_web.register.demo`.
Demo accounts get an unusable password unless ``MICROCRED_DEMO_PASSWORD`` is set.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from microcred_web.register import demo, demo_data


class Command(BaseCommand):
    help = "Load demonstration data: providers, agencies, QA results, specifications (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild-index",
            action="store_true",
            help="rebuild the catalogue search index even when nothing new was loaded",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = demo.seed()
        if report.created or options["rebuild_index"]:
            self._rebuild_index()
        self._signing_keys()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"seed_demo: {report.created} created, {report.existing} already present "
            f"({elapsed:.1f} s)"
        )
        if options["verbosity"] >= 1:
            for line in demo.summary():
                self.stdout.write(line)

    def _signing_keys(self) -> None:
        """Give every demo provider a signing key, so their DID documents resolve at once.

        Only when a key-encryption key is configured (``make run`` sets a development one);
        without one, keys are created at the first issuance as usual.
        """
        from microcred.credentials.keystore import KeyEncryptionKey, KeystoreError
        from microcred_web.issuing.keys import ensure_key
        from microcred_web.register.models import Provider

        try:
            KeyEncryptionKey.from_env()
        except KeystoreError:
            self.stdout.write("seed_demo: no MICROCRED_KEK; demo signing keys not created")
            return
        created = 0
        for provider in Provider.objects.filter(slug__in=[row.slug for row in demo_data.PROVIDERS]):
            had_key = provider.keys.filter(retired__isnull=True).exists()
            ensure_key(provider)
            created += not had_key
        if created:
            self.stdout.write(f"seed_demo: {created} demo signing keys created")

    def _rebuild_index(self) -> None:
        try:
            services = importlib.import_module("microcred_web.catalogue.services")
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("microcred_web.catalogue"):
                raise
            self.stdout.write("seed_demo: no catalogue index module yet; index not rebuilt")
            return
        rebuild = getattr(services, "rebuild_index", None)
        if rebuild is None:
            self.stdout.write("seed_demo: the catalogue has no rebuild_index(); index not rebuilt")
            return
        rebuild()
        self.stdout.write("seed_demo: catalogue index rebuilt")
