"""``enqueue reindex`` / ``enqueue publish-status-lists [--provider SLUG]`` /
``enqueue refresh-standing``: queue a job."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred_web.issuing.cli import acting_user
from microcred_web.register.models import Provider
from microcred_web.register.permissions import PermissionDenied
from microcred_web.tasks import services


class Command(BaseCommand):
    help = (
        "Queue a background job for the worker: 'reindex' rebuilds the catalogue search index; "
        "'publish-status-lists' signs status lists again with each provider's active key "
        "(--provider: one provider's); 'refresh-standing' reindexes the providers whose QA "
        "standing changed by the date since the last refresh (workers queue it daily). "
        "Prints the job id; `worker` runs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["reindex", "publish-status-lists", "refresh-standing"])
        parser.add_argument("--provider", help="a provider's slug (publish-status-lists)")
        parser.add_argument("--user", help="act as this user (default: the shell operator)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options.get("user"))
        try:
            if options["job"] == "reindex":
                job = services.start_reindex(user)
            elif options["job"] == "refresh-standing":
                job = services.start_refresh_standing(user)
            else:
                provider = None
                if options.get("provider"):
                    provider = Provider.objects.filter(slug=options["provider"]).first()
                    if provider is None:
                        raise CommandError(f"no provider {options['provider']}")
                job = services.start_publish_status_lists(user, provider)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"queued job {job.public_id} ({job.kind})")
