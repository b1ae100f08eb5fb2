"""Running SPARQL queries in killable processes, with a time limit, streaming the results.

pyoxigraph cannot interrupt a query and a thread cannot be killed, so each web process
keeps a pool of query processes (``scokg.server.worker``), each with the store open
read-only and connected by a socket pair. A request thread takes an idle process, sends it
the query and reads the serialised result back in frames, passing each piece on to the
client as it comes: no result is ever held whole. When the time limit passes first, the
thread kills that process (SIGKILL: the query stops at once and its memory is freed),
starts a replacement, and the client gets 503 with a message, or a cut connection if part
of the result was already sent. Other queries run on in their own processes meanwhile.

Cost per query over running pyoxigraph in the web process: a small JSON message one way,
framed result bytes the other, and two process wake-ups; about 0.2-0.4 ms on a 2-CPU
virtual machine, where a bare socket round trip between two processes takes 0.1-0.2 ms.
Repeated queries skip it altogether (``scokg.server.cache``).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scokg.server import framing
from scokg.server.negotiation import BY_KEY, Format
from scokg.server.problems import Problem
from scokg.server.sparql import QueryRequest

log = logging.getLogger(__name__)


class ResultCut(Exception):
    """A result could not be sent whole after its first bytes had gone out."""


@dataclass(frozen=True)
class Limits:
    time_limit: float
    max_result_bytes: int


class QueryProcess:
    """One query process and the web process's end of its socket."""

    def __init__(self, store_root: Path) -> None:
        parent_end, child_end = socket.socketpair()
        try:
            self.popen = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "scokg.server.worker",
                    "--fd",
                    str(child_end.fileno()),
                    "--store",
                    str(store_root),
                ],
                pass_fds=(child_end.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        except OSError:
            parent_end.close()
            raise
        finally:
            child_end.close()
        self.sock = parent_end
        self.reader = framing.FrameReader(parent_end)

    def kill(self) -> None:
        self.sock.close()
        try:
            self.popen.kill()
        except ProcessLookupError:
            pass
        self.popen.wait()


class Executor:
    """A pool of query processes for one web process; thread-safe, started lazily.

    The pool belongs to the process that started it: after a fork the child starts its own.
    """

    def __init__(self, store_root: Path, size: int, limits: Limits) -> None:
        self.store_root = store_root
        self.size = size
        self.limits = limits
        self._lock = threading.Condition()
        self._idle: list[QueryProcess] = []
        self._busy = 0
        self._owner = -1
        self._closed = False

    # -- the pool ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start all query processes now (they open the store while the server starts)."""
        with self._lock:
            self._adopt()
            while len(self._idle) + self._busy < self.size:
                self._idle.append(QueryProcess(self.store_root))

    def _adopt(self) -> None:
        pid = os.getpid()
        if self._owner != pid:
            # A fresh process (or a fork): the processes of the parent are not ours.
            self._idle, self._busy, self._owner, self._closed = [], 0, pid, False
            atexit.register(self.close)

    def _acquire(self, deadline: float) -> QueryProcess:
        with self._lock:
            self._adopt()
            while True:
                if self._closed:
                    raise Problem(503, "the server is shutting down")
                if self._idle:
                    self._busy += 1
                    return self._idle.pop()
                if self._busy < self.size:
                    self._busy += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._lock.wait(remaining):
                    if not self._idle:
                        raise Problem(
                            503,
                            f"all {self.size} query processes stayed busy for "
                            f"{_seconds(self.limits.time_limit)}; try again later",
                            {"Retry-After": "5"},
                        )
        try:
            return QueryProcess(self.store_root)
        except OSError as exc:
            self._release(None)
            raise Problem(503, f"cannot start a query process: {exc}") from None

    def _release(self, process: QueryProcess | None) -> None:
        with self._lock:
            self._busy -= 1
            if process is not None and not self._closed and self._owner == os.getpid():
                self._idle.append(process)
            elif process is not None:
                process.kill()
            self._lock.notify()

    def _discard(self, process: QueryProcess) -> None:
        """Kill a process whose state is unknown (over time, abandoned) and replace it."""
        process.kill()
        replacement: QueryProcess | None = None
        if not self._closed:
            try:
                replacement = QueryProcess(self.store_root)
            except OSError as exc:
                log.warning("cannot start a replacement query process: %s", exc)
        if replacement is None:
            with self._lock:
                self._busy -= 1
                self._lock.notify()
        else:
            self._release(replacement)

    def close(self) -> None:
        """Stop every idle process; busy ones are stopped when their query returns."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._lock.notify_all()
        for process in idle:
            process.kill()

    # -- queries -------------------------------------------------------------------------------
    def execute(
        self, request: QueryRequest, solutions: Format | None, graph: Format | None
    ) -> QueryResult:
        """Start a query; returns once its first bytes (or its whole result) are here.

        ``solutions`` and ``graph`` are the formats to use for a SELECT/ASK and for a
        CONSTRUCT/DESCRIBE result (``None``: not acceptable, 406). Raises ``Problem`` for
        a query that fails, is refused or runs over the time limit before sending anything.
        """
        started = time.monotonic()
        process = self._acquire(started + self.limits.time_limit)
        deadline = time.monotonic() + self.limits.time_limit
        job = {
            "query": request.query,
            "union": request.union,
            "default": request.default_graphs,
            "named": request.named_graphs,
            "solutions": solutions.key if solutions else None,
            "graph": graph.key if graph else None,
        }
        try:
            framing.send_message(process.sock, job)
            kind, payload = process.reader.next(deadline)
            if kind == framing.ERROR:
                self._release(process)
                raise _problem(payload)
            key, _, generation = payload.decode("utf-8").partition(" ")
            fmt = BY_KEY[key]
            kind, payload = process.reader.next(deadline)
        except framing.Timeout:
            self._discard(process)
            raise Problem(503, self._over_time()) from None
        except (framing.ChannelClosed, OSError) as exc:
            self._discard(process)
            raise Problem(500, f"the query process ended unexpectedly ({exc})") from None
        if kind == framing.ERROR:
            self._release(process)
            raise _problem(payload)
        if kind == framing.END:
            self._release(process)
            return QueryResult(fmt, generation, b"", None)
        # The first data have come; is the whole result here already?
        later = process.reader.buffered()
        if later is not None and later[0] == framing.END:
            self._release(process)
            return QueryResult(fmt, generation, payload, None)
        pending = [later] if later is not None else []
        stream = self._stream(process, payload, pending, deadline)
        return QueryResult(fmt, generation, None, stream)

    def _stream(
        self,
        process: QueryProcess,
        first: bytes,
        pending: list[tuple[bytes, bytes]],
        deadline: float,
    ) -> Iterator[bytes]:
        sent = len(first)
        finished = False
        try:
            yield first
            while True:
                if pending:
                    kind, payload = pending.pop()
                else:
                    kind, payload = process.reader.next(deadline)
                if kind == framing.END:
                    finished = True
                    self._release(process)
                    return
                if kind == framing.ERROR:
                    finished = True
                    self._release(process)
                    raise ResultCut(f"result cut off after {sent} bytes: {_message(payload)}")
                sent += len(payload)
                if sent > self.limits.max_result_bytes:
                    raise ResultCut(
                        f"result cut off: it exceeded the limit of "
                        f"{self.limits.max_result_bytes} bytes"
                    )
                yield payload
        except framing.Timeout:
            raise ResultCut(f"result cut off after {sent} bytes: {self._over_time()}") from None
        except framing.ChannelClosed as exc:
            raise ResultCut(f"result cut off: the query process ended ({exc})") from None
        finally:
            if not finished:
                # Over time, over size, or the client went away: the process may still be
                # writing, so it cannot serve another query.
                self._discard(process)

    def _over_time(self) -> str:
        limit = _seconds(self.limits.time_limit)
        return f"the query exceeded the time limit of {limit} and was stopped"


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


def _problem(payload: bytes) -> Problem:
    data = json.loads(payload)
    return Problem(int(data["status"]), str(data["message"]))


def _message(payload: bytes) -> str:
    return str(json.loads(payload)["message"])


def _seconds(value: float) -> str:
    return f"{value:g} s"
