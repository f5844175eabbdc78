"""Deferring CPython's cyclic garbage collector while one large verification runs.

Why: verifying a presentation of 50 credentials turns about 5,000 quads into RDF terms and
canonical rows: some 200,000 small objects that live until the verification ends and form
no reference cycles. CPython 3.11's generational collector counts every allocation and, as
they pile up, runs some 40 collections per presentation, among them a full one that scans
the whole heap: measured at about a sixth of the verification's time (``bench/wallet.py``),
all of it spent finding no garbage. The reference counts free these objects as before; only
the search for cycles waits until the outermost :func:`deferred_collection` ends, and then
runs as usual on the next allocations. The input limits of the verification bound what can
pile up in the meantime.

The switch is process-wide (``gc.disable``), so it is shared: threads verifying at the same
time keep it off until the last one is done, and a collector someone else switched off stays
off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_switched_off = False


@contextmanager
def deferred_collection() -> Iterator[None]:
    """Within this block the cyclic collector does not run (see the module's docstring)."""
    global _depth, _switched_off
    with _lock:
        if _depth == 0:
            _switched_off = gc.isenabled()
            if _switched_off:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _switched_off:
                _switched_off = False
                gc.enable()
