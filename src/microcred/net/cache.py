"""A small thread-safe cache with expiry, for fetched documents and for failures.

Why a cache: verifying a batch of credentials of one foreign issuer must not fetch its DID
document a thousand times, and a slow or hostile server must not be hit (and waited for) on
every request — so failures are remembered too, briefly. Why bounded: the keys come from
credentials anyone can submit; without a bound the cache is a memory leak on demand.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class ExpiringCache(Generic[V]):
    """``key -> value`` entries, each with its own expiry; least recently used evicted first."""

    def __init__(
        self, max_entries: int = 1000, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bool, V | None]:
        """``(True, value)`` for a live entry, ``(False, None)`` otherwise."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return False, None
            expires, value = found
            if expires <= self._clock():
                del self._entries[key]
                return False, None
            self._entries.move_to_end(key)
            return True, value

    def put(self, key: str, value: V, ttl: float) -> None:
        """Remember ``value`` for ``ttl`` seconds (``ttl <= 0``: do not remember it)."""
        with self._lock:
            self._entries.pop(key, None)
            if ttl <= 0:
                return
            self._entries[key] = (self._clock() + ttl, value)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
