"""Several processes writing one index directory: a writer lock and a queue of pending changes.

Why: tantivy allows one ``IndexWriter`` per index directory, across processes, and refuses a
second one at once. Several web workers (gunicorn), the ``reindex`` command and bulk imports all
write the catalogue index, and a write that found the lock taken used to be retried a few
times and then dropped: a lost update, silently, until the next rebuild.

The design: a change is first *queued* (an append to ``pending`` in the index directory, under
its own short ``flock``), then the writer lock (``flock`` on ``writer.lock``) is taken, waiting
up to a bound. Whoever holds it drains the whole queue, applies it, commits and releases, and
looks at the queue once more *after* releasing. A process that gave up waiting has queued its
change before the holder's last look, so the holder (or the next writer) applies it: nothing
is lost, and no request waits longer than the bound, even behind a full rebuild. What is
queued are record ids; the applier re-reads them from the database under the lock, so the
last applier writes the last committed state and two processes can never leave an older
version indexed after a newer one.

POSIX ``flock`` is released by the kernel when a process dies, so a killed worker never
leaves the index locked. It is local to one host (and unreliable on some network file
systems): one index per host (``docs/deploy.md``).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PendingChanges", "WriterLock"]

_POLL_SECONDS = 0.02
#: Lock files this thread holds: a nested ``hold`` on the same directory is granted at once
#: (a second ``flock`` on a new descriptor would wait for ever on the first).
_held = threading.local()


class WriterLock:
    """The exclusive right to write one index directory, across processes on this host."""

    def __init__(self, directory: str | Path) -> None:
        self._path = Path(directory) / "writer.lock"

    @contextmanager
    def hold(self, timeout: float | None) -> Iterator[bool]:
        """Yield True once held (waiting at most ``timeout`` seconds, None: for ever), else
        False; released on exit. Re-entrant within one thread."""
        held: set[Path] = _held.__dict__.setdefault("paths", set())
        if self._path in held:
            yield True
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(_POLL_SECONDS)
            held.add(self._path)
            try:
                yield True
            finally:
                held.discard(self._path)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


class PendingChanges:
    """Ids of changed records waiting to be indexed, kept in a file so any process applies them.

    One id per line; an id queued twice is applied once. Ids must not contain line breaks.
    """

    def __init__(self, directory: str | Path) -> None:
        self._path = Path(directory) / "pending"

    @contextmanager
    def _locked(self) -> Iterator[int]:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield fd
        finally:
            os.close(fd)  # closing releases the flock

    def add(self, ids: Iterable[str]) -> None:
        items = list(ids)
        if any(not item or "\n" in item for item in items):
            raise ValueError("ids must be non-empty and on one line")
        if not items:
            return
        lines = "".join(f"{item}\n" for item in items)
        with self._locked() as fd:
            os.write(fd, lines.encode("utf-8"))

    def take(self) -> list[str]:
        """Every queued id (in first-queued order, without repeats); the queue is emptied."""
        with self._locked() as fd:
            os.lseek(fd, 0, os.SEEK_SET)
            chunks = []
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            os.ftruncate(fd, 0)
        seen: dict[str, None] = {}
        for line in b"".join(chunks).decode("utf-8").splitlines():
            if line:
                seen[line] = None
        return list(seen)

    def empty(self) -> bool:
        try:
            return self._path.stat().st_size == 0
        except FileNotFoundError:
            return True
