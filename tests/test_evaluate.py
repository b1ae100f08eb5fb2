"""`scokg evaluate`: the scorer against small hand-written stores and gold files.

Every test loads TriG into a real on-disk store (``tests/fixtures/evaluate/perfect.trig``
is a graph that agrees exactly with the fixture gold file), changes it the way an
extractor could go wrong, and checks the counts that change.
"""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from scokg.errors import BelowThreshold, InputError, ScokgError
from scokg.evaluate import EvaluationReport, evaluate, format_table, names, report_to_json
from scokg.evaluate.command import evaluate_command
from scokg.evaluate.gold import load_gold_file
from scokg.evaluate.graph_view import DocumentNotInStore
from scokg.evaluate.names import normalise_name, stands_inside
from scokg.graph.store import StoreDir

FIXTURES = Path(__file__).parent / "fixtures" / "evaluate"
DOC_ID = "2030-01-01-sample-communique"
GOLD_NAME = DOC_ID + ".gold.json"
BASE = ("ontology.trig", "perfect.trig")

PREFIXES = {
    "sco": "https://w3id.org/scokg/ontology#",
    "res": "https://w3id.org/scokg/resource/",
    "docs": "https://w3id.org/scokg/resource/document/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
}
TURTLE_PREFIXES = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
DOC_GRAPH = f"<https://w3id.org/scokg/graph/{DOC_ID}>"
ENTITIES = "<https://w3id.org/scokg/graph/entities>"
DOC = f"docs:{DOC_ID}"
SUMMIT = "res:sco-heads-of-state-council-meeting-2017-06-08"


def mention(iri: str, name: str, start: int, cls: str | None = None) -> str:
    """TriG for an entity the document mentions once (typed when ``cls`` is given)."""
    typed = f"{ENTITIES} {{ {iri} a {cls} ; rdfs:label {json.dumps(name)}@en . }}\n" if cls else ""
    phrase = f"<{PREFIXES['docs']}{DOC_ID}#char={start},{start + len(name)}>"
    return typed + (
        f"{DOC_GRAPH} {{ {phrase} a nif:Phrase ; nif:beginIndex {start} ; "
        f"nif:anchorOf {json.dumps(name)} ; itsrdf:taIdentRef {iri} . "
        f"{iri} sco:mentionedIn {DOC} . }}\n"
    )


def make_store(root: Path, *trig: str, update: str = "", base: tuple[str, ...] = BASE) -> StoreDir:
    """A store with the base fixtures, extra TriG, then a SPARQL update applied."""
    store_dir = StoreDir(root)
    with store_dir.new_generation() as gen:
        for name in base:
            gen.store.load(path=FIXTURES / name, format=ox.RdfFormat.TRIG)
        for text in trig:
            gen.store.load(input=TURTLE_PREFIXES + text, format=ox.RdfFormat.TRIG)
        if update:
            gen.store.update(SPARQL_PREFIXES + update)
    return store_dir


def score(
    tmp_path: Path,
    *trig: str,
    update: str = "",
    base: tuple[str, ...] = BASE,
    gold_dir: Path = FIXTURES,
) -> EvaluationReport:
    store_dir = make_store(tmp_path / "store", *trig, update=update, base=base)
    return evaluate(store_dir.open_read_only(), gold_dir)


def findings(report: EvaluationReport, outcome: str) -> list[str]:
    return [
        f"{f.row} {f.text} [{f.note}]" for f in report.documents[0].findings if f.outcome == outcome
    ]


def test_a_perfect_graph_scores_one(tmp_path: Path) -> None:
    report = score(tmp_path)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (33, 0, 0)
    assert report.micro.f1 == 1.0
    assert report.macro.f1 == 1.0
    assert (report.entity_total.tp, report.fact_total.tp) == (16, 17)
    assert {t: c.tp for t, c in report.entities.items()} == {
        "State": 2,
        "Person": 2,
        "Organisation": 3,
        "Instrument": 2,
        "Event": 4,
        "City": 3,
    }
    # locatedIn is always optional: never counted, its row stays empty.
    assert report.facts["locatedIn"].empty and report.facts["locatedIn"].f1 is None
    assert (report.meeting.correct, report.meeting.total) == (4, 4)
    assert not findings(report, "FN") and not findings(report, "FP")


def test_a_missing_entity_lowers_the_recall_of_its_type(tmp_path: Path) -> None:
    report = score(
        tmp_path,
        update=f"DELETE WHERE {{ GRAPH {DOC_GRAPH} {{ "
        "?m itsrdf:taIdentRef res:russia ; ?p ?o } };\n"
        f"DELETE DATA {{ GRAPH {DOC_GRAPH} {{ res:russia sco:mentionedIn {DOC} }} }}",
    )
    state = report.entities["State"]
    assert (state.tp, state.fp, state.fn) == (1, 0, 1)
    assert state.recall == 0.5 and state.precision == 1.0
    assert report.entities["Person"].recall == 1.0
    assert findings(report, "FN") == ['State russia "Russian Federation" []']


def test_an_extra_entity_lowers_the_precision_of_its_type(tmp_path: Path) -> None:
    report = score(tmp_path, mention("res:belarus", "Republic of Belarus", 700, "sco:State"))
    state = report.entities["State"]
    assert (state.tp, state.fp, state.fn) == (2, 1, 0)
    assert state.precision == pytest.approx(2 / 3) and state.recall == 1.0
    assert findings(report, "FP") == ['State "Republic of Belarus" (res:belarus) []']


def test_optional_gold_entities_and_facts_neither_help_nor_hurt(tmp_path: Path) -> None:
    perfect = report_to_json(score(tmp_path / "a"))
    council = "res:sco-heads-of-state-council"
    report = score(
        tmp_path / "b",
        # the optional entity, named inside the summit's name
        mention(council, "SCO Heads of State Council", 19, "sco:Organisation"),
        f"""{DOC_GRAPH} {{
            res:kazakhstan sco:memberOf res:shanghai-cooperation-organisation .  # optional fact
            res:almaty sco:locatedIn res:kazakhstan .            # locatedIn: always optional
            res:astana sco:locatedIn res:russia .                # wrong, but still not counted
            res:peace-mission-2016 sco:startDate "2016"^^xsd:gYear .  # optional date
            res:sco-heads-of-state-council-meeting-2017-06-08
                sco:participant {council} .                      # involves the optional entity
        }}""",
    )
    result = report_to_json(report)
    for part in ("micro", "macro", "entities", "facts", "meeting_flag"):
        assert result[part] == perfect[part]
    ignored = findings(report, "ignored")
    assert any("aligned to optional gold entity sco-heads-of-state-council" in f for f in ignored)
    assert any(f.startswith("memberOf") and "optional gold fact" in f for f in ignored)
    assert any(f.startswith("locatedIn") and "always optional" in f for f in ignored)
    assert any(f.startswith("participant") and "counts nowhere" in f for f in ignored)


def test_an_entity_named_inside_a_longer_gold_name_is_not_penalised(tmp_path: Path) -> None:
    treaty = "Treaty on a Nuclear-Weapon-Free Zone in Central Asia"
    report = score(
        tmp_path,
        mention("res:canwfz-treaty", treaty, 542, "sco:Treaty"),  # inside the Protocol's name
        mention("res:minsk", "Minsk", 710, "sco:City"),  # inside nothing
    )
    assert (report.entities["Instrument"].tp, report.entities["Instrument"].fp) == (2, 0)
    assert (report.entities["City"].tp, report.entities["City"].fp) == (3, 1)
    assert any("canwfz-treaty" in f and "nested name" in f for f in findings(report, "ignored"))
    assert findings(report, "FP") == ['City "Minsk" (res:minsk) []']


def test_graph_entities_align_by_name_after_normalisation(tmp_path: Path) -> None:
    # En dashes, a leading "The", upper case and a line break in the mention.
    report = score(
        tmp_path,
        update=f"""DELETE {{ GRAPH {DOC_GRAPH} {{ ?m nif:anchorOf ?name }} }}
        INSERT {{ GRAPH {DOC_GRAPH} {{ ?m nif:anchorOf ?new }} }}
        WHERE {{ GRAPH {DOC_GRAPH} {{
                    ?m itsrdf:taIdentRef res:canwfz-protocol ; nif:anchorOf ?name }}
                 BIND(REPLACE(REPLACE(CONCAT("The ", UCASE(?name)), "-", "\u2013"),
                              " ZONE ", " ZONE\\n") AS ?new) }};
        DELETE WHERE {{ GRAPH {ENTITIES} {{ res:canwfz-protocol rdfs:label ?l }} }}""",
    )
    assert report.documents[0].alignment[PREFIXES["res"] + "canwfz-protocol"] == "canwfz-protocol"
    assert report.micro.f1 == 1.0


@pytest.mark.parametrize(
    "removed",
    [
        pytest.param("sco:location", id="by-dates"),
        pytest.param("sco:startDate sco:endDate", id="by-places"),
    ],
)
def test_two_events_with_the_same_name_align_by_their_facts(tmp_path: Path, removed: str) -> None:
    # The gold file has two "RATS Council meetings"; the graph IRIs sort in the other order,
    # so only the facts left (dates, or places) can put each with the right gold event.
    report = score(
        tmp_path,
        update=f"DELETE {{ GRAPH {DOC_GRAPH} {{ ?e ?p ?o }} }} "
        f"WHERE {{ VALUES ?p {{ {removed} }} GRAPH {DOC_GRAPH} {{ ?e ?p ?o }} "
        "FILTER(STRSTARTS(STR(?e), STR(res:rats-council))) }",
    )
    alignment = report.documents[0].alignment
    assert (
        alignment[PREFIXES["res"] + "rats-council-meeting-1"] == "rats-council-meeting-2017-03-30"
    )
    assert (
        alignment[PREFIXES["res"] + "rats-council-meeting-2"] == "rats-council-meeting-2016-09-13"
    )
    assert report.fact_total.fp == 0


def test_one_of_two_same_named_events_aligns_to_the_one_with_its_date(tmp_path: Path) -> None:
    report = score(
        tmp_path,
        update=f"""DELETE WHERE {{ GRAPH {DOC_GRAPH} {{ res:rats-council-meeting-2 ?p ?o }} }};
        DELETE WHERE {{ GRAPH {DOC_GRAPH} {{ ?m itsrdf:taIdentRef res:rats-council-meeting-2 }} }};
        DELETE WHERE {{ GRAPH {DOC_GRAPH} {{ res:rats-council-meeting-1 sco:location ?o }} }}""",
    )
    assert report.documents[0].alignment[PREFIXES["res"] + "rats-council-meeting-1"] == (
        "rats-council-meeting-2017-03-30"
    )
    missed = findings(report, "FN")
    assert report.entities["Event"].fn == 1
    assert missed[0].startswith('Event rats-council-meeting-2016-09-13 "RATS Council meetings" [')
    assert "was aligned to rats-council-meeting-2017-03-30 instead" in missed[0]
    assert (report.facts["startDate"].tp, report.facts["startDate"].fp) == (2, 0)


@pytest.mark.parametrize(
    ("positions", "expected"),
    [
        pytest.param(
            [("Chairman", "res:commonwealth-of-independent-states")], (2, 0, 0), id="parent"
        ),
        pytest.param([("the chairman", "res:cis-executive-committee")], (2, 0, 0), id="title-case"),
        pytest.param(
            [
                ("Chairman", "res:cis-executive-committee"),
                ("Chairman", "res:commonwealth-of-independent-states"),
            ],
            (2, 0, 0),
            id="both-holders-count-once",
        ),
        pytest.param(
            [("Chairman", "res:shanghai-cooperation-organisation")], (1, 1, 1), id="wrong-holder"
        ),
        pytest.param(
            [("Executive Secretary", "res:cis-executive-committee")], (1, 1, 1), id="wrong-title"
        ),
    ],
)
def test_a_position_matches_any_acceptable_holder(
    tmp_path: Path, positions: list[tuple[str, str]], expected: tuple[int, int, int]
) -> None:
    trig = [
        f"{DOC_GRAPH} {{ res:sergei-lebedev sco:holdsPosition res:position-{i} . }}\n"
        f"{ENTITIES} {{ res:position-{i} a sco:Position ; sco:title {json.dumps(title)} ; "
        f"sco:positionOf {holder} . }}"
        for i, (title, holder) in enumerate(positions)
    ]
    report = score(
        tmp_path,
        *trig,
        update=f"DELETE DATA {{ GRAPH {DOC_GRAPH} {{ "
        "res:sergei-lebedev sco:holdsPosition res:chairman-of-cis-executive-committee } }",
    )
    position = report.facts["position"]
    assert (position.tp, position.fp, position.fn) == expected


def test_each_gold_position_gets_its_own_graph_position(tmp_path: Path) -> None:
    # Gold: Chairman of [the committee or the CIS], then Chairman of [the committee].
    # The graph states both; the first gold fact must leave the committee to the second.
    data = json.loads(gold_with())
    data["facts"].append(["position", "sergei-lebedev", "Chairman", ["cis-executive-committee"]])
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, json.dumps(data))
    report = score(
        tmp_path,
        f"{DOC_GRAPH} {{ res:sergei-lebedev sco:holdsPosition res:chairman-of-cis . }}\n"
        f'{ENTITIES} {{ res:chairman-of-cis a sco:Position ; sco:title "Chairman" ; '
        "sco:positionOf res:commonwealth-of-independent-states . }",
        gold_dir=gold_dir,
    )
    position = report.facts["position"]
    assert (position.tp, position.fp, position.fn) == (3, 0, 0)


def test_a_type_mismatch_is_a_false_hit_of_one_type_and_a_miss_of_the_other(tmp_path: Path) -> None:
    report = score(
        tmp_path,
        update=f"DELETE DATA {{ GRAPH {ENTITIES} {{ res:kazakhstan a sco:State }} }};"
        f"INSERT DATA {{ GRAPH {ENTITIES} {{ res:kazakhstan a sco:Organisation }} }}",
    )
    assert (report.entities["State"].tp, report.entities["State"].fn) == (1, 1)
    assert (report.entities["Organisation"].tp, report.entities["Organisation"].fp) == (3, 1)
    # The president's holder no longer aligns, so the position is missed and wrong.
    position = report.facts["position"]
    assert (position.tp, position.fp, position.fn) == (1, 1, 1)
    assert any("kazakhstan" in f and "type mismatch" in f for f in findings(report, "FN"))
    assert findings(report, "FP") == [
        'Organisation "Republic of Kazakhstan" (res:kazakhstan)'
        " [type mismatch: gold kazakhstan is State]",
        'position position: nursultan-nazarbayev is "President"'
        ' of "Republic of Kazakhstan" (res:kazakhstan) []',
    ]
    assert "type mismatch" in format_table(report, explain=True)


def test_a_second_graph_entity_for_the_same_gold_entity_is_a_false_hit(tmp_path: Path) -> None:
    report = score(tmp_path, mention("res:kazakhstan-2", "Kazakhstan", 720, "sco:State"))
    assert (report.entities["State"].tp, report.entities["State"].fp) == (2, 1)
    assert "duplicate: gold kazakhstan" in findings(report, "FP")[0]


def test_facts_of_an_unaligned_entity_are_false_hits(tmp_path: Path) -> None:
    putin = "res:vladimir-putin"
    report = score(
        tmp_path,
        mention(putin, "Vladimir Putin", 730, "sco:Person"),
        f"{DOC_GRAPH} {{ {SUMMIT} sco:participant {putin} . }}",
    )
    participant = report.facts["participant"]
    assert (participant.tp, participant.fp, participant.fn) == (2, 1, 0)
    assert 'participant: astana-summit -> "Vladimir Putin" (res:vladimir-putin)' in format_table(
        report, explain=True
    )


def test_duplicate_facts_count_once(tmp_path: Path) -> None:
    # The same date as xsd:date (in the fixture) and as a plain string: one lexical form.
    report = score(
        tmp_path,
        f'{DOC_GRAPH} {{ {SUMMIT} sco:startDate "2017-06-08" . }}',
    )
    start = report.facts["startDate"]
    assert (start.tp, start.fp, start.fn) == (3, 0, 0)


def test_a_wrong_date_is_a_false_hit_and_a_miss(tmp_path: Path) -> None:
    report = score(
        tmp_path,
        update=f"""DELETE DATA {{ GRAPH {DOC_GRAPH} {{
            {SUMMIT} sco:endDate "2017-06-09"^^xsd:date }} }};
        INSERT DATA {{ GRAPH {DOC_GRAPH} {{ {SUMMIT} sco:endDate "2017-06"^^xsd:gYearMonth }} }}""",
    )
    end = report.facts["endDate"]
    assert (end.tp, end.fp, end.fn) == (2, 1, 1)
    assert findings(report, "FN") == ["endDate endDate: astana-summit -> 2017-06-09 []"]


def test_the_meeting_flag_is_reported_apart_from_f1(tmp_path: Path) -> None:
    report = score(
        tmp_path,
        update=f"DELETE DATA {{ GRAPH {ENTITIES} {{ res:peace-mission-2016 a sco:Exercise }} }};"
        f"INSERT DATA {{ GRAPH {ENTITIES} {{ res:peace-mission-2016 a sco:Meeting }} }}",
    )
    assert (report.meeting.correct, report.meeting.total) == (3, 4)
    assert report.micro.f1 == 1.0
    assert "Meeting flag: 3 of 4 aligned events correct" in format_table(report)
    assert any("peace-mission-2016" in f for f in findings(report, "meeting flag"))


def test_types_come_from_the_ontology_subclasses_in_the_store(tmp_path: Path) -> None:
    summit = f"""{ENTITIES} {{ res:sco-heads-of-state-council-meeting-2017-06-08 a sco:Summit . }}
        <https://w3id.org/scokg/graph/ontology> {{
            sco:Summit <http://www.w3.org/2000/01/rdf-schema#subClassOf> sco:Meeting . }}"""
    retype = (
        f"DELETE DATA {{ GRAPH {ENTITIES} {{ "
        "res:sco-heads-of-state-council-meeting-2017-06-08 a sco:Meeting } }"
    )
    report = score(tmp_path / "a", summit, update=retype)
    assert report.micro.f1 == 1.0 and report.meeting.correct == 4
    # Without the subclass axiom the class means nothing: the summit is not scored.
    bare = summit.split("<https://w3id.org/scokg/graph/ontology>")[0]
    report = score(tmp_path / "b", bare, update=retype)
    assert report.entities["Event"].fn == 1
    assert any("no gold type" in f for f in findings(report, "ignored"))


def test_the_known_subclasses_work_without_an_ontology_graph(tmp_path: Path) -> None:
    report = score(tmp_path, base=("perfect.trig",))
    assert report.micro.f1 == 1.0 and report.meeting.correct == 4


def test_a_gold_document_missing_from_the_store_is_named(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    data = json.loads((FIXTURES / GOLD_NAME).read_text(encoding="utf-8"))
    data["document"] = "2031-01-01-unbuilt.txt"
    (gold_dir / "2031-01-01-unbuilt.gold.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        DocumentNotInStore, match=r"2031-01-01-unbuilt\.txt is not in the store"
    ) as exc:
        score(tmp_path, gold_dir=gold_dir)
    assert "scokg build" in str(exc.value) and exc.value.exit_code == 2


def test_json_report_has_rows_totals_and_a_per_document_breakdown(tmp_path: Path) -> None:
    report = score(tmp_path, mention("res:belarus", "Republic of Belarus", 700, "sco:State"))
    data = json.loads(json.dumps(report_to_json(report)))
    assert data["micro"] == {
        "tp": 33,
        "fp": 1,
        "fn": 0,
        "precision": 33 / 34,
        "recall": 1.0,
        "f1": 66 / 67,
    }
    assert data["facts"]["locatedIn"]["precision"] is None
    (document,) = data["documents"]
    assert document["document"] == DOC_ID + ".txt"
    assert document["entities"]["State"]["fp"] == 1
    assert document["alignment"][PREFIXES["res"] + "kazakhstan"] == "kazakhstan"
    assert {"outcome": "FP", "category": "entity", "row": "State", "note": ""}.items() <= document[
        "findings"
    ][0].items()


# -- names -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "gold"),
    [
        ("People\u2019s  Republic of\nChina", "People's Republic of China"),
        ("the Republic of Kazakhstan", "Republic of Kazakhstan"),
        ("\u201cDevelopment of Green Economy\u201d", '"Development of Green Economy"'),
        ("2016\u20132018 SCO Programme", "2016-2018 SCO Programme"),
        ("SCO\u2014Afghanistan Contact Group", "SCO-Afghanistan Contact Group"),
        ("Cafe\u0301", "Caf\u00e9"),
    ],
)
def test_names_compare_after_normalisation(written: str, gold: str) -> None:
    assert normalise_name(written) == normalise_name(gold)


def test_different_names_stay_different() -> None:
    assert normalise_name("Theatre Forum") != normalise_name("atre Forum")
    assert normalise_name("SCO Forum") != normalise_name("SCO Forums")


def test_a_nested_name_must_stand_inside_as_whole_words() -> None:
    assert stands_inside("minsk agreements", "package of measures for the minsk agreements")
    assert not stands_inside("un", "sco development fund")
    assert not stands_inside("sco forum", "sco forum")


def test_the_names_module_examples_hold() -> None:
    assert doctest.testmod(names).failed == 0


# -- gold files ------------------------------------------------------------------------------
def write_gold(folder: Path, text: str, name: str = GOLD_NAME) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def gold_with(**changes: object) -> str:
    data = json.loads((FIXTURES / GOLD_NAME).read_text(encoding="utf-8"))
    data.update(changes)
    return json.dumps(data)


BAD_GOLD = [
    pytest.param("{", "not valid JSON", id="json"),
    pytest.param("[]", "top level must be a JSON object", id="not-object"),
    pytest.param(
        json.dumps(
            {
                "document": "a.txt",
                "entities": [{"key": "x", "type": "Country", "names": ["X"]}],
                "facts": [],
            }
        ),
        'type "Country" is not one of',
        id="entity-type",
    ),
    pytest.param(
        json.dumps(
            {
                "document": "a.txt",
                "entities": [{"key": "x", "type": "State", "names": ["X"]}] * 2,
                "facts": [],
            }
        ),
        'key "x" is used twice',
        id="duplicate-key",
    ),
    pytest.param(
        json.dumps(
            {
                "document": "a.txt",
                "entities": [{"key": "x", "type": "State", "names": []}],
                "facts": [],
            }
        ),
        '"names" must be a non-empty list',
        id="no-names",
    ),
    pytest.param(
        json.dumps(
            {
                "document": "a.txt",
                "entities": [{"key": "x", "type": "State", "names": ["X"], "optinal": True}],
                "facts": [],
            }
        ),
        "unknown field(s) optinal",
        id="typo-field",
    ),
    pytest.param(
        gold_with(facts=[["location", "astana-summit", "paris"]]),
        '"paris" is not the key',
        id="unknown-key",
    ),
    pytest.param(
        gold_with(facts=[["startDate", "astana-summit", "8 June 2017"]]),
        "is not an ISO date",
        id="date",
    ),
    pytest.param(
        gold_with(facts=[["startDate", "astana-summit", "2017-02-30"]]),
        "is not an ISO date",
        id="impossible-date",
    ),
    pytest.param(
        gold_with(facts=[["hosted", "astana-summit", "astana"]]),
        'kind "hosted" is not one of',
        id="kind",
    ),
    pytest.param(
        gold_with(facts=[["position", "sergei-lebedev", "Chairman"]]),
        "expected the form",
        id="position-form",
    ),
    pytest.param(
        gold_with(facts=[["chair", "astana-summit", "sergei-lebedev", {"optional": "yes"}]]),
        '{"optional": true}',
        id="flag",
    ),
    pytest.param(gold_with(document="../texts/a.txt"), "bare file name", id="document-path"),
]


@pytest.mark.parametrize(("text", "reason"), BAD_GOLD)
def test_a_malformed_gold_file_is_refused_with_its_name(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = write_gold(tmp_path, text, "broken.gold.json")
    with pytest.raises(InputError) as exc:
        load_gold_file(path)
    assert str(exc.value).startswith(f"{path}: ")
    assert reason in str(exc.value)
    assert exc.value.exit_code == 2


def test_gold_facts_given_twice_count_once_and_required_wins(tmp_path: Path) -> None:
    facts = [
        ["location", "astana-summit", "astana", {"optional": True}],
        ["location", "astana-summit", "astana"],
        ["location", "astana-summit", "astana"],
    ]
    gold = load_gold_file(write_gold(tmp_path, gold_with(facts=facts)))
    assert [(f.kind, f.optional) for f in gold.facts] == [("location", False)]
    assert gold.doc_id == DOC_ID


# -- the command -----------------------------------------------------------------------------
def test_the_command_prints_the_table_and_explains(tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store", mention("res:minsk", "Minsk", 710, "sco:City"))
    result = CliRunner().invoke(
        evaluate_command, ["--gold", str(FIXTURES), "--store", str(store_dir.root), "--explain"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(" " * 22 + "      P")
    assert "Overall (micro)         0.971  1.000  0.985     33      1      0" in result.output
    assert "False hits (FP):" in result.output and '"Minsk" (res:minsk)' in result.output


def test_the_command_writes_json(tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    result = CliRunner().invoke(
        evaluate_command,
        ["--gold", str(FIXTURES), "--store", str(store_dir.root), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["micro"]["f1"] == 1.0


def test_the_command_fails_below_min(tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store", mention("res:minsk", "Minsk", 710, "sco:City"))
    args = ["--gold", str(FIXTURES), "--store", str(store_dir.root)]
    below = CliRunner().invoke(evaluate_command, [*args, "--min", "0.99"])
    assert below.exit_code == 1
    assert isinstance(below.exception, BelowThreshold)
    assert "0.985 is below --min 0.99" in str(below.exception)
    assert "Overall (micro)" in below.output  # the table is printed before failing
    above = CliRunner().invoke(evaluate_command, [*args, "--min", "0.98"])
    assert above.exit_code == 0, above.output


def test_the_command_refuses_a_min_outside_zero_to_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(evaluate_command, ["--gold", str(FIXTURES), "--min", "80"])
    assert result.exit_code == 2
    assert "--min" in result.output


def test_the_command_reports_a_malformed_gold_file(tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    gold_dir = tmp_path / "gold"
    write_gold(
        gold_dir, '{"document": "x.txt", "entities": [], "facts": [["chair"]]}', "x.gold.json"
    )
    result = CliRunner().invoke(
        evaluate_command, ["--gold", str(gold_dir), "--store", str(store_dir.root)]
    )
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == 2
    assert "x.gold.json" in str(result.exception)


def run_scokg(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `scokg evaluate ...` through the real entry point, `scokg.cli.main`."""
    program = (
        "from scokg.cli import cli, main\n"
        "from scokg.evaluate.command import evaluate_command\n"
        "if 'evaluate' not in cli.commands:\n"
        "    cli.add_command(evaluate_command)\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", program, "evaluate", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_through_the_entry_point_a_malformed_gold_file_exits_2(tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, "{not json", "broken.gold.json")
    done = run_scokg("--gold", str(gold_dir), "--store", str(store_dir.root))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("scokg: error: ") and "broken.gold.json" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_through_the_entry_point_a_score_below_min_exits_1(tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store", mention("res:minsk", "Minsk", 710, "sco:City"))
    done = run_scokg("--gold", str(FIXTURES), "--store", str(store_dir.root), "--min", "0.99")
    assert done.returncode == 1
    assert "Overall (micro)" in done.stdout
    assert "below --min 0.99" in done.stderr


def test_an_unbuilt_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ScokgError, match="no graph here yet"):
        CliRunner().invoke(
            evaluate_command,
            ["--gold", str(FIXTURES), "--store", str(tmp_path / "nothing")],
            catch_exceptions=False,
        )
