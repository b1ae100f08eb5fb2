"""The ontology and the shapes as readable pages: terms, what they mean, how they relate.

Both are Turtle files installed with the package (``scokg.resources``); ``/ontology`` and
``/shapes`` send them as they are to clients asking for Turtle, and a page built from them
here to everyone else. Each term has an anchor named after its local name, so resource
pages link ``sco:participant`` to ``/ontology#participant``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from scokg.vocab import PREFIXES, SCO

SHAPES_NS = "https://w3id.org/scokg/shapes#"


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None = None


@dataclass
class Entry:
    """One term (class, property, concept, shape) of a vocabulary page."""

    anchor: str
    iri: str
    name: str
    label: str
    comment: str
    facts: list[tuple[str, list[Link]]] = field(default_factory=list)
    parts: list[list[tuple[str, list[Link]]]] = field(default_factory=list)


@dataclass
class VocabularyPage:
    title: str
    intro: str
    sections: list[tuple[str, list[Entry]]]
    source: str


def _compact(iri: str) -> str:
    best, name = "", iri
    for prefix, namespace in {**PREFIXES, "scosh": SHAPES_NS, "sh": str(SH)}.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, f"{prefix}:{iri[len(namespace) :]}"
    return name


def _href(iri: str) -> str:
    if iri.startswith(str(SCO)):
        return "/ontology#" + iri[len(str(SCO)) :]
    if iri.startswith(SHAPES_NS):
        return "/shapes#" + iri[len(SHAPES_NS) :]
    return iri


class _Renderer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def text(self, node: Node) -> str:
        value = self.graph.value(node, RDFS.label)
        return str(value) if value is not None else ""

    def links(self, node: Node, depth: int = 0) -> list[Link]:
        if isinstance(node, URIRef):
            return [Link(_compact(str(node)), _href(str(node)))]
        if isinstance(node, Literal):
            return [Link(str(node))]
        if isinstance(node, BNode) and depth < 3:
            return [Link(self._describe(node, depth))]
        return [Link("[…]")]

    def _describe(self, node: BNode, depth: int) -> str:
        if (node, RDF.first, None) in self.graph:
            items = [self._flat(item, depth + 1) for item in Collection(self.graph, node)]
            return "( " + " ".join(items) + " )"
        restriction = self.graph.value(node, OWL.onProperty)
        has_value = self.graph.value(node, OWL.hasValue)
        if restriction is not None and has_value is not None:
            return f"{self._flat(restriction, depth)} has value {self._flat(has_value, depth)}"
        inverse = self.graph.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + self._flat(inverse, depth)
        pairs = [
            f"{_compact(str(p))} {self._flat(o, depth + 1)}"
            for p, o in sorted(self.graph.predicate_objects(node))
            if p != RDF.type
        ]
        return "[ " + " ; ".join(pairs) + " ]"

    def _flat(self, node: Node, depth: int) -> str:
        return " ".join(link.text for link in self.links(node, depth))


def _entry(r: _Renderer, node: URIRef, shown: tuple[tuple[str, URIRef], ...]) -> Entry:
    iri = str(node)
    name = _compact(iri)
    anchor = name.partition(":")[2] or name
    comment = r.graph.value(node, RDFS.comment) or r.graph.value(node, SKOS.definition)
    entry = Entry(anchor, iri, name, r.text(node), str(comment or ""))
    for title, predicate in shown:
        values = sorted(r.graph.objects(node, predicate), key=str)
        if values:
            entry.facts.append((title, [link for v in values for link in r.links(v)]))
    return entry


_CLASS_FACTS = (
    ("subclass of", RDFS.subClassOf),
    ("equivalent to", OWL.equivalentClass),
    ("disjoint with", OWL.disjointWith),
)
_PROPERTY_FACTS = (
    ("domain", RDFS.domain),
    ("range", RDFS.range),
    ("subproperty of", RDFS.subPropertyOf),
    ("equivalent to", OWL.equivalentProperty),
    ("inverse of", OWL.inverseOf),
    ("characteristics", RDF.type),
)
_CONCEPT_FACTS = (("type", RDF.type), ("in scheme", SKOS.inScheme))


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> tuple[Graph, str]:
    text = path.read_text(encoding="utf-8")
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return graph, text


def load(path: Path) -> tuple[Graph, str]:
    """The parsed file and its text (re-read when the file changes)."""
    return _load(path, path.stat().st_mtime)


def ontology_page(path: Path) -> VocabularyPage:
    graph, source = load(path)
    r = _Renderer(graph)
    ontology = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    ours = sorted(
        (s for s in set(graph.subjects()) if isinstance(s, URIRef) and str(s).startswith(str(SCO))),
        key=str,
    )

    def of_type(*types: URIRef) -> list[URIRef]:
        return [s for s in ours if any((s, RDF.type, t) in graph for t in types)]

    classes = of_type(OWL.Class, RDFS.Class)
    properties = of_type(OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
    concepts = [s for s in ours if s not in classes and s not in properties]
    return VocabularyPage(
        title=r.text(ontology) if ontology is not None else "Ontology",
        intro=str(graph.value(ontology, RDFS.comment) or "") if ontology is not None else "",
        sections=[
            ("Classes", [_entry(r, c, _CLASS_FACTS) for c in classes]),
            ("Properties", [_entry(r, p, _PROPERTY_FACTS) for p in properties]),
            ("Concepts and other terms", [_entry(r, c, _CONCEPT_FACTS) for c in concepts]),
        ],
        source=source,
    )


_SHAPE_FACTS = (
    ("targets class", SH.targetClass),
    ("targets subjects of", SH.targetSubjectsOf),
    ("targets objects of", SH.targetObjectsOf),
    ("targets node", SH.targetNode),
    ("severity", SH.severity),
    ("message", SH.message),
)
_SKIPPED_IN_PARTS = {SH.name, SH.path, SH.message, SH.description}


def shapes_page(path: Path) -> VocabularyPage:
    graph, source = load(path)
    r = _Renderer(graph)
    document = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    shapes = sorted(
        (s for s in set(graph.subjects(RDF.type, SH.NodeShape)) if isinstance(s, URIRef)), key=str
    )
    entries = []
    for shape in shapes:
        entry = _entry(r, shape, _SHAPE_FACTS)
        for constraint in graph.objects(shape, SH.property):
            part: list[tuple[str, list[Link]]] = []
            for title, predicate in (("name", SH.name), ("path", SH.path), ("message", SH.message)):
                value = graph.value(constraint, predicate)
                if value is not None:
                    part.append((title, r.links(value)))
            for key, item in sorted(graph.predicate_objects(constraint)):
                if key not in _SKIPPED_IN_PARTS:
                    part.append((_compact(str(key)), r.links(item)))
            entry.parts.append(part)
        entry.parts.sort(key=lambda part: [(t, [x.text for x in links]) for t, links in part])
        entries.append(entry)
    return VocabularyPage(
        title=r.text(document) if document is not None else "Shapes",
        intro=str(graph.value(document, RDFS.comment) or "") if document is not None else "",
        sections=[("Shapes", entries)],
        source=source,
    )
