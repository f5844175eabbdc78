"""``revoke CREDENTIAL_ID --reason ...`` (and ``--suspend`` / ``--reinstate``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred_web.issuing.cli import acting_user
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.issuing.status import set_status
from microcred_web.register.permissions import PermissionDenied


class Command(BaseCommand):
    help = "Revoke (final), suspend or reinstate an issued credential, with a reason."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("credential", help="the credential id (urn:uuid:... or the uuid)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--suspend", action="store_const", const="suspend", dest="action")
        group.add_argument("--reinstate", action="store_const", const="reinstate", dest="action")
        parser.add_argument("--reason", required=True, help="kept in the audit log")
        parser.add_argument("--user", help="act as this user (default: the shell operator)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            public_id = uuid.UUID(options["credential"].removeprefix("urn:uuid:"))
        except ValueError:
            raise CommandError(f"{options['credential']!r} is not a credential id") from None
        record = (
            IssuedCredentialRecord.objects.select_related("provider")
            .filter(public_id=public_id)
            .first()
        )
        if record is None:
            raise CommandError(f"no credential {options['credential']}")
        action = options["action"] or "revoke"
        try:
            record = set_status(acting_user(options.get("user")), record, action, options["reason"])
        except (PermissionDenied, IssuingError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"urn:uuid:{record.public_id}: revoked={record.revoked} suspended={record.suspended}"
        )
