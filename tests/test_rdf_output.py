"""The graph `scokg build` makes of the bundled corpus, checked against docs/data-model.md.

Named graphs, sentence-level provenance traced back to the characters of the original
files, labels, Wikidata links, the inferred graph and one IRI per real thing. All tests read
the session's corpus store (built once by the real command line, see support.py).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import (
    CORPUS_DOCUMENTS,
    DECLARATION,
    PRESS_RELEASE,
    ask,
    comparable,
    corpus_build_fixture,  # noqa: F401
    corpus_db_fixture,  # noqa: F401
    corpus_store_fixture,  # noqa: F401
    count,
    select,
)

from scokg.graph.reason import load_ontology
from scokg.resources import corpus_dir, extract_data_dir
from scokg.vocab import (
    ENTITIES_GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    document_graph,
    document_iri,
)

# The fact predicates of SPEC.md that a document states as plain triples.
FACT_PREDICATES = " ".join(
    f"sco:{p}"
    for p in (
        "participant",
        "chair",
        "location",
        "startDate",
        "endDate",
        "holdsPosition",
        "memberOf",
        "observerOf",
        "dialoguePartnerOf",
        "signingDate",
        "signingPlace",
        "adoptedAt",
    )
)
ENTITIES = f"<{ENTITIES_GRAPH}>"
INFERRED = f"<{INFERRED_GRAPH}>"
# The entity classes of the annotation guidelines and their ontology subclasses, as asserted.
CORE_TYPES = ("State", "Person", "Organisation", "Instrument", "Event", "City")
# Two entities ?a and ?other may be the same thing unless both have dates and share none.
SAME_DATES = (
    "FILTER(NOT EXISTS { ?a sco:startDate ?d } || NOT EXISTS { ?other sco:startDate ?d } "
    "|| EXISTS { ?a sco:startDate ?d . ?other sco:startDate ?d })"
)
CHAR_IRI = re.compile(r"^(?P<doc>.+)#char=(?P<begin>\d+),(?P<end>\d+)$")


def original_text(doc_id: str) -> str:
    return (corpus_dir() / f"{doc_id}.txt").read_text(encoding="utf-8")


def iri(term: ox.NamedNode | ox.Literal) -> str:
    assert isinstance(term, ox.NamedNode), term
    return term.value


# -- named graphs ---------------------------------------------------------------------------


def test_one_named_graph_per_document_plus_entities_ontology_and_inferred(
    corpus_db: ox.Store,
) -> None:
    graphs = {g.value for g in corpus_db.named_graphs()}  # type: ignore[union-attr]
    expected = {str(document_graph(d)) for d in CORPUS_DOCUMENTS}
    expected |= {str(ENTITIES_GRAPH), str(ONTOLOGY_GRAPH), str(INFERRED_GRAPH)}
    assert graphs == expected
    for graph in expected:
        assert count(corpus_db, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def test_the_default_graph_itself_is_empty(corpus_db: ox.Store) -> None:
    assert len(list(corpus_db.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 0


@pytest.mark.parametrize("doc_id", CORPUS_DOCUMENTS)
def test_each_document_graph_describes_its_own_source_document(
    corpus_db: ox.Store,
    doc_id: str,
) -> None:
    rows = select(
        corpus_db,
        f"SELECT ?doc ?id ?file ?sha {{ GRAPH <{document_graph(doc_id)}> {{ "
        "?doc a sco:SourceDocument ; dcterms:identifier ?id ; sco:fileName ?file ; "
        "sco:sha256 ?sha } }",
    )
    assert len(rows) == 1
    assert iri(rows[0]["doc"]) == str(document_iri(doc_id))
    assert rows[0]["id"].value == doc_id
    assert rows[0]["file"].value == f"{doc_id}.txt"
    assert re.fullmatch(r"[0-9a-f]{64}", rows[0]["sha"].value)


def test_the_ontology_graph_holds_the_ontology_file(corpus_db: ox.Store) -> None:
    ontology = load_ontology()
    stored = count(
        corpus_db, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
    )
    assert stored == len(ontology)
    assert ask(corpus_db, f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ sco:Meeting a owl:Class }} }}")


def test_a_query_without_graph_sees_the_union_of_all_graphs(
    corpus_db: ox.Store,
) -> None:
    # Each of these triples is in one named graph only; a plain pattern finds them all.
    for triple in (
        "res:kazakhstan rdfs:label 'Kazakhstan'@en",  # entities
        "sco:Meeting rdfs:subClassOf sco:Event",  # ontology
        "res:kazakhstan wdt:P31 wd:Q6256",  # inferred
        f"<{document_iri(DECLARATION)}> a sco:SourceDocument",  # a document
    ):
        assert ask(corpus_db, f"ASK {{ {triple} }}"), triple
    everything = count(corpus_db, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert everything == len(corpus_db)


# -- provenance -----------------------------------------------------------------------------


def sentences(store: ox.Store, doc_id: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    return select(
        store,
        f"SELECT ?s ?b ?e ?a ?ctx {{ GRAPH <{document_graph(doc_id)}> {{ ?s a nif:Sentence ; "
        "nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?a ; nif:referenceContext ?ctx } }",
    )


@pytest.mark.parametrize("doc_id", CORPUS_DOCUMENTS)
def test_every_sentence_span_is_the_sentence_in_the_original_file(
    corpus_db: ox.Store,
    doc_id: str,
) -> None:
    raw = original_text(doc_id)
    rows = sentences(corpus_db, doc_id)
    assert len(rows) > 20
    for row in rows:
        begin, end = int(row["b"].value), int(row["e"].value)
        assert 0 <= begin < end <= len(raw)
        assert not raw[begin].isspace() and not raw[end - 1].isspace()
        assert comparable(raw[begin:end]) == comparable(row["a"].value), (begin, end)
        assert iri(row["ctx"]) == str(document_iri(doc_id))
        match = CHAR_IRI.match(iri(row["s"]))
        assert match is not None
        assert match["doc"] == str(document_iri(doc_id))
        assert (int(match["begin"]), int(match["end"])) == (begin, end)


@pytest.mark.parametrize("doc_id", CORPUS_DOCUMENTS)
def test_every_mention_is_the_surface_form_at_its_offsets(
    corpus_db: ox.Store,
    doc_id: str,
) -> None:
    raw = original_text(doc_id)
    rows = select(
        corpus_db,
        f"SELECT ?b ?e ?a ?sb ?se ?ent {{ GRAPH <{document_graph(doc_id)}> {{ "
        "?m a nif:Phrase ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?a ; "
        "nif:sentence ?s ; <http://www.w3.org/2005/11/its/rdf#taIdentRef> ?ent . "
        "?s nif:beginIndex ?sb ; nif:endIndex ?se } }",
    )
    assert len(rows) > 50
    for row in rows:
        begin, end = int(row["b"].value), int(row["e"].value)
        assert int(row["sb"].value) <= begin < end <= int(row["se"].value)
        assert comparable(raw[begin:end]) == comparable(row["a"].value)
    # Every mentioned entity has an identity card and says where it is mentioned.
    assert not select(
        corpus_db,
        f"SELECT ?ent {{ GRAPH <{document_graph(doc_id)}> {{ ?m a nif:Phrase ; "
        "<http://www.w3.org/2005/11/its/rdf#taIdentRef> ?ent } "
        f"FILTER NOT EXISTS {{ GRAPH {ENTITIES} {{ ?ent rdfs:label ?l }} }} "
        f"FILTER NOT EXISTS {{ GRAPH <{document_graph(doc_id)}> "
        f"{{ ?ent sco:mentionedIn <{document_iri(doc_id)}> }} }} }}",
    )


def test_every_fact_is_traceable_to_a_sentence_of_its_document(
    corpus_db: ox.Store,
) -> None:
    facts = count(
        corpus_db,
        "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } "
        f"VALUES ?p {{ {FACT_PREDICATES} }} FILTER(?g != {INFERRED}) }}",
    )
    assert facts > 100
    untraced = select(
        corpus_db,
        "SELECT ?g ?s ?p ?o { GRAPH ?g { ?s ?p ?o } "
        f"VALUES ?p {{ {FACT_PREDICATES} }} FILTER(?g != {INFERRED}) "
        "FILTER NOT EXISTS { GRAPH ?g { ?st a rdf:Statement ; rdf:subject ?s ; "
        "rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?sentence . "
        "?sentence a nif:Sentence ; nif:beginIndex ?b ; nif:endIndex ?e ; "
        "nif:referenceContext ?doc . ?doc a sco:SourceDocument } } }",
    )
    assert untraced == []


def test_every_statement_restates_a_fact_its_graph_asserts(
    corpus_db: ox.Store,
) -> None:
    statements = count(corpus_db, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?st a rdf:Statement } }")
    assert statements > 100
    assert not select(
        corpus_db,
        "SELECT ?st { GRAPH ?g { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; "
        "rdf:object ?o } FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }",
    )


def test_a_known_fact_points_at_the_sentence_that_states_it(
    corpus_db: ox.Store,
) -> None:
    rows = select(
        corpus_db,
        f"SELECT ?b ?e {{ GRAPH <{document_graph(PRESS_RELEASE)}> {{ "
        "?st rdf:subject res:sco-heads-of-state-council-meeting-2017-06-08 ; "
        "rdf:predicate sco:chair ; rdf:object res:nursultan-nazarbayev ; "
        "prov:wasDerivedFrom ?s . ?s nif:beginIndex ?b ; nif:endIndex ?e } }",
    )
    assert rows
    raw = original_text(PRESS_RELEASE)
    evidence = comparable(raw[int(rows[0]["b"].value) : int(rows[0]["e"].value)])
    assert "chair" in evidence.lower()
    assert "Nazarbayev" in evidence


# -- labels and Wikidata --------------------------------------------------------------------


def test_every_entity_has_exactly_one_english_label(corpus_db: ox.Store) -> None:
    entities = count(
        corpus_db, f"SELECT (COUNT(DISTINCT ?e) AS ?n) {{ GRAPH {ENTITIES} {{ ?e a ?t }} }}"
    )
    assert entities > 100
    offenders = select(
        corpus_db,
        f"SELECT ?e (COUNT(DISTINCT ?l) AS ?n) {{ GRAPH {ENTITIES} {{ ?e a ?t }} "
        "OPTIONAL { ?e rdfs:label ?l } } GROUP BY ?e HAVING (COUNT(DISTINCT ?l) != 1)",
    )
    assert offenders == []
    assert not ask(corpus_db, "ASK { ?e rdfs:label ?l FILTER(LANG(?l) != 'en') }")


def test_every_core_class_has_instances(corpus_db: ox.Store) -> None:
    for name in CORE_TYPES:
        n = count(
            corpus_db,
            f"SELECT (COUNT(DISTINCT ?e) AS ?n) {{ GRAPH {ENTITIES} {{ ?e a ?c }} "
            f"?c rdfs:subClassOf* sco:{name} }}",
        )
        assert n > 0, name


def verified_qids() -> dict[str, set[str]]:
    """QID -> the names of its entity, for the rows of wikidata.tsv with >= 2 sources."""
    path = extract_data_dir() / "wikidata.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {
        row["qid"]: {row["label"].lower()}
        | {a.lower() for a in (row["aliases"] or "").split("|") if a}
        for row in rows
        if row["qid"] and int(row["sources"] or 0) >= 2
    }


def test_every_wikidata_link_is_a_verified_qid_of_that_entity(
    corpus_db: ox.Store,
) -> None:
    verified = verified_qids()
    rows = select(
        corpus_db,
        f"SELECT ?e ?q (GROUP_CONCAT(DISTINCT LCASE(STR(?n)); separator='|') AS ?names) "
        f"{{ GRAPH {ENTITIES} {{ ?e skos:exactMatch ?q ; rdfs:label|skos:altLabel ?n }} }} "
        "GROUP BY ?e ?q",
    )
    assert len(rows) > 20
    linked: dict[str, str] = {}
    for row in rows:
        entity, target = iri(row["e"]), iri(row["q"])
        assert target.startswith(PREFIXES["wd"]), target
        qid = target.removeprefix(PREFIXES["wd"])
        assert qid in verified, (entity, qid)
        names = set(row["names"].value.split("|"))
        assert names & verified[qid], (entity, qid, names)
        assert linked.setdefault(qid, entity) == entity, f"{qid} links two entities"
    assert linked["Q232"] == PREFIXES["res"] + "kazakhstan"


def test_nothing_is_owl_same_as_wikidata(corpus_db: ox.Store) -> None:
    assert not ask(
        corpus_db,
        "ASK { { ?s owl:sameAs ?o } UNION { ?o owl:sameAs ?s } "
        "FILTER(STRSTARTS(STR(?o), 'http://www.wikidata.org/')) }",
    )


# -- reasoning ------------------------------------------------------------------------------


def test_an_entailed_triple_is_in_the_inferred_graph_only(
    corpus_db: ox.Store,
) -> None:
    triple = "res:kazakhstan wdt:P31 wd:Q6256"
    assert ask(corpus_db, f"ASK {{ GRAPH {INFERRED} {{ {triple} }} }}")
    assert not ask(corpus_db, f"ASK {{ GRAPH ?g {{ {triple} }} FILTER(?g != {INFERRED}) }}")


def test_every_meeting_is_inferred_to_be_an_event(corpus_db: ox.Store) -> None:
    meetings = count(
        corpus_db, f"SELECT (COUNT(*) AS ?n) {{ GRAPH {ENTITIES} {{ ?m a sco:Meeting }} }}"
    )
    assert meetings > 5
    assert not ask(
        corpus_db,
        f"ASK {{ GRAPH {ENTITIES} {{ ?m a sco:Meeting }} "
        f"FILTER NOT EXISTS {{ GRAPH {INFERRED} {{ ?m a sco:Event }} }} }}",
    )


def test_the_inferred_graph_holds_no_owlrl_noise(corpus_db: ox.Store) -> None:
    assert count(corpus_db, f"SELECT (COUNT(*) AS ?n) {{ GRAPH {INFERRED} {{ ?s ?p ?o }} }}")
    noise = select(
        corpus_db,
        f"SELECT ?s ?p ?o {{ GRAPH {INFERRED} {{ ?s ?p ?o }} FILTER("
        "isLiteral(?s) || (?p = owl:sameAs && ?s = ?o) "
        "|| STRSTARTS(STR(?s), STR(rdf:)) || STRSTARTS(STR(?s), STR(rdfs:)) "
        "|| STRSTARTS(STR(?s), STR(owl:)) || STRSTARTS(STR(?s), STR(xsd:))) }",
    )
    assert noise == []


def test_the_inferred_graph_repeats_nothing_already_asserted(
    corpus_db: ox.Store,
) -> None:
    assert not ask(
        corpus_db,
        f"ASK {{ GRAPH {INFERRED} {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(?g != {INFERRED}) }}",
    )


# -- one IRI per real thing -----------------------------------------------------------------


@pytest.mark.parametrize(
    "slug",
    [
        "kazakhstan",
        "sco-convention-on-countering-extremism",
        "sco-heads-of-state-council-meeting-2017-06-08",
    ],
)
def test_a_thing_both_documents_name_has_one_iri(
    corpus_db: ox.Store,
    slug: str,
) -> None:
    entity = PREFIXES["res"] + slug
    for doc_id in CORPUS_DOCUMENTS:
        graph = document_graph(doc_id)
        assert ask(
            corpus_db,
            f"ASK {{ GRAPH <{graph}> {{ <{entity}> sco:mentionedIn <{document_iri(doc_id)}> . "
            f"?m <http://www.w3.org/2005/11/its/rdf#taIdentRef> <{entity}> }} }}",
        ), (slug, doc_id)
    # No second entity of the same class goes by any of its names (events: on its dates).
    twins = select(
        corpus_db,
        f"SELECT DISTINCT ?other {{ BIND(<{entity}> AS ?a) GRAPH {ENTITIES} {{ ?a a ?c ; "
        "rdfs:label|skos:altLabel ?name . ?other a ?c ; rdfs:label|skos:altLabel ?name2 } "
        f"FILTER(?other != ?a && LCASE(STR(?name)) = LCASE(STR(?name2))) {SAME_DATES} }}",
    )
    assert twins == []


def test_the_summit_gathers_what_both_documents_say_about_it(
    corpus_db: ox.Store,
) -> None:
    summit = "res:sco-heads-of-state-council-meeting-2017-06-08"
    for doc_id in CORPUS_DOCUMENTS:
        assert ask(
            corpus_db,
            f"ASK {{ GRAPH <{document_graph(doc_id)}> {{ {summit} sco:location res:astana }} }}",
        ), doc_id
    assert ask(corpus_db, f"ASK {{ GRAPH {ENTITIES} {{ {summit} a sco:Meeting }} }}")


def test_no_two_entities_of_a_class_share_a_label_unless_events_on_different_dates(
    corpus_db: ox.Store,
) -> None:
    clashes = select(
        corpus_db,
        f"SELECT ?a ?other {{ GRAPH {ENTITIES} {{ ?a a ?c ; rdfs:label ?l . ?other a ?c ; "
        "rdfs:label ?l2 } FILTER(STR(?a) < STR(?other) && LCASE(STR(?l)) = LCASE(STR(?l2))) "
        f"{SAME_DATES} }}",
    )
    assert clashes == []


def test_resource_iris_are_readable_slugs(corpus_db: ox.Store) -> None:
    rows = select(corpus_db, f"SELECT DISTINCT ?e {{ GRAPH {ENTITIES} {{ ?e rdfs:label ?l }} }}")
    for row in rows:
        slug = iri(row["e"]).removeprefix(PREFIXES["res"])
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug


def test_the_corpus_folder_is_what_was_built(corpus_store: Path) -> None:
    built = {p.stem for p in corpus_dir().glob("*.txt")}
    assert built == set(CORPUS_DOCUMENTS)


# -- the rest of the layout -----------------------------------------------------------------


def test_positions_live_in_the_entities_graph_with_title_and_holder(
    corpus_db: ox.Store,
) -> None:
    held = select(
        corpus_db,
        "SELECT DISTINCT ?person ?position { GRAPH ?g { ?person sco:holdsPosition ?position } "
        f"FILTER(?g != {INFERRED}) }}",
    )
    assert len(held) >= 10
    assert not ask(
        corpus_db,
        "ASK { GRAPH ?g { ?person sco:holdsPosition ?position } "
        f"FILTER(?g != {INFERRED}) FILTER NOT EXISTS {{ GRAPH {ENTITIES} {{ "
        "?position a sco:Position ; sco:title ?title ; sco:positionOf ?holder ; "
        "rdfs:label ?label } } }",
    )
    assert ask(
        corpus_db,
        f"ASK {{ GRAPH {ENTITIES} {{ res:president-of-kazakhstan sco:title 'President' ; "
        "sco:positionOf res:kazakhstan } }",
    )


def test_asserted_classes_are_the_most_specific_only(corpus_db: ox.Store) -> None:
    assert not select(
        corpus_db,
        f"SELECT ?e ?narrow ?broad {{ GRAPH {ENTITIES} {{ ?e a ?narrow, ?broad }} "
        "FILTER(?narrow != ?broad) ?narrow rdfs:subClassOf+ ?broad }",
    )


def test_every_stance_is_derived_from_a_sentence_of_its_document(
    corpus_db: ox.Store,
) -> None:
    stances = count(corpus_db, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s a sco:Stance } }")
    assert stances > 10
    assert not ask(
        corpus_db,
        "ASK { GRAPH ?g { ?s a sco:Stance } FILTER NOT EXISTS { GRAPH ?g { "
        "?s sco:stanceHolder ?holder ; sco:attitude ?attitude ; sco:stanceTarget ?target ; "
        "prov:wasDerivedFrom ?sentence . ?sentence a nif:Sentence } } }",
    )


def test_dates_are_typed_at_the_precision_the_text_gives(corpus_db: ox.Store) -> None:
    rows = select(
        corpus_db,
        "SELECT DISTINCT ?d { VALUES ?p { sco:startDate sco:endDate sco:signingDate } ?e ?p ?d }",
    )
    assert len(rows) > 10
    patterns = {
        "date": r"\d{4}-\d{2}-\d{2}",
        "gYearMonth": r"\d{4}-\d{2}",
        "gYear": r"\d{4}",
    }
    for row in rows:
        literal = row["d"]
        assert isinstance(literal, ox.Literal)
        kind = literal.datatype.value.removeprefix(PREFIXES["xsd"])
        assert kind in patterns, literal
        assert re.fullmatch(patterns[kind], literal.value), literal
