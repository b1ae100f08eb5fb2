"""A query process: evaluates SPARQL queries on a read-only store and streams the results.

Started by ``scokg.server.executor`` as ``python -m scokg.server.worker --fd N --store DIR``
with one end of a socket pair as fd N. It answers one job at a time (see
``scokg.server.framing``) until the socket closes. The web process kills it when a query
outlives its time limit, which is why a query runs here and not in a thread of the web
process: pyoxigraph cannot interrupt a query, and a thread cannot be killed.

Imports stay light (no Flask, no rdflib) so that a replacement starts quickly.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

import pyoxigraph as ox

from scokg.errors import ScokgError
from scokg.graph.store import StoreDir
from scokg.server import framing
from scokg.server.keywords import looks_like_update
from scokg.server.livestore import LiveStore
from scokg.server.negotiation import (
    GRAPH_FORMATS,
    RDF_SERIALIZERS,
    RESULTS_SERIALIZERS,
    SOLUTION_FORMATS,
    describe_formats,
)
from scokg.server.sparql import READ_ONLY


def run(sock: socket.socket, live: LiveStore) -> None:
    """Answer jobs until the web process closes the socket."""
    while True:
        job = framing.receive_message(sock)
        if job is None:
            return
        handle(sock, live, job)


def handle(sock: socket.socket, live: LiveStore, job: dict[str, Any]) -> None:
    """Run one job and send its frames."""
    try:
        snapshot = live.snapshot()
    except ScokgError as exc:
        sock.sendall(framing.error_frame(503, str(exc)))
        return
    query: str = job["query"]
    try:
        result = snapshot.store.query(query, **_dataset(job))
    except SyntaxError as exc:
        if looks_like_update(query):
            sock.sendall(framing.error_frame(403, READ_ONLY))
        else:
            sock.sendall(framing.error_frame(400, f"malformed query: {exc}"))
        return
    except (OSError, ValueError, TypeError) as exc:
        sock.sendall(framing.error_frame(500, f"the query failed: {exc}"))
        return
    if isinstance(result, ox.QueryTriples):
        key = job.get("graph")
        if key is None:
            message = _not_acceptable("a CONSTRUCT or DESCRIBE result (a graph)", GRAPH_FORMATS)
            sock.sendall(framing.error_frame(406, message))
            return
        writer = framing.FrameWriter(sock, f"{key} {snapshot.generation}".encode())
        try:
            result.serialize(writer, RDF_SERIALIZERS[key])
        except (OSError, ValueError, TypeError) as exc:
            writer.fail(500, f"the query failed while its result was being written: {exc}")
            return
    else:
        key = job.get("solutions")
        if key is None:
            message = _not_acceptable("a SELECT or ASK result", SOLUTION_FORMATS)
            sock.sendall(framing.error_frame(406, message))
            return
        writer = framing.FrameWriter(sock, f"{key} {snapshot.generation}".encode())
        try:
            result.serialize(writer, RESULTS_SERIALIZERS[key])
        except (OSError, ValueError, TypeError) as exc:
            writer.fail(500, f"the query failed while its result was being written: {exc}")
            return
    writer.finish()


def _dataset(job: dict[str, Any]) -> dict[str, Any]:
    default = job.get("default")
    named = job.get("named")
    if default is None and named is None:
        return {"use_default_graph_as_union": True} if job.get("union") else {}
    return {
        "default_graph": [ox.NamedNode(iri) for iri in default or ()],
        "named_graphs": [ox.NamedNode(iri) for iri in named or ()],
    }


def _not_acceptable(what: str, formats: tuple[Any, ...]) -> str:
    return (
        f"none of the media types in the Accept header can hold {what}; "
        f"this endpoint sends {describe_formats(formats)}"
    )


def _exit_with_parent() -> None:
    """End this process when the web process is gone, even in the middle of a query."""
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fd", type=int, required=True, help="socket to the web process")
    parser.add_argument("--store", required=True, help="store directory")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; it ends us
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    sock = socket.socket(fileno=args.fd)
    live = LiveStore(StoreDir(args.store))
    try:
        live.snapshot()  # open the store now rather than at the first query
    except ScokgError:
        pass  # reported to each job until a graph appears
    try:
        run(sock, live)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the web process went away while we were answering
    sys.exit(0)


if __name__ == "__main__":
    main()
