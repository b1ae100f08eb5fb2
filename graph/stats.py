"""Counts per class and per property (``scokg stats``)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from scokg.vocab import PREFIXES


@dataclass
class Stats:
    triples: int  # distinct triples of the union of all graphs
    quads: int
    graphs: int
    documents: int
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]


def _count(store: ox.Store, query: str) -> int:
    row = next(iter(store.query(query, use_default_graph_as_union=True)))  # type: ignore[arg-type]
    return int(row[0].value)


def shorten(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def stats(store: ox.Store) -> Stats:
    classes = [
        (shorten(r["c"].value), int(r["n"].value))
        for r in store.query(  # type: ignore[union-attr]
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } "
            "FILTER(?g != <https://w3id.org/scokg/graph/ontology>) } "
            "GROUP BY ?c ORDER BY DESC(?n) ?c"
        )
    ]
    properties = [
        (shorten(r["p"].value), int(r["n"].value))
        for r in store.query(  # type: ignore[union-attr]
            "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } "
            "GROUP BY ?p ORDER BY DESC(?n) ?p",
            use_default_graph_as_union=True,
        )
    ]
    return Stats(
        triples=_count(
            store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        ),
        quads=len(store),
        graphs=len(list(store.named_graphs())),
        documents=_count(
            store,
            "SELECT (COUNT(DISTINCT ?d) AS ?n) "
            "WHERE { ?d a <https://w3id.org/scokg/ontology#SourceDocument> }",
        ),
        classes=classes,
        properties=properties,
    )
