"""Issue, revoke, back up, destroy the database, restore: on SQLite and on PostgreSQL.

Old credentials verify through the instance's own verification services, the revocation holds,
the search index is rebuilt, and issuing goes on with no status index reused and no second
credential for a learner who has one.
"""

from __future__ import annotations

import gzip
import json
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

from microcred_web.catalogue import services as catalogue
from microcred_web.issuing import issue, status
from microcred_web.issuing.models import IssuedCredentialRecord, StatusAllocation
from microcred_web.verification import services as verification
from tests.web.issuing.conftest import IssuingWorld

from .conftest import Cli, fresh_index

pytestmark = pytest.mark.django_db(transaction=True)


def learner(n: int) -> issue.Learner:
    return issue.Learner(f"learner-{n}@example.org", f"Learner {n}")


def indexes() -> set[tuple[int, int]]:
    return set(StatusAllocation.objects.values_list("status_list_id", "index"))


def test_issue_backup_destroy_restore(
    world: IssuingWorld,
    cli: Cli,
    destroy: Callable[[], None],
    tmp_path: Path,
    settings: Any,
    issuing_settings: str,
) -> None:
    staff = world.users["staff_a"]
    issued = [issue.issue_credential(staff, world.spec_a, learner(n)) for n in range(4)]
    issued.append(issue.issue_credential(world.users["staff_b"], world.spec_b, learner(0)))
    revoked = issued[1]
    status.set_status(staff, revoked.record, "revoke", "issued in error")
    used_before = indexes()
    assert len(used_before) == 5

    archive = tmp_path / "instance.backup"
    code, out, err = cli("backup", str(archive))
    assert code == 0, err
    assert out.strip() == str(archive)
    assert "snapshot" in err and "keep the KEK and the identifier key apart" in err
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames())[1] == "manifest.json"
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["counts"]["credentials"] == 5 and manifest["counts"]["revoked"] == 1
    assert manifest["database"]["vendor"] in ("sqlite", "postgresql")
    assert "issuing.0002_key_fingerprint" in manifest["migrations"]
    # The keys travel as fingerprints only, never as values.
    content = gzip.decompress(archive.read_bytes())
    assert issuing_settings.encode() not in content
    identifier_key = "tests-only-identifier-key-not-a-secret"
    assert identifier_key.encode() not in content
    assert len(manifest["keys"]["kek"]["ids"]) == 1
    assert manifest["keys"]["identifier_key"]["fingerprint"]

    # The server is lost; a new one is set up (`migrate`) with a new, empty search index.
    destroy()
    call_command("migrate", verbosity=0)
    index = fresh_index(settings, tmp_path / "new-index")

    code, out, err = cli("restore", str(archive))
    assert code == 0, err
    for step in ("reading", "match the archive", "loading", "rebuilding", "done"):
        assert step in err, (step, err)
    assert index.count() == 2  # rebuilt by restore, not merely reopened
    assert catalogue.get_index().count() == 2

    assert IssuedCredentialRecord.objects.count() == 5
    for outcome in issued:
        result = verification.verify(outcome.credential)
        if outcome is revoked:
            assert result.verified is False
            assert result.check("status").details["reason"] == "revoked"
        else:
            assert result.verified is True, [c for c in result.checks if c.status != "ok"]

    # Issuing continues: a new learner gets fresh indexes, an old one her old credential.
    world.spec_a.refresh_from_db()
    staff.refresh_from_db()
    again = issue.issue_credential(staff, world.spec_a, learner(0))
    assert again.created is False
    assert again.record.public_id == issued[0].record.public_id
    new = issue.issue_credential(staff, world.spec_a, learner(99))
    assert new.created is True
    assert (new.record.revocation.status_list_id, new.record.revocation.index) not in used_before
    assert len(indexes()) == 6
    assert verification.verify(new.credential).verified is True
    assert IssuedCredentialRecord.objects.count() == 6


def test_an_older_archive_is_migrated_forward(
    world: IssuingWorld, cli: Cli, destroy: Callable[[], None], tmp_path: Path
) -> None:
    from django.db import connection

    from microcred_web.issuing.models import KeyFingerprint

    # A database of the version before the fingerprint table (issuing.0002).
    call_command("migrate", "issuing", "0001", verbosity=0)
    archive = tmp_path / "older.backup"
    code, _, err = cli("backup", str(archive))
    assert code == 0, err
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert "issuing.0002_key_fingerprint" not in manifest["migrations"]

    destroy()
    code, _, err = cli("restore", str(archive))
    assert code == 0, err
    # Rolling issuing back also unapplied what depends on it (the wallet, for one).
    newer = [
        name
        for name in MigrationLoader(None).disk_migrations
        if f"{name[0]}.{name[1]}" not in manifest["migrations"]
    ]
    assert any(name[0] == "issuing" for name in newer)
    assert f"the archive is older: applying {len(newer)} migrations" in err
    assert KeyFingerprint._meta.db_table in connection.introspection.table_names()
    assert world.spec_a.__class__.objects.count() == 2
    # and issuing works on the migrated database
    outcome = issue.issue_credential(world.users["staff_a"], world.spec_a, learner(1))
    assert outcome.created and verification.verify(outcome.credential).verified
