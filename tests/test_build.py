"""`scokg build`: the bundled corpus end to end, progress, repeatability, and failures that
must leave the previous store intact (SPEC.md: exit 2 for input errors, 1 for SHACL
violations, one readable line on stderr, never a traceback).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import (
    CORPUS_DOCUMENTS,
    DISTINCT_TRIPLES,
    BuiltStore,
    assert_one_clear_error,
    comparable,
    copy_store,
    corpus_build_fixture,  # noqa: F401
    corpus_store_fixture,  # noqa: F401
    count,
    distinct_triples,
    generations,
    run_scokg,
    select,
    write_tiny_document,
)

from scokg import cli
from scokg.errors import InputError, ValidationFailed
from scokg.extract.document import extract_document
from scokg.extract.model import DATE_FACTS, ENTITY_TYPES, FACT_KINDS
from scokg.graph import validate as validate_module
from scokg.graph.build import build, find_documents
from scokg.graph.store import DATABASE, StoreDir
from scokg.resources import corpus_dir
from scokg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH

# Shapes that every built graph violates: each State must have a property nobody states.
IMPOSSIBLE_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sco: <https://w3id.org/scokg/ontology#> .
@prefix ex: <http://example.org/shapes#> .

ex:StateShape a sh:NodeShape ;
    sh:targetClass sco:State ;
    sh:property [ sh:path sco:neverStated ; sh:minCount 1 ;
                  sh:message "a State needs sco:neverStated" ] .
"""


@pytest.fixture(name="previous")
def previous_fixture(corpus_store: Path, tmp_path: Path) -> Path:
    """A private copy of the session's corpus store, the graph a failed build must keep."""
    return copy_store(corpus_store, tmp_path / "store")


def assert_intact(store_dir: Path, original: Path) -> None:
    """The store at ``store_dir`` still serves the graph of ``original``, unchanged."""
    assert StoreDir(store_dir).current_generation() is not None
    assert [g.name for g in generations(store_dir)] == [g.name for g in generations(original)]
    assert distinct_triples(store_dir) == distinct_triples(original)
    assert list(store_dir.glob(".gen-*")) == []
    done = run_scokg("query", "--store", store_dir, "ASK { res:kazakhstan a sco:State }")
    assert (done.returncode, done.stdout.strip()) == (0, "true")


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str | Path) -> int:
    """Run ``scokg.cli.main`` in this process (so monkeypatches apply); its exit status."""
    monkeypatch.setattr(sys, "argv", ["scokg", *map(str, args)])
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


# -- the bundled corpus -----------------------------------------------------------------------


def test_build_of_the_bundled_corpus_succeeds_and_says_what_it_built(
    corpus_build: BuiltStore,
) -> None:
    assert corpus_build.returncode == 0
    assert "Traceback" not in corpus_build.stderr
    assert f"built {len(CORPUS_DOCUMENTS)} document(s) into" in corpus_build.stdout
    for kind in ("City", "Event", "Instrument", "Organisation", "Person", "State"):
        assert f" {kind}" in corpus_build.stdout


def test_build_shows_progress_per_document(corpus_build: BuiltStore) -> None:
    lines = corpus_build.stderr.splitlines()
    assert "extracting 1/2 documents" in lines
    assert "extracting 2/2 documents" in lines
    assert "loading the store" in lines


def test_build_of_the_bundled_corpus_passes_shacl(corpus_store: Path) -> None:
    done = run_scokg("validate", "--store", corpus_store)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conforms" in done.stdout
    assert "Traceback" not in done.stderr


def test_validate_can_print_the_shacl_report_as_turtle(corpus_store: Path) -> None:
    done = run_scokg("validate", "--store", corpus_store, "--format", "turtle")
    assert done.returncode == 0
    report = ox.Store()
    report.load(done.stdout.encode(), format=ox.RdfFormat.TURTLE)
    conforms = report.query(
        "ASK { ?r <http://www.w3.org/ns/shacl#conforms> true }",
    )
    assert bool(conforms)


def test_the_manifest_records_documents_and_counts(corpus_store: Path) -> None:
    store = StoreDir(corpus_store)
    manifest = store.manifest()
    assert set(manifest.documents) == set(CORPUS_DOCUMENTS)
    for doc_id, info in manifest.documents.items():
        data = (corpus_dir() / f"{doc_id}.txt").read_bytes()
        assert info["sha256"] == hashlib.sha256(data).hexdigest()
    db = store.open_read_only()
    for name, graph in (("inferred", INFERRED_GRAPH), ("ontology", ONTOLOGY_GRAPH)):
        stored = count(db, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert manifest.counts[name] == stored, name
    assert manifest.counts["asserted"] > 1000


def resource_iris(db: ox.Store) -> set[str]:
    rows = select(
        db,
        "SELECT DISTINCT ?e { ?e ?p ?o "
        "FILTER(STRSTARTS(STR(?e), 'https://w3id.org/scokg/resource/')) }",
    )
    return {r["e"].value for r in rows}


def plain_quads(db: ox.Store) -> tuple[set[ox.Quad], int]:
    """The quads without blank nodes (whose labels are not stable), and how many have one."""
    plain, blank = set(), 0
    for quad in db:
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            blank += 1
        else:
            plain.add(quad)
    return plain, blank


def test_building_unchanged_documents_again_does_nothing(
    corpus_store: Path, tmp_path: Path
) -> None:
    store_dir = copy_store(corpus_store, tmp_path / "store")
    first = StoreDir(store_dir).current_generation()
    report = build(None, StoreDir(store_dir))
    assert report.unchanged and report.documents == len(CORPUS_DOCUMENTS)
    assert StoreDir(store_dir).current_generation() == first


def test_building_again_gives_the_same_iris_and_triples(corpus_store: Path, tmp_path: Path) -> None:
    store_dir = copy_store(corpus_store, tmp_path / "store")
    first = StoreDir(store_dir).current_generation()
    assert first is not None
    report = build(None, StoreDir(store_dir), full=True)
    second = StoreDir(store_dir).current_generation()
    assert second is not None and second != first
    assert report.documents == len(CORPUS_DOCUMENTS)
    # The previous generation is kept (at most two), so both builds can be compared.
    assert generations(store_dir) == sorted([first, second])
    old = ox.Store.read_only(str(first / DATABASE))
    new = ox.Store.read_only(str(second / DATABASE))
    assert count(new, DISTINCT_TRIPLES) == count(old, DISTINCT_TRIPLES)
    assert resource_iris(new) == resource_iris(old)
    assert plain_quads(new) == plain_quads(old)


# -- one document ----------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", CORPUS_DOCUMENTS)
def test_extract_document_keeps_offsets_into_the_original_file(doc_id: str) -> None:
    path = corpus_dir() / f"{doc_id}.txt"
    raw = path.read_text(encoding="utf-8")
    doc = extract_document(path)
    assert doc.doc_id == doc_id
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.date == "2017-06-09"
    assert len(doc.sentences) > 20
    for sentence in doc.sentences:
        assert 0 <= sentence.start < sentence.end <= len(raw)
        assert comparable(raw[sentence.start : sentence.end]) == comparable(sentence.text)
    by_index = {s.index: s for s in doc.sentences}
    for entity in doc.entities.values():
        assert entity.type in ENTITY_TYPES
        assert entity.names
        for mention in entity.mentions:
            sentence = by_index[mention.sentence]
            assert sentence.start <= mention.start < mention.end <= sentence.end
            assert comparable(raw[mention.start : mention.end]) == comparable(mention.surface)
    assert doc.facts
    for fact in doc.facts:
        assert fact.kind in FACT_KINDS
        assert fact.subject in doc.entities
        assert fact.sentence in by_index
        if fact.kind not in DATE_FACTS:
            assert fact.object in doc.entities, fact


# -- progress and document discovery ----------------------------------------------------------


def test_progress_is_reported_for_every_document(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for name in ("a-note.txt", "b-note.txt", "c-note.txt"):
        write_tiny_document(docs, name)
    calls: list[tuple[str, int, int]] = []
    report = build([docs], StoreDir(tmp_path / "store"), progress=lambda *a: calls.append(a))
    assert report.documents == 3
    assert calls[:3] == [("extract", 1, 3), ("extract", 2, 3), ("extract", 3, 3)]
    assert ("load", 0, 1) in calls


def test_the_cli_prints_extracting_lines_for_several_documents(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for name in ("a-note.txt", "b-note.txt", "c-note.txt"):
        write_tiny_document(docs, name)
    done = run_scokg("build", docs, "--store", tmp_path / "store")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    for n in (1, 3):
        assert f"extracting {n}/3 documents" in lines
    quiet = run_scokg("build", docs, "--store", tmp_path / "store", "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_find_documents_searches_folders_recursively_and_in_order(tmp_path: Path) -> None:
    write_tiny_document(tmp_path / "b", "z-last.txt")
    write_tiny_document(tmp_path / "a" / "deeper", "m-middle.txt")
    write_tiny_document(tmp_path, "a-first.txt")
    (tmp_path / "notes.md").write_text("not a document", encoding="utf-8")
    found = find_documents([tmp_path])
    # In path order, the same on every machine whatever the file system lists first.
    expected = ["a/deeper/m-middle.txt", "a-first.txt", "b/z-last.txt"]
    assert [p.relative_to(tmp_path).as_posix() for p in found] == expected
    # The same file named twice is built once.
    single = tmp_path / "a-first.txt"
    assert find_documents([single, single]) == [single]


def test_find_documents_defaults_to_the_bundled_corpus() -> None:
    assert [p.stem for p in find_documents(None)] == sorted(CORPUS_DOCUMENTS)


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ({"entities.txt": "x"}, "is reserved"),
        ({"one/same-id.txt": "x", "two/same-id.txt": "y"}, "two documents share the id"),
        ({"readme.md": "x"}, "no .txt documents found"),
        ({"Astana summit (draft).txt": "x"}, "cannot be used in an IRI"),
        ({"notes#2.txt": "x"}, "cannot be used in an IRI"),
    ],
)
def test_find_documents_refuses_ambiguous_input(
    tmp_path: Path, layout: dict[str, str], message: str
) -> None:
    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        find_documents([tmp_path])


# -- failures keep the previous store ---------------------------------------------------------

BAD_INPUTS: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b"  \n\n\t\n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    "latin1.txt": "The SCO summit in Astana was a succ\u00e8s.\n".encode("latin-1"),
    "utf16.txt": "The SCO summit was held in Astana.\n".encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_an_unreadable_document_fails_with_exit_2_and_keeps_the_store(
    corpus_store: Path, previous: Path, tmp_path: Path, name: str
) -> None:
    bad = tmp_path / "docs" / name
    bad.parent.mkdir()
    bad.write_bytes(BAD_INPUTS[name])
    done = run_scokg("build", bad, "--store", previous)
    assert done.returncode == 2
    assert_one_clear_error(done.stderr, naming=str(bad))
    assert done.stdout == ""
    assert_intact(previous, corpus_store)


def test_one_bad_document_among_good_ones_changes_nothing(
    corpus_store: Path, previous: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    write_tiny_document(docs, "a-good.txt")
    (docs / "b-empty.txt").write_bytes(b"")
    write_tiny_document(docs, "c-good.txt")
    done = run_scokg("build", docs, "--store", previous, "--quiet")
    assert done.returncode == 2
    # With --quiet there is no progress: stderr is exactly the one error line.
    assert done.stderr.count("\n") == 1
    assert_one_clear_error(done.stderr, naming=str(docs / "b-empty.txt"))
    assert_intact(previous, corpus_store)


@pytest.mark.parametrize("kind", ["missing file", "folder without documents"])
def test_a_bad_path_fails_with_exit_2_and_keeps_the_store(
    corpus_store: Path, previous: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "nowhere.txt"
    if kind == "folder without documents":
        path = tmp_path / "empty-folder"
        path.mkdir()
    done = run_scokg("build", path, "--store", previous)
    assert done.returncode == 2
    assert_one_clear_error(done.stderr, naming=str(path))
    assert_intact(previous, corpus_store)


def test_a_file_name_that_cannot_be_an_iri_fails_with_exit_2_and_keeps_the_store(
    corpus_store: Path, previous: Path, tmp_path: Path
) -> None:
    """Regression: a file name with spaces made an invalid graph IRI, and the build ended in
    a ValueError traceback (exit 1) while loading the store."""
    doc = write_tiny_document(tmp_path / "docs", "Astana summit (draft).txt")
    done = run_scokg("build", doc, "--store", previous)
    assert done.returncode == 2
    assert_one_clear_error(done.stderr, naming=str(doc))
    assert_intact(previous, corpus_store)


def test_a_document_id_with_non_ascii_letters_builds(tmp_path: Path) -> None:
    doc = write_tiny_document(tmp_path / "docs", "Астана-2017_v1.0.txt")
    build([doc], StoreDir(tmp_path / "store"))
    db = StoreDir(tmp_path / "store").open_read_only()
    graphs = {g.value for g in db.named_graphs()}  # type: ignore[union-attr]
    assert "https://w3id.org/scokg/graph/Астана-2017_v1.0" in graphs


def test_a_graph_that_violates_the_shapes_fails_with_exit_1_and_keeps_the_store(
    corpus_store: Path,
    previous: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shapes = tmp_path / "impossible-shapes.ttl"
    shapes.write_text(IMPOSSIBLE_SHAPES, encoding="utf-8")
    # graph/validate.py imported shapes_path by name, so that is the name to replace.
    monkeypatch.setattr(validate_module, "shapes_path", lambda: shapes)
    doc = write_tiny_document(tmp_path / "docs")
    status = run_main(monkeypatch, "build", doc, "--store", previous)
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    assert "a State needs sco:neverStated" in err  # the readable report
    assert "res:kazakhstan" in err
    last = assert_one_clear_error(err, naming="SHACL validation failed")
    assert "violation" in last
    assert_intact(previous, corpus_store)


def test_the_build_function_raises_validation_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shapes = tmp_path / "impossible-shapes.ttl"
    shapes.write_text(IMPOSSIBLE_SHAPES, encoding="utf-8")
    monkeypatch.setattr(validate_module, "shapes_path", lambda: shapes)
    store = StoreDir(tmp_path / "store")
    with pytest.raises(ValidationFailed) as caught:
        build([write_tiny_document(tmp_path / "docs")], store)
    assert caught.value.violations >= 1
    assert caught.value.exit_code == 1
    assert not store.exists()


def test_shapes_that_do_not_parse_are_an_input_error_naming_the_file(
    corpus_store: Path,
    previous: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shapes = tmp_path / "broken-shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:oops a ", "utf-8")
    monkeypatch.setattr(validate_module, "shapes_path", lambda: shapes)
    status = run_main(monkeypatch, "build", write_tiny_document(tmp_path), "--store", previous)
    assert status == 2
    assert_one_clear_error(capsys.readouterr().err, naming=str(shapes))
    assert_intact(previous, corpus_store)


def test_validate_exits_1_when_the_stored_graph_violates_the_shapes(
    corpus_store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shapes = tmp_path / "impossible-shapes.ttl"
    shapes.write_text(IMPOSSIBLE_SHAPES, encoding="utf-8")
    monkeypatch.setattr(validate_module, "shapes_path", lambda: shapes)
    status = run_main(monkeypatch, "validate", "--store", corpus_store)
    captured = capsys.readouterr()
    assert status == 1
    assert "a State needs sco:neverStated" in captured.out
    assert_one_clear_error(captured.err, naming="SHACL validation failed")


def test_a_second_concurrent_writer_is_refused(
    corpus_store: Path, previous: Path, tmp_path: Path
) -> None:
    doc = write_tiny_document(tmp_path / "docs")
    with StoreDir(previous).lock():
        done = run_scokg("build", doc, "--store", previous)
    assert done.returncode == 2
    assert_one_clear_error(done.stderr, naming="another scokg process is writing this store")
    assert_intact(previous, corpus_store)
    # Once the first writer is done, the same build goes through.
    again = run_scokg("build", doc, "--store", previous)
    assert again.returncode == 0, again.stderr
    assert distinct_triples(previous) < distinct_triples(corpus_store)


def test_old_generations_are_removed(tmp_path: Path) -> None:
    doc = write_tiny_document(tmp_path / "docs")
    store = StoreDir(tmp_path / "store")
    seen = []
    for _ in range(3):
        build([doc], store, full=True)
        seen.append(store.current_generation())
        assert len(generations(tmp_path / "store")) <= 2
    assert generations(tmp_path / "store") == sorted(seen[-2:])
    assert not seen[0].exists()  # type: ignore[union-attr]
