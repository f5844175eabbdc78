"""The one-worker helper processes of a bulk run (signing, file writing).

Started with ``spawn``, never ``fork``: a forked child would copy the parent's threads and
database connections. The modules whose functions run in them import nothing from Django, so
that a child starts quickly.

A helper dies with the process that started it. Without that, a ``kill -9`` of ``microcred
issue`` left its helpers re-parented to PID 1 and waiting for ever on their own pipes, the
signer with a provider's private key in memory. Each child therefore, before anything else:

- on Linux asks the kernel for ``SIGKILL`` when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
  the kernel sends it when the *thread* that started the child ends, which is the thread that
  first submits work to the pool: the callers use the pool from that thread only;
- checks that its parent is still the process that spawned it, since a parent that died
  before the ``prctl`` call is never signalled;
- starts a watchdog thread that exits the process when its parent changes (re-parenting), the
  portable fallback where ``prctl`` does not exist.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

#: ``PR_SET_PDEATHSIG`` from ``<linux/prctl.h>``.
PR_SET_PDEATHSIG = 1
#: How often the watchdog looks at its parent, in seconds: how long an orphan lives at most
#: where the kernel does not kill it first.
WATCH_INTERVAL = 0.5
#: The exit status of a helper whose parent is gone.
ORPHAN_EXIT = 70


def spawn_worker(
    initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of one spawned process bound to this one, its ``initializer`` run once there."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_bound,
        initargs=(os.getpid(), initializer, initargs),
    )


def _start_bound(
    parent: int, initializer: Callable[..., object] | None, initargs: tuple[Any, ...]
) -> None:
    """The child's first step: tie its life to ``parent``, then run the caller's initializer."""
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def die_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` (the pid that spawned it) ends."""
    _ask_kernel_for_sigkill()
    if os.getppid() != parent:  # the parent died before the kernel was asked: no signal comes
        os._exit(ORPHAN_EXIT)
    threading.Thread(target=_watch, args=(parent,), name="parent-watchdog", daemon=True).start()


def _ask_kernel_for_sigkill() -> None:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux; nothing elsewhere (the watchdog stays)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no usable libc: the watchdog is the only guard
        pass


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(ORPHAN_EXIT)
