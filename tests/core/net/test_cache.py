"""The fetch cache: entries expire, the size is bounded, threads share it safely."""

from __future__ import annotations

import threading

import pytest

from microcred.net.cache import ExpiringCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire() -> None:
    clock = Clock()
    cache: ExpiringCache[str] = ExpiringCache(10, clock=clock)
    cache.put("a", "A", ttl=5)
    assert cache.get("a") == (True, "A")
    clock.now += 5
    assert cache.get("a") == (False, None)
    assert len(cache) == 0


def test_a_zero_ttl_is_not_stored_and_drops_the_old_entry() -> None:
    cache: ExpiringCache[str] = ExpiringCache(10)
    cache.put("a", "A", ttl=60)
    cache.put("a", "B", ttl=0)
    assert cache.get("a") == (False, None)


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: ExpiringCache[int] = ExpiringCache(2)
    cache.put("a", 1, 60)
    cache.put("b", 2, 60)
    cache.get("a")
    cache.put("c", 3, 60)
    assert [cache.get(k)[0] for k in "abc"] == [True, False, True]


def test_many_threads_keep_it_bounded_and_consistent() -> None:
    cache: ExpiringCache[int] = ExpiringCache(50)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(500):
                key = f"{n}-{i % 80}"
                cache.put(key, i, 60)
                hit, value = cache.get(key)
                assert not hit or isinstance(value, int)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(cache) <= 50


def test_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ExpiringCache(0)
