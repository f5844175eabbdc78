"""``issue_bulk --spec S-... --learners FILE.csv --out DIR``: resumable bulk issuing."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred_web.issuing import bulk
from microcred_web.issuing.cli import acting_user
from microcred_web.issuing.errors import IssuingError
from microcred_web.register.models import Specification
from microcred_web.register.permissions import PermissionDenied


class Command(BaseCommand):
    help = (
        "Issue a credential of a published specification to every learner of a CSV file "
        "(header with 'identifier' and optionally 'name'). Safe to re-run: learners already "
        "issued are skipped, so a run that was interrupted simply finishes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--spec", required=True, help="the specification's public id")
        parser.add_argument("--learners", required=True, type=Path, help="CSV file")
        parser.add_argument("--out", required=True, type=Path, help="directory for the JSON files")
        parser.add_argument("--user", help="act as this user (default: the shell operator)")
        parser.add_argument(
            "--cryptosuite",
            default="eddsa-rdfc-2022",
            choices=["eddsa-rdfc-2022", "eddsa-jcs-2022"],
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress line")

    def handle(self, *args: Any, **options: Any) -> None:
        specification = (
            Specification.objects.select_related("provider")
            .filter(public_id=options["spec"])
            .first()
        )
        if specification is None:
            raise CommandError(f"no specification {options['spec']}")
        path: Path = options["learners"]
        if not path.is_file():
            raise CommandError(f"no file {path}")
        user = acting_user(options.get("user"))
        started = time.monotonic()
        show = not options["no_progress"]

        def progress(report: bulk.BulkReport) -> None:
            if show and (report.done % 25 == 0 or report.done == report.total):
                rate = report.done / max(time.monotonic() - started, 1e-6)
                share = report.done / report.total if report.total else 1.0
                bar = "#" * int(share * 30)
                sys.stderr.write(
                    f"\r[{bar:<30}] {report.done}/{report.total} "
                    f"({report.issued} new, {report.existing} already issued, "
                    f"{len(report.failed)} refused) {rate:.0f}/s"
                )
                sys.stderr.flush()

        try:
            total = bulk.count_rows(path)
            with path.open(encoding="utf-8-sig", newline="") as stream:
                report = bulk.issue_many(
                    user,
                    specification,
                    bulk.read_learners(stream),
                    options["out"],
                    cryptosuite=options["cryptosuite"],
                    total=total,
                    progress=progress,
                )
        except (IssuingError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        except OSError as error:  # the learners file, the output directory, a full disk...
            where = error.filename or options["out"]
            raise CommandError(
                f"{where}: {error.strerror or error}. Credentials committed so far are kept; "
                "run the same command again to finish (nothing is issued twice)."
            ) from None
        if show:
            sys.stderr.write("\n")
        for line, message in report.failed:
            self.stderr.write(f"line {line}: {message}")
        for line, first in report.repeated:
            self.stderr.write(f"line {line}: the learner of line {first} again (issued once)")
        self.stdout.write(
            f"{report.issued} issued, {report.existing} already issued, "
            f"{len(report.failed)} refused; credentials in {options['out']}"
        )
        if report.failed:
            raise CommandError(f"{len(report.failed)} learner(s) refused")
