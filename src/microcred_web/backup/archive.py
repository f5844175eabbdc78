"""The backup archive: a gzip-compressed tar of ``manifest.json`` and one database dump.

Why a tar: one file to copy, list (``tar tzf``) and check by hand, with the manifest readable
without microcred. Reading trusts nothing in the file: only the two expected members, regular
files, are read (never extracted by name, so no path in the archive can write anywhere), the
dump is checked against the manifest's SHA-256 and size, and every failure is an
:class:`ArchiveError` saying what is wrong.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microcred_web.core.private_files import FILE_MODE

FORMAT = "microcred-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: The dump's member name, per database vendor.
DUMP_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MAX_MANIFEST_BYTES = 1 << 20
_CHUNK = 1 << 20


class ArchiveError(Exception):
    """The file is not a microcred backup, or it is damaged (the CLI exits with status 2)."""


@dataclass(frozen=True)
class Opened:
    manifest: dict[str, Any]
    dump: Path


def _digest(path: Path) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def write(out: Path, manifest: dict[str, Any], dump: Path) -> int:
    """Write the archive to ``out`` (mode 0600, never over an existing file); its size.

    Written under a temporary name in the same folder and renamed when whole, so a stopped
    backup never leaves a file that looks like an archive.
    """
    if out.exists():
        raise FileExistsError(f"{out} exists; give a new file name")
    sha, size = _digest(dump)
    member = DUMP_MEMBERS[manifest["database"]["vendor"]]
    manifest = {**manifest, "dump": {"member": member, "sha256": sha, "size": size}}
    body = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
    temporary = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(handle, FILE_MODE)
        with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(time.time()), FILE_MODE
            tar.addfile(info, io.BytesIO(body))
            info = tar.gettarinfo(str(dump), arcname=member)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = FILE_MODE
            with dump.open("rb") as stream:
                tar.addfile(info, stream)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return out.stat().st_size


def _damaged(path: Path, exc: BaseException) -> ArchiveError:
    return ArchiveError(f"{path} is damaged (truncated or altered): {exc}")


def open_archive(path: Path, workdir: Path) -> Opened:
    """Check ``path`` and copy its dump into ``workdir``; :class:`ArchiveError` if unusable."""
    if not path.is_file():
        raise ArchiveError(f"{path}: no such file")
    try:
        tar = tarfile.open(path, mode="r:*")  # noqa: SIM115 (closed by the `with` below)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ArchiveError(f"{path} is not a microcred backup (not a tar archive: {exc})") from None
    try:
        with tar:
            manifest = _read_manifest(path, tar)
            return Opened(manifest, _copy_dump(path, tar, manifest, workdir))
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise _damaged(path, exc) from None


def _member(tar: tarfile.TarFile, name: str) -> tarfile.TarInfo | None:
    try:
        info = tar.getmember(name)
    except KeyError:
        return None
    return info


def _read_manifest(path: Path, tar: tarfile.TarFile) -> dict[str, Any]:
    info = _member(tar, MANIFEST)
    if info is None or not info.isfile():
        raise ArchiveError(f"{path} is not a microcred backup: it has no {MANIFEST}")
    if info.size > MAX_MANIFEST_BYTES:
        raise ArchiveError(f"{path}: {MANIFEST} is larger than a manifest can be")
    stream = tar.extractfile(info)
    assert stream is not None
    try:
        manifest = json.loads(stream.read())
    except (ValueError, UnicodeDecodeError):
        raise ArchiveError(f"{path}: {MANIFEST} is not JSON (damaged?)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not a microcred backup (its manifest is not {FORMAT!r})")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ArchiveError(
            f"{path} is a backup of format version {version!r}; this microcred reads up to "
            f"{FORMAT_VERSION}: restore it with a newer microcred"
        )
    database, dump = manifest.get("database"), manifest.get("dump")
    if (
        not isinstance(database, dict)
        or database.get("vendor") not in DUMP_MEMBERS
        or not isinstance(dump, dict)
        or dump.get("member") != DUMP_MEMBERS[database["vendor"]]
        or not isinstance(dump.get("sha256"), str)
        or not isinstance(dump.get("size"), int)
        or not isinstance(manifest.get("migrations"), list)
    ):
        raise ArchiveError(f"{path}: the manifest lacks database, dump or migrations")
    return manifest


def _copy_dump(path: Path, tar: tarfile.TarFile, manifest: dict[str, Any], workdir: Path) -> Path:
    expected = manifest["dump"]
    info = _member(tar, expected["member"])
    if info is None or not info.isfile():
        raise ArchiveError(f"{path} is damaged: the database dump {expected['member']} is missing")
    source = tar.extractfile(info)
    assert source is not None
    target = workdir / expected["member"]
    sha, size = hashlib.sha256(), 0
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(handle, "wb") as out:
        while chunk := source.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != expected["size"] or sha.hexdigest() != expected["sha256"]:
        raise ArchiveError(
            f"{path} is damaged: the database dump does not match the manifest "
            f"({size} bytes, SHA-256 {sha.hexdigest()[:16]}…, expected {expected['size']} bytes, "
            f"{expected['sha256'][:16]}…)"
        )
    return target
