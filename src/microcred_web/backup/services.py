"""Backup and restore of the whole instance database, with a manifest and key checks.

A backup is the database only: the register, the catalogue, every issued credential, the
status lists, and the providers' signing keys *sealed* under the KEK. What it must not hold is
what opens or links that data: the KEK and the learner-identifier key. They are recorded by
fingerprint only (the KEK ids the sealed keys name; the identifier key's HMAC fingerprint), so
that :func:`restore` can refuse keys that do not belong to the data before loading anything.

The manifest is read in the same database snapshot as the dump (a read transaction on SQLite;
an exported snapshot handed to ``pg_dump --snapshot`` on PostgreSQL), so it describes exactly
what the archive holds even while the server keeps writing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from microcred import __version__
from microcred.credentials.identifier_key import IdentifierKey
from microcred.credentials.keystore import KeyEncryptionKey, KeystoreError, sealed_kid
from microcred_web.backup import archive, engines
from microcred_web.catalogue import services as catalogue

Say = Callable[[str], None]

KEPT_APART = (
    "Not in this archive, by design: the key-encryption key (MICROCRED_KEK / _FILE) that opens "
    "the sealed signing keys, and the learner-identifier key (MICROCRED_IDENTIFIER_KEY / _FILE) "
    "that learner hashes are made under. Keep them apart from the archives; restore needs "
    "both, and checks them against the fingerprints in 'keys'."
)


class RestoreRefused(Exception):
    """A restore that must not go on. ``status``: 1 (the archive is fine, the target or the
    keys are not), 2 (the archive cannot be used here)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _quiet(message: str) -> None:
    pass


# -- what the database holds ------------------------------------------------------------------


def applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


def known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _key_fingerprints() -> dict[str, Any]:
    from microcred_web.issuing.models import KeyFingerprint, ProviderKey
    from microcred_web.wallet.models import LearnerAccount

    sealed = list(ProviderKey.objects.values_list("sealed_private", flat=True))
    # Learners' holder keys are sealed under the same KEK (none in a database from before
    # the wallet).
    if LearnerAccount._meta.db_table in connection.introspection.table_names():
        sealed += LearnerAccount.objects.exclude(holder_sealed_private="").values_list(
            "holder_sealed_private", flat=True
        )
    kids = sorted({sealed_kid(value) for value in sealed})
    recorded = None
    # A database from before the fingerprint table (issuing.0002) has no record yet.
    if KeyFingerprint._meta.db_table in connection.introspection.table_names():
        recorded = KeyFingerprint.objects.filter(name=KeyFingerprint.IDENTIFIER_KEY).first()
    return {
        "kek": {"ids": kids},
        "identifier_key": {"fingerprint": recorded.fingerprint if recorded else None},
    }


def _counts() -> dict[str, int]:
    from microcred_web.issuing.models import IssuedCredentialRecord, ProviderKey
    from microcred_web.register.models import Provider, Specification
    from microcred_web.wallet.models import LearnerAccount

    return {
        "providers": Provider.objects.count(),
        "specifications": Specification.objects.count(),
        "credentials": IssuedCredentialRecord.objects.count(),
        "revoked": IssuedCredentialRecord.objects.filter(revoked=True).count(),
        "signing_keys": ProviderKey.objects.count(),
        "holder_keys": (
            LearnerAccount.objects.exclude(holder_sealed_private="").count()
            if LearnerAccount._meta.db_table in connection.introspection.table_names()
            else 0
        ),
    }


def build_manifest() -> dict[str, Any]:
    return {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "microcred_version": __version__,
        "created": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "database": {"vendor": engines.vendor()},
        "migrations": applied_migrations(),
        "keys": _key_fingerprints(),
        "counts": _counts(),
        "kept_apart": KEPT_APART,
    }


def holds_data() -> str | None:
    """The first model with rows (the database is then not empty), or None.

    Tables ``migrate`` fills by itself (content types, permissions) and sessions do not count:
    a freshly migrated database is empty.
    """
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in ("contenttypes", "sessions") or meta.label == "auth.Permission":
            continue
        if meta.db_table in tables and model._default_manager.exists():
            return str(meta.label)
    return None


# -- backup -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: dict[str, Any]


@contextmanager
def _snapshot(workdir: Path) -> Iterator[dict[str, Any]]:
    """Yield the manifest, having dumped the database in the same snapshot to ``workdir``."""
    target = workdir / "dump"
    if engines.vendor() == "sqlite":
        raw = engines.raw_sqlite()
        raw.execute("BEGIN DEFERRED")
        try:
            raw.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read snapshot
            manifest = build_manifest()
            engines.dump(target)
        finally:
            raw.execute("ROLLBACK")
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            manifest = build_manifest()
            engines.dump(target, snapshot=snapshot)
    yield manifest


def backup(out: Path, *, say: Say = _quiet) -> BackupResult:
    """Write the archive ``out``: the database snapshot and its manifest (mode 0600)."""
    if out.exists():
        raise FileExistsError(f"{out} exists; give a new file name")
    workdir = Path(tempfile.mkdtemp(prefix="microcred-backup-"))
    try:
        say(f"backup: taking a consistent snapshot of the {engines.vendor()} database")
        with _snapshot(workdir) as manifest:
            pass
        counts = manifest["counts"]
        say(
            f"backup: {counts['credentials']} credentials ({counts['revoked']} revoked), "
            f"{counts['providers']} providers, {counts['specifications']} specifications, "
            f"{len(manifest['migrations'])} migrations"
        )
        say(f"backup: writing {out}")
        size = archive.write(out, manifest, workdir / "dump")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return BackupResult(out, size, manifest)


# -- restore ----------------------------------------------------------------------------------


def _configured_keks() -> list[KeyEncryptionKey]:
    keks = []
    for name in ("MICROCRED_KEK", "MICROCRED_KEK_OLD"):
        try:
            keks.append(KeyEncryptionKey.from_env(name=name))
        except KeystoreError as error:
            if name == "MICROCRED_KEK" or not error.code.endswith("missing"):
                raise
    return keks


def key_problems(keys: dict[str, Any]) -> list[str]:
    """What is wrong with the keys configured here for data needing ``keys`` (a manifest's)."""
    problems = []
    needed = list(keys.get("kek", {}).get("ids") or [])
    if needed:
        try:
            loaded = {kek.kid for kek in _configured_keks()}
        except KeystoreError as error:
            problems.append(f"the KEK: {error.message}")
        else:
            missing = [kid for kid in needed if kid not in loaded]
            if missing:
                problems.append(
                    f"the signing keys are sealed under KEK {', '.join(missing)}, but the "
                    f"configured MICROCRED_KEK is {', '.join(sorted(loaded)) or 'none'}: supply "
                    "the KEK kept with this backup"
                )
    fingerprint = keys.get("identifier_key", {}).get("fingerprint")
    if fingerprint:
        try:
            configured = IdentifierKey.from_env().fingerprint
        except KeystoreError as error:
            problems.append(f"the identifier key: {error.message}")
        else:
            if configured != fingerprint:
                problems.append(
                    f"the learner hashes were made under identifier key {fingerprint}, but the "
                    f"configured MICROCRED_IDENTIFIER_KEY is {configured}: supply the identifier "
                    "key kept with this backup"
                )
    return problems


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    migrated: list[str] = field(default_factory=list)
    indexed: int = 0
    warnings: list[str] = field(default_factory=list)


def restore(
    path: Path, *, force: bool = False, skip_key_check: bool = False, say: Say = _quiet
) -> RestoreResult:
    """Load the archive ``path`` into this instance's (empty) database.

    Refuses (:class:`RestoreRefused`, :class:`archive.ArchiveError`) before changing anything
    when the archive is damaged or foreign, from another database vendor or a newer
    microcred, when the database holds data (unless ``force``), or when the KEK or identifier
    key configured here are not the archive's (unless ``skip_key_check``). Then loads the
    dump, applies the migrations the archive is behind on, and rebuilds the search index.
    """
    workdir = Path(tempfile.mkdtemp(prefix="microcred-restore-"))
    try:
        say(f"restore: reading {path}")
        opened = archive.open_archive(path, workdir)
        manifest = opened.manifest
        counts = manifest.get("counts", {})
        say(
            f"restore: archive of {manifest['created']!s} (microcred "
            f"{manifest.get('microcred_version', '?')}, {manifest['database']['vendor']}): "
            f"{counts.get('credentials', '?')} credentials, "
            f"{counts.get('specifications', '?')} specifications"
        )
        here = engines.vendor()
        if manifest["database"]["vendor"] != here:
            raise RestoreRefused(
                f"this is a {manifest['database']['vendor']} backup and this instance runs on "
                f"{here}: restore it into a {manifest['database']['vendor']} database",
                status=2,
            )
        unknown = sorted(set(manifest["migrations"]) - known_migrations())
        if unknown:
            raise RestoreRefused(
                f"the archive was made by a newer microcred (migrations unknown here: "
                f"{', '.join(unknown[:5])}): upgrade this instance first",
                status=2,
            )
        problems = key_problems(manifest.get("keys", {}))
        if problems and not skip_key_check:
            raise RestoreRefused("the keys do not match the archive: " + "; ".join(problems))
        if problems:
            say("restore: WARNING, restoring with keys that do not match: " + "; ".join(problems))
        else:
            say("restore: the KEK and the identifier key match the archive")
        occupied = holds_data()
        if occupied and not force:
            raise RestoreRefused(
                f"the database is not empty (it holds {occupied} rows): restore into an empty "
                "database, or give --force to replace everything in it"
            )
        say("restore: loading the database" + (" (replacing its contents)" if occupied else ""))
        engines.load(opened.dump)
        result = RestoreResult(manifest)
        pending = sorted(known_migrations() - set(applied_migrations()))
        if pending:
            say(f"restore: the archive is older: applying {len(pending)} migrations")
            call_command("migrate", interactive=False, verbosity=0)
            result.migrated = pending
        result.warnings = key_problems(_key_fingerprints()) if not skip_key_check else problems
        for warning in result.warnings:
            say(f"restore: WARNING: {warning}")
        say("restore: rebuilding the catalogue search index")
        result.indexed = catalogue.rebuild_index()
        say(f"restore: done ({result.indexed} specifications indexed)")
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
