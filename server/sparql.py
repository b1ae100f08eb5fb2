"""The SPARQL 1.1 Protocol's query operation: from an HTTP request to a query to run.

Three ways to send a query (https://www.w3.org/TR/sparql11-protocol/#query-operation):
GET with ``?query=``, POST ``application/x-www-form-urlencoded`` and POST
``application/sparql-query`` (the query is the body). ``default-graph-uri`` and
``named-graph-uri`` give the RDF dataset. Everything that is not a well-formed query request
is refused here with a ``Problem`` that says what is wrong, before any query runs:
updates (the endpoint is read-only), SERVICE (no server-side requests on a
caller's behalf), two ``query`` parameters, a missing or wrong content type, bytes that are
not UTF-8.

The checks for SERVICE and FROM are lexical (``scokg.server.keywords``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox

from scokg.server.keywords import keywords
from scokg.server.problems import Problem

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = (
    "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, "
    "COPY, MOVE, ADD) is not accepted"
)
NO_SERVICE = (
    "SERVICE is not allowed here: this endpoint does not send requests to other servers "
    "on a caller's behalf; query the other endpoint yourself, or federate from your own client"
)


@dataclass(frozen=True)
class QueryRequest:
    """A query to run and the dataset to run it on.

    ``default_graphs``/``named_graphs`` are ``None`` unless the protocol parameters gave
    them. ``union`` says whether the default graph is the union of all named graphs: true
    unless the request or the query itself (FROM / FROM NAMED) names a dataset.
    """

    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    union: bool


def parse_request(
    method: str,
    query_string: bytes,
    content_type: str | None,
    read_body: object,
) -> QueryRequest | None:
    """The query an HTTP request asks for, ``None`` for a request without a query (the
    Service Description), or a ``Problem``. ``read_body`` is a callable returning the body
    bytes (called only for POST)."""
    params = _decode_pairs(query_string, "the URL's query string")
    if method == "POST":
        media, charset = _media_type(content_type)
        body = read_body() if callable(read_body) else b""
        if media == FORM:
            params += _decode_pairs(body, "the form-encoded body")
        elif media == SPARQL_QUERY:
            if charset not in (None, "utf-8", "utf8"):
                raise Problem(400, f"charset {charset} is not supported: send the query in UTF-8")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise Problem(
                    400, f"the request body is not valid UTF-8 (byte {exc.start}): send UTF-8"
                ) from None
            params.append(("query", text))
        elif media == SPARQL_UPDATE:
            raise Problem(403, READ_ONLY)
        elif media is None:
            raise Problem(
                400,
                f"a POST needs a Content-Type: {FORM} (with a query parameter) or "
                f"{SPARQL_QUERY} (with the query as the body)",
            )
        else:
            raise Problem(
                400,
                f"Content-Type {media} is not accepted: use {FORM} or {SPARQL_QUERY}",
            )
    elif method not in ("GET", "HEAD"):
        raise Problem(405, f"method {method} is not allowed: use GET or POST")
    return _query_request(params)


# Requests of at most this many bytes (query string and body) are remembered once parsed:
# research tools and dashboards send the same few queries again and again, and decoding a
# percent-encoded query costs more than running a small one.
_REMEMBERED_BYTES = 8192


def parse_query_request(
    method: str, query_string: str, content_type: str | None, body: bytes
) -> QueryRequest | None:
    """``parse_request`` for a request whose body is already read, remembering the last
    1,024 small requests (parsing is a pure function of these four values)."""
    if len(query_string) + len(body) > _REMEMBERED_BYTES:
        return parse_request(method, query_string.encode("latin-1"), content_type, lambda: body)
    return _remembered(method, query_string, content_type, body)


@functools.lru_cache(maxsize=1024)
def _remembered(
    method: str, query_string: str, content_type: str | None, body: bytes
) -> QueryRequest | None:
    return parse_request(method, query_string.encode("latin-1"), content_type, lambda: body)


def _query_request(params: list[tuple[str, str]]) -> QueryRequest | None:
    values: dict[str, list[str]] = {}
    for name, value in params:
        values.setdefault(name, []).append(value)
    if "update" in values:
        raise Problem(403, READ_ONLY)
    queries = values.get("query", [])
    if len(queries) > 1:
        raise Problem(400, f"the request has {len(queries)} query parameters; send exactly one")
    default = _iris(values, "default-graph-uri")
    named = _iris(values, "named-graph-uri")
    if not queries:
        if default is not None or named is not None:
            raise Problem(400, "the request names graphs but has no query parameter")
        return None
    query = queries[0]
    if not query.strip():
        raise Problem(400, "the query parameter is empty")
    found = keywords(query, ("SERVICE", "FROM"))
    if "SERVICE" in found:
        raise Problem(403, NO_SERVICE)
    union = default is None and named is None and "FROM" not in found
    return QueryRequest(query, default, named, union)


def _iris(values: Mapping[str, list[str]], name: str) -> tuple[str, ...] | None:
    if name not in values:
        return None
    for iri in values[name]:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise Problem(400, f"{name} {iri!r} is not an absolute IRI") from None
    return tuple(values[name])


def _media_type(content_type: str | None) -> tuple[str | None, str | None]:
    if not content_type or not content_type.strip():
        return None, None
    media, *params = content_type.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _decode_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    if not raw:
        return []
    try:
        return parse_qsl(
            raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError:
        raise Problem(
            400, f"{where} is not valid UTF-8 after percent-decoding: encode the query in UTF-8"
        ) from None
