"""The synthetic corpus of the build benchmark (benchmarks/corpus_generator.py).

The generator must be deterministic (a benchmark compares runs), give documents of about
the requested length, and write text the real extractor reads as the genre it imitates:
every document yields people, events and dates, and most of the facts the templates put in
are found again.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from scokg.extract.document import extract_text
from scokg.extract.model import DocumentExtraction

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is no package

from benchmarks import corpus_generator as gen  # noqa: E402
from benchmarks.corpus_generator import SyntheticDocument  # noqa: E402

NAME = re.compile(r"\d{4}-\d{2}-\d{2}-synthetic-\d{6}\.txt")


@pytest.fixture(scope="module")
def sample() -> list[SyntheticDocument]:
    return list(gen.generate_documents(24, seed=11))


@pytest.fixture(scope="module")
def extracted(sample: list[SyntheticDocument]) -> list[DocumentExtraction]:
    return [extract_text(d.text, d.name.removesuffix(".txt"), d.name) for d in sample]


# ------------------------------------------------------------------------------ determinism


def test_the_same_seed_gives_the_same_bytes() -> None:
    first = [(n, t.encode("utf-8")) for n, t in gen.generate(8, seed=5)]
    again = [(n, t.encode("utf-8")) for n, t in gen.generate(8, seed=5)]
    assert first == again


def test_another_seed_gives_another_corpus() -> None:
    assert list(gen.generate(4, seed=1)) != list(gen.generate(4, seed=2))


def test_a_smaller_corpus_is_the_start_of_a_larger_one() -> None:
    assert list(gen.generate(3, seed=4)) == list(gen.generate(9, seed=4))[:3]


def test_file_names_are_dated_unique_document_ids(sample: list[SyntheticDocument]) -> None:
    names = [d.name for d in sample]
    assert all(NAME.fullmatch(n) for n in names)
    assert len(set(names)) == len(names)
    assert all(d.name.startswith(d.truth.date) for d in sample)


def test_the_corpus_mixes_the_kinds_of_document() -> None:
    kinds = Counter(d.truth.kind for d in gen.generate_documents(60, seed=3))
    assert set(kinds) == {"press", "news", "report", "declaration", "communique"}


# ------------------------------------------------------------------------------ size


@pytest.mark.parametrize("words", [400, 1000, 2500])
def test_documents_have_about_the_requested_number_of_words(words: int) -> None:
    counts = [len(text.split()) for _, text in gen.generate(12, seed=8, words=words)]
    assert all(0.85 * words <= n <= 1.25 * words for n in counts), counts


def test_some_documents_carry_pdf_debris() -> None:
    texts = [t for _, t in gen.generate(40, seed=2)]
    wrapped = [t for t in texts if max(len(line) for line in t.splitlines()) < 100]
    assert 3 <= len(wrapped) <= 30  # hard-wrapped: about 30% of the corpus
    assert any("\f" in t or re.search(r"\n\n(?:- )?\d{1,3}(?: -)?\n\n", t) for t in wrapped)


# ------------------------------------------------------------------------------ command line


def test_the_command_line_writes_documents_and_truth(tmp_path: Path) -> None:
    assert gen.main([str(tmp_path), "--count", "5", "--seed", "3", "--with-truth"]) == 0
    files = sorted(tmp_path.glob("*.txt"))
    assert [f.name for f in files] == sorted(n for n, _ in gen.generate(5, seed=3))
    for f in files:
        f.read_bytes().decode("utf-8")  # strict UTF-8
    truth = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    assert [t["document"] for t in truth] == [n for n, _ in gen.generate(5, seed=3)]
    assert all(t["people"] and t["events"] for t in truth)


def test_the_command_line_refuses_a_missing_count(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        gen.main([str(tmp_path)])
    assert exc.value.code == 2


def test_a_revised_document_keeps_its_text_and_adds_a_paragraph() -> None:
    _, text = next(gen.generate(1, seed=6))
    revised = gen.revise(text, seed=6)
    assert revised.startswith(text.rstrip("\n")) and len(revised) > len(text) + 100
    assert revised == gen.revise(text, seed=6)


# ------------------------------------------------------------------------------ extraction


def test_every_document_yields_people_events_and_dates(
    extracted: list[DocumentExtraction],
) -> None:
    for doc in extracted:
        types = Counter(e.type for e in doc.entities.values())
        kinds = Counter(f.kind for f in doc.facts)
        assert types["Person"] >= 1, doc.doc_id
        assert types["Event"] >= 1, doc.doc_id
        assert kinds["startDate"] >= 1, doc.doc_id
        assert kinds["position"] >= 1, doc.doc_id


def _names(doc: DocumentExtraction, ref: str) -> set[str]:
    entity = doc.entities.get(ref)
    if entity is None:
        return set()
    return {n.casefold() for n in entity.names} | ({entity.key} if entity.key else set())


def people_found(doc: SyntheticDocument, ex: DocumentExtraction) -> tuple[int, int]:
    """How many of the people the templates put in with a post are extracted with that post
    (same title, a holder named as the text names it), out of how many."""
    refs = {n: e.id for e in ex.entities.values() if e.type == "Person" for n in e.names}
    found = 0
    for person in doc.truth.people:
        ref = refs.get(person.name)
        holders = {h.casefold() for h in person.holders}
        if any(
            f.kind == "position"
            and f.subject == ref
            and (f.title or "").casefold() == person.title.casefold()
            and any(h in n or n in h for h in holders for n in _names(ex, f.object))
            for f in ex.facts
        ):
            found += 1
    return found, len(doc.truth.people)


def events_found(doc: SyntheticDocument, ex: DocumentExtraction) -> tuple[int, int]:
    """How many of the dated events are extracted with their first and last day and their
    place, out of how many."""
    facts: dict[tuple[str, str], set[str]] = {}
    for f in ex.facts:
        if f.kind in {"startDate", "endDate"}:
            facts.setdefault((f.kind, f.subject), set()).add(f.object)
        elif f.kind == "location":
            facts.setdefault(("location", f.subject), set()).update(_names(ex, f.object))
    found = 0
    for event in doc.truth.events:
        if any(
            event.start in facts.get(("startDate", ref), ())
            and event.end in facts.get(("endDate", ref), ())
            and (event.place is None or event.place.casefold() in facts.get(("location", ref), ()))
            for ref in ex.entities
        ):
            found += 1
    return found, len(doc.truth.events)


def test_the_people_put_in_are_found_with_their_posts(
    sample: list[SyntheticDocument], extracted: list[DocumentExtraction]
) -> None:
    found = total = 0
    for doc, ex in zip(sample, extracted, strict=True):
        f, t = people_found(doc, ex)
        found, total = found + f, total + t
    assert total >= 100
    assert found / total >= 0.8, f"{found}/{total} people found with their posts"


def test_the_events_put_in_are_found_with_dates_and_places(
    sample: list[SyntheticDocument], extracted: list[DocumentExtraction]
) -> None:
    found = total = 0
    for doc, ex in zip(sample, extracted, strict=True):
        f, t = events_found(doc, ex)
        found, total = found + f, total + t
    assert total >= 50
    assert found / total >= 0.75, f"{found}/{total} events found with dates and places"
