"""``microcred import`` and ``microcred export``: the web layer's sub-commands.

They reach the ``microcred`` command through the entry-point group ``microcred.commands``
(see :mod:`microcred.cli`), so the core stays free of Django: this module imports Django only
when one of its commands runs, never when the parser is built (``microcred --help`` works on a
machine without a database).

Who acts: the command line runs on the server with direct access to the database, so by
default it acts as the register operator (:class:`CommandLineOperator`). ``--as USERNAME``
acts as that account instead, with its roles checked row by row, to test what an account may
do or to record who did an import.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

# Kept here, not imported, so that building the parser does not load Django; a test checks
# they match importing.KINDS and exporting.WHATS.
KINDS = ("specifications", "providers", "agencies", "qa-results")
WHATS = ("register", "catalogue", "achievements")


class CommandLineOperator:
    """The server's own command line: operator rights, no account.

    ``is_authenticated`` is False so that version history records no author rather than a
    fake one; ``is_superuser`` is what the permission checks read.
    """

    is_superuser = True
    is_authenticated = False
    is_active = True
    pk = None
    username = "(command line)"


class ProgressLine:
    """``done/total, rate`` on one stderr line, redrawn at most ten times a second.

    Why so plain: a bulk import of 100,000 rows must not spend its time drawing, and a log
    file (not a TTY) must not fill with carriage returns, hence ``enabled``.
    """

    interval = 0.1

    def __init__(self, stream: TextIO, enabled: bool, label: str = "") -> None:
        self.stream, self.enabled, self.label = stream, enabled, label
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < self.interval:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-6)
        percent = f" {100 * done // total:3d}%" if total else ""
        self.stream.write(f"\r{self.label}{done:,}/{total:,}{percent} {rate:,.0f} rows/s ")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def register(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import",
        help="import specifications, providers, agencies or QA results into the register",
        description=(
            "Bulk import into the register from CSV, JSON or ELM JSON-LD. Each row is stored "
            "on its own and reported as created, updated, unchanged or rejected; running the "
            "same file again changes nothing. Exit 0: no row rejected; 1: some row rejected; "
            "2: the file or the command line could not be used."
        ),
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--kind", choices=KINDS, default="specifications")
    imp.add_argument("--provider", metavar="SLUG", help="owner of imported specifications")
    imp.add_argument("--as", dest="as_user", metavar="USERNAME", help="act as this account")
    imp.add_argument(
        "--status", choices=("draft", "published"), help="life-cycle status for specifications"
    )
    imp.add_argument("--report", choices=("text", "json"), default="text", help="report format")
    imp.add_argument("--quiet", "-q", action="store_true", help="list only rejected rows")
    imp.add_argument("--progress", action="store_true", help="show progress even if not a TTY")
    imp.add_argument(
        "--background",
        action="store_true",
        help="check the file, queue it for the worker (`manage.py worker`) and print the job id",
    )
    imp.set_defaults(func=run_import)

    exp = subparsers.add_parser(
        "export",
        help="write the public register, catalogue or OBv3 achievements as open data",
        description=(
            "Export open data (no personal data): the register (providers, agencies, QA "
            "results) or the catalogue (published specifications) as JSON or CSV, or the "
            "published specifications as Open Badges 3.0 Achievement JSON-LD. CSV writes one "
            "file per table into the folder given by --out."
        ),
    )
    exp.add_argument("--what", choices=WHATS, default="register")
    exp.add_argument("--format", choices=("csv", "json", "jsonld"), default="json")
    exp.add_argument("--out", required=True, metavar="PATH", help="file (JSON) or folder (CSV)")
    exp.add_argument("--base-url", help="public URL of this instance, for links in the data")
    exp.set_defaults(func=run_export)

    iss = subparsers.add_parser(
        "issue",
        help="issue credentials of a published specification to the learners of a CSV file",
        description=(
            "Bulk issuing: one signed Open Badges 3.0 credential per learner of FILE.csv "
            "(header with 'identifier' and optionally 'name'), written to --out. Safe to re-run: "
            "learners already issued are skipped, so an interrupted run simply finishes."
        ),
    )
    iss.add_argument("--spec", required=True, metavar="SPEC", help="specification public id")
    iss.add_argument("--learners", required=True, metavar="FILE.csv")
    iss.add_argument("--out", required=True, metavar="DIR")
    iss.add_argument(
        "--cryptosuite", choices=("eddsa-rdfc-2022", "eddsa-jcs-2022"), default="eddsa-rdfc-2022"
    )
    iss.add_argument("--as", dest="as_user", metavar="USERNAME", help="act as this account")
    iss.add_argument("--no-progress", action="store_true")
    iss.set_defaults(func=run_issue)

    rev = subparsers.add_parser(
        "revoke", help="revoke, suspend or reinstate an issued credential, with a reason"
    )
    rev.add_argument("credential", metavar="CREDENTIAL_ID")
    mode = rev.add_mutually_exclusive_group()
    mode.add_argument("--suspend", action="store_true")
    mode.add_argument("--reinstate", action="store_true")
    rev.add_argument("--reason", required=True)
    rev.add_argument("--as", dest="as_user", metavar="USERNAME")
    rev.set_defaults(func=run_revoke)

    from microcred_web.backup import cli as backup_cli  # backup, restore

    backup_cli.register(subparsers)


def setup_django() -> str | None:
    """Set Django up with the project settings; the error message, or None when ready."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred_web.settings")
    import django
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    if apps.ready:
        return None
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        return str(exc)
    return None


def run_import(args: argparse.Namespace) -> int:
    problem = setup_django()
    if problem:
        print(f"microcred import: {problem}", file=sys.stderr)
        return 2
    from django.contrib.auth import get_user_model

    from microcred_web.register import importing, records

    user: Any = CommandLineOperator()
    if args.as_user:
        user = get_user_model().objects.filter(username=args.as_user, is_active=True).first()
        if user is None:
            print(f"microcred import: no active account {args.as_user!r}", file=sys.stderr)
            return 2
    provider = None
    if args.kind == "specifications":
        if not args.provider:
            print("microcred import: --provider SLUG is needed for specifications", file=sys.stderr)
            return 2
        provider = records.find_provider(args.provider)
        if provider is None:
            print(f"microcred import: no provider {args.provider!r}", file=sys.stderr)
            return 2
    if getattr(args, "background", False):
        return _queue_import(args, user, provider)
    progress = ProgressLine(sys.stderr, args.progress or sys.stderr.isatty())
    try:
        report = importing.import_path(
            args.file,
            kind=args.kind,
            user=user,
            provider=provider,
            status=args.status,
            progress=progress,
        )
    except importing.ImportFileError as exc:
        progress.finish()
        print(f"microcred import: {exc}", file=sys.stderr)
        return 2
    progress.finish()
    if args.report == "json":
        json.dump(report.as_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_report(report, sys.stdout, quiet=args.quiet)
    return 0 if report.ok else 1


def _queue_import(args: argparse.Namespace, user: Any, provider: Any) -> int:
    """``--background``: the file checked whole and stored in the database with its job."""
    from microcred_web.register.permissions import PermissionDenied
    from microcred_web.tasks import services

    path = Path(args.file)
    try:
        if path.stat().st_size > services.import_max_bytes():
            print(f"microcred import: {path.name} is larger than the limit", file=sys.stderr)
            return 2
        data = path.read_bytes()
    except OSError as exc:
        print(f"microcred import: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        job = services.start_import(
            user, data, kind=args.kind, filename=path.name, provider=provider, status=args.status
        )
    except (services.StartRefused, PermissionDenied) as exc:
        print(f"microcred import: {exc}", file=sys.stderr)
        return 2
    print(f"queued job {job.public_id} (import of {job.total} rows); `manage.py worker` runs it")
    return 0


def _print_report(report: Any, out: TextIO, *, quiet: bool) -> None:
    for row in report.rows:
        if quiet and row.outcome != "rejected":
            continue
        key = f" {row.key}" if row.key else ""
        out.write(f"{row.row}{key}: {row.outcome}\n")
        for f in row.findings:
            out.write(
                f"  {f['severity']:<7} {f['code']:<24} {f['path'] or '(row)'}: {f['message']}\n"
            )
    counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
    out.write(f"{len(report.rows)} rows: {counts}\n")


def run_export(args: argparse.Namespace) -> int:
    problem = setup_django()
    if problem:
        print(f"microcred export: {problem}", file=sys.stderr)
        return 2
    from microcred_web.register import exporting

    try:
        written = exporting.write_export(args.what, args.format, Path(args.out), base=args.base_url)
    except ValueError as exc:
        print(f"microcred export: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"microcred export: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _management(name: str, label: str, *args: str) -> int:
    """Run a management command of the issuing app as a ``microcred`` sub-command."""
    problem = setup_django()
    if problem:
        print(f"microcred {label}: {problem}", file=sys.stderr)
        return 2
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(name, *args)
    except CommandError as exc:
        print(f"microcred {label}: {exc}", file=sys.stderr)
        return 1
    return 0


def run_issue(args: argparse.Namespace) -> int:
    extra = [
        "--spec",
        args.spec,
        "--learners",
        args.learners,
        "--out",
        args.out,
        "--cryptosuite",
        args.cryptosuite,
    ]
    extra += ["--user", args.as_user] if args.as_user else []
    extra += ["--no-progress"] if args.no_progress else []
    return _management("issue_bulk", "issue", *extra)


def run_revoke(args: argparse.Namespace) -> int:
    extra = [args.credential, "--reason", args.reason]
    extra += ["--suspend"] if args.suspend else ["--reinstate"] if args.reinstate else []
    extra += ["--user", args.as_user] if args.as_user else []
    return _management("revoke", "revoke", *extra)
