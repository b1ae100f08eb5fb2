"""The pages people read: home with the query editor, resources, the ontology and the shapes.

Every page is plain HTML that reads without JavaScript; only the query editor on the home
page needs it (and even then each example query is also a link that runs it on /sparql).
Resources, the ontology and the shapes are also served as RDF to clients that ask for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from werkzeug.http import is_resource_modified

from scokg.resources import ontology_path, shapes_path
from scokg.server.context import state
from scokg.server.dumps import DUMPS
from scokg.server.lookup import describe_graph, describe_resource, exists
from scokg.server.negotiation import (
    GRAPH_FORMATS,
    HTML,
    RDF_SERIALIZERS,
    TRIPLE_FORMATS,
    describe_formats,
    negotiate,
)
from scokg.server.problems import Problem
from scokg.server.stats import dataset_stats
from scokg.server.vocabulary import ontology_page, shapes_page
from scokg.vocab import PREFIXES, RES

bp = Blueprint("pages", __name__)

TURTLE = GRAPH_FORMATS[0]
_RESOURCE_FORMATS = (HTML, *TRIPLE_FORMATS)
_VOCABULARY_FORMATS = (HTML, TURTLE)


@dataclass(frozen=True)
class Example:
    """An example query (``server/queries/*.rq``): the question it answers and the query."""

    name: str
    question: str
    query: str


def examples() -> list[Example]:
    """The example queries, each file's first comment line being its question."""
    folder = resources.files("scokg.server") / "queries"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        first, _, _ = text.partition("\n")
        found.append(Example(entry.name[:-3], first.lstrip("#").strip(), text))
    return found


@bp.route("/")
def home() -> str:
    st = state()
    snapshot = st.live.snapshot()
    return render_template(
        "home.html",
        stats=dataset_stats(snapshot),
        generation=snapshot.generation,
        modified=snapshot.modified,
        dumps=DUMPS,
        examples=examples(),
        settings=st.settings,
    )


@bp.route("/resource/<path:rid>")
def resource(rid: str) -> Response | str:
    try:
        iri = ox.NamedNode(str(RES) + rid)
    except ValueError:
        raise Problem(404, f"{rid!r} is not a resource identifier") from None
    st = state()
    store = st.live.snapshot().store
    if not exists(store, iri):
        raise Problem(404, f"no resource {iri.value} in this graph")
    fmt = negotiate(request.headers.get("Accept"), _RESOURCE_FORMATS)
    if fmt is None:
        raise Problem(406, "a resource is available as " + describe_formats(_RESOURCE_FORMATS))
    if fmt is not HTML:
        body = describe_graph(store, iri).serialize(format=RDF_SERIALIZERS[fmt.key])
        return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})
    page = describe_resource(store, iri, st.settings.max_html_rows)
    html = render_template("resource.html", page=page, prefixes=PREFIXES)
    return Response(html, content_type=HTML.content_type, headers={"Vary": "Accept"})


@bp.route("/ontology")
def ontology() -> Response:
    return _vocabulary(ontology_path(), "ontology")


@bp.route("/shapes")
def shapes() -> Response:
    return _vocabulary(shapes_path(), "shapes")


def _vocabulary(path: Path, kind: str) -> Response:
    if not path.is_file():
        raise Problem(404, f"the {kind} file is not installed ({path.name})")
    fmt = negotiate(request.headers.get("Accept"), _VOCABULARY_FORMATS)
    if fmt is None:
        raise Problem(406, f"the {kind} is available as " + describe_formats(_VOCABULARY_FORMATS))
    data = path.read_bytes()
    etag = hashlib.sha256(data).hexdigest()[:32] + "-" + fmt.key
    headers = {"ETag": f'"{etag}"', "Vary": "Accept"}
    if not is_resource_modified(request.environ, etag=etag):
        return Response(status=304, headers=headers)
    if fmt is TURTLE:
        return Response(data, content_type=TURTLE.content_type, headers=headers)
    page = ontology_page(path) if kind == "ontology" else shapes_page(path)
    html = render_template("vocabulary.html", page=page, kind=kind)
    return Response(html, content_type=HTML.content_type, headers=headers)
