"""Complete query results kept for reuse, exact by construction.

A store generation never changes once built (a build writes a new one), so a result
computed on generation G is the answer to the same request on G for as long as G is
current. The key is the generation, the query text, the dataset and the negotiated formats;
a new generation simply stops matching the old entries, which age out. Only complete results
of at most ``max_entry`` bytes are kept (a streamed one once its last piece went out),
within a total size in bytes (least recently used first out).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

Key = tuple[str, str, bool, tuple[str, ...] | None, tuple[str, ...] | None, str, str]


class ResultCache:
    """A thread-safe LRU cache of serialised results, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = min(1 << 20, max_bytes // 16)
        self._entries: OrderedDict[Key, tuple[str, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> tuple[str, bytes] | None:
        """The format key and body stored for ``key``, or ``None``."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Key, format_key: str, body: bytes) -> None:
        if len(body) > self.max_entry:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[key] = (format_key, body)
            self._size += len(body)
            while self._size > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._entries)
