"""The writer lock excludes other processes and gives up at its bound; the queue of pending
changes keeps every id once, across processes."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from microcred.catalogue.writers import PendingChanges, WriterLock


def hold_for(directory: str, seconds: float, ready: object) -> None:
    with WriterLock(directory).hold(None) as held:
        assert held
        ready.set()  # type: ignore[attr-defined]
        time.sleep(seconds)


def test_another_process_holding_the_lock_makes_a_bounded_wait_give_up(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    other = ctx.Process(target=hold_for, args=(str(tmp_path), 1.5, ready))
    other.start()
    try:
        assert ready.wait(60)
        started = time.monotonic()
        with WriterLock(tmp_path).hold(0.2) as held:
            assert held is False
        assert 0.15 < time.monotonic() - started < 1.0
        with WriterLock(tmp_path).hold(30) as held:  # waits until the other lets go
            assert held is True
    finally:
        other.join(30)
    assert other.exitcode == 0


def test_the_lock_is_reentrant_in_one_thread(tmp_path: Path) -> None:
    lock = WriterLock(tmp_path)
    with lock.hold(0) as outer, WriterLock(tmp_path).hold(0) as inner:
        assert outer and inner


def add_many(directory: str, prefix: str, count: int) -> None:
    queue = PendingChanges(directory)
    for i in range(count):
        queue.add([f"{prefix}{i}"])


def test_the_queue_keeps_every_id_from_several_processes(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    processes = [
        ctx.Process(target=add_many, args=(str(tmp_path), p, 200)) for p in ("a", "b", "c")
    ]
    for process in processes:
        process.start()
    queue = PendingChanges(tmp_path)
    taken: list[str] = []
    while any(p.is_alive() for p in processes):
        taken.extend(queue.take())
    for process in processes:
        process.join(30)
    taken.extend(queue.take())
    assert sorted(taken) == sorted(f"{p}{i}" for p in "abc" for i in range(200))
    assert queue.empty()


def test_repeats_are_taken_once_and_bad_ids_refused(tmp_path: Path) -> None:
    queue = PendingChanges(tmp_path)
    queue.add(["1:S-A", "2:S-B", "1:S-A"])
    assert queue.take() == ["1:S-A", "2:S-B"]
    assert queue.take() == []
    with pytest.raises(ValueError):
        queue.add(["two\nlines"])
    with pytest.raises(ValueError):
        queue.add([""])
