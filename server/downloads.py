"""``/void`` and the whole-graph dumps: what the dataset is and how to take it home."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.http import http_date, is_resource_modified

from scokg.server.context import state
from scokg.server.description import DESCRIPTION_PREFIXES, void_description
from scokg.server.dumps import BY_PATH, DumpFailed, stream_dump
from scokg.server.internal import select
from scokg.server.livestore import Snapshot
from scokg.server.negotiation import RDF_SERIALIZERS, TRIPLE_FORMATS, describe_formats, negotiate
from scokg.server.problems import Problem
from scokg.server.stats import dataset_stats

bp = Blueprint("downloads", __name__)


@bp.route("/void")
def void() -> Response:
    accept = request.headers.get("Accept")
    fmt = negotiate(accept, TRIPLE_FORMATS)
    if fmt is None:
        raise Problem(406, "VoID is available as " + describe_formats(TRIPLE_FORMATS))
    snapshot = state().live.snapshot()
    triples = void_description(
        request.url_root,
        dataset_stats(snapshot),
        snapshot.modified.replace(microsecond=0).isoformat(),
        _example(snapshot),
    )
    body = ox.serialize(triples, format=RDF_SERIALIZERS[fmt.key], prefixes=DESCRIPTION_PREFIXES)
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


def _example(snapshot: Snapshot) -> str | None:
    def first_state() -> str | None:
        rows = select(snapshot.store, "SELECT ?s { ?s a sco:State } ORDER BY ?s LIMIT 1")
        term = rows[0].get("s") if rows else None
        return term.value if isinstance(term, ox.NamedNode) else None

    example: str | None = snapshot.memo("example", first_state)
    return example


@bp.route("/<any('dump.ttl', 'dump.nt.gz', 'dump.nq.gz'):name>")
def dump(name: str) -> Response:
    spec = BY_PATH[name]
    snapshot = state().live.snapshot()
    etag = f"{snapshot.generation}-{name}"
    modified = snapshot.modified.replace(microsecond=0)
    headers = {
        "ETag": f'"{etag}"',
        "Last-Modified": http_date(modified),
        "Cache-Control": "no-cache",
        "Content-Disposition": f"attachment; filename={name}",
    }
    if not is_resource_modified(request.environ, etag=etag, last_modified=modified):
        return Response(status=304, headers=headers)
    return Response(
        _resetting(stream_dump(snapshot.store, spec), state().executor.on_cut),
        content_type=spec.content_type,
        headers=headers,
        direct_passthrough=True,
    )


def _resetting(pieces: Iterator[bytes], on_cut: Callable[[str], None]) -> Iterator[bytes]:
    """The dump's pieces; a dump that fails half-way goes to the executor's ``on_cut``, which
    resets the connection under ``scokg serve`` (a server would otherwise end the response
    as if the dump were complete)."""
    try:
        yield from pieces
    except DumpFailed as exc:
        on_cut(str(exc))
        raise
