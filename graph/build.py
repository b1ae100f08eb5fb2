"""``scokg build``: documents -> extraction -> resolution -> RDF -> OWL RL -> SHACL -> store.

Nothing is written until the whole graph has been extracted, reasoned over and validated;
then it is loaded into a fresh store generation that replaces the current one atomically
(graph/store.py). A bad document or a failed validation leaves the previous graph intact.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from scokg import __version__
from scokg.errors import InputError, ValidationFailed
from scokg.extract.document import extract_document
from scokg.extract.model import DocumentExtraction
from scokg.extract.resolve import ResolvedCorpus, resolve
from scokg.graph.rdf import corpus_dataset
from scokg.graph.reason import load_ontology, materialise
from scokg.graph.store import StoreDir
from scokg.graph.validate import validate
from scokg.resources import corpus_dir
from scokg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, RESERVED_GRAPH_NAMES

Progress = Callable[[str, int, int], None]

# A document id (the file name without its extension) goes into IRIs as it is
# (docs/data-model.md): letters, digits, "_", "-" and "." only, so that it needs no escaping.
DOCUMENT_ID = re.compile(r"[\w.-]+")


@dataclass
class BuildReport:
    documents: int = 0
    triples: int = 0
    inferred: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def find_documents(paths: Sequence[Path] | None) -> list[Path]:
    """The .txt files named, or found (recursively) in the folders named; the bundled corpus
    when no path is given."""
    if not paths:
        paths = [corpus_dir()]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(path, "no such file or folder")
    if not found:
        raise InputError(", ".join(map(str, paths)), "no .txt documents found")
    seen: dict[str, Path] = {}
    for path in found:
        stem = path.stem
        if not DOCUMENT_ID.fullmatch(stem):
            raise InputError(
                path,
                f"the document id {stem!r} cannot be used in an IRI; rename the file "
                "(letters, digits, '-', '_' and '.' only)",
            )
        if stem in RESERVED_GRAPH_NAMES:
            raise InputError(path, f"the document id {stem!r} is reserved; rename the file")
        if stem in seen and seen[stem].resolve() != path.resolve():
            raise InputError(path, f"two documents share the id {stem!r} (also {seen[stem]})")
        seen[stem] = path
    return list(dict.fromkeys(seen.values()))


def extract_all(
    paths: Iterable[Path], progress: Progress | None = None
) -> list[DocumentExtraction]:
    paths = list(paths)
    out = []
    for n, path in enumerate(paths, 1):
        if progress:
            progress("extract", n, len(paths))
        out.append(extract_document(path))
    return out


def asserted_dataset(corpus: ResolvedCorpus) -> Dataset:
    return corpus_dataset(corpus)


def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _to_quads(graph: Graph, name: ox.NamedNode) -> Iterable[ox.Quad]:
    return (ox.Quad(_term(s), _term(p), _term(o), name) for s, p, o in graph)  # type: ignore[arg-type]


def _term(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def build(
    paths: Sequence[Path] | None,
    store: StoreDir,
    *,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the graph of the documents at ``paths`` (default: the bundled corpus) into
    ``store``. Raises InputError for unreadable documents and ValidationFailed when the
    graph violates the shapes; in both cases the store is left as it was. The store's
    writer lock is taken first, so a second writer is refused before any work is done."""
    with store.lock():
        return _build(paths, store, progress)


def _build(paths: Sequence[Path] | None, store: StoreDir, progress: Progress | None) -> BuildReport:
    report = BuildReport()
    clock = time.perf_counter()
    docs = extract_all(find_documents(paths), progress)
    report.documents = len(docs)
    report.seconds["extraction"] = time.perf_counter() - clock

    clock = time.perf_counter()
    corpus = resolve(docs)
    ds = asserted_dataset(corpus)
    asserted = union_graph(ds)
    report.seconds["rdf"] = time.perf_counter() - clock

    clock = time.perf_counter()
    ontology = load_ontology()
    inferred = materialise(asserted, ontology)
    report.seconds["reasoning"] = time.perf_counter() - clock

    clock = time.perf_counter()
    outcome = validate(asserted, ontology=ontology)
    report.seconds["validation"] = time.perf_counter() - clock
    report.warnings = outcome.warnings
    if not outcome.conforms:
        raise ValidationFailed(outcome.text, outcome.violations)

    clock = time.perf_counter()
    if progress:
        progress("load", 0, 1)
    with store.new_generation(locked=True) as gen:
        for graph in ds.graphs():
            if len(graph) == 0 or not isinstance(graph.identifier, type(ONTOLOGY_GRAPH)):
                continue
            gen.store.bulk_extend(_to_quads(graph, ox.NamedNode(str(graph.identifier))))
        gen.store.bulk_extend(_to_quads(ontology, ox.NamedNode(str(ONTOLOGY_GRAPH))))
        gen.store.bulk_extend(_to_quads(inferred, ox.NamedNode(str(INFERRED_GRAPH))))
        gen.manifest.scokg_version = __version__
        gen.manifest.documents = {
            d.doc_id: {"file": d.path, "sha256": d.sha256, "title": d.title} for d in docs
        }
        report.triples = len(asserted) + len(ontology)
        report.inferred = len(inferred)
        counts: dict[str, int] = {}
        for ent in corpus.entities.values():
            counts[ent.type] = counts.get(ent.type, 0) + 1
        report.entities = counts
        gen.manifest.counts = {
            "asserted": len(asserted),
            "ontology": len(ontology),
            "inferred": len(inferred),
        }
    report.seconds["load"] = time.perf_counter() - clock
    return report
