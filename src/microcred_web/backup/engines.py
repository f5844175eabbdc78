"""A consistent snapshot of the database, and loading one, for each supported vendor.

- SQLite: the online backup API (``sqlite3.Connection.backup``) on Django's own connection. It
  copies a consistent image while the server keeps running (other connections write to the
  write-ahead log meanwhile); loading uses the same API the other way, into the connection the
  instance uses, so an in-memory test database works as a file does.
- PostgreSQL: ``pg_dump --format=custom`` (one transaction snapshot: consistent while the
  server runs) and ``pg_restore --single-transaction`` (all or nothing). The client programs
  are found as scripts/pg_throwaway.py finds the server's: ``MICROCRED_PG_BIN_DIR``, else the
  newest ``/usr/lib/postgresql/*/bin`` (pg_dump must be at least the server's version), else
  ``PATH``. The password goes through the environment, never the command line.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from microcred_web.backup.archive import ArchiveError

PG_BIN_ENV = "MICROCRED_PG_BIN_DIR"


class EngineError(Exception):
    """The database could not be dumped or loaded (a tool missing, or it failed)."""


def vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise EngineError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    return str(connection.vendor)


def dump(target: Path, snapshot: str | None = None) -> None:
    """Write a consistent snapshot of the default database to ``target``.

    ``snapshot``: on PostgreSQL, an exported snapshot (``pg_export_snapshot()``) of the
    caller's open transaction, so the dump shows what the caller read.
    """
    if vendor() == "sqlite":
        _sqlite_dump(target)
    else:
        args: list[str | Path] = ["--format=custom", "--no-owner", "--no-privileges"]
        args += [f"--snapshot={snapshot}"] if snapshot else []
        _pg_run("pg_dump", *args, "--file", target)


def load(source: Path) -> None:
    """Replace the (checked empty, or forced) default database with the dump ``source``."""
    if vendor() == "sqlite":
        _sqlite_load(source)
    else:
        _pg_drop_tables()
        connection.close()  # no session of ours holds a lock pg_restore would wait for
        _pg_run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            source,
        )


# -- SQLite ---------------------------------------------------------------------------------


def raw_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _sqlite_dump(target: Path) -> None:
    destination = sqlite3.connect(target)
    try:
        raw_sqlite().backup(destination)
    except sqlite3.OperationalError as exc:
        raise EngineError(f"the SQLite backup failed: {exc}") from None
    finally:
        destination.close()


def _sqlite_load(source: Path) -> None:
    try:
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        origin.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"the archive's database is not an SQLite database: {exc}") from None
    try:
        problem = origin.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise ArchiveError(f"the archive's SQLite database is damaged: {problem}")
        origin.backup(raw_sqlite())
    except sqlite3.OperationalError as exc:  # e.g. "database is locked": the server runs
        raise EngineError(
            f"cannot write the SQLite database ({exc}): stop the server, then restore"
        ) from None
    finally:
        origin.close()


# -- PostgreSQL -----------------------------------------------------------------------------


def pg_program(name: str) -> str:
    """The path of a PostgreSQL client program (``pg_dump``, ``pg_restore``)."""
    configured = os.environ.get(PG_BIN_ENV, "").strip()
    folders = [configured] if configured else []
    folders += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    for folder in folders:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise EngineError(
        f"{name} not found (in ${PG_BIN_ENV}, /usr/lib/postgresql/*/bin or PATH): install the "
        "PostgreSQL client programs (Debian: postgresql-client-15) or set "
        f"{PG_BIN_ENV} to their folder"
    )


def _version(folder: str) -> float:
    try:
        return float(Path(folder).parent.name)
    except ValueError:
        return 0.0


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = settings.get(key)
        if value:
            env[variable] = str(value)
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _pg_run(program: str, *args: str | Path) -> None:
    command = [pg_program(program), *map(str, args)]
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise EngineError(
            f"{program} failed ({result.returncode}): {result.stderr.strip()[-2000:]}"
        )


def _pg_drop_tables() -> None:
    """Drop what ``migrate`` may have created in the empty database: the dump brings its own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            quoted = ", ".join(connection.ops.quote_name(name) for name in tables)
            cursor.execute(f"DROP TABLE {quoted} CASCADE")
