"""Documents to N-Quads, with what OWL RL entails from each, one document at a time.

After resolution every document's named graph is fixed, and what the ontology entails from
it depends on that graph alone (every rule the ontology triggers has one premise; see
graph/closure.py). So documents are rendered and reasoned over independently - in worker
processes forked after resolution, which inherit the resolved corpus and the compiled
closure - and streamed into the store, so memory does not grow with the corpus.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from scokg.extract.model import DocumentExtraction
from scokg.extract.resolve import ResolvedCorpus
from scokg.graph.closure import OntologyClosure
from scokg.graph.ntriples import term
from scokg.graph.rdf import document_triples, entity_triples
from scokg.vocab import ENTITIES_GRAPH, INFERRED_GRAPH, document_graph

Triple = tuple[Node, Node, Node]
Progress = Callable[[str, int, int], None]
# Where the full extraction of the corpus's i-th document comes from.
DocumentSource = Callable[[int], DocumentExtraction]
POOL_THRESHOLD = 16


@dataclass
class Rendered:
    """One named graph as N-Quads, its content hash, and the N-Triples it entails."""

    name: str  # graph IRI
    digest: str
    nquads: bytes
    inferred: bytes  # N-Triples statements, one per line
    rdf_seconds: float = 0.0  # time spent making the graph's triples and N-Quads
    reasoning_seconds: float = 0.0  # time spent on what it entails

    def inferred_nquads(self, graph: str = str(INFERRED_GRAPH)) -> bytes:
        return to_graph(self.inferred, graph)


def to_graph(statements: bytes, graph: str) -> bytes:
    """N-Triples lines as N-Quads lines of ``graph``."""
    name = f" <{graph}> .\n".encode()
    return b"".join(line[:-2] + name for line in statements.splitlines() if line)


def render_graph(name: URIRef, triples: Iterable[Triple], closure: OntologyClosure) -> Rendered:
    clock = time.perf_counter()
    triples = list(dict.fromkeys(triples))
    graph = f"<{name}>"
    lines = sorted(f"{term(s)} {term(p)} {term(o)} {graph} .\n" for s, p, o in triples)
    text = "".join(lines)
    rdf_seconds = time.perf_counter() - clock
    clock = time.perf_counter()
    inferred = sorted(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in closure.entail(triples))
    return Rendered(
        str(name),
        hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text.encode("utf-8"),
        "".join(inferred).encode("utf-8"),
        rdf_seconds,
        time.perf_counter() - clock,
    )


def render_entities(corpus: ResolvedCorpus, closure: OntologyClosure) -> Rendered:
    return render_graph(ENTITIES_GRAPH, entity_triples(corpus), closure)  # type: ignore[arg-type]


# Set in the parent before the pool forks; read by the workers.
_STATE: dict[str, object] = {}


def _render_document(index: int) -> tuple[int, Rendered]:
    corpus = _STATE["corpus"]
    closure = _STATE["closure"]
    source = _STATE["source"]
    assert isinstance(corpus, ResolvedCorpus) and isinstance(closure, OntologyClosure)
    doc = source(index)  # type: ignore[operator]
    name = document_graph(doc.doc_id)
    return index, render_graph(name, document_triples(corpus, doc), closure)  # type: ignore[arg-type]


def render_documents(
    corpus: ResolvedCorpus,
    closure: OntologyClosure,
    source: DocumentSource,
    indices: Iterable[int],
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> Iterator[tuple[int, Rendered]]:
    """Render the documents at ``indices`` (positions in ``corpus.documents``), in order."""
    todo = list(indices)
    total = len(todo)
    _STATE.update(corpus=corpus, closure=closure, source=source)
    try:
        if workers > 1 and total >= POOL_THRESHOLD:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                for n, result in enumerate(pool.imap(_render_document, todo, chunksize=4), 1):
                    if progress:
                        progress("render", n, total)
                    yield result
        else:
            for n, index in enumerate(todo, 1):
                if progress:
                    progress("render", n, total)
                yield _render_document(index)
    finally:
        _STATE.clear()


def statement(line: str) -> str:
    """The N-Triples statement of an N-Quads line: "<s> <p> <o> <g> .\\n" -> "<s> <p> <o> ."."""
    return line.rsplit(" ", 2)[0] + " ."


def render_corpus(
    corpus: ResolvedCorpus, closure: OntologyClosure, source: DocumentSource | None = None
) -> tuple[Rendered, list[Rendered], set[str]]:
    """Everything in memory, for tests and small corpora: (entities graph, document graphs,
    inferred statements not asserted in any graph) - equal to ``reason.materialise`` of the
    union of the asserted graphs (tests/test_incremental.py)."""
    source = source or (lambda i: corpus.documents[i])
    entities = render_entities(corpus, closure)
    documents = [
        r for _, r in render_documents(corpus, closure, source, range(len(corpus.documents)))
    ]
    inferred: set[str] = set()
    asserted: set[str] = set()
    for rendered in (entities, *documents):
        inferred.update(rendered.inferred.decode("utf-8").splitlines())
        asserted.update(
            statement(line) for line in rendered.nquads.decode("utf-8").splitlines(True)
        )
    return entities, documents, inferred - asserted
