"""Documents to N-Quads, with what OWL RL entails from each, in parallel.

After resolution every document's named graph is fixed, and what the ontology entails from
it depends on that graph alone (every rule the ontology triggers has one premise; see
graph/closure.py), so documents are rendered and reasoned over independently - in worker
processes forked after resolution, which inherit the resolved corpus and the compiled
closure instead of receiving them.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from scokg.extract.resolve import ResolvedCorpus
from scokg.graph.closure import OntologyClosure
from scokg.graph.ntriples import term
from scokg.graph.rdf import document_triples, entity_triples
from scokg.vocab import ENTITIES_GRAPH, INFERRED_GRAPH, document_graph

Triple = tuple[Node, Node, Node]
Progress = Callable[[str, int, int], None]
POOL_THRESHOLD = 16


@dataclass
class RenderedGraph:
    """One named graph as N-Quads lines, its content hash, and what it entails."""

    name: str  # graph IRI
    lines: list[str]
    digest: str
    inferred: set[str]  # N-Triples statements (no graph), each ending in " ."

    @property
    def nquads(self) -> bytes:
        return "".join(self.lines).encode("utf-8")


def _render(name: URIRef, triples: Iterable[Triple], closure: OntologyClosure) -> RenderedGraph:
    triples = list(dict.fromkeys(triples))
    graph = f"<{name}>"
    lines = [f"{term(s)} {term(p)} {term(o)} {graph} .\n" for s, p, o in triples]
    lines.sort()
    digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    inferred = {f"{term(s)} {term(p)} {term(o)} ." for s, p, o in closure.entail(triples)}
    return RenderedGraph(str(name), lines, digest, inferred)


# Set in the parent before the pool forks; read by the workers.
_STATE: dict[str, object] = {}


def _render_document(index: int) -> RenderedGraph:
    corpus = _STATE["corpus"]
    closure = _STATE["closure"]
    assert isinstance(corpus, ResolvedCorpus) and isinstance(closure, OntologyClosure)
    doc = corpus.documents[index]
    return _render(document_graph(doc.doc_id), document_triples(corpus, doc), closure)  # type: ignore[arg-type]


def render_corpus(
    corpus: ResolvedCorpus,
    closure: OntologyClosure,
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> tuple[RenderedGraph, list[RenderedGraph], set[str]]:
    """(entities graph, document graphs in corpus order, inferred statements).

    The inferred statements are what OWL RL entails from all asserted graphs and none of
    them states: equal to ``reason.materialise`` of their union (tests/test_render.py).
    """
    entities = _render(ENTITIES_GRAPH, entity_triples(corpus), closure)  # type: ignore[arg-type]
    total = len(corpus.documents)
    documents: list[RenderedGraph] = []
    if workers > 1 and total >= POOL_THRESHOLD:
        _STATE.update(corpus=corpus, closure=closure)
        try:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                for n, rendered in enumerate(
                    pool.imap(_render_document, range(total), chunksize=8), 1
                ):
                    documents.append(rendered)
                    if progress:
                        progress("render", n, total)
        finally:
            _STATE.clear()
    else:
        for n, doc in enumerate(corpus.documents, 1):
            documents.append(
                _render(document_graph(doc.doc_id), document_triples(corpus, doc), closure)  # type: ignore[arg-type]
            )
            if progress:
                progress("render", n, total)
    inferred = set(entities.inferred)
    for rendered in documents:
        inferred |= rendered.inferred
    # what one graph entails another may state (the entities graph states every type)
    for rendered in (entities, *documents):
        inferred.difference_update(statement(line) for line in rendered.lines)
    return entities, documents, inferred


def statement(line: str) -> str:
    """The N-Triples statement of an N-Quads line: "<s> <p> <o> <g> .\n" -> "<s> <p> <o> ."."""
    return line.rsplit(" ", 2)[0] + " ."


def inferred_nquads(statements: Iterable[str]) -> bytes:
    graph = f"<{INFERRED_GRAPH}>"
    return "".join(f"{s[:-2]} {graph} .\n" for s in sorted(statements)).encode("utf-8")
