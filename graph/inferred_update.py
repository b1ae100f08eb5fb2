"""Keeping the inferred graph right after an incremental build, by difference.

A build's inferred graph holds what some graph entails and no graph states: the union of what
each document graph (and the entities graph) entails, minus every triple of the other graphs.
When a build rewrites a few graphs, only a few triples can change side: what the rewritten
graphs entailed before or entail now, and the asserted triples that were added or removed.
``update_inferred`` decides each of those again - still entailed by some graph? stated by
one? - and adds or removes it in the inferred graph, leaving the millions of others alone.
Whether a triple is still entailed by a graph that did not change is read from the per-graph
cache of entailments (``build.InferredCache``), only for the triples that need it.

Triples are compared as N-Triples lines, the form the cache holds and pyoxigraph prints.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from scokg.graph.validate_changes import ChangeSet
from scokg.vocab import INFERRED_GRAPH

_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def lines(statements: bytes) -> set[bytes]:
    """The N-Triples statements of a cached entailment, one per line, without the newline."""
    return {line for line in statements.split(b"\n") if line}


def update_inferred(
    db: ox.Store,
    before: Iterable[bytes],
    after: Iterable[bytes],
    changes: ChangeSet,
    unchanged: Iterable[bytes],
) -> tuple[int, int]:
    """Bring the inferred graph of ``db`` up to date; returns (triples added, removed).

    ``before`` and ``after`` are what the rewritten (or removed, or added) graphs entailed
    before the build and entail now; ``changes`` the asserted triples added and removed;
    ``unchanged`` what each other graph entails, read lazily and only as far as needed.
    """
    now = set().union(*(lines(b) for b in after))
    then = set().union(*(lines(b) for b in before))
    # Triples entailed before and now, and stated neither more nor less, keep their side.
    candidates = (now ^ then) | {_line(s, p, o) for s, p, o in changes.triples}
    entailed = candidates & now
    undecided = candidates - now
    if undecided:  # still entailed by a graph the build did not touch?
        for statements in unchanged:
            found = undecided.intersection(statements.split(b"\n"))
            entailed |= found
            undecided -= found
            if not undecided:
                break
    added = removed = 0
    for line in sorted(candidates):
        triple = _parse(line)
        quad = ox.Quad(triple.subject, triple.predicate, triple.object, _INFERRED)
        want = line in entailed and not _stated(db, triple)
        there = quad in db
        if want and not there:
            db.add(quad)
            added += 1
        elif there and not want:
            db.remove(quad)
            removed += 1
    return added, removed


def _line(s: object, p: object, o: object) -> bytes:
    return f"{s} {p} {o} .".encode()


def _parse(line: bytes) -> ox.Triple:
    (quad,) = ox.parse(line + b"\n", format=ox.RdfFormat.N_TRIPLES)
    triple: ox.Triple = quad.triple
    return triple


def _stated(db: ox.Store, triple: ox.Triple) -> bool:
    """Whether a graph other than the inferred graph states the triple."""
    return any(
        q.graph_name != _INFERRED
        for q in db.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    )
