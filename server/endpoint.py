"""``/sparql``: the SPARQL 1.1 Protocol query operation and the Service Description.

A query request is parsed (``scokg.server.sparql``), the result formats for both kinds of
result are negotiated up front (the query thread picks one once it knows the query form),
and the query goes to the executor (``scokg.server.executor``) unless the result cache
already holds the answer. The serialised result is passed through as it arrives: small
results with a ``Content-Length``, larger ones streamed.

Queries take the shortest way through the web process: ``QueryFastPath`` answers them
straight from WSGI, in front of Flask's routing, request and response objects, which cost
more than a small query itself. Everything else on ``/sparql`` (the Service Description,
HEAD, requests it cannot read at once) goes to the Flask route below, which runs the same
code.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, redirect, request

from scokg.errors import StoreError
from scokg.server.cache import Key, ResultCache
from scokg.server.context import EXTENSION, ServerState, state
from scokg.server.description import service_description
from scokg.server.errorpages import error_response
from scokg.server.executor import QueryResult
from scokg.server.negotiation import (
    BY_KEY,
    GRAPH_FORMATS,
    HTML,
    RDF_SERIALIZERS,
    SOLUTION_FORMATS,
    TRIPLE_FORMATS,
    describe_formats,
    explicitly_accepts,
    negotiate,
)
from scokg.server.problems import Problem
from scokg.server.sparql import QueryRequest, parse_query_request, parse_request
from scokg.server.stats import dataset_stats
from scokg.vocab import PREFIXES, SD, VOID

bp = Blueprint("endpoint", __name__)

_SD_PREFIXES = {**PREFIXES, "sd": str(SD), "void": str(VOID)}
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def run_query(st: ServerState, query: QueryRequest, accept: str | None) -> QueryResult:
    """The result of a query request, from the cache or the executor."""
    solutions = negotiate(accept, SOLUTION_FORMATS)
    graph = negotiate(accept, GRAPH_FORMATS)
    if solutions is None and graph is None:
        raise Problem(
            406,
            f"none of the media types in the Accept header ({accept}) is one this endpoint "
            f"sends: {describe_formats(SOLUTION_FORMATS + GRAPH_FORMATS)}",
        )
    cache = st.cache
    formats = (solutions.key if solutions else "", graph.key if graph else "")
    if cache is not None:
        generation = st.live.generation() or ""
        key = (generation, query.query, query.union, query.default_graphs,
               query.named_graphs, *formats)  # fmt: skip
        found = cache.get(key)
        if found is not None:
            return QueryResult(BY_KEY[found[0]], generation, found[1], None)
    result = st.executor.execute(query, solutions, graph)
    if cache is not None:
        key = (result.generation, query.query, query.union, query.default_graphs,
               query.named_graphs, *formats)  # fmt: skip
        if result.body is not None:
            cache.put(key, result.format.key, result.body)
        elif result.stream is not None:
            result.stream = _kept(result.stream, cache, key, result.format.key)
    return result


def _kept(stream: Iterator[bytes], cache: ResultCache, key: Key, fmt: str) -> Iterator[bytes]:
    """The pieces of a streamed result; once it is complete, into the cache if small enough."""
    kept: list[bytes] | None = []
    size = 0
    for piece in stream:
        if kept is not None:
            size += len(piece)
            if size <= cache.max_entry:
                kept.append(piece)
            else:
                kept = None
        yield piece
    if kept is not None:
        cache.put(key, fmt, b"".join(kept))


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    environ = request.environ
    accept: str | None = environ.get("HTTP_ACCEPT")
    query = parse_request(
        request.method,
        environ.get("QUERY_STRING", "").encode("latin-1"),
        environ.get("CONTENT_TYPE"),
        lambda: request.get_data(cache=False),
    )
    if query is None:
        return _service_description(accept)
    result = run_query(state(), query, accept)
    headers = {"Vary": "Accept"}
    if result.body is not None:
        return Response(result.body, content_type=result.format.content_type, headers=headers)
    return Response(
        result.stream,
        content_type=result.format.content_type,
        headers=headers,
        direct_passthrough=True,
    )


def _service_description(accept: str | None) -> Response:
    fmt = negotiate(accept, TRIPLE_FORMATS)
    if explicitly_accepts(accept, HTML) and (fmt is None or negotiate(accept, (HTML, fmt)) is HTML):
        # A person with a browser: the query editor is on the home page.
        return redirect("/#editor", code=303)  # type: ignore[return-value]
    if fmt is None:
        raise Problem(
            406, "the Service Description is available as " + describe_formats(TRIPLE_FORMATS)
        )
    st = state()
    triples = service_description(request.url_root, st.settings, dataset_stats(st.live.snapshot()))
    body = ox.serialize(triples, format=RDF_SERIALIZERS[fmt.key], prefixes=_SD_PREFIXES)
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


class QueryFastPath:
    """WSGI middleware answering SPARQL queries on /sparql without going through Flask."""

    def __init__(self, app: Flask, downstream: WSGIApp) -> None:
        self.app = app
        self.downstream = downstream
        self.state: ServerState = app.extensions[EXTENSION]
        origin = self.state.settings.cors_origin
        self.extra_headers = [("Vary", "Accept")]
        if origin:
            self.extra_headers += [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Expose-Headers", "Content-Disposition, ETag, Last-Modified"),
            ]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/sparql":
            return self.downstream(environ, start_response)
        method = environ.get("REQUEST_METHOD")
        query_string = environ.get("QUERY_STRING", "")
        body = b""
        if method == "POST":
            length = environ.get("CONTENT_LENGTH") or ""
            if not length.isdigit() or int(length) > self.state.settings.max_request_bytes:
                return self.downstream(environ, start_response)  # Flask reads it or says 413
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)
        elif method != "GET" or not query_string:
            return self.downstream(environ, start_response)
        try:
            query = parse_query_request(method, query_string, environ.get("CONTENT_TYPE"), body)
            if query is None:
                return self.downstream(environ, start_response)
            result = run_query(self.state, query, environ.get("HTTP_ACCEPT"))
        except Problem as exc:
            return self._error(environ, start_response, exc.status, exc.message, exc.headers)
        except StoreError as exc:
            return self._error(environ, start_response, 503, str(exc), {})
        headers = [("Content-Type", result.format.content_type), *self.extra_headers]
        if result.body is not None:
            headers.append(("Content-Length", str(len(result.body))))
            start_response("200 OK", headers)
            return [result.body]
        start_response("200 OK", headers)
        stream: Iterable[bytes] = result.stream or []
        return stream

    def _error(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        status: int,
        message: str,
        headers: dict[str, str],
    ) -> Iterable[bytes]:
        with self.app.request_context(environ):
            response = error_response(status, message, environ.get("HTTP_ACCEPT"), headers)
            for name, value in self.extra_headers:
                if name != "Vary":
                    response.headers[name] = value
        # The body as one list item: a server sends it in one piece, even while shutting down.
        body = response.get_data()
        start_response(response.status, list(response.headers.items()))
        return [body]
