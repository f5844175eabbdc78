"""``audit [--action A] [--actor NAME] [--interface I] [--limit N] [--json]``: list the audit
log, newest first (the viewer page comes with the workspaces)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from microcred_web.issuing.audit import INTERFACES
from microcred_web.issuing.models import AuditEvent


class Command(BaseCommand):
    help = "List the audit log, newest first: who did what to which record, when, and how."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--action", help="only this action (e.g. issue, import, sign-in)")
        parser.add_argument("--actor", help="only rows by this account name")
        parser.add_argument("--interface", choices=INTERFACES, help="only this interface")
        parser.add_argument("--limit", type=int, default=50, help="at most this many rows")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = AuditEvent.objects.all()
        for name, column in (("action", "action"), ("actor", "actor_name")):
            if options[name]:
                rows = rows.filter(**{column: options[name]})
        if options["interface"]:
            rows = rows.filter(interface=options["interface"])
        for row in rows.order_by("-at", "-pk")[: max(options["limit"], 0)]:
            if options["json"]:
                item = {
                    "at": row.at.isoformat(),
                    "actor": row.actor_name,
                    "interface": row.interface,
                    "action": row.action,
                    "target": row.target,
                    "reason": row.reason,
                    "details": row.details,
                }
                self.stdout.write(json.dumps(item, ensure_ascii=False))
            else:
                reason = f" ({row.reason})" if row.reason else ""
                self.stdout.write(
                    f"{row.at:%Y-%m-%d %H:%M:%S} {row.interface or '-':<6} "
                    f"{row.actor_name or '-':<16} {row.action:<22} {row.target}{reason}"
                )
