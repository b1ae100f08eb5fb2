"""The store as a server process sees it: read-only, following the current generation.

``scokg build`` writes a new generation and swaps the store directory's ``current`` link
(see ``scokg.graph.store``). ``LiveStore.snapshot()`` reads that link (one ``readlink``,
a few microseconds) and reopens the store when it points elsewhere, so a running server
answers from the new graph at its next request. Requests already running keep the snapshot
they started with; the store module keeps the previous generation on disk for them.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from scokg.errors import StoreError
from scokg.graph.store import CURRENT, DATABASE, MANIFEST, Manifest, StoreDir

T = TypeVar("T")


@dataclass
class Snapshot:
    """One generation, opened read-only, with a memo for what is derived from it."""

    store: ox.Store
    generation: str
    path: Path
    modified: dt.datetime
    _memo: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per generation (concurrent first calls may both compute)."""
        with self._lock:
            if key in self._memo:
                value: T = self._memo[key]
                return value
        value = compute()
        with self._lock:
            self._memo.setdefault(key, value)
        return value


class LiveStore:
    """Read-only access to a store directory's current generation."""

    def __init__(self, store_dir: StoreDir) -> None:
        self.store_dir = store_dir
        self._link = store_dir.root / CURRENT
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def generation(self) -> str | None:
        """The name of the current generation (one ``readlink``), ``None`` if none."""
        try:
            name: str = os.readlink(self._link)
        except OSError:
            return None
        return name

    def snapshot(self) -> Snapshot:
        """The current generation; raises ``StoreError`` when nothing was built yet."""
        try:
            target = os.readlink(self._link)
        except FileNotFoundError:
            raise StoreError(
                f"{self.store_dir.root}: no graph here yet; run `scokg build --store "
                f"{self.store_dir.root}`"
            ) from None
        except OSError as exc:
            raise StoreError(f"{self._link}: not a scokg store ({exc.strerror})") from None
        current = self._snapshot
        if current is not None and current.generation == target:
            return current
        with self._lock:
            current = self._snapshot
            if current is None or current.generation != target:
                current = _open(self.store_dir, target)
                self._snapshot = current
            return current


def _open(store_dir: StoreDir, name: str) -> Snapshot:
    path = store_dir.root / name
    try:
        store = ox.Store.read_only(str(path / DATABASE))
    except OSError as exc:
        raise StoreError(f"{path / DATABASE}: cannot open the store ({exc})") from None
    manifest = Manifest.read(path / MANIFEST)
    modified = _parse_time(manifest.created) or dt.datetime.fromtimestamp(
        path.stat().st_mtime, dt.UTC
    )
    return Snapshot(store=store, generation=name, path=path, modified=modified)


def _parse_time(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
