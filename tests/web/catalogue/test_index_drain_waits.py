"""A change returns only once the index holds it, even when another process took it.

The race this guards (seen once on a loaded PostgreSQL run of ``test_index_processes``):
process A holds the writer lock and has taken B's queued change to apply it; B finds the
queue empty and, before the fix, returned at once, so a search made right after B's call
could miss the change until A committed. Threads stand in for the processes: ``flock``
locks conflict between two descriptors of one process just as between two processes.
"""

from __future__ import annotations

import threading

from microcred.catalogue.writers import PendingChanges, WriterLock
from microcred_web.catalogue import services


def test_a_queued_change_waits_for_the_process_applying_it() -> None:
    path = services._configured_path()
    lock, pending = WriterLock(path), PendingChanges(path)
    taken = threading.Event()
    release = threading.Event()
    seen: list[list[str]] = []

    def applier() -> None:  # process A: holds the lock, has taken the change, still applying
        with lock.hold(None):
            seen.append(pending.take())
            taken.set()
            release.wait(10)

    pending.add(["1:S-ONE"])
    a = threading.Thread(target=applier)
    a.start()
    assert taken.wait(5)
    assert seen == [["1:S-ONE"]]
    assert pending.empty()

    b = threading.Thread(target=services._drain, args=(lock, pending, 5.0))
    b.start()
    b.join(0.3)
    assert b.is_alive(), "the change's call returned while another process was applying it"
    release.set()
    a.join(5)
    b.join(5)
    assert not b.is_alive()
