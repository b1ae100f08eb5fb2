"""What the graph says about one document, read from the store with SPARQL.

Layout as in ``docs/data-model.md``:

* the document is ``?doc a sco:SourceDocument ; dcterms:identifier "<stem>"``; what it
  states is in its named graph (the graph that holds that ``a sco:SourceDocument`` triple,
  normally ``https://w3id.org/scokg/graph/<stem>``);
* its entities are ``?e sco:mentionedIn ?doc`` (and anything a mention of the document's
  graph points at with ``itsrdf:taIdentRef``);
* an entity's type is its ``rdf:type`` in the entities graph (the union of all graphs when
  the entities graph has none), mapped to one of the six gold types through
  ``rdfs:subClassOf`` in the store (ontology and inferred graphs) plus the subclasses that
  ``docs/data-model.md`` lists, so that the scorer still works without an ontology graph;
* an entity's names in the document are the ``nif:anchorOf`` of its mentions in the
  document's graph; its ``rdfs:label`` and ``skos:altLabel`` are extra names for matching;
* facts are the plain ``sco:<kind>`` triples of the document's graph; a position is
  ``?person sco:holdsPosition ?pos`` there, with ``sco:title`` and ``sco:positionOf`` of
  ``?pos`` read from any graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from scokg.errors import StoreError
from scokg.evaluate.gold import FACT_KINDS
from scokg.vocab import ENTITIES_GRAPH, GRAPH, RES, SCO, sparql_prefixes

_PREFIXES = sparql_prefixes() + "PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>\n"

# Ontology classes standing for the six gold types. When an entity has several, the one
# that is not a superclass of another wins; if that leaves several (unrelated double
# typing), the first in this order wins. Place counts as City, but last.
_TYPE_ANCHORS: tuple[tuple[str, str], ...] = (
    (str(SCO["Person"]), "Person"),
    (str(SCO["State"]), "State"),
    (str(SCO["City"]), "City"),
    (str(SCO["Instrument"]), "Instrument"),
    (str(SCO["Event"]), "Event"),
    (str(SCO["Organisation"]), "Organisation"),
    (str(SCO["Place"]), "City"),
)
_MEETING = str(SCO["Meeting"])
# Subclass links the data model fixes, used on top of whatever the store's ontology says.
_KNOWN_SUBCLASSES: dict[str, str] = {
    **{
        str(SCO[name]): str(SCO["Instrument"])
        for name in (
            "Treaty",
            "Convention",
            "Agreement",
            "Protocol",
            "Charter",
            "Declaration",
            "Statement",
            "Resolution",
            "Programme",
            "Strategy",
            "Plan",
            "Rules",
        )
    },
    _MEETING: str(SCO["Event"]),
    str(SCO["Exercise"]): str(SCO["Event"]),
    str(SCO["City"]): str(SCO["Place"]),
}


@dataclass(frozen=True)
class GraphEntity:
    """An entity the document mentions, as the graph describes it.

    ``type`` is one of the six gold types, or ``None`` when none of its classes maps to
    one (such an entity is not scored). ``names`` are the surface forms of its mentions in
    this document; ``labels`` its ``rdfs:label`` and ``skos:altLabel`` from any document.
    """

    iri: str
    type: str | None
    classes: frozenset[str]
    meeting: bool
    names: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name used for matching: the document's names, then the labels."""
        return self.names + tuple(n for n in self.labels if n not in self.names)


@dataclass(frozen=True)
class GraphFact:
    """One fact of the document's graph. ``object`` is an IRI, or a literal's lexical form
    when ``literal`` is set; for ``position`` it is the holder and ``title`` the title."""

    kind: str
    subject: str
    object: str
    literal: bool = False
    title: str | None = None


@dataclass(frozen=True)
class GraphDocument:
    """One document of the store: its entities, its facts, and a name for every node."""

    iri: str
    graph: str
    entities: dict[str, GraphEntity]
    facts: frozenset[GraphFact]
    labels: dict[str, str]

    def display(self, iri: str) -> str:
        """A readable name for a node: ``"Republic of Kazakhstan" (res:kazakhstan)``."""
        short = shorten(iri)
        entity = self.entities.get(iri)
        if entity is not None:
            known = entity.names or entity.labels
            name = known[0] if known else None
        else:
            name = self.labels.get(iri)
        return f'"{name}" ({short})' if name else short


class DocumentNotInStore(StoreError):
    """A gold file annotates a document the store does not hold."""

    def __init__(self, document: str, store_hint: str) -> None:
        super().__init__(
            f"document {document} is not in the store; build it first: "
            f"scokg build PATH/{document} --store {store_hint}"
        )
        self.document = document


def shorten(iri: str) -> str:
    """``res:slug`` for resources, the IRI in angle brackets otherwise."""
    if iri.startswith(str(RES)):
        return "res:" + iri[len(str(RES)) :]
    if iri.startswith(str(SCO)):
        return "sco:" + iri[len(str(SCO)) :]
    return f"<{iri}>"


class GraphReader:
    """Reads documents from one store. The class hierarchy is read once per reader."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._anchors = self._class_anchors()

    # -- queries -------------------------------------------------------------------------
    def _select(self, query: str) -> Iterator[ox.QuerySolution]:
        result = self.store.query(_PREFIXES + query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return iter(result)

    def _class_anchors(self) -> dict[str, frozenset[str]]:
        """For each class, the anchor classes (types and sco:Meeting) it is a subclass of."""
        anchors = {iri for iri, _ in _TYPE_ANCHORS} | {_MEETING}
        found: dict[str, set[str]] = defaultdict(set)
        for anchor in anchors:
            found[anchor].add(anchor)
        for sub, sup in _KNOWN_SUBCLASSES.items():
            found[sub].update({sup, sub} & anchors)
        values = " ".join(f"<{iri}>" for iri in sorted(anchors))
        rows = self._select(
            f"SELECT DISTINCT ?class ?anchor WHERE {{ VALUES ?anchor {{ {values} }} "
            "?class rdfs:subClassOf+ ?anchor }"
        )
        for row in rows:
            found[_term(row["class"])].add(_term(row["anchor"]))
        # Close the known links over the store's ones (e.g. sco:Summit < sco:Meeting < Event).
        changed = True
        while changed:
            changed = False
            for members in found.values():
                extra = set().union(*(found.get(a, set()) for a in members)) - members
                if extra:
                    members |= extra
                    changed = True
        return {cls: frozenset(members) for cls, members in found.items()}

    def find_document(self, doc_id: str, file_name: str, store_hint: str) -> tuple[str, str]:
        """The IRI of the document and of its named graph; fails when it is not there."""
        rows = list(
            self._select(
                "SELECT DISTINCT ?doc ?g WHERE { "
                "{ ?doc dcterms:identifier ?id FILTER(STR(?id) = "
                f"{ox.Literal(doc_id)}) }} UNION "
                f"{{ ?doc sco:fileName ?f FILTER(STR(?f) = {ox.Literal(file_name)}) }} "
                "GRAPH ?g { ?doc a sco:SourceDocument } }"
            )
        )
        if not rows:
            raise DocumentNotInStore(file_name, store_hint)
        expected = str(GRAPH[doc_id])
        pairs = sorted((_term(r["doc"]), _term(r["g"])) for r in rows)
        for doc, graph in pairs:
            if graph == expected:
                return doc, graph
        return pairs[0]

    def read_document(self, doc_id: str, file_name: str, store_hint: str) -> GraphDocument:
        """Everything the scorer needs about one document."""
        doc, graph = self.find_document(doc_id, file_name, store_hint)
        doc_node, graph_node = ox.NamedNode(doc), ox.NamedNode(graph)
        names = self._mention_names(graph_node)
        iris = self._mentioned(doc_node) | set(names)
        classes = self._classes(iris)
        labels = self._labels(iris)
        entities: dict[str, GraphEntity] = {}
        for iri in sorted(iris):
            type_, meeting = self._resolve_type(classes.get(iri, set()))
            entities[iri] = GraphEntity(
                iri=iri,
                type=type_,
                classes=frozenset(classes.get(iri, set())),
                meeting=meeting,
                names=tuple(names.get(iri, ())),
                labels=tuple(labels.get(iri, ())),
            )
        facts = self._facts(graph_node) | self._positions(graph_node)
        others = {f.subject for f in facts} | {f.object for f in facts if not f.literal}
        other_labels = self._labels(others - iris)
        display = {iri: values[0] for iri, values in other_labels.items() if values}
        return GraphDocument(
            iri=doc, graph=graph, entities=entities, facts=frozenset(facts), labels=display
        )

    def _mentioned(self, doc: ox.NamedNode) -> set[str]:
        rows = self._select(f"SELECT DISTINCT ?e WHERE {{ ?e sco:mentionedIn {doc} }}")
        return {_term(row["e"]) for row in rows}

    def _mention_names(self, graph: ox.NamedNode) -> dict[str, list[str]]:
        rows = self._select(
            "SELECT ?e ?name ?start WHERE { GRAPH "
            f"{graph} {{ ?m itsrdf:taIdentRef ?e ; nif:anchorOf ?name . "
            "OPTIONAL { ?m nif:beginIndex ?start } } } ORDER BY ?start ?name"
        )
        names: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            iri, name = _term(row["e"]), _text(row["name"])
            if name not in names[iri]:
                names[iri].append(name)
        return names

    def _classes(self, iris: set[str]) -> dict[str, set[str]]:
        """Asserted classes from the entities graph; the union for entities it lacks."""
        if not iris:
            return {}
        values = _values(iris)
        classes: dict[str, set[str]] = defaultdict(set)
        rows = self._select(
            f"SELECT ?e ?class WHERE {{ VALUES ?e {{ {values} }} "
            f"GRAPH <{ENTITIES_GRAPH}> {{ ?e a ?class }} }}"
        )
        for row in rows:
            classes[_term(row["e"])].add(_term(row["class"]))
        missing = iris - set(classes)
        if missing:
            rows = self._select(
                f"SELECT ?e ?class WHERE {{ VALUES ?e {{ {_values(missing)} }} ?e a ?class }}"
            )
            for row in rows:
                classes[_term(row["e"])].add(_term(row["class"]))
        return classes

    def _labels(self, iris: set[str]) -> dict[str, list[str]]:
        """rdfs:label first, then skos:altLabel, each sorted for a stable order."""
        if not iris:
            return {}
        rows = self._select(
            f"SELECT DISTINCT ?e ?label ?rank WHERE {{ VALUES ?e {{ {_values(iris)} }} "
            "{ ?e rdfs:label ?label BIND(0 AS ?rank) } UNION "
            "{ ?e skos:altLabel ?label BIND(1 AS ?rank) } } ORDER BY ?e ?rank ?label"
        )
        labels: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            iri, label = _term(row["e"]), _text(row["label"])
            if label not in labels[iri]:
                labels[iri].append(label)
        return labels

    def _facts(self, graph: ox.NamedNode) -> set[GraphFact]:
        kinds = [k for k in FACT_KINDS if k != "position"]
        values = " ".join(f"sco:{k}" for k in kinds)
        rows = self._select(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} "
            f"GRAPH {graph} {{ ?s ?p ?o }} }}"
        )
        facts: set[GraphFact] = set()
        for row in rows:
            kind = _term(row["p"])[len(str(SCO)) :]
            obj = row["o"]
            literal = isinstance(obj, ox.Literal)
            value = _text(obj) if literal else _term(obj)
            facts.add(GraphFact(kind, _term(row["s"]), value, literal))
        return facts

    def _positions(self, graph: ox.NamedNode) -> set[GraphFact]:
        rows = self._select(
            "SELECT DISTINCT ?person ?pos ?title ?holder WHERE { "
            f"GRAPH {graph} {{ ?person sco:holdsPosition ?pos }} "
            "OPTIONAL { ?pos sco:title ?title } OPTIONAL { ?pos sco:positionOf ?holder } }"
        )
        facts: set[GraphFact] = set()
        for row in rows:
            title, holder = row["title"], row["holder"]
            facts.add(
                GraphFact(
                    "position",
                    _term(row["person"]),
                    _term(holder) if holder is not None else _term(row["pos"]),
                    title=_text(title) if title is not None else "",
                )
            )
        return facts

    def _resolve_type(self, classes: Iterable[str]) -> tuple[str | None, bool]:
        """The gold type and the meeting flag for an entity with these classes."""
        anchors: set[str] = set()
        for cls in classes:
            anchors |= self._anchors.get(cls, frozenset())
        meeting = _MEETING in anchors
        present = {iri for iri, _ in _TYPE_ANCHORS} & anchors
        specific = {
            a
            for a in present
            if not any(b != a and a in self._anchors.get(b, frozenset()) for b in present)
        }
        for iri, type_ in _TYPE_ANCHORS:
            if iri in specific:
                return type_, meeting
        return None, meeting


def _term(term: object) -> str:
    """The IRI (or blank node label) of a node as a plain string."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    raise TypeError(f"expected an IRI, got {term!r}")


def _text(term: object) -> str:
    """A literal's lexical form (dates compare by it: "2017-06-08", "2018-06", "2016")."""
    if isinstance(term, ox.Literal):
        return term.value
    return _term(term)


def _values(iris: Iterable[str]) -> str:
    """A VALUES list of IRIs (blank nodes cannot be named in a query and are skipped)."""
    return " ".join(str(ox.NamedNode(i)) for i in sorted(iris) if not i.startswith("_:"))
