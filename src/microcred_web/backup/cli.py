"""``microcred backup`` and ``microcred restore`` (registered by microcred_web.cli_plugin).

Exit statuses, as for every sub-command: 0 done; 1 refused although the archive is fine (the
database is not empty, the keys supplied are not the archive's); 2 the archive, the command
line or the configuration cannot be used (damaged or foreign archive, another database
vendor, a newer microcred, a tool missing). Building the parser imports no Django.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

KEYS_REFUSED = (
    "the KEK and the identifier key never go into a backup archive: an archive with them "
    "would open every signing key and link every learner hash to whoever holds it. Keep them "
    "apart (docs/keys-and-backup.md); the archive records their fingerprints so restore can "
    "check them"
)


def register(subparsers: Any) -> None:
    bak = subparsers.add_parser(
        "backup",
        help="write a consistent snapshot of the database to one archive file (no keys in it)",
        description=(
            "Back up the instance database (SQLite: online backup, safe while the server runs; "
            "PostgreSQL: pg_dump) with a manifest, into one tar archive of mode 0600. The KEK "
            "and the learner-identifier key are never in it: keep them apart."
        ),
    )
    bak.add_argument("out", metavar="ARCHIVE", help="the archive file to write (must not exist)")
    bak.add_argument(
        "--include-keys",
        action="store_true",
        help="refused: the keys never go into an archive (listed so that asking gets a reason)",
    )
    bak.add_argument("--quiet", "-q", action="store_true", help="no progress messages")
    bak.set_defaults(func=run_backup)

    res = subparsers.add_parser(
        "restore",
        help="load a backup archive into an empty database, migrate, rebuild the search index",
        description=(
            "Restore a backup made by `microcred backup` into this instance's database, which "
            "must be empty (or --force). Checks the archive, the database vendor and that the "
            "configured KEK and identifier key are the archive's; then loads it, applies newer "
            "migrations and rebuilds the catalogue search index. Stop the server first."
        ),
    )
    res.add_argument("archive", metavar="ARCHIVE")
    res.add_argument("--force", action="store_true", help="replace a database that holds data")
    res.add_argument(
        "--skip-key-check",
        action="store_true",
        help="restore even if the KEK or identifier key do not match (issuing stays refused)",
    )
    res.add_argument("--quiet", "-q", action="store_true", help="no progress messages")
    res.set_defaults(func=run_restore)


def _say(args: argparse.Namespace) -> Any:
    def say(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    return say


def _setup(label: str) -> bool:
    from microcred_web.cli_plugin import setup_django

    problem = setup_django()
    if problem:
        print(f"microcred {label}: {problem}", file=sys.stderr)
        return False
    return True


def run_backup(args: argparse.Namespace) -> int:
    if args.include_keys:
        print(f"microcred backup: {KEYS_REFUSED}", file=sys.stderr)
        return 2
    if not _setup("backup"):
        return 2
    from microcred_web.backup import services
    from microcred_web.backup.engines import EngineError

    try:
        result = services.backup(Path(args.out), say=_say(args))
    except (EngineError, FileExistsError) as exc:
        print(f"microcred backup: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"microcred backup: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    _say(args)(f"backup: {result.size:,} bytes written to {result.path}")
    _say(args)(
        "backup: keep the KEK and the identifier key apart from it; restore needs KEK "
        f"{', '.join(result.manifest['keys']['kek']['ids']) or '(none yet)'} and identifier key "
        f"{result.manifest['keys']['identifier_key']['fingerprint'] or '(none yet)'}"
    )
    print(result.path)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    if not _setup("restore"):
        return 2
    from microcred_web.backup import services
    from microcred_web.backup.archive import ArchiveError
    from microcred_web.backup.engines import EngineError

    try:
        services.restore(
            Path(args.archive),
            force=args.force,
            skip_key_check=args.skip_key_check,
            say=_say(args),
        )
    except (ArchiveError, EngineError) as exc:
        print(f"microcred restore: {exc}", file=sys.stderr)
        return 2
    except services.RestoreRefused as exc:
        print(f"microcred restore: {exc.message}", file=sys.stderr)
        return exc.status
    return 0
