"""The SQLite database (and its -wal/-shm) and var/ are readable by the service user only
(0600, the folder 0700), whatever the process umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sqlite_files_and_var_are_private(tmp_path: Path) -> None:
    var = tmp_path / "var"
    script = (
        "import os; os.umask(0)\n"
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('CREATE TABLE t (x integer)'); c.execute('INSERT INTO t VALUES (1)')\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "DJANGO_SETTINGS_MODULE": "microcred_web.settings",
        "MICROCRED_VAR_DIR": str(var),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
    database = var / "microcred.sqlite3"
    assert mode(var) == 0o700
    assert mode(database) == 0o600
    for suffix in ("-wal", "-shm"):
        sibling = var / f"microcred.sqlite3{suffix}"
        if sibling.exists():  # the last connection may have checkpointed and removed them
            assert mode(sibling) == 0o600, suffix


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    from microcred_web.core.private_files import sqlite_files

    database = tmp_path / "old.sqlite3"
    database.write_bytes(b"")
    os.chmod(database, 0o644)
    wal = tmp_path / "old.sqlite3-wal"
    wal.write_bytes(b"")
    os.chmod(wal, 0o664)
    sqlite_files(database)
    assert mode(database) == 0o600
    assert mode(wal) == 0o600
