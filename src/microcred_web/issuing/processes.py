"""The one-worker helper processes of a bulk run (signing, file writing).

Started with ``spawn``, never ``fork``: a forked child would copy the parent's threads and
database connections. The modules whose functions run in them import nothing from Django, so
that a child starts quickly.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def spawn_worker(
    initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of one spawned process, its ``initializer`` run once there."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=initializer,
        initargs=initargs,
    )
