"""SHACL validation (scokg.graph.validate and shapes/scokg.ttl) on hand-written fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from scokg.errors import ScokgError
from scokg.graph.validate import ValidationOutcome, shorten, validate
from scokg.vocab import NIF, PROV, RES, SCO

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DOC = "https://w3id.org/scokg/resource/document/2017-06-09-astana-summit-press-release"


def load_fixture(name: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(FIXTURES / name, format="trig")
    return dataset


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def results(outcome: ValidationOutcome, severity: URIRef) -> set[tuple[Node, Node | None]]:
    """(focus node, path) of each top-level result of one severity."""
    report = outcome.report
    found = set()
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(report_node, SH.result):
            if report.value(result, SH.resultSeverity) == severity:
                path = report.value(result, SH.resultPath)
                inverse = report.value(path, SH.inversePath) if path is not None else None
                found.add((report.value(result, SH.focusNode), inverse or path))
    return found


@pytest.fixture(scope="module")
def valid(shapes: Graph, ontology: Graph) -> ValidationOutcome:
    return validate(load_fixture("valid-document.trig"), shapes=shapes, ontology=ontology)


@pytest.fixture(scope="module")
def broken(shapes: Graph, ontology: Graph) -> ValidationOutcome:
    return validate(load_fixture("broken-document.trig"), shapes=shapes, ontology=ontology)


# --- the valid fixture ---------------------------------------------------------------------


def test_valid_fixture_conforms(valid: ValidationOutcome) -> None:
    assert valid.conforms
    assert (valid.violations, valid.warnings) == (0, 0)
    assert valid.text == "SHACL: the graph conforms: 0 violation(s), 0 warning(s)"


def test_default_shapes_and_ontology_are_the_installed_ones(valid: ValidationOutcome) -> None:
    outcome = validate(load_fixture("valid-document.trig"))
    assert (outcome.conforms, outcome.violations) == (valid.conforms, valid.violations)


def test_data_is_not_modified(shapes: Graph, ontology: Graph) -> None:
    data = union(load_fixture("valid-document.trig"))
    before = set(data)
    validate(data, shapes=shapes, ontology=ontology)
    assert set(data) == before


def test_a_warning_does_not_break_conformance(shapes: Graph, ontology: Graph) -> None:
    data = union(load_fixture("valid-document.trig"))
    meeting = RES["sco-heads-of-state-council-meeting-2017-06-08"]
    data.add((meeting, SCO.startDate, Literal("2017-06-09", datatype=XSD.date)))
    outcome = validate(data, shapes=shapes, ontology=ontology)
    assert outcome.conforms
    assert (outcome.violations, outcome.warnings) == (0, 1)
    assert results(outcome, SH.Warning) == {(meeting, SCO.startDate)}


# --- the broken fixture ----------------------------------------------------------------------

EXPECTED_VIOLATIONS = {
    "missing label": (RES.uzbekistan, RDFS.label),
    "two labels": (RES.kyrgyzstan, RDFS.label),
    "label without language tag": (RES.bishkek, RDFS.label),
    "gYear typed as a plain string": (RES["tashkent-summit-2016"], SCO.startDate),
    "position without title": (RES["president-of-uzbekistan"], SCO.title),
    "position nobody holds": (RES["president-of-kyrgyzstan"], SCO.holdsPosition),
    "city without mentionedIn": (RES.bishkek, SCO.mentionedIn),
    "bad Wikidata IRI": (RES.kyrgyzstan, SKOS.exactMatch),
    "participant that is a city": (
        RES["sco-heads-of-state-council-meeting-2017-06-08"],
        SCO.participant,
    ),
    "memberOf on an organisation": (RES["shanghai-cooperation-organisation"], None),
    "sentence ending before it begins": (URIRef(DOC + "#char=285,134"), NIF.beginIndex),
    "fact without evidence": (URIRef(DOC + "#fact-participant"), PROV.wasDerivedFrom),
    "attitude outside the scheme": (URIRef(DOC + "#stance-summit"), SCO.attitude),
}


@pytest.mark.parametrize("case", sorted(EXPECTED_VIOLATIONS))
def test_broken_fixture_violation(broken: ValidationOutcome, case: str) -> None:
    assert EXPECTED_VIOLATIONS[case] in results(broken, SH.Violation)


def test_broken_fixture_has_exactly_the_expected_results(broken: ValidationOutcome) -> None:
    assert not broken.conforms
    assert results(broken, SH.Violation) == set(EXPECTED_VIOLATIONS.values())
    assert broken.violations == len(EXPECTED_VIOLATIONS)
    meeting = RES["sco-heads-of-state-council-meeting-2017-06-08"]
    assert results(broken, SH.Warning) == {(meeting, SCO.startDate)}
    assert broken.warnings == 1


def test_report_text_lines(broken: ValidationOutcome) -> None:
    lines = broken.text.splitlines()
    assert lines[0] == "SHACL: the graph does not conform: 13 violation(s), 1 warning(s)"
    assert "Violation  res:uzbekistan  rdfs:label  has no rdfs:label" in broken.text
    assert "Violation  res:president-of-kyrgyzstan  ^sco:holdsPosition  is held by" in broken.text
    assert lines[-1].startswith("Warning  res:sco-heads-of-state-council-meeting-2017-06-08")
    assert lines[1:] == sorted(lines[1:-1]) + [lines[-1]]  # violations sorted, then warnings


def test_report_text_is_capped(shapes: Graph, ontology: Graph) -> None:
    outcome = validate(
        load_fixture("broken-document.trig"), shapes=shapes, ontology=ontology, max_lines=3
    )
    lines = outcome.text.splitlines()
    assert len(lines) == 5
    assert lines[-1] == "... and 11 more"


def test_shorten_uses_project_prefixes() -> None:
    assert shorten(RES.kazakhstan) == "res:kazakhstan"
    assert shorten(SCO.startDate) == "sco:startDate"
    assert shorten(URIRef("http://example.org/x")) == "<http://example.org/x>"
    assert shorten(Literal("2016")) == '"2016"'


# --- the shapes themselves -------------------------------------------------------------------


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    # Validated against the SHACL-SHACL shapes of the SHACL specification.
    conforms, _, text = meta_validate(shapes, inference="none")
    assert conforms, text


def test_shapes_use_shacl_core_only(shapes: Graph) -> None:
    assert not list(shapes.triples((None, SH.sparql, None)))
    assert not list(shapes.triples((None, RDF.type, SH.SPARQLConstraint)))


def test_every_node_shape_is_documented(shapes: Graph) -> None:
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label) is not None, shape
        assert shapes.value(shape, RDFS.comment) is not None, shape


def test_every_property_shape_has_a_message(shapes: Graph) -> None:
    property_shapes = list(shapes.objects(None, SH.property))
    assert property_shapes
    for shape in property_shapes:
        message = shapes.value(shape, SH.message)
        assert isinstance(message, Literal) and message.language == "en", shape


def test_attitude_list_matches_the_ontology(shapes: Graph, ontology: Graph) -> None:
    lists = [
        set(Collection(shapes, values))
        for shape, values in shapes.subject_objects(SH["in"])
        if shapes.value(shape, SH.path) == SCO.attitude
    ]
    assert lists == [set(ontology.subjects(SKOS.inScheme, SCO.Attitudes))]


def test_unusable_shapes_raise_a_scokg_error(ontology: Graph) -> None:
    bad = Graph()
    shape = URIRef("https://example.org/shapes#Bad")
    bad.add((shape, RDF.type, SH.NodeShape))
    bad.add((shape, SH.targetClass, SCO.State))
    bad.add((shape, SH.property, URIRef("https://example.org/shapes#NoPath")))
    bad.add((URIRef("https://example.org/shapes#NoPath"), SH.minCount, Literal(1)))
    with pytest.raises(ScokgError):
        validate(load_fixture("valid-document.trig"), shapes=bad, ontology=ontology)
