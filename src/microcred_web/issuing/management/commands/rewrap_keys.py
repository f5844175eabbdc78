"""``rewrap_keys``: re-seal every signing key under a new KEK (docs/keys-and-backup.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from microcred.credentials.keystore import KeystoreError
from microcred_web.issuing.keys import rewrap_all


class Command(BaseCommand):
    help = (
        "KEK rotation: re-seal every provider's private key and every learner's holder key "
        "from MICROCRED_KEK_OLD to "
        "MICROCRED_KEK. Safe to run again after an interruption."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changed, current = rewrap_all()
        except KeystoreError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        self.stdout.write(f"{changed} key(s) re-sealed, {current} already under the new KEK")
