"""``rotate_key PROVIDER_SLUG``: retire the provider's signing key and make a new one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred.credentials.keystore import KeystoreError
from microcred_web.issuing.cli import acting_user
from microcred_web.issuing.identity import verification_method
from microcred_web.issuing.keys import rotate_key
from microcred_web.register.models import Provider
from microcred_web.register.permissions import PermissionDenied


class Command(BaseCommand):
    help = "Rotate a provider's signing key; the old key stays in the DID document, retired."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("provider", help="the provider's slug")
        parser.add_argument("--reason", default="", help="kept in the audit log")
        parser.add_argument("--user", help="act as this user (default: the shell operator)")

    def handle(self, *args: Any, **options: Any) -> None:
        provider = Provider.objects.filter(slug=options["provider"]).first()
        if provider is None:
            raise CommandError(f"no provider {options['provider']}")
        try:
            key = rotate_key(acting_user(options.get("user")), provider, options["reason"])
        except (PermissionDenied, KeystoreError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"active key: {verification_method(provider, key.key_id)}")
