"""Running SPARQL queries inside the web process, with a time limit, streaming the results.

A request thread hands its query to a query thread of the same process (``Executor``) and
waits for it, at most until the query's deadline. pyoxigraph releases the GIL while it
evaluates and serialises, so the queries of one process run side by side, and the request
threads stay free to answer. The query thread serialises the result into pieces of
``PIECE`` bytes: a result that fits in one piece comes back whole (sent with a
``Content-Length``); a longer one is streamed through a short queue, so memory stays at a
few pieces whatever the size of the result.

pyoxigraph cannot interrupt a query and a thread cannot be stopped, so a query that runs
past its time limit costs its process: the client gets 503 with a message saying so, and
``on_over_time`` is called, which under ``scokg serve`` has the server replace its worker
processes (``scokg.server.run``): new ones start, the old ones finish the requests they are
answering and end, and with them the runaway query. A result that cannot be sent whole
after its first bytes went out (over time, over ``max_result_bytes``, a failing
serialiser) goes to ``on_cut``; by default it raises ``ResultCut``, and under ``scokg
serve`` the connection is reset, so that a client never takes a truncated result for a
complete one.

Running the query in the web process rather than in a separate query process saves a
round trip between processes on every query, which is most of the cost of a small one.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, cast

import pyoxigraph as ox

from scokg.errors import ScokgError
from scokg.server.keywords import looks_like_update
from scokg.server.livestore import LiveStore
from scokg.server.negotiation import (
    GRAPH_FORMATS,
    RDF_SERIALIZERS,
    RESULTS_SERIALIZERS,
    SOLUTION_FORMATS,
    Format,
    describe_formats,
)
from scokg.server.problems import Problem
from scokg.server.sparql import READ_ONLY, QueryRequest

log = logging.getLogger(__name__)

PIECE = 65536
# The serialised ASK answers, by format key and truth value (filled as they are first sent).
_BOOLEAN_BODIES: dict[tuple[str, bool], bytes] = {}
_QUEUE_PIECES = 8
_END = b""


class ResultCut(Exception):
    """A result could not be sent whole after its first bytes had gone out."""


@dataclass(frozen=True)
class Limits:
    time_limit: float
    max_result_bytes: int


class QueryResult:
    """A query's result: its format, the generation it was computed on, and either all its
    bytes or a stream of them."""

    def __init__(
        self,
        fmt: Format,
        generation: str,
        body: bytes | None,
        stream: Iterator[bytes] | None,
    ) -> None:
        self.format = fmt
        self.generation = generation
        self.body = body
        self.stream = stream


class _Abandoned(Exception):
    """The request stopped waiting for this job (over time, or the client went away)."""


class _Job:
    """One query between the request thread that asked and the query thread that runs it.

    ``ready`` is held until the first answer is in: the whole result, its first piece, or
    a problem. Later pieces, and finally ``_END`` or a ``ResultCut``, come through
    ``pieces``.
    """

    __slots__ = ("request", "solutions", "graph", "ready", "problem", "format", "generation",
                 "body", "pieces", "abandoned", "running")  # fmt: skip

    def __init__(self, request: QueryRequest, solutions: Format | None, graph: Format | None):
        self.request = request
        self.solutions = solutions
        self.graph = graph
        self.ready = threading.Lock()
        self.ready.acquire()
        self.problem: Problem | None = None
        self.format: Format | None = None
        self.generation = ""
        self.body: bytes | None = None
        self.pieces: queue.Queue[bytes | ResultCut] | None = None
        self.abandoned = False
        self.running = True  # false while the query thread waits for the reader, or is done


class _Writer:
    """The file-like object pyoxigraph serialises into: gathers pieces for the job."""

    def __init__(self, job: _Job, max_bytes: int) -> None:
        self._job = job
        self._max_bytes = max_bytes
        self._buffer = bytearray()
        self._sent = 0
        self.started = False
        self.over_size = False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self._job.abandoned:
            raise _Abandoned
        self._buffer += data
        if len(self._buffer) >= PIECE:
            self._emit(bytes(self._buffer))
            self._buffer.clear()
        if self._sent + len(self._buffer) > self._max_bytes:
            self.over_size = True
            raise _Abandoned  # stops the serialiser; ``Executor._run`` says why
        return len(data)

    def flush(self) -> None:
        """Serialisers call this; pieces leave when they are full."""

    def _emit(self, piece: bytes) -> None:
        job = self._job
        self._sent += len(piece)
        if not self.started:
            self.started = True
            job.pieces = queue.Queue(_QUEUE_PIECES)
            job.body = piece
            job.ready.release()
            return
        self._put(piece)

    def _put(self, item: bytes | ResultCut) -> None:
        job = self._job
        assert job.pieces is not None
        job.running = False
        try:
            while True:
                if job.abandoned:
                    raise _Abandoned
                try:
                    job.pieces.put(item, timeout=0.25)
                    return
                except queue.Full:
                    continue
        finally:
            job.running = True

    def finish(self) -> None:
        """The result is complete: send it whole, or its last piece and the end."""
        job = self._job
        if not self.started:
            if len(self._buffer) > self._max_bytes:
                self.over_size = True
                raise _Abandoned
            job.body = bytes(self._buffer)
            job.pieces = None
            job.ready.release()
            return
        if self._buffer:
            self._put(bytes(self._buffer))
            self._buffer.clear()
        self._put(_END)

    def fail(self, message: str) -> None:
        """The result cannot be completed after its first piece went out."""
        self._buffer.clear()
        self._put(ResultCut(message))


class Executor:
    """Query threads for one web process; thread-safe, started lazily.

    ``on_over_time`` is called (once per query) when a query outlives its time limit;
    ``on_cut(message)`` when a result is cut off after its first bytes were sent, and must
    not return normally (the default raises ``ResultCut``).
    """

    def __init__(self, live: LiveStore, limits: Limits) -> None:
        self.live = live
        self.limits = limits
        self.on_over_time: Callable[[], None] = _nothing
        self.on_cut: Callable[[str], None] = _raise_cut
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._threads = 0
        self._closed = False

    # -- the threads ---------------------------------------------------------------------------
    def start(self) -> None:
        """Open the store now rather than at the first query (a missing graph is reported to
        each query until one appears)."""
        try:
            self.live.snapshot()
        except ScokgError:
            pass

    def close(self) -> None:
        """Stop the idle query threads; queries still running end with their requests."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, 0
        for _ in range(idle):
            self._jobs.put(None)

    def _submit(self, job: _Job) -> None:
        with self._lock:
            if self._closed:
                raise Problem(503, "the server is shutting down")
            if self._idle:
                self._idle -= 1
                self._jobs.put(job)
                return
            self._threads += 1
        thread = threading.Thread(
            target=self._work, args=(job,), name=f"scokg-query-{self._threads}", daemon=True
        )
        thread.start()

    def _work(self, job: _Job | None) -> None:
        while job is not None:
            try:
                self._run(job)
            except BaseException:  # never lose a waiting request to a bug
                log.exception("a query thread failed")
                if job.ready.locked():
                    job.problem = Problem(500, "the query failed unexpectedly")
                    job.ready.release()
            with self._lock:
                if self._closed:
                    self._threads -= 1
                    return
                self._idle += 1
            job = self._jobs.get()
        with self._lock:
            self._threads -= 1

    # -- one query, in a query thread ---------------------------------------------------------
    def _run(self, job: _Job) -> None:
        try:
            snapshot = self.live.snapshot()
        except ScokgError as exc:
            self._refuse(job, Problem(503, str(exc)))
            return
        request = job.request
        query = request.query
        try:
            result = snapshot.store.query(query, **_dataset(request))
        except SyntaxError as exc:
            if looks_like_update(query):
                self._refuse(job, Problem(403, READ_ONLY))
            else:
                self._refuse(job, Problem(400, f"malformed query: {exc}"))
            return
        except (OSError, ValueError, TypeError) as exc:
            self._refuse(job, Problem(500, f"the query failed: {exc}"))
            return
        serializer: Mapping[str, ox.RdfFormat | ox.QueryResultsFormat]
        if isinstance(result, ox.QueryTriples):
            fmt, serializer = job.graph, RDF_SERIALIZERS
            what, formats = "a CONSTRUCT or DESCRIBE result (a graph)", GRAPH_FORMATS
        else:
            fmt, serializer = job.solutions, RESULTS_SERIALIZERS
            what, formats = "a SELECT or ASK result", SOLUTION_FORMATS
        if fmt is None:
            self._refuse(job, Problem(406, _not_acceptable(what, formats)))
            return
        job.format = fmt
        job.generation = snapshot.generation
        if isinstance(result, ox.QueryBoolean):
            self._answer_boolean(job, result, fmt, serializer)
            return
        writer = _Writer(job, self.limits.max_result_bytes)
        try:
            # _Writer is file-like (write, flush), which is all the serialisers use.
            result.serialize(cast(IO[bytes], writer), serializer[fmt.key])  # type: ignore[arg-type]
        except _Abandoned:
            if writer.over_size:
                self._cut_or_refuse(job, writer, _over_size(self.limits.max_result_bytes))
            return
        except (OSError, ValueError, TypeError) as exc:
            if job.abandoned:
                return
            if writer.over_size:
                self._cut_or_refuse(job, writer, _over_size(self.limits.max_result_bytes))
                return
            message = f"the query failed while its result was being written: {exc}"
            self._cut_or_refuse(job, writer, message)
            return
        try:
            writer.finish()
        except _Abandoned:
            if writer.over_size:
                self._cut_or_refuse(job, writer, _over_size(self.limits.max_result_bytes))
        finally:
            job.running = False

    @staticmethod
    def _answer_boolean(
        job: _Job,
        result: ox.QueryBoolean,
        fmt: Format,
        serializer: Mapping[str, ox.RdfFormat | ox.QueryResultsFormat],
    ) -> None:
        """An ASK result: a few bytes, the same for every true (or false) answer."""
        key = (fmt.key, bool(result))
        body = _BOOLEAN_BODIES.get(key)
        if body is None:
            written = result.serialize(format=serializer[fmt.key])  # type: ignore[arg-type]
            body = _BOOLEAN_BODIES[key] = written or b""
        job.running = False
        job.body = body
        job.ready.release()

    @staticmethod
    def _refuse(job: _Job, problem: Problem) -> None:
        job.running = False
        job.problem = problem
        job.ready.release()

    def _cut_or_refuse(self, job: _Job, writer: _Writer, message: str) -> None:
        if not writer.started:
            self._refuse(job, Problem(500, message))
            return
        try:
            writer.fail(f"result cut off after its first bytes: {message}")
        except _Abandoned:
            pass
        finally:
            job.running = False

    # -- one query, in the request thread -----------------------------------------------------
    def execute(
        self, request: QueryRequest, solutions: Format | None, graph: Format | None
    ) -> QueryResult:
        """Run a query; returns once its first bytes (or its whole result) are here.

        ``solutions`` and ``graph`` are the formats to use for a SELECT/ASK and for a
        CONSTRUCT/DESCRIBE result (``None``: not acceptable, 406). Raises ``Problem`` for
        a query that fails, is refused or runs over the time limit before sending anything.
        """
        deadline = time.monotonic() + self.limits.time_limit
        job = _Job(request, solutions, graph)
        self._submit(job)
        if not job.ready.acquire(timeout=self.limits.time_limit):
            job.abandoned = True
            self._over_time(job)
            raise Problem(503, self._over_time_message())
        if job.problem is not None:
            raise job.problem
        assert job.format is not None and job.body is not None
        if job.pieces is None:
            return QueryResult(job.format, job.generation, job.body, None)
        return QueryResult(job.format, job.generation, None, self._stream(job, deadline))

    def _stream(self, job: _Job, deadline: float) -> Iterator[bytes]:
        assert job.pieces is not None and job.body is not None
        finished = False
        try:
            yield job.body
            job.body = None
            while True:
                remaining = deadline - time.monotonic()
                try:
                    if remaining <= 0:  # a slow reader: pieces may be waiting, time is up
                        raise queue.Empty
                    piece = job.pieces.get(timeout=remaining)
                except queue.Empty:
                    job.abandoned = True
                    self._over_time(job)
                    self.on_cut(f"result cut off: {self._over_time_message()}")
                    return
                if isinstance(piece, ResultCut):
                    finished = True
                    self.on_cut(str(piece))
                    return
                if piece is _END or not piece:
                    finished = True
                    return
                yield piece
        finally:
            if not finished:
                job.abandoned = True  # the client went away: the query thread stops writing

    def _over_time(self, job: _Job) -> None:
        if job.running:  # computing, not waiting for the reader: only its process can stop it
            self.on_over_time()

    def _over_time_message(self) -> str:
        return f"the query exceeded the time limit of {self.limits.time_limit:g} s and was stopped"


def _dataset(request: QueryRequest) -> dict[str, Any]:
    if request.default_graphs is None and request.named_graphs is None:
        return {"use_default_graph_as_union": True} if request.union else {}
    return {
        "default_graph": [ox.NamedNode(iri) for iri in request.default_graphs or ()],
        "named_graphs": [ox.NamedNode(iri) for iri in request.named_graphs or ()],
    }


def _not_acceptable(what: str, formats: tuple[Format, ...]) -> str:
    return (
        f"none of the media types in the Accept header can hold {what}; "
        f"this endpoint sends {describe_formats(formats)}"
    )


def _over_size(limit: int) -> str:
    return f"it exceeded the limit of {limit} bytes"


def _nothing() -> None:
    return None


def _raise_cut(message: str) -> None:
    raise ResultCut(message)
