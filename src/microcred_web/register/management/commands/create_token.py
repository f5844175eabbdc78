"""``create_token USERNAME``: make an API token and print it once.

Only the SHA-256 digest is stored, so the token printed here cannot be shown again; lose it and
revoke it (``--revoke PREFIX``) and make a new one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred_web.issuing.cli import ShellOperator
from microcred_web.register.models import ApiToken
from microcred_web.register.tokens import create_token, revoke_token


class Command(BaseCommand):
    help = "Create an API bearer token for an account (printed once), or revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="what the token is for")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token with PREFIX")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no account {options['username']!r}")
        if options["revoke"]:
            found = ApiToken.objects.filter(user=user, prefix=options["revoke"], revoked=False)
            if not found.exists():
                raise CommandError(f"no active token {options['revoke']!r} for this account")
            for record in found:
                revoke_token(record, actor=ShellOperator())
            self.stdout.write(f"revoked {options['revoke']}")
            return
        new = create_token(user, options["name"], actor=ShellOperator())
        self.stderr.write("The token is shown once; store it now.")
        self.stdout.write(new.token)
