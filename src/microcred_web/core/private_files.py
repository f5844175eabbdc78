"""Files and folders only the service user may read, whatever the process umask.

Why: the SQLite database (with its ``-wal`` / ``-shm`` files) holds the register and every
issued credential, and the learner files of a bulk run hold learners' names; created with the
usual umask 022 they are readable by every account on the host. This module imports nothing of
Django, so the settings can use it.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as a folder of mode 0700; an existing folder is
    left as the operator made it."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        os.chmod(path, DIR_MODE)  # mkdir's mode is masked by the umask; this is not
    return path


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists with mode 0600 (created empty if missing; tightened if it is
    ours and readable by others, as files from before this rule were)."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten(path)
    else:
        os.close(handle)
        os.chmod(path, FILE_MODE)
    return path


def tighten(path: Path) -> None:
    """Drop group and other permissions of an existing file we own (nothing if it is gone)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_mode & 0o077 and status.st_uid == os.geteuid():
        os.chmod(path, status.st_mode & 0o700)


def sqlite_files(database: Path) -> None:
    """The SQLite database created 0600 before SQLite opens it: SQLite then makes its
    ``-wal`` and ``-shm`` files with the database's mode. Older, looser files are tightened."""
    private_file(database)
    for suffix in ("-wal", "-shm", "-journal"):
        tighten(database.with_name(database.name + suffix))
