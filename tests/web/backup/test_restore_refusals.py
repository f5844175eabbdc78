"""Restore refuses, before changing anything, what it must not load: a damaged or foreign file
(exit 2), another vendor's or a newer microcred's archive (2), a database that holds data
without --force (1), keys that are not the archive's (1). Backup refuses to take the keys."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from microcred.credentials.keystore import generate_kek
from microcred_web.issuing import issue
from microcred_web.issuing.models import IssuedCredentialRecord
from tests.web.issuing.conftest import IssuingWorld

from .conftest import Cli

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive(world: IssuingWorld, cli: Cli, tmp_path: Path) -> Path:
    """A backup of a database with one issued credential."""
    issue.issue_credential(
        world.users["staff_a"], world.spec_a, issue.Learner("ada@example.org", "Ada")
    )
    path = tmp_path / "good.backup"
    code, _, err = cli("backup", str(path))
    assert code == 0, err
    return path


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def pack(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def edited(archive: Path, out: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    files = members(archive)
    manifest = json.loads(files["manifest.json"])
    edit(manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    return pack(out, files)


def refused(cli: Cli, path: Path, status: int, *words: str, extra: tuple[str, ...] = ()) -> str:
    code, _, err = cli("restore", str(path), *extra)
    assert code == status, err
    for word in words:
        assert word in err, (word, err)
    assert "Traceback" not in err
    return err


def test_a_truncated_archive_is_damaged(archive: Path, cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "truncated.backup"
    broken.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    refused(cli, broken, 2, "damaged")


def test_an_altered_dump_is_damaged(archive: Path, cli: Cli, tmp_path: Path) -> None:
    files = members(archive)
    dump = next(name for name in files if name.startswith("database."))
    files[dump] = files[dump][:-1] + bytes([files[dump][-1] ^ 1])
    refused(cli, pack(tmp_path / "altered.backup", files), 2, "damaged", "does not match")


def test_foreign_files_are_not_backups(cli: Cli, tmp_path: Path, db: Any) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not an archive")
    refused(cli, text, 2, "not a microcred backup", "not a tar archive")
    other = pack(tmp_path / "other.tar.gz", {"README": b"hello"})
    refused(cli, other, 2, "not a microcred backup", "no manifest.json")
    odd = pack(tmp_path / "odd.tar.gz", {"manifest.json": b'{"format": "something-else"}'})
    refused(cli, odd, 2, "not a microcred backup")
    refused(cli, tmp_path / "missing.backup", 2, "no such file")


def test_another_vendor_or_a_newer_microcred_is_refused(
    archive: Path, cli: Cli, tmp_path: Path
) -> None:
    files = members(archive)
    manifest = json.loads(files["manifest.json"])
    here = manifest["database"]["vendor"]
    there, member = (
        ("postgresql", "database.pgdump") if here == "sqlite" else ("sqlite", "database.sqlite3")
    )
    dump = files.pop(f"database.{'sqlite3' if here == 'sqlite' else 'pgdump'}")
    manifest["database"]["vendor"] = there
    manifest["dump"]["member"] = member
    other = pack(tmp_path / "other.backup", {"manifest.json": json.dumps(manifest).encode(),
                                             member: dump})  # fmt: skip
    refused(cli, other, 2, f"this is a {there} backup")

    def newer_migration(m: dict[str, Any]) -> None:
        m["migrations"].append("issuing.9999_from_the_future")

    newer = edited(archive, tmp_path / "newer.backup", newer_migration)
    refused(cli, newer, 2, "newer microcred", "issuing.9999_from_the_future")
    future = edited(archive, tmp_path / "future.backup", lambda m: m.update(format_version=99))
    refused(cli, future, 2, "format version 99")


def test_a_database_with_data_needs_force(archive: Path, cli: Cli) -> None:
    refused(cli, archive, 1, "not empty", "--force")
    assert IssuedCredentialRecord.objects.count() == 1
    code, _, err = cli("restore", str(archive), "--force")
    assert code == 0, err
    assert "replacing its contents" in err
    assert IssuedCredentialRecord.objects.count() == 1


def test_another_kek_is_refused(
    archive: Path, cli: Cli, destroy: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    kid = json.loads(members(archive)["manifest.json"])["keys"]["kek"]["ids"][0]
    destroy()
    monkeypatch.setenv("MICROCRED_KEK", generate_kek())
    refused(cli, archive, 1, "keys do not match", f"sealed under KEK {kid}")
    monkeypatch.delenv("MICROCRED_KEK")
    refused(cli, archive, 1, "keys do not match", "no key-encryption key")


def test_another_identifier_key_is_refused(
    archive: Path, cli: Cli, destroy: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    fingerprint = json.loads(members(archive)["manifest.json"])["keys"]["identifier_key"][
        "fingerprint"
    ]
    destroy()
    monkeypatch.setenv("MICROCRED_IDENTIFIER_KEY", "some-other-identifier-key")
    refused(cli, archive, 1, "keys do not match", f"identifier key {fingerprint}")
    # --skip-key-check restores anyway, saying so; issuing then stays refused.
    code, _, err = cli("restore", str(archive), "--skip-key-check")
    assert code == 0, err
    assert "WARNING" in err
    assert IssuedCredentialRecord.objects.count() == 1


def test_backup_never_takes_the_keys(world: IssuingWorld, cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("backup", str(tmp_path / "with-keys.backup"), "--include-keys")
    assert code == 2
    assert "never go into a backup archive" in err
    assert not (tmp_path / "with-keys.backup").exists()


def test_backup_never_overwrites(world: IssuingWorld, cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "exists.backup"
    target.write_text("an older backup")
    code, _, err = cli("backup", str(target))
    assert code == 2
    assert "exists" in err
    assert target.read_text() == "an older backup"
