"""Incremental builds and the per-document pipeline give what a full build gives.

* reasoning per document (graph/render.py) equals owlrl over the union of all graphs;
* adding, changing or removing one document rewrites only the graphs it touches, and the
  store then holds exactly what a full build of the same documents holds;
* a build of an unchanged corpus does nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from scokg.extract.document import extract_document
from scokg.extract.resolve import resolve
from scokg.graph.build import build
from scokg.graph.closure import compiled_closure
from scokg.graph.ntriples import term
from scokg.graph.rdf import corpus_dataset, prepare_positions
from scokg.graph.reason import load_ontology, materialise
from scokg.graph.render import render_corpus
from scokg.graph.store import StoreDir
from scokg.resources import corpus_dir

FIXTURES = Path(__file__).parent / "fixtures"


def plain_quads(store: StoreDir) -> set[str]:
    """Every quad without a blank node (the ontology's restrictions get new labels)."""
    db = store.open_read_only()
    return {
        str(q)
        for q in db
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in [*corpus_dir().glob("*.txt"), *sorted((FIXTURES / "documents").glob("*.txt"))[:4]]:
        shutil.copy(path, folder / path.name)
    return folder


def test_reasoning_per_document_equals_owlrl_over_the_union() -> None:
    docs = [extract_document(p) for p in sorted(corpus_dir().glob("*.txt"))]
    corpus = resolve(docs)
    prepare_positions(corpus)
    _, _, inferred = render_corpus(corpus, compiled_closure())
    union = corpus_dataset(resolve(docs))
    expected = materialise(union, load_ontology())
    assert inferred == {f"{term(s)} {term(p)} {term(o)} ." for s, p, o in expected}
    assert len(inferred) > 1000


def test_unchanged_corpus_is_not_built_again(documents: Path, tmp_path: Path) -> None:
    store = StoreDir(tmp_path / "store")
    build([documents], store, workers=1)
    generation = store.current_generation()
    again = build([documents], store, workers=1)
    assert again.unchanged
    assert store.current_generation() == generation


def test_changing_one_document_rewrites_its_graph_only(documents: Path, tmp_path: Path) -> None:
    store = StoreDir(tmp_path / "store")
    build([documents], store, workers=1)
    target = documents / "2017-06-09-astana-declaration.txt"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace("The member states will continue", "The member states shall continue", 1),
        encoding="utf-8",
    )
    report = build([documents], store, workers=1)
    assert report.incremental and report.rewritten == 1 and report.removed == 0
    # only what the change touched was validated again, and the inferred graph was changed
    # in place: the store must still equal a full build's
    assert report.revalidated is not None and report.revalidated > 0
    full = StoreDir(tmp_path / "full")
    build([documents], full, workers=1)
    assert plain_quads(store) == plain_quads(full)
    assert store.manifest().counts == full.manifest().counts  # counted by difference


def test_adding_and_removing_documents(documents: Path, tmp_path: Path) -> None:
    store = StoreDir(tmp_path / "store")
    build([documents], store, workers=1)
    extra = sorted((FIXTURES / "documents").glob("*.txt"))[5]
    shutil.copy(extra, documents / extra.name)
    added = build([documents], store, workers=1)
    assert added.incremental and added.rewritten >= 1
    graph = ox.NamedNode(f"https://w3id.org/scokg/graph/{extra.stem}")
    assert store.open_read_only().contains_named_graph(graph)
    (documents / extra.name).unlink()
    (documents / "2017-06-09-astana-declaration.txt").unlink()
    removed = build([documents], store, workers=1)
    assert removed.removed == 2 and removed.revalidated is not None
    db = store.open_read_only()
    assert not db.contains_named_graph(graph)
    full = StoreDir(tmp_path / "full")
    build([documents], full, workers=1)
    assert plain_quads(store) == plain_quads(full)
    assert store.manifest().counts == full.manifest().counts  # counted by difference


def test_parallel_build_equals_serial_build(
    documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # small enough a corpus that the pools would not be used: make them be used
    monkeypatch.setattr("scokg.graph.extraction.POOL_THRESHOLD", 2)
    monkeypatch.setattr("scokg.graph.render.POOL_THRESHOLD", 2)
    serial, parallel = StoreDir(tmp_path / "serial"), StoreDir(tmp_path / "parallel")
    build([documents], serial, workers=1)
    build([documents], parallel, workers=2)
    assert plain_quads(serial) == plain_quads(parallel)


def test_synthetic_corpus_changed_added_and_removed_equals_full_builds(tmp_path: Path) -> None:
    """Many documents sharing people, states and meetings: the narrow validation and the
    inferred graph changed by difference must still give what full builds give."""
    from benchmarks import corpus_generator

    folder = tmp_path / "synthetic"
    folder.mkdir()
    for name, text in corpus_generator.generate(24, seed=3, words=400):
        (folder / name).write_text(text, encoding="utf-8")
    store = StoreDir(tmp_path / "store")
    build([folder], store, workers=1)
    files = sorted(folder.glob("*.txt"))
    files[3].write_text(corpus_generator.revise(files[3].read_text(encoding="utf-8")), "utf-8")
    files[7].unlink()
    for name, text in corpus_generator.generate(26, seed=3, words=400):
        if not (folder / name).exists() and name != files[7].name:
            (folder / name).write_text(text, encoding="utf-8")
    report = build([folder], store, workers=1)
    assert report.incremental and report.revalidated is not None
    assert report.removed == 1 and report.rewritten >= 3
    full = StoreDir(tmp_path / "full")
    build([folder], full, workers=1)
    assert plain_quads(store) == plain_quads(full)
    assert store.manifest().counts == full.manifest().counts
    assert store.manifest().extra["warnings"] == full.manifest().extra["warnings"]


def test_loaded_data_makes_the_next_build_validate_everything(
    documents: Path, tmp_path: Path
) -> None:
    from scokg.graph.io import load_files

    store = StoreDir(tmp_path / "store")
    build([documents], store, workers=1)
    extra = tmp_path / "reference.nt"
    extra.write_text(
        '<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\n',
        encoding="utf-8",
    )
    load_files([extra], store)
    target = documents / "2017-06-09-astana-declaration.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nThe parties met again.\n", "utf-8")
    report = build([documents], store, workers=1)
    assert report.incremental and report.revalidated is None  # the whole store, loaded data too
    assert store.manifest().counts["loaded"] == 1
    again = build([documents], store, workers=1)
    assert again.unchanged
