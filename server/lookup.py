"""What the graph says about one resource, gathered for its Linked Data page.

For every fact about the resource (outgoing: it is the subject; incoming: it is the object)
the page shows where the fact comes from: the graph holding it (a document, the entities
graph, the inferred graph) and, for extracted facts, the sentence(s) the document states it
in, following docs/data-model.md: the reified ``rdf:Statement`` of the fact,
``prov:wasDerivedFrom`` its ``nif:Sentence``, and the sentence's ``nif:anchorOf`` text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from scokg.server.internal import Term, ask, select
from scokg.vocab import ENTITIES_GRAPH, GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, RES, SCO

WIKIDATA = "http://www.wikidata.org/entity/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
# Links that only tie the provenance machinery together; shown as sources, not as links.
PLUMBING = (
    "rdf:subject",
    "rdf:object",
    "itsrdf:taIdentRef",
    "nif:referenceContext",
    "nif:sentence",
)
_PLUMBING_FILTER = ", ".join(PLUMBING)
_ITSRDF = "PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>\n"


@dataclass(frozen=True)
class Value:
    """A term as a page shows it: text, an optional link and a note (language, datatype)."""

    text: str
    href: str | None = None
    note: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a graph, maybe a document and the sentence it states it in."""

    origin: Value
    sentence: str | None = None
    sentence_href: str | None = None


@dataclass
class Fact:
    prop_iri: str
    prop: Value
    value: Value
    sources: list[Source] = field(default_factory=list)


@dataclass
class Sentence:
    anchor: str
    begin: int
    end: int
    text: str


@dataclass
class ResourcePage:
    iri: str
    label: str
    alt_labels: list[str]
    types: list[Value]
    wikidata: list[str]
    outgoing: list[Fact]
    outgoing_cut: bool
    incoming: list[Fact]
    incoming_cut: bool
    sentences: list[Sentence]
    sentences_cut: bool


def resource_path(iri: str) -> str | None:
    """The local page of a resource IRI (``/resource/...``), or ``None`` for other IRIs."""
    if not iri.startswith(str(RES)):
        return None
    rest = iri[len(str(RES)) :]
    path, hash_, fragment = rest.partition("#")
    local = "/resource/" + quote(path, safe="/-._~:@!$&'()*+,;=")
    return local + (hash_ + quote(fragment, safe="-._~:@!$&'()*+,;=/?") if hash_ else "")


def exists(store: ox.Store, iri: ox.NamedNode) -> bool:
    found: bool = ask(store, "ASK { { ?iri ?p ?o } UNION { ?s ?p ?iri } }", iri=iri)
    return found


def describe_resource(store: ox.Store, iri: ox.NamedNode, max_rows: int) -> ResourcePage:
    """Everything the page of ``iri`` shows, at most ``max_rows`` rows per table."""
    outgoing_rows = select(
        store,
        """SELECT ?iri ?p ?o ?g ?sentence ?text WHERE {
             GRAPH ?g { ?iri ?p ?o }
             OPTIONAL { GRAPH ?g {
               ?statement rdf:subject ?iri ; rdf:predicate ?p ; rdf:object ?o ;
                          prov:wasDerivedFrom ?sentence .
               OPTIONAL { ?sentence nif:anchorOf ?text } } }
           } ORDER BY ?p ?o ?g ?sentence LIMIT """
        + str(max_rows * 4 + 1),
        iri=iri,
    )
    incoming_rows = select(
        store,
        _ITSRDF
        + """SELECT ?iri ?s ?p ?g ?sentence ?text WHERE {
             GRAPH ?g { ?s ?p ?iri }
             FILTER (?p NOT IN ("""
        + _PLUMBING_FILTER
        + """))
             OPTIONAL { GRAPH ?g {
               ?statement rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?iri ;
                          prov:wasDerivedFrom ?sentence .
               OPTIONAL { ?sentence nif:anchorOf ?text } } }
           } ORDER BY ?p ?s ?g ?sentence LIMIT """
        + str(max_rows * 4 + 1),
        iri=iri,
    )
    sentence_rows = select(
        store,
        """SELECT ?iri ?sentence ?begin ?end ?text WHERE {
             ?sentence nif:referenceContext ?iri ; a nif:Sentence ;
                       nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?text .
           } ORDER BY ?begin LIMIT """
        + str(max_rows + 1),
        iri=iri,
    )
    labels = _labels(store, _iris_in(outgoing_rows, incoming_rows, iri))
    outgoing, outgoing_cut = _facts(outgoing_rows, "o", labels, max_rows)
    incoming, incoming_cut = _facts(incoming_rows, "s", labels, max_rows)
    label = labels.get(iri.value) or _compact(iri.value)
    return ResourcePage(
        iri=iri.value,
        label=label,
        alt_labels=sorted({f.value.text for f in outgoing if f.prop_iri == ALT_LABEL}),
        types=_unique([f.value for f in outgoing if f.prop_iri == RDF_TYPE]),
        wikidata=sorted(
            {
                f.value.href
                for f in outgoing
                if f.prop_iri == EXACT_MATCH and f.value.href and f.value.href.startswith(WIKIDATA)
            }
        ),
        outgoing=outgoing,
        outgoing_cut=outgoing_cut,
        incoming=incoming,
        incoming_cut=incoming_cut,
        sentences=[_sentence(row) for row in sentence_rows[:max_rows]],
        sentences_cut=len(sentence_rows) > max_rows,
    )


def _unique(values: list[Value]) -> list[Value]:
    seen: dict[str, Value] = {}
    for value in values:
        seen.setdefault(value.text, value)
    return list(seen.values())


def _sentence(row: dict[str, Term]) -> Sentence:
    sentence = row["sentence"]
    anchor = sentence.value.partition("#")[2] if isinstance(sentence, ox.NamedNode) else ""
    return Sentence(
        anchor=anchor,
        begin=_int(row.get("begin")),
        end=_int(row.get("end")),
        text=_text(row.get("text")),
    )


def _int(term: Term | None) -> int:
    try:
        return int(term.value) if isinstance(term, ox.Literal) else 0
    except ValueError:
        return 0


def _text(term: Term | None) -> str:
    return term.value if isinstance(term, ox.Literal) else ""


def _facts(
    rows: list[dict[str, Term]], other: str, labels: dict[str, str], max_rows: int
) -> tuple[list[Fact], bool]:
    facts: dict[tuple[str, str], Fact] = {}
    cut = len(rows) > max_rows * 4
    for row in rows[: max_rows * 4]:
        prop, value, graph = row.get("p"), row.get(other), row.get("g")
        if prop is None or value is None:
            continue
        key = (str(prop), str(value))
        fact = facts.get(key)
        if fact is None:
            if len(facts) == max_rows:
                cut = True
                continue
            prop_iri = prop.value if isinstance(prop, ox.NamedNode) else str(prop)
            fact = Fact(prop_iri, _property(prop, labels), _value(value, labels))
            facts[key] = fact
        source = _source(graph, row.get("sentence"), row.get("text"), labels)
        if source not in fact.sources:
            fact.sources.append(source)
    # Facts the documents state first, then the identity card, then what reasoning added.
    ordered = sorted(facts.values(), key=lambda fact: (_rank(fact), fact.prop.text))
    return ordered, cut


def _rank(fact: Fact) -> int:
    origins = {source.origin.text for source in fact.sources}
    if origins == {"inferred graph"}:
        return 2
    if origins == {"entities graph"}:
        return 1
    return 0


def _source(graph: Term | None, sentence: Term | None, text: Term | None,
            labels: dict[str, str]) -> Source:  # fmt: skip
    origin = _graph_value(graph, labels)
    if isinstance(sentence, ox.NamedNode):
        return Source(origin, _text(text) or sentence.value, resource_path(sentence.value))
    return Source(origin)


def _graph_value(graph: Term | None, labels: dict[str, str]) -> Value:
    if not isinstance(graph, ox.NamedNode):
        return Value("the default graph")
    name = graph.value
    if name == str(ENTITIES_GRAPH):
        return Value("entities graph", note="identity cards of the entities")
    if name == str(INFERRED_GRAPH):
        return Value("inferred graph", note="entailed by OWL RL reasoning")
    if name == str(ONTOLOGY_GRAPH):
        return Value("ontology", href="/ontology")
    if name.startswith(str(GRAPH)):
        document = str(RES) + "document/" + name[len(str(GRAPH)) :]
        return Value(labels.get(document, name[len(str(GRAPH)) :]), resource_path(document))
    return Value(name)


def _property(term: Term, labels: dict[str, str]) -> Value:
    iri = term.value if isinstance(term, ox.NamedNode) else str(term)
    compact = _compact(iri)
    label = labels.get(iri) or compact
    return Value(label, _term_href(iri), note=compact if label != compact else None)


def _term_href(iri: str) -> str:
    if iri.startswith(str(SCO)):
        return "/ontology#" + iri[len(str(SCO)) :]
    return iri


def _value(term: Term, labels: dict[str, str]) -> Value:
    if isinstance(term, ox.NamedNode):
        local = resource_path(term.value)
        if local is not None:
            return Value(labels.get(term.value) or _compact(term.value), local)
        if term.value.startswith(str(SCO)):
            return Value(labels.get(term.value) or _compact(term.value), _term_href(term.value))
        return Value(_compact(term.value), term.value, external=True)
    if isinstance(term, ox.Literal):
        if term.language:
            return Value(term.value, note="@" + term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Value(term.value)
        return Value(term.value, note=_compact(datatype))
    return Value(str(term))


def _compact(iri: str) -> str:
    best = ""
    best_prefix = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, best_prefix = namespace, prefix
    if best and "/" not in iri[len(best) :] and "#" not in iri[len(best) :]:
        return f"{best_prefix}:{iri[len(best) :]}"
    return iri


def _iris_in(
    outgoing: list[dict[str, Term]], incoming: list[dict[str, Term]], iri: ox.NamedNode
) -> set[str]:
    found = {iri.value}
    for row in (*outgoing, *incoming):
        for name in ("p", "o", "s"):
            term = row.get(name)
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
        graph = row.get("g")
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(str(GRAPH)):
            found.add(str(RES) + "document/" + graph.value[len(str(GRAPH)) :])
    return found


def _labels(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """The rdfs:label of each IRI (English first), in one query."""
    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(iri)) for iri in sorted(iris))
    rows = select(
        store,
        "SELECT ?x ?label WHERE { VALUES ?x { "
        + values
        + " } ?x rdfs:label ?label } ORDER BY ?x DESC(LANG(?label) = 'en')",
    )
    labels: dict[str, str] = {}
    for row in rows:
        x, label = row.get("x"), row.get("label")
        if isinstance(x, ox.NamedNode) and isinstance(label, ox.Literal):
            labels.setdefault(x.value, label.value)
    return labels


def describe_graph(store: ox.Store, iri: ox.NamedNode) -> ox.QueryTriples:
    """The triples a resource's RDF representation holds: every triple it is part of."""
    result = store.query(
        "CONSTRUCT { ?iri ?p ?o . ?s ?q ?iri } WHERE { { ?iri ?p ?o } UNION { ?s ?q ?iri } }",
        use_default_graph_as_union=True,
        substitutions={ox.Variable("iri"): iri},
    )
    assert isinstance(result, ox.QueryTriples)
    return result
