"""Whole-graph downloads: /dump.ttl, /dump.nt.gz, /dump.nq.gz, streamed from the store.

A dump is written by pyoxigraph in a background thread into a small bounded queue that the
response reads from, compressed on the way when it is a ``.gz``: memory stays at a few
pieces of 64 KiB whatever the size of the graph, and the first bytes leave at once.

Turtle and N-Triples hold one graph, so those dumps are the union of all graphs, written
graph by graph: a triple that several documents state appears once per document (RDF
parsers merge the repeats; the graph is the same). ``/dump.nq.gz`` keeps every graph name.

A dump is the same bytes for the whole life of a generation, so its ``ETag`` is the
generation's name and its ``Last-Modified`` the generation's build time; clients revalidate
with ``If-None-Match`` / ``If-Modified-Since`` and get 304.
"""

from __future__ import annotations

import queue
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

from scokg.vocab import PREFIXES

PIECE = 65536
_QUEUE_PIECES = 16


@dataclass(frozen=True)
class Dump:
    """One download: its path, what it holds and how it is sent."""

    path: str
    rdf: ox.RdfFormat
    content_type: str
    gzip: bool

    @property
    def rdf_media_type(self) -> str:
        return self.rdf.media_type


DUMPS: tuple[Dump, ...] = (
    Dump("dump.ttl", ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8", False),
    Dump("dump.nt.gz", ox.RdfFormat.N_TRIPLES, "application/gzip", True),
    Dump("dump.nq.gz", ox.RdfFormat.N_QUADS, "application/gzip", True),
)
BY_PATH = {dump.path: dump for dump in DUMPS}


class DumpFailed(Exception):
    """Writing a dump failed after its first bytes had been sent."""


class _Cancelled(Exception):
    """The response was closed before the dump was complete (the client went away)."""


class _Sink:
    """A binary file-like object for pyoxigraph: gathers, compresses and queues pieces."""

    def __init__(self, pieces: queue.Queue[bytes | BaseException | None], gzip: bool) -> None:
        self._pieces = pieces
        self._buffer = bytearray()
        self._compressor = zlib.compressobj(6, zlib.DEFLATED, 31) if gzip else None
        self.cancelled = threading.Event()

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._buffer += data
        if len(self._buffer) >= PIECE:
            self._emit(bytes(self._buffer))
            self._buffer.clear()
        return len(data)

    def flush(self) -> None:
        """Serialisers call this; pieces leave when they are full."""

    def close(self) -> None:
        rest = bytes(self._buffer)
        self._buffer.clear()
        if self._compressor is not None:
            rest = self._compressor.compress(rest) + self._compressor.flush()
        if rest:
            self._put(rest)

    def _emit(self, data: bytes) -> None:
        if self._compressor is not None:
            data = self._compressor.compress(data)
        if data:
            self._put(data)

    def _put(self, item: bytes | BaseException | None) -> None:
        while True:
            if self.cancelled.is_set():
                raise _Cancelled
            try:
                self._pieces.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def _write(store: ox.Store, dump: Dump, sink: _Sink) -> None:
    if dump.rdf.supports_datasets:
        store.dump(cast(IO[bytes], sink), dump.rdf)
        return
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = []
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
        graphs.append(ox.DefaultGraph())
    graphs += sorted(store.named_graphs(), key=str)
    prefixes = PREFIXES if dump.rdf == ox.RdfFormat.TURTLE else None
    for graph in graphs:
        if dump.rdf == ox.RdfFormat.TURTLE:
            name = "the default graph" if isinstance(graph, ox.DefaultGraph) else str(graph)
            sink.write(f"\n# {name}\n".encode())
        store.dump(cast(IO[bytes], sink), dump.rdf, from_graph=graph, prefixes=prefixes)


def stream_dump(store: ox.Store, dump: Dump) -> Iterator[bytes]:
    """The bytes of a dump, produced as they are read; stops the writer when closed early."""
    pieces: queue.Queue[bytes | BaseException | None] = queue.Queue(_QUEUE_PIECES)
    sink = _Sink(pieces, dump.gzip)

    def produce() -> None:
        try:
            _write(store, dump, sink)
            sink.close()
            sink._put(None)
        except _Cancelled:
            return
        except Exception as exc:  # handed to the reader, which reports it
            try:
                sink._put(exc)
            except _Cancelled:
                return

    writer = threading.Thread(target=produce, name=f"dump {dump.path}", daemon=True)
    writer.start()
    try:
        while True:
            item = pieces.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise DumpFailed(f"writing {dump.path} failed: {item}") from item
            yield item
    finally:
        sink.cancelled.set()
