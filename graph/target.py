"""Writing the graph into another triple store over HTTP (``scokg build --target URL``).

When the graph outgrows one machine it can live in any store that speaks the SPARQL 1.1
Graph Store HTTP Protocol: the build still runs locally (extraction, reasoning and
validation need the whole corpus), and then every named graph that changed is sent with
one ``PUT {URL}?graph={IRI}`` (N-Triples), every graph that went away is removed with
``DELETE``. A target that has never received this store's graphs gets all of them.

Tested with Oxigraph's server (``oxigraph serve``, Graph Store endpoint ``/store``); the
requests are plain Graph Store Protocol, as Fuseki (``/{dataset}/data``), GraphDB
(``/repositories/{id}/rdf-graphs/service``) and Virtuoso (``/sparql-graph-crud``) accept.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from scokg.errors import ScokgError
from scokg.graph.store import StoreDir

TIMEOUT = 300


class TargetError(ScokgError):
    """The target store refused a request or could not be reached."""


@dataclass
class PushReport:
    sent: int = 0
    deleted: int = 0
    triples: int = 0


def _request(url: str, method: str, graph: str, body: bytes | None = None) -> int:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise TargetError(f"{url}: the target must be an http(s) Graph Store Protocol URL")
    query = urllib.parse.urlencode({"graph": graph})
    path = f"{parts.path or '/'}?{parts.query + '&' if parts.query else ''}{query}"
    conn_type = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    conn = conn_type(parts.netloc, timeout=TIMEOUT)
    headers = {"Content-Type": "application/n-triples"} if body is not None else {}
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        detail = response.read()[:300].decode("utf-8", "replace")
    except OSError as exc:
        raise TargetError(f"{url}: cannot reach the target store ({exc})") from exc
    finally:
        conn.close()
    if response.status >= 400 and not (method == "DELETE" and response.status == 404):
        raise TargetError(f"{url}: {method} of graph {graph} failed: {response.status} {detail}")
    return response.status


def _graph_ntriples(db: ox.Store, graph: ox.NamedNode) -> bytes:
    return db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)  # type: ignore[return-value]


def push(
    store: StoreDir, url: str, changed: Iterable[str] | None, removed: Iterable[str]
) -> PushReport:
    """Send the store's graphs to the target: those in ``changed`` (all when None, or when
    the target has not received this store's graphs before), and delete ``removed``."""
    report = PushReport()
    manifest = store.manifest()
    targets: dict[str, str] = manifest.extra.get("targets", {})
    generation = store.current_generation()
    db = store.open_read_only()
    everything = changed is None or url not in targets
    current = targets.get(url) == (generation.name if generation else "")
    graphs = [g for g in db.named_graphs() if isinstance(g, ox.NamedNode)]
    if everything:
        wanted = {g.value for g in graphs}
    elif current:
        wanted = set()  # the target already holds this generation
    else:
        wanted = set(changed or ()) | _derived(graphs)
    for graph in graphs:
        if graph.value not in wanted:
            continue
        body = _graph_ntriples(db, graph)
        _request(url, "PUT", graph.value, body)
        report.sent += 1
        report.triples += body.count(b"\n")
    for name in removed:
        _request(url, "DELETE", name)
        report.deleted += 1
    del db
    targets[url] = generation.name if generation else ""
    store.record(targets=targets)
    return report


def _derived(graphs: list[ox.NamedNode]) -> set[str]:
    """Graphs every build may change: the entities and the inferred graph."""
    from scokg.vocab import ENTITIES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

    names = {g.value for g in graphs}
    return {str(ENTITIES_GRAPH), str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH)} & names
