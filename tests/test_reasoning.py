"""OWL RL materialisation (scokg.graph.reason): what it entails and the noise it leaves out."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from scokg.graph.reason import NoiseContext, is_noise, load_ontology, materialise
from scokg.graph.validate import validate
from scokg.vocab import ORG, PROV, RES, SCHEMA, SCO, WD, WDT

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD))


def load_fixture(name: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(FIXTURES / name, format="trig")
    return dataset


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def asserted() -> Graph:
    return union(load_fixture("valid-document.trig"))


@pytest.fixture(scope="module")
def inferred(asserted: Graph, ontology: Graph) -> Graph:
    return materialise(asserted, ontology)


# --- what is entailed -------------------------------------------------------------------------

MEETING = RES["sco-heads-of-state-council-meeting-2017-06-08"]
NAZARBAYEV = RES["nursultan-nazarbayev"]


@pytest.mark.parametrize(
    "triple",
    [
        # superclasses
        (MEETING, RDF.type, SCO.Event),
        (RES.astana, RDF.type, SCO.Place),
        (RES.kazakhstan, RDF.type, SCO.Place),
        (RES.kazakhstan, RDF.type, SCO.Actor),
        (RES["sco-development-strategy-until-2025"], RDF.type, SCO.Instrument),
        # Wikidata classes through the owl:hasValue restrictions
        (RES.kazakhstan, WDT.P31, WD.Q6256),
        (NAZARBAYEV, WDT.P31, WD.Q5),
        (RES["shanghai-cooperation-organisation"], WDT.P31, WD.Q43229),
        (RES.astana, WDT.P31, WD.Q515),
        (MEETING, WDT.P31, WD.Q1656682),
        # Wikidata properties through rdfs:subPropertyOf
        (MEETING, WDT.P710, NAZARBAYEV),
        (MEETING, WDT.P488, NAZARBAYEV),
        (MEETING, WDT.P276, RES.astana),
        (MEETING, WDT.P580, Literal("2017-06-08", datatype=XSD.date)),
        (RES["tashkent-summit-2016"], WDT.P580, Literal("2016", datatype=XSD.gYear)),
        (NAZARBAYEV, WDT.P39, RES["president-of-kazakhstan"]),
        (RES.india, WDT.P463, RES["shanghai-cooperation-organisation"]),
        (RES.astana, WDT.P17, RES.kazakhstan),
        # schema.org, ORG and PROV-O
        (NAZARBAYEV, RDF.type, SCHEMA.Person),
        (RES.kazakhstan, RDF.type, SCHEMA.Country),
        (MEETING, SCHEMA.location, RES.astana),
        (RES["president-of-kazakhstan"], RDF.type, ORG.Post),
        (RES["president-of-kazakhstan"], ORG.postIn, RES.kazakhstan),
        (RES["shanghai-cooperation-organisation"], RDF.type, PROV.Agent),
        # the inverse of holdsPosition
        (RES["president-of-kazakhstan"], SCO.heldBy, NAZARBAYEV),
    ],
)
def test_entailment(inferred: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in inferred


def test_no_entailment_beyond_the_axioms(inferred: Graph) -> None:
    # A state is a place, but nothing makes it a city; a person is not an organisation.
    assert (RES.kazakhstan, RDF.type, SCO.City) not in inferred
    assert (NAZARBAYEV, RDF.type, SCO.Organisation) not in inferred
    assert (RES.kazakhstan, WDT.P31, WD.Q515) not in inferred


def test_observer_status_entails_no_membership(ontology: Graph) -> None:
    data = Graph()
    data.add((RES.iran, RDF.type, SCO.State))
    data.add((RES.iran, SCO.observerOf, RES["shanghai-cooperation-organisation"]))
    inferred = materialise(data, ontology)
    assert not list(inferred.triples((RES.iran, WDT.P463, None)))
    assert not list(inferred.triples((RES.iran, ORG.memberOf, None)))


def test_dataset_input_is_read_as_the_union_of_its_graphs(inferred: Graph, ontology: Graph) -> None:
    from_dataset = materialise(load_fixture("valid-document.trig"), ontology)
    assert set(from_dataset) == set(inferred)


def test_inputs_are_not_modified(asserted: Graph, ontology: Graph) -> None:
    before = (set(asserted), set(ontology))
    materialise(asserted, ontology)
    assert (set(asserted), set(ontology)) == before


def test_inferred_triples_keep_the_data_valid(asserted: Graph, inferred: Graph) -> None:
    both = Graph()
    for triple in asserted:
        both.add(triple)
    for triple in inferred:
        both.add(triple)
    assert validate(both).conforms


def test_inconsistency_is_logged(ontology: Graph, caplog: pytest.LogCaptureFixture) -> None:
    data = Graph()
    data.add((RES.astana, RDF.type, SCO.City))
    data.add((RES.astana, RDF.type, SCO.Person))
    with caplog.at_level(logging.WARNING, logger="scokg.graph.reason"):
        materialise(data, ontology)
    assert "Disjoint classes" in caplog.text


# --- the noise that is filtered out ---------------------------------------------------------


def test_no_literal_subjects(inferred: Graph) -> None:
    assert [t for t in inferred if isinstance(t[0], Literal)] == []


def test_no_reflexive_same_as(inferred: Graph) -> None:
    assert [(s, o) for s, o in inferred.subject_objects(OWL.sameAs) if s == o] == []


def test_no_built_in_vocabulary_subjects(inferred: Graph) -> None:
    assert [t for t in inferred if str(t[0]).startswith(BUILT_IN)] == []


def test_no_trivial_or_built_in_types(inferred: Graph) -> None:
    assert [o for o in inferred.objects(None, RDF.type) if str(o).startswith(BUILT_IN)] == []


def test_no_blank_nodes(inferred: Graph) -> None:
    # The fixture has no blank nodes, so any blank node would come from the ontology's axioms.
    assert [t for t in inferred if any(isinstance(term, BNode) for term in t)] == []


def test_nothing_about_ontology_terms(inferred: Graph, ontology: Graph) -> None:
    terms = set(ontology.subjects()) | set(ontology.objects())
    assert [t for t in inferred if t[0] in terms] == []


def test_nothing_asserted_is_repeated(inferred: Graph, asserted: Graph, ontology: Graph) -> None:
    assert [t for t in inferred if t in asserted or t in ontology] == []


def test_every_inferred_triple_is_about_the_data(inferred: Graph, asserted: Graph) -> None:
    subjects = set(asserted.subjects()) | set(asserted.objects())
    assert len(inferred) > 0
    assert [t for t in inferred if t[0] not in subjects] == []


def context(asserted: Graph, ontology: Graph) -> NoiseContext:
    nodes = frozenset(set(ontology.subjects()) | set(ontology.objects()))
    return NoiseContext(asserted=asserted, ontology=ontology, ontology_nodes=nodes)


@pytest.mark.parametrize(
    "triple",
    [
        (Literal("2017", datatype=XSD.gYear), RDF.type, XSD.gYear),
        (RES.astana, OWL.sameAs, RES.astana),
        (XSD.date, RDF.type, RDFS.Datatype),
        (OWL.Thing, RDF.type, OWL.Class),
        (RES.astana, RDF.type, OWL.Thing),
        (RES.astana, RDF.type, RDFS.Resource),
        (SCO.Meeting, RDFS.subClassOf, SCO.Meeting),
        (SCHEMA.Person, RDFS.subClassOf, SCO.Person),
        (RES.astana, RDF.type, SCO.City),  # asserted in the fixture
    ],
)
def test_noise_rules(
    asserted: Graph, ontology: Graph, triple: tuple[URIRef, URIRef, URIRef]
) -> None:
    assert is_noise(triple, context(asserted, ontology))


def test_restriction_membership_is_noise(asserted: Graph, ontology: Graph) -> None:
    restriction = next(
        r for r in ontology.objects(SCO.State, RDFS.subClassOf) if isinstance(r, BNode)
    )
    assert is_noise((RES.kazakhstan, RDF.type, restriction), context(asserted, ontology))


def test_entailments_about_data_blank_nodes_are_kept(asserted: Graph, ontology: Graph) -> None:
    # Only the ontology's own blank nodes are noise; the data's are not.
    node = BNode()
    assert not is_noise((node, RDF.type, SCO.Event), context(asserted, ontology))
    assert not is_noise((RES.astana, RDF.type, SCO.Place), context(asserted, ontology))


def test_graphs_can_be_materialised_one_at_a_time(asserted: Graph, ontology: Graph) -> None:
    # Every rule the ontology triggers on data has a single data premise (subclass,
    # subproperty, domain, range, inverse, hasValue), so the closure of the union is the union
    # of the closures, less what another graph asserts. This is what lets a later step apply
    # the ontology per document; an axiom with two data premises (a property chain, a
    # functional property) would break it and this test.
    dataset = load_fixture("valid-document.trig")
    per_graph = Graph()
    for named in dataset.graphs():
        for triple in materialise(named, ontology):
            per_graph.add(triple)
    whole = materialise(asserted, ontology)
    assert {t for t in per_graph if t not in asserted} == set(whole)
