"""Validation document by document (scokg.graph.validate_parts) against one pySHACL run.

Every case compares ``validate_documents`` with ``validate`` on the union of the same graphs:
same verdict, same counts, same report text, same set of results. The broken variants are
built so that validating each document on its own would be wrong in both directions: a label
that only the union shows twice, a label that only another document holds, a document node
that another document describes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from scokg.graph.validate import ValidationOutcome, validate
from scokg.graph.validate_parts import (
    UnsupportedShapes,
    count_query,
    home_document,
    plan_shapes,
    split_dataset,
    validate_documents,
)
from scokg.vocab import ENTITIES_GRAPH, NIF, RES, SCO, document_graph, document_iri

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ResultKey = tuple[Node | None, ...]


def load_fixture(name: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(FIXTURES / name, format="trig")
    return dataset


def results(outcome: ValidationOutcome) -> set[ResultKey]:
    """Every top-level result: focus, path, severity, component, shape, value, messages."""
    report = outcome.report
    found = set()
    for node in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(node, SH.result):
            found.add(
                (
                    report.value(r, SH.focusNode),
                    report.value(r, SH.resultPath),
                    report.value(r, SH.resultSeverity),
                    report.value(r, SH.sourceConstraintComponent),
                    report.value(r, SH.sourceShape),
                    report.value(r, SH.value),
                    *sorted(report.objects(r, SH.resultMessage)),
                )
            )
    return found


def copy(dataset: Dataset) -> Dataset:
    out = Dataset()
    for quad in dataset.quads((None, None, None, None)):
        out.add(quad)
    return out


def both(dataset: Dataset, shapes: Graph, ontology: Graph) -> tuple[ValidationOutcome, ...]:
    """The outcome of one run over the union, and of the run by parts."""
    entities, documents = split_dataset(dataset)
    union = validate(dataset, shapes=shapes, ontology=ontology)
    parts = validate_documents(entities, documents, ontology, shapes=shapes)
    return union, parts


def assert_same(union: ValidationOutcome, parts: ValidationOutcome) -> None:
    assert parts.conforms == union.conforms
    assert (parts.violations, parts.warnings) == (union.violations, union.warnings)
    assert parts.text == union.text
    assert results(parts) == results(union)


def shared_between_documents(dataset: Dataset) -> URIRef:
    """An entity with a label that both sample documents mention."""
    entities, documents = split_dataset(dataset)
    first, second = (document_iri(doc_id) for doc_id in sorted(documents))
    merged = Graph()
    for graph in documents.values():
        for triple in graph.triples((None, SCO.mentionedIn, None)):
            merged.add(triple)
    return next(
        s
        for s in sorted(merged.subjects(SCO.mentionedIn, first))
        if isinstance(s, URIRef)
        and (s, SCO.mentionedIn, second) in merged
        and (s, RDF.type, SCO.State) in entities
    )


# --- the sample corpus and the fixtures ------------------------------------------------------


def test_sample_corpus_gives_the_union_outcome(
    sample: Dataset, shapes: Graph, ontology: Graph
) -> None:
    union, parts = both(sample, shapes, ontology)
    assert union.conforms and union.warnings == 1
    assert_same(union, parts)


def test_the_sample_warning_needs_both_documents(
    sample: Dataset, shapes: Graph, ontology: Graph
) -> None:
    # The one warning (a meeting with two start dates) is true of the union only: each
    # document gives one date, so validating a document alone, even with the entities graph,
    # misses it. The count queries over the shared nodes find it.
    entities, documents = split_dataset(sample)
    union, parts = both(sample, shapes, ontology)
    (warning,) = [r for r in results(union) if r[2] == SH.Warning]
    meeting = warning[0]
    dates = [set(graph.objects(meeting, SCO.startDate)) for graph in documents.values()]
    assert [len(d) for d in dates] == [1, 1] and dates[0] != dates[1]
    for graph in documents.values():
        alone = Graph()
        for triple in (*entities, *graph):
            alone.add(triple)
        assert validate(alone, shapes=shapes, ontology=ontology).warnings == 0
    assert warning in results(parts)


@pytest.mark.parametrize(
    "name", ["valid-document.trig", "broken-document.trig", "server-sample.trig"]
)
def test_fixture_gives_the_union_outcome(name: str, shapes: Graph, ontology: Graph) -> None:
    union, parts = both(load_fixture(name), shapes, ontology)
    assert_same(union, parts)


def test_broken_fixture_is_caught(shapes: Graph, ontology: Graph) -> None:
    entities, documents = split_dataset(load_fixture("broken-document.trig"))
    outcome = validate_documents(entities, documents, ontology, shapes=shapes)
    assert not outcome.conforms
    assert outcome.violations == 13
    # president-of-kyrgyzstan is in no document: only the run of unmentioned cards and the
    # count queries see it.
    holder = next(
        r for r in results(outcome) if r[0] == RES["president-of-kyrgyzstan"] and r[1] != SCO.title
    )
    assert holder[3] == SH.MinCountConstraintComponent


# --- broken corpora ------------------------------------------------------------------------


def test_a_label_duplicated_across_two_document_graphs(
    sample: Dataset, shapes: Graph, ontology: Graph
) -> None:
    broken = copy(sample)
    entity = shared_between_documents(broken)
    label = broken.graph(ENTITIES_GRAPH).value(entity, RDFS.label)
    assert isinstance(label, Literal)
    broken.graph(ENTITIES_GRAPH).remove((entity, RDFS.label, label))
    first, second = sorted(split_dataset(broken)[1])
    broken.graph(document_graph(first)).add((entity, RDFS.label, label))
    broken.graph(document_graph(second)).add((entity, RDFS.label, Literal("Other", lang="en")))
    union, parts = both(broken, shapes, ontology)
    assert not union.conforms
    assert [r[:4] for r in results(union) if r[2] == SH.Violation] == [
        (entity, RDFS.label, SH.Violation, SH.MaxCountConstraintComponent)
    ]
    assert_same(union, parts)


def test_a_label_stated_by_one_document_only(
    sample: Dataset, shapes: Graph, ontology: Graph
) -> None:
    # The other document's graph has no label for the entity: not a violation of the union.
    moved = copy(sample)
    entity = shared_between_documents(moved)
    label = moved.graph(ENTITIES_GRAPH).value(entity, RDFS.label)
    assert isinstance(label, Literal)
    moved.graph(ENTITIES_GRAPH).remove((entity, RDFS.label, label))
    first = sorted(split_dataset(moved)[1])[0]
    moved.graph(document_graph(first)).add((entity, RDFS.label, label))
    union, parts = both(moved, shapes, ontology)
    assert union.conforms
    assert_same(union, parts)


@pytest.mark.parametrize("home_first", [True, False])
def test_a_document_node_described_by_another_document(
    sample: Dataset, shapes: Graph, ontology: Graph, home_first: bool
) -> None:
    # A local node escapes its graph: the other document gives it a second file name. Which
    # graph is read first must not matter.
    broken = copy(sample)
    home, other = sorted(split_dataset(broken)[1])
    broken.graph(document_graph(other)).add(
        (document_iri(home), SCO.fileName, Literal("elsewhere.txt"))
    )
    entities, documents = split_dataset(broken)
    order = [home, other] if home_first else [other, home]
    union = validate(broken, shapes=shapes, ontology=ontology)
    parts = validate_documents(entities, {d: documents[d] for d in order}, ontology, shapes=shapes)
    assert (document_iri(home), SCO.fileName, SH.Violation) in {r[:3] for r in results(union)}
    assert_same(union, parts)


def test_an_entity_no_document_mentions(sample: Dataset, shapes: Graph, ontology: Graph) -> None:
    broken = copy(sample)
    lonely = RES["lonely-city"]
    entities = broken.graph(ENTITIES_GRAPH)
    entities.add((lonely, RDF.type, SCO.City))
    entities.add((lonely, RDFS.label, Literal("Lonely")))  # no language tag either
    union, parts = both(broken, shapes, ontology)
    assert {(lonely, SCO.mentionedIn), (lonely, RDFS.label)} <= {r[:2] for r in results(union)}
    assert_same(union, parts)


def test_a_broken_sentence_and_mention(sample: Dataset, shapes: Graph, ontology: Graph) -> None:
    # Local nodes: a sentence without an end and a mention ending before it begins.
    broken = copy(sample)
    doc_id = sorted(split_dataset(broken)[1])[0]
    graph = broken.graph(document_graph(doc_id))
    sentence = next(iter(graph.subjects(RDF.type, NIF.Sentence)))
    for end in list(graph.objects(sentence, NIF.endIndex)):
        graph.remove((sentence, NIF.endIndex, end))
    phrase = next(iter(graph.subjects(RDF.type, NIF.Phrase)))
    graph.add((phrase, NIF.endIndex, Literal(-1, datatype=XSD.integer)))
    union, parts = both(broken, shapes, ontology)
    assert {sentence, phrase} <= {r[0] for r in results(union)}
    assert_same(union, parts)


# --- the pieces -----------------------------------------------------------------------------


def test_home_document() -> None:
    documents = {"2017-06-09-astana-declaration": Graph()}
    doc = document_iri("2017-06-09-astana-declaration")
    assert home_document(doc, documents) == "2017-06-09-astana-declaration"
    assert home_document(URIRef(f"{doc}#char=1,5"), documents) == "2017-06-09-astana-declaration"
    assert home_document(document_iri("elsewhere"), documents) is None
    assert home_document(URIRef(f"{doc}-bis"), documents) is None
    assert home_document(RES.kazakhstan, documents) is None


def test_count_constraints_of_the_shapes(shapes: Graph) -> None:
    plan = plan_shapes(shapes)
    labels = [c for c in plan.counts if c.predicate == RDFS.label]
    assert sorted((c.parameter, c.count) for c in labels) == [(SH.maxCount, 1), (SH.minCount, 1)]
    holder = next(c for c in plan.counts if c.inverse)
    assert holder.predicate == SCO.holdsPosition
    assert "?value <https://w3id.org/scokg/ontology#holdsPosition> ?focus" in count_query(holder)


def extended(shapes: Graph, *triples: tuple[Node, Node, Node]) -> Graph:
    out = Graph()
    for triple in shapes:
        out.add(triple)
    for triple in triples:
        out.add(triple)
    return out


BAD = URIRef("https://w3id.org/scokg/shapes#Bad")
PROPERTY = BNode()


@pytest.mark.parametrize(
    ("case", "triples"),
    [
        ("SPARQL constraint", [(BAD, SH.sparql, BNode())]),
        ("node target", [(BAD, SH.targetNode, RES.kazakhstan)]),
        ("objects target", [(BAD, SH.targetObjectsOf, SCO.participant)]),
        (
            "unique language",
            [
                (BAD, SH.targetClass, SCO.State),
                (BAD, SH.property, PROPERTY),
                (PROPERTY, SH.path, RDFS.label),
                (PROPERTY, SH.uniqueLang, Literal(True)),
            ],
        ),
        (
            "sequence path",
            [
                (BAD, SH.targetClass, SCO.State),
                (BAD, SH.property, PROPERTY),
                (PROPERTY, SH.path, BNode()),
            ],
        ),
        (
            "value check on an untargeted path",
            [
                (BAD, SH.targetSubjectsOf, SCO.chair),
                (BAD, SH.property, PROPERTY),
                (PROPERTY, SH.path, SCO.participant),
                (PROPERTY, SH["class"], SCO.Person),
            ],
        ),
    ],
)
def test_unsupported_shapes_are_refused(
    shapes: Graph, case: str, triples: list[tuple[Node, Node, Node]]
) -> None:
    with pytest.raises(UnsupportedShapes):
        plan_shapes(extended(shapes, *triples))


def test_pair_constraint_on_a_shared_node_is_refused(
    sample: Dataset, shapes: Graph, ontology: Graph
) -> None:
    # An entity typed nif:Sentence falls under sh:lessThan, which needs all its values at once.
    broken = copy(sample)
    broken.graph(ENTITIES_GRAPH).add((RES.kazakhstan, RDF.type, NIF.Sentence))
    entities, documents = split_dataset(broken)
    with pytest.raises(UnsupportedShapes, match="lessThan"):
        validate_documents(entities, documents, ontology, shapes=shapes)
