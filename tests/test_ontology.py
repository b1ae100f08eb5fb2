"""The ontology (ontology/scokg.ttl): it parses, declares and documents every term the project
uses, and aligns to Wikidata without owl:sameAs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from scokg.extract import model
from scokg.graph.reason import load_ontology
from scokg.vocab import ONTOLOGY_IRI, SCHEMA, SCO, WD, WDT

REPO = Path(__file__).resolve().parent.parent

# The core vocabulary SPEC.md fixes (the public contract; SPEC.md lives outside the repository).
SPEC_TERMS = (
    "State Person Organisation Instrument Treaty Convention Agreement Event Meeting Place City "
    "SourceDocument Position participant chair location startDate endDate holdsPosition title "
    "positionOf memberOf observerOf dialoguePartnerOf signingDate signingPlace adoptedAt "
    "locatedIn mentionedIn"
).split()

# Terms the brief for the extractor and the graph builder names besides the SPEC ones.
EMITTED_TERMS = (
    "Protocol Charter Declaration Statement Resolution Programme Strategy Plan Rules Exercise "
    "Stance Attitude Attitudes Support Welcome Praise CallFor Condemn Concern fileName sha256 "
    "stanceHolder attitude stanceTarget heldBy"
).split()

SCO_IN_TEXT = re.compile(r"\bsco:([A-Za-z][A-Za-z0-9]*)")
SCO_IN_CODE = re.compile(r"\bSCO(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*[\"']([^\"']+)[\"']\s*\])")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def declared(ontology: Graph) -> set[str]:
    """Local names of the sco: terms the ontology gives a type."""
    return {
        str(s)[len(str(SCO)) :]
        for s in ontology.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(str(SCO))
    }


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) == Literal("scokg ontology", lang="en")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) is not None


def test_every_term_has_an_english_label_and_comment(ontology: Graph) -> None:
    missing = []
    for name in sorted(declared(ontology)):
        term = SCO[name]
        labels = [lbl for lbl in ontology.objects(term, RDFS.label) if lbl.language == "en"]
        comments = [c for c in ontology.objects(term, RDFS.comment) if c.language == "en"]
        if len(labels) != 1 or not comments:
            missing.append(name)
        if ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            missing.append(f"{name} (rdfs:isDefinedBy)")
    assert missing == []


@pytest.mark.parametrize("name", SPEC_TERMS + EMITTED_TERMS)
def test_contract_term_is_declared(ontology: Graph, name: str) -> None:
    assert name in declared(ontology)


def test_terms_used_in_the_documentation_are_declared(ontology: Graph) -> None:
    documents = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    used = {m for doc in documents if doc.exists() for m in SCO_IN_TEXT.findall(doc.read_text())}
    assert "SourceDocument" in used  # the data model is read at all
    assert sorted(used - declared(ontology)) == []


def test_terms_used_in_the_code_are_declared(ontology: Graph) -> None:
    used: set[str] = set()
    for folder in ("extract", "graph", "server", "scokg"):
        for source in (REPO / folder).rglob("*.py"):
            for attribute, key in SCO_IN_CODE.findall(source.read_text()):
                used.add(attribute or key)
    assert sorted(used - declared(ontology)) == []


def test_extraction_model_maps_onto_the_ontology(ontology: Graph) -> None:
    names = declared(ontology)
    assert sorted(set(model.ENTITY_TYPES) - names) == []
    kinds = {"holdsPosition" if kind == "position" else kind for kind in model.FACT_KINDS}
    assert sorted(kinds - names) == []
    concepts = {attitude[0].upper() + attitude[1:] for attitude in model.ATTITUDES}
    assert sorted(concepts - names) == []


def test_attitudes_are_a_skos_scheme(ontology: Graph) -> None:
    concepts = set(ontology.subjects(SKOS.inScheme, SCO.Attitudes))
    assert concepts == {
        SCO[n] for n in ("Support", "Welcome", "Praise", "CallFor", "Condemn", "Concern")
    }
    assert (SCO.Attitudes, RDF.type, SKOS.ConceptScheme) in ontology
    for concept in concepts:
        assert (concept, RDF.type, SCO.Attitude) in ontology
        assert (concept, SKOS.topConceptOf, SCO.Attitudes) in ontology
        assert ontology.value(concept, SKOS.prefLabel).language == "en"
        assert ontology.value(concept, SKOS.definition) is not None


def test_nothing_is_owl_same_as_wikidata(ontology: Graph) -> None:
    for predicate in (OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty):
        for s, o in ontology.subject_objects(predicate):
            assert not str(o).startswith("http://www.wikidata.org/"), (s, predicate, o)
            assert not str(s).startswith("http://www.wikidata.org/"), (s, predicate, o)
    assert not list(ontology.triples((None, OWL.sameAs, None)))


def test_no_union_classes(ontology: Graph) -> None:
    # owl:unionOf in a domain or range makes OWL RL type instances with blank-node classes.
    assert not list(ontology.triples((None, OWL.unionOf, None)))


def test_date_properties_accept_every_date_precision(ontology: Graph) -> None:
    for name in ("startDate", "endDate", "signingDate"):
        assert set(ontology.objects(SCO[name], RDFS.range)) <= {RDFS.Literal}


@pytest.mark.parametrize(
    ("cls", "item"),
    [
        ("State", "Q6256"),
        ("Person", "Q5"),
        ("Organisation", "Q43229"),
        ("Treaty", "Q131569"),
        ("Event", "Q1656682"),
        ("City", "Q515"),
    ],
)
def test_class_aligned_to_wikidata_item(ontology: Graph, cls: str, item: str) -> None:
    restrictions = [
        r
        for r in ontology.objects(SCO[cls], RDFS.subClassOf)
        if isinstance(r, BNode)
        and ontology.value(r, OWL.onProperty) == WDT.P31
        and ontology.value(r, OWL.hasValue) == WD[item]
    ]
    assert len(restrictions) == 1


@pytest.mark.parametrize(
    ("prop", "wikidata"),
    [
        ("participant", "P710"),
        ("chair", "P488"),
        ("location", "P276"),
        ("startDate", "P580"),
        ("endDate", "P582"),
        ("holdsPosition", "P39"),
        ("memberOf", "P463"),
        ("locatedIn", "P131"),
        ("locatedIn", "P17"),
    ],
)
def test_property_aligned_to_wikidata(ontology: Graph, prop: str, wikidata: str) -> None:
    assert (SCO[prop], RDFS.subPropertyOf, WDT[wikidata]) in ontology


def test_observer_status_is_not_membership(ontology: Graph) -> None:
    for prop in ("observerOf", "dialoguePartnerOf"):
        assert list(ontology.objects(SCO[prop], RDFS.subPropertyOf)) == []


def test_state_is_a_place_and_an_actor_but_not_equivalent_to_anything(ontology: Graph) -> None:
    supers = set(ontology.objects(SCO.State, RDFS.subClassOf))
    assert {SCO.Place, SCO.Actor, SCHEMA.Country} <= supers
    assert list(ontology.objects(SCO.State, OWL.equivalentClass)) == []


def test_held_by_is_the_inverse_of_holds_position(ontology: Graph) -> None:
    assert (SCO.heldBy, OWL.inverseOf, SCO.holdsPosition) in ontology
