"""Counts that describe the dataset: for the home page and VoID, computed once per generation.

"Triples" counts every triple of every graph, as the union default graph does: a fact two
documents state is counted for each (see docs/data-model.md). "Entities" are the resources
the entities graph describes; "documents" the ``sco:SourceDocument`` resources.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from scokg.server.internal import count, select
from scokg.server.livestore import Snapshot
from scokg.vocab import ENTITIES_GRAPH


@dataclass(frozen=True)
class Partition:
    iri: str
    count: int


@dataclass(frozen=True)
class DatasetStats:
    triples: int
    graphs: int
    documents: int
    entities: int
    classes: tuple[Partition, ...]
    properties: tuple[Partition, ...]


def dataset_stats(snapshot: Snapshot) -> DatasetStats:
    """The counts of the snapshot's generation (computed on first use, then remembered)."""
    stats: DatasetStats = snapshot.memo("stats", lambda: _compute(snapshot.store))
    return stats


def _compute(store: ox.Store) -> DatasetStats:
    entities = ox.NamedNode(str(ENTITIES_GRAPH))
    classes = select(
        store,
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) { ?s a ?class } GROUP BY ?class ORDER BY ?class",
    )
    properties = select(store, "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p ORDER BY ?p")
    return DatasetStats(
        triples=len(store),
        graphs=sum(1 for _ in store.named_graphs()),
        documents=count(store, "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?d a sco:SourceDocument }"),
        entities=count(
            store,
            "SELECT ?g (COUNT(DISTINCT ?e) AS ?n) { GRAPH ?g { ?e a ?class } } GROUP BY ?g",
            g=entities,
        )
        if store.contains_named_graph(entities)
        else 0,
        classes=_partitions(classes, "class"),
        properties=_partitions(properties, "p"),
    )


def _partitions(rows: list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]],
                key: str) -> tuple[Partition, ...]:  # fmt: skip
    found = []
    for row in rows:
        term, number = row.get(key), row.get("n")
        if isinstance(term, ox.NamedNode) and isinstance(number, ox.Literal):
            found.append(Partition(term.value, int(number.value)))
    return tuple(found)
