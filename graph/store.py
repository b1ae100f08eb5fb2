"""The on-disk store: Oxigraph databases in generations, swapped in atomically.

Layout of a store directory::

    DIR/
      current -> gen-20261122T081500-3f2a   (symlink, replaced atomically)
      gen-20261122T081500-3f2a/
        oxigraph/         the RocksDB database
        manifest.json     what was built: documents, their hashes, counts, time
      .lock               held by the one process writing

A writer builds a complete new generation next to the current one and then replaces the
``current`` link with one ``rename``: readers see the old graph or the new one, never a
half-written one, and a failed or interrupted build leaves the previous graph untouched.
The previous generation is kept so that a server still reading it is not cut off; older
ones are removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from scokg.errors import StoreError

CURRENT = "current"
DATABASE = "oxigraph"
MANIFEST = "manifest.json"
LOCK = ".lock"
KEEP_GENERATIONS = 2


@dataclass
class Manifest:
    """What a generation holds; written as JSON next to the database."""

    created: str = ""
    scokg_version: str = ""
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: unreadable manifest ({exc})") from exc
        return cls(
            created=data.get("created", ""),
            scokg_version=data.get("scokg_version", ""),
            documents=data.get("documents", {}),
            counts=data.get("counts", {}),
            extra=data.get("extra", {}),
        )

    def write(self, path: Path) -> None:
        data = {
            "created": self.created,
            "scokg_version": self.scokg_version,
            "documents": self.documents,
            "counts": self.counts,
            "extra": self.extra,
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)


class StoreDir:
    """A store directory (see module docstring). Cheap to create; touches no files."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    # -- reading -------------------------------------------------------------------------
    def current_generation(self) -> Path | None:
        """The generation ``current`` points to, or ``None`` when nothing was built yet."""
        link = self.root / CURRENT
        try:
            target = os.readlink(link)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{link}: not a scokg store ({exc.strerror})") from exc
        gen = self.root / target
        if not (gen / DATABASE).is_dir():
            raise StoreError(f"{gen}: the current generation has no database")
        return gen

    def exists(self) -> bool:
        """Whether a graph has been built into this directory."""
        return self.current_generation() is not None

    def manifest(self) -> Manifest:
        gen = self.current_generation()
        return Manifest() if gen is None else Manifest.read(gen / MANIFEST)

    def record(self, **extra: Any) -> None:
        """Note facts about the current generation in its manifest (e.g. which targets
        received it); the graph itself is not touched."""
        gen = self.current_generation()
        if gen is None:
            raise StoreError(f"{self.root}: no graph here yet")
        with self.lock():
            manifest = Manifest.read(gen / MANIFEST)
            manifest.extra.update(extra)
            manifest.write(gen / MANIFEST)

    def open_read_only(self) -> ox.Store:
        """Open the current generation for reading (several readers may do so at once)."""
        gen = self.current_generation()
        if gen is None:
            raise StoreError(
                f"{self.root}: no graph here yet; run `scokg build --store {self.root}`"
            )
        try:
            return ox.Store.read_only(str(gen / DATABASE))
        except OSError as exc:
            raise StoreError(f"{gen / DATABASE}: cannot open the store ({exc})") from exc

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the writer lock; a second writer fails at once with a clear message."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(
                    f"{self.root}: another scokg process is writing this store"
                ) from exc
            yield
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def new_generation(
        self, *, copy_current: bool = False, locked: bool = False, compact: bool = True
    ) -> Iterator[Generation]:
        """Write a new generation and make it current when the block ends without error.

        With ``copy_current`` the new generation starts as a cheap hard-link copy of the
        current one (RocksDB checkpoint), for incremental updates. On any exception the
        half-written generation is deleted and ``current`` is left as it was. Pass
        ``locked=True`` when the caller already holds :meth:`lock` for a longer job.
        ``compact=False`` skips the full RocksDB compaction at the end, which costs time in
        proportion to the whole store (RocksDB still compacts in the background as it writes;
        a store written by ``bulk_load`` is in sorted files already).
        """
        with contextlib.nullcontext() if locked else self.lock():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            name = f"gen-{stamp}-{secrets.token_hex(3)}"
            tmp = self.root / f".{name}.tmp"
            tmp.mkdir(parents=True)
            try:
                base = self.current_generation() if copy_current else None
                if base is not None:
                    source = ox.Store.read_only(str(base / DATABASE))
                    source.backup(str(tmp / DATABASE))
                    del source
                    store = ox.Store(str(tmp / DATABASE))
                    manifest = Manifest.read(base / MANIFEST)
                else:
                    store = ox.Store(str(tmp / DATABASE))
                    manifest = Manifest()
                generation = Generation(store=store, manifest=manifest, path=tmp)
                yield generation
                store.flush()
                if compact:
                    store.optimize()
                del store, generation.store
                manifest.created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                manifest.write(tmp / MANIFEST)
                final = self.root / name
                try:
                    previous = self.current_generation()
                except StoreError:
                    previous = None  # a broken ``current`` is repaired by this generation
                os.rename(tmp, final)
                self._point_current_to(name)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            self._remove_old_generations(previous)

    def _point_current_to(self, name: str) -> None:
        link_tmp = self.root / f".{CURRENT}.{secrets.token_hex(3)}"
        os.symlink(name, link_tmp)
        os.replace(link_tmp, self.root / CURRENT)

    def _remove_old_generations(self, previous: Path | None) -> None:
        # Keep the new current generation and the one it replaced (KEEP_GENERATIONS), chosen
        # by the link, not by name: names need not sort in creation order (two generations
        # in one second get random suffixes; a clock can run ahead).
        keep = {self.current_generation(), previous}
        for gen in self.root.glob("gen-*"):
            if gen.is_dir() and gen not in keep:
                shutil.rmtree(gen, ignore_errors=True)
        for stale in self.root.glob(".gen-*.tmp"):
            # Left behind by a killed writer; we hold the lock, so nobody is using it.
            shutil.rmtree(stale, ignore_errors=True)


@dataclass
class Generation:
    """A generation being written: its store and the manifest that will describe it."""

    store: ox.Store
    manifest: Manifest
    path: Path
