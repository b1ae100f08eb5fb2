"""The compiled ontology closure (scokg.graph.closure) against full owlrl (reason.materialise).

Equality is checked on the bundled sample corpus, on every fixture dataset, graph by graph,
on a hand-made graph that reaches the corners of the rules (inverses, equivalent classes,
owl:hasValue, literals, blank nodes, data about ontology terms), and for owlrl's
inconsistency messages. Axioms the closure cannot reproduce are refused.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from pathlib import Path

import owlrl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from scokg.extract.resolve import resolve
from scokg.graph.build import asserted_dataset, extract_all, find_documents, union_graph
from scokg.graph.closure import (
    OntologyClosure,
    UnsupportedAxiom,
    compiled_closure,
    is_schema_triple,
)
from scokg.graph.reason import OWLRL_ERROR_NAMESPACE, materialise
from scokg.resources import ontology_path
from scokg.vocab import ORG, PROV, RES, SCHEMA, SCO, WD, WDT

FIXTURES = Path(__file__).resolve().parent / "fixtures"
Triple = tuple[Node, Node, Node]


def load_fixture(name: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(FIXTURES / name, format="trig")
    return dataset


def graphs_of(dataset: Dataset) -> list[Graph]:
    return [graph for graph in dataset.graphs() if len(graph)]


def graph_of(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def owlrl_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    prefix = "OWL RL inconsistency: "
    return sorted(
        r.getMessage().removeprefix(prefix)
        for r in caplog.records
        if r.name == "scokg.graph.reason" and r.getMessage().startswith(prefix)
    )


def materialised(
    data: Graph, ontology: Graph, caplog: pytest.LogCaptureFixture
) -> tuple[set[Triple], list[str]]:
    """Full owlrl: the inferred triples and the inconsistencies it logs."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="scokg.graph.reason"):
        inferred = set(materialise(data, ontology))
    return inferred, owlrl_warnings(caplog)


def full_owlrl_closure(data: Graph, ontology: Graph) -> set[Triple]:
    """owlrl's raw closure of ontology + data, without its error-message triples."""
    closure = Graph()
    for triple in ontology:
        closure.add(triple)
    for triple in data:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, improved_datatypes=False).expand(closure)
    return {t for t in closure if not any(str(x).startswith(OWLRL_ERROR_NAMESPACE) for x in t)}


@pytest.fixture(scope="module")
def closure() -> OntologyClosure:
    return compiled_closure()


@pytest.fixture(scope="module")
def ontology(closure: OntologyClosure) -> Graph:
    return closure.ontology


@pytest.fixture(scope="module")
def sample() -> Dataset:
    """The asserted graphs of the bundled sample corpus, as ``scokg build`` makes them."""
    return asserted_dataset(resolve(extract_all(find_documents(None))))


@pytest.fixture(scope="module")
def sample_owlrl(sample: Dataset, ontology: Graph) -> set[Triple]:
    return set(materialise(union_graph(sample), ontology))


# --- (a) the sample corpus ---------------------------------------------------------------------


def test_sample_corpus_equals_full_owlrl(
    closure: OntologyClosure, sample: Dataset, sample_owlrl: set[Triple]
) -> None:
    entailed = closure.entail(union_graph(sample))
    assert len(entailed) > 1000
    assert entailed == sample_owlrl


def test_sample_corpus_has_no_inconsistency(closure: OntologyClosure, sample: Dataset) -> None:
    # materialise logs nothing on the sample corpus (checked in the per-graph test below).
    assert closure.inconsistencies(union_graph(sample)) == []


# --- (b) the fixtures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["valid-document.trig", "broken-document.trig", "server-sample.trig"]
)
def test_fixture_equals_full_owlrl(
    closure: OntologyClosure, ontology: Graph, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    data = union_graph(load_fixture(name))
    inferred, warnings = materialised(data, ontology, caplog)
    assert inferred
    assert closure.entail(data) == inferred
    assert closure.inconsistencies(data) == warnings


def test_unfiltered_closure_equals_owlrl(closure: OntologyClosure, ontology: Graph) -> None:
    # Not only the stored triples: every triple owlrl derives, noise included, is the TBox
    # closure, the data, or what the compiled rules derive from the data.
    data = union_graph(load_fixture("valid-document.trig"))
    ours = set(closure.tbox) | set(data) | closure.derive(data)
    assert ours == full_owlrl_closure(data, ontology)


# --- (c) graph by graph -----------------------------------------------------------------------


def test_per_document_closures_union_to_the_closure_of_the_union(
    closure: OntologyClosure, sample: Dataset, sample_owlrl: set[Triple]
) -> None:
    graphs = graphs_of(sample)
    assert len(graphs) == 3  # the entities graph and two documents
    asserted = union_graph(sample)
    per_graph: set[Triple] = set().union(*(closure.entail(graph) for graph in graphs))
    # Each graph's closure leaves out only what that graph states, so the union has extra
    # triples exactly where one graph entails what another states.
    assert {t for t in per_graph if t not in asserted} == sample_owlrl
    assert per_graph - sample_owlrl <= set(asserted)
    assert closure.entail_graphs(graphs) == sample_owlrl
    assert closure.entail_dataset(sample) == sample_owlrl


def test_per_graph_consistency_check_equals_owlrl_on_the_union(
    closure: OntologyClosure, ontology: Graph, caplog: pytest.LogCaptureFixture
) -> None:
    # Neither graph alone is inconsistent: one makes res:x a sco:State (range of
    # sco:locatedIn), the other a sco:Person (range of sco:chair).
    first = graph_of([(RES.astana, SCO.locatedIn, RES.x)])
    second = graph_of([(RES.meeting, SCO.chair, RES.x)])
    assert closure.inconsistencies(first) == closure.inconsistencies(second) == []
    check = closure.consistency_check()
    check.add(first)
    check.add(second)
    _, warnings = materialised(graph_of([*first, *second]), ontology, caplog)
    assert warnings == [
        "Disjoint classes https://w3id.org/scokg/ontology#Person and "
        "https://w3id.org/scokg/ontology#State have a common individual "
        "https://w3id.org/scokg/resource/x"
    ]
    assert check.messages() == warnings


# --- the corners of the rules --------------------------------------------------------------

NODE = BNode()
CORNERS: list[Triple] = [
    (NODE, RDF.type, SCHEMA.Person),  # owl:equivalentClass, backwards, on a blank node
    (RES.post, SCO.heldBy, RES.someone),  # owl:inverseOf, from the side not usually stated
    (RES.meeting, SCO.participant, RES.meeting),  # a node related to itself
    (RES.meeting, SCO.location, Literal("Astana")),  # a literal where a place belongs
    (RES.meeting, SCO.startDate, Literal("2017-06-08", datatype=XSD.date)),
    (RES.meeting, SCO.endDate, Literal("2017", datatype=XSD.gYear)),
    (RES.kz, WDT.P31, WD.Q6256),  # the value of an owl:hasValue restriction (cls-hv2)
    (RES.town, WDT.P31, WD.Q515),  # ... on a node of no class: only cls-hv2 types it
    (RES.stance, SCO.attitude, SCO.Welcome),  # an ontology term as object
    (SCO.Welcome, SCO.stanceTarget, RES.kz),  # ... and as subject
    (RES.kz, RDF.type, SCO.State),
    (RES.kz, RDF.type, SCO.Actor),  # a superclass stated as well
    (RES.num, RDF.type, XSD.int),  # a datatype as a class (owlrl's subsumptions)
    (RES.post, SCO.positionOf, WD.Q5),  # a restriction value as a plain object
    (RES.doc, SCO.fileName, Literal("a.txt", datatype=XSD.string)),
    (RES.doc, SCO.sha256, Literal(7)),  # an integer where a string belongs
    (RDFS.label, RDFS.label, Literal("label")),  # a built-in term as subject
    (RES.x, URIRef("http://example.org/unknown"), RES.y),  # a predicate the ontology lacks
]


def test_corner_cases_equal_full_owlrl(
    closure: OntologyClosure, ontology: Graph, caplog: pytest.LogCaptureFixture
) -> None:
    data = graph_of(CORNERS)
    inferred, warnings = materialised(data, ontology, caplog)
    assert closure.entail(data) == inferred
    assert closure.inconsistencies(data) == warnings
    assert set(closure.tbox) | set(data) | closure.derive(data) == full_owlrl_closure(
        data, ontology
    )


@pytest.mark.parametrize(
    "triple",
    [
        (NODE, RDF.type, SCO.Person),
        (NODE, RDF.type, SCO.Actor),
        (NODE, WDT.P31, WD.Q5),
        (RES.someone, SCO.holdsPosition, RES.post),
        (RES.someone, RDF.type, SCO.Person),
        (RES.post, RDF.type, ORG.Post),
        (RES.meeting, WDT.P710, RES.meeting),
        (RES.meeting, RDF.type, SCO.Actor),
        (RES.meeting, WDT.P580, Literal("2017-06-08", datatype=XSD.date)),
        (RES.kz, RDF.type, PROV.Agent),
        (RES.stance, RDF.type, SCO.Stance),
    ],
)
def test_corner_entailments(closure: OntologyClosure, triple: Triple) -> None:
    assert triple in closure.entail(CORNERS)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([(RES.astana, RDF.type, SCO.City), (RES.astana, RDF.type, SCO.Person)], 1),
        ([(RES.x, RDF.type, OWL.Nothing)], 22),  # in owl:Nothing, so in every class
        # an ill-formed integer, and an integer where a string belongs, once xsd:string is
        # in use (owlrl declares xsd:decimal and xsd:string disjoint only then)
        ([(RES.x, SCO.title, Literal("abc", datatype=XSD.integer))], 1),
        (
            [
                (RES.x, SCO.title, Literal("abc", datatype=XSD.integer)),
                (RES.y, SCO.title, Literal("Mr", datatype=XSD.string)),
            ],
            2,
        ),
        ([(RES.x, SCO.fileName, Literal(True))], 0),
        ([(RES.x, SCO.fileName, Literal(True)), (RES.y, SCO.title, Literal("s"))], 0),
        (
            [
                (RES.x, SCO.fileName, Literal(True)),
                (RES.y, SCO.title, Literal("s", datatype=XSD.string)),
            ],
            1,
        ),
    ],
)
def test_inconsistencies_equal_owlrl(
    closure: OntologyClosure,
    ontology: Graph,
    caplog: pytest.LogCaptureFixture,
    data: list[Triple],
    expected: int,
) -> None:
    _, warnings = materialised(graph_of(data), ontology, caplog)
    assert len(warnings) == expected
    assert closure.inconsistencies(data) == warnings


# --- what is refused -----------------------------------------------------------------------

LIST = BNode()
RESTRICTION = BNode()
UNSUPPORTED: dict[str, list[Triple]] = {
    "transitive property": [(SCO.locatedIn, RDF.type, OWL.TransitiveProperty)],
    "symmetric property": [(SCO.locatedIn, RDF.type, OWL.SymmetricProperty)],
    "functional property": [(SCO.chair, RDF.type, OWL.FunctionalProperty)],
    "inverse-functional property": [(SCO.sha256, RDF.type, OWL.InverseFunctionalProperty)],
    "property chain": [
        (WDT.P17, OWL.propertyChainAxiom, LIST),
        (LIST, RDF.first, SCO.location),
        (LIST, RDF.rest, RDF.nil),
    ],
    "intersection": [(SCO.Head, OWL.intersectionOf, LIST), (LIST, RDF.first, SCO.Person)],
    "some values from": [
        (RESTRICTION, RDF.type, OWL.Restriction),
        (RESTRICTION, OWL.onProperty, SCO.holdsPosition),
        (RESTRICTION, OWL.someValuesFrom, SCO.Position),
        (RESTRICTION, RDFS.subClassOf, SCO.Person),
    ],
    "all values from": [
        (RESTRICTION, OWL.onProperty, SCO.chair),
        (RESTRICTION, OWL.allValuesFrom, SCO.Person),
    ],
    "same individual": [(SCO.Welcome, OWL.sameAs, SCO.Praise)],
    "all different": [(RESTRICTION, RDF.type, OWL.AllDifferent)],
    "cardinality": [(RESTRICTION, OWL.maxCardinality, Literal(1))],
    "key": [(SCO.Position, OWL.hasKey, LIST)],
    "anonymous inverse property": [(RESTRICTION, OWL.onProperty, BNode())],
    "instance data entailing schema": [(SCO.chair, RDFS.subPropertyOf, RDFS.subClassOf)],
    "instance data entailing a class": [(SCO.chair, RDFS.range, OWL.Class)],
}


@pytest.mark.parametrize("case", sorted(UNSUPPORTED))
def test_unsupported_axiom_is_refused(ontology: Graph, case: str) -> None:
    extended = graph_of(ontology)
    for triple in UNSUPPORTED[case]:
        extended.add(triple)
    with pytest.raises(UnsupportedAxiom, match="does not implement"):
        OntologyClosure(extended)


def test_transitive_property_in_an_ontology_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "scokg.ttl"
    text = ontology_path().read_text(encoding="utf-8")
    copy.write_text(text + "\nsco:locatedIn a owl:TransitiveProperty .\n", encoding="utf-8")
    with pytest.raises(UnsupportedAxiom, match="TransitiveProperty"):
        compiled_closure(copy)


@pytest.mark.parametrize(
    "triple",
    [
        (RES.kazakhstan, OWL.sameAs, RES["republic-of-kazakhstan"]),
        (RES.kazakhstan, OWL.sameAs, RES.kazakhstan),  # owl:sameAs at all
        (RES.treaty, RDFS.subClassOf, SCO.Instrument),
        (RES.relation, RDF.type, OWL.ObjectProperty),
        (RES.relation, RDF.type, RDF.Property),
        (RES.relation, RDFS.domain, SCO.State),
        (RES.x, OWL.differentFrom, RES.y),
    ],
)
def test_schema_in_the_data_is_refused(closure: OntologyClosure, triple: Triple) -> None:
    assert is_schema_triple(triple)
    data = [(RES.kazakhstan, RDF.type, SCO.State), triple]
    with pytest.raises(UnsupportedAxiom, match="states schema"):
        closure.entail(data)
    with pytest.raises(UnsupportedAxiom, match="states schema"):
        closure.inconsistencies(data)


def test_the_installed_ontology_is_supported(ontology: Graph) -> None:
    # It does use owl:hasValue, owl:inverseOf, owl:equivalentClass and disjointness.
    used = set(ontology.predicates()) | set(ontology.objects(None, RDF.type))
    assert {OWL.hasValue, OWL.inverseOf, OWL.equivalentClass, OWL.AllDisjointClasses} <= used
    OntologyClosure(ontology)


# --- caching -----------------------------------------------------------------------------------


def test_compiled_once_per_ontology_content(tmp_path: Path) -> None:
    installed = compiled_closure()
    assert compiled_closure(ontology_path()) is installed
    same = tmp_path / "same.ttl"
    shutil.copyfile(ontology_path(), same)
    assert compiled_closure(same) is installed
    changed = tmp_path / "changed.ttl"
    changed.write_text(
        ontology_path().read_text(encoding="utf-8")
        + "\nsco:Summit a owl:Class ; rdfs:subClassOf sco:Meeting .\n",
        encoding="utf-8",
    )
    other = compiled_closure(changed)
    assert other is not installed
    summit = [(RES.s, RDF.type, SCO.Summit)]
    assert (RES.s, RDF.type, SCO.Event) in other.entail(summit)
    assert installed.entail(summit) == set()
