"""``identifier_key``: show the learner-identifier key's fingerprints, or adopt the configured
key for a database that has none recorded (docs/keys-and-backup.md, "The identifier key")."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred_web.issuing import identifier
from microcred_web.issuing.errors import IssuingError


class Command(BaseCommand):
    help = (
        "Show the fingerprint of MICROCRED_IDENTIFIER_KEY and the one this database recorded; "
        "--adopt records the configured key as the database's (only right if its learner "
        "hashes were made under that key)."
    )
    # It must run precisely when the check fails (a key to adopt).
    requires_system_checks: ClassVar[list[str]] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--adopt",
            action="store_true",
            help="record the configured key's fingerprint as this database's identifier key",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["adopt"]:
            try:
                key = identifier.configured_key()
            except IssuingError as error:
                raise CommandError(error.message) from None
            identifier.record(key, "adopted", replace=True)
            self.stdout.write(f"identifier key {key.fingerprint} adopted for this database")
            return
        state = identifier.state()
        self.stdout.write(f"configured: {state.configured or '(none)'}")
        recorded = f"{state.recorded} ({state.source})" if state.recorded else "(none)"
        self.stdout.write(f"recorded:   {recorded}")
        self.stdout.write(f"credentials: {state.credentials}")
        if state.problem:
            raise CommandError(state.problem)
        self.stdout.write("ok")
