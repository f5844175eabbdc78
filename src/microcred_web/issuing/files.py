"""The learners' credential files of a bulk run, written by a process of its own.

Why a process: the run's main thread is busy in Python (signing, the database) and holds the
GIL nearly all the time. A writer *thread* gives the GIL up for every system call and must wait
to get it back: measured during a bulk run on the project's machine, creating a file then took
1.0-1.3 ms and renaming it 0.4-0.7 ms, against about 0.05 ms for both when nothing else runs.
A child process writes at the file system's own speed on the other core; the parent only
hands it each batch's bytes (one pickled list per batch of 200).

The child is started as :mod:`~microcred_web.issuing.processes` describes.
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType

from microcred_web.core.private_files import FILE_MODE
from microcred_web.issuing.processes import spawn_worker

#: Batches handed over but not yet written before the parent waits: bounds the memory held
#: (a batch of 200 credentials is about 1.2 MB) when the disk is slower than signing.
MAX_PENDING = 4


def write_files(out_dir: str, files: list[tuple[str, bytes]]) -> int:
    """Write each ``(name, data)`` to ``out_dir/name`` through a temporary file and a rename,
    so that a reader never sees half a file. Returns the number written.

    A file already there is kept: only a whole file ever reaches its final name, and an
    issued credential never changes, so a re-run after a stop writes only what is missing.
    """
    written = 0
    for name, data in files:
        target = os.path.join(out_dir, name)
        if os.path.exists(target):
            continue
        written += 1
        # a name of its own per write, so that no two writes share a temporary file
        temporary = os.path.join(out_dir, f".{name}.{uuid.uuid4().hex}.tmp")
        # plain system calls: a third of the cost of Path.write_bytes for 100,000s of files;
        # 0600 because the file holds the learner's name (the umask can only narrow it)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, target)
    return written


class FileWriter:
    """Hands batches of files to the writer process; leaving the block waits for all of them.

    Leaving waits on success and on failure alike, so every file handed over is written (or
    its error raised) before the caller goes on: a run stopped half way still has the file of
    every credential it committed. The first write that failed raises its ``OSError`` at the
    next :meth:`submit` or on leaving.
    """

    def __init__(self, out_dir: Path) -> None:
        self._out_dir = str(out_dir)
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[Future[int]] = deque()

    def __enter__(self) -> FileWriter:
        return self

    def submit(self, files: list[tuple[str, bytes]]) -> None:
        if not files:
            return
        while self._pending and (self._pending[0].done() or len(self._pending) >= MAX_PENDING):
            self._pending.popleft().result()
        if self._pool is None:
            self._pool = spawn_worker()
        self._pending.append(self._pool.submit(write_files, self._out_dir, files))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
