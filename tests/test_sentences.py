"""Splitting clean text into sentences with tight raw spans."""

from __future__ import annotations

import pytest

from scokg.extract.model import Sentence
from scokg.extract.sentences import abbreviations, sentence_bounds, split_sentences
from scokg.extract.text import clean, read_document
from scokg.resources import corpus_dir

DECLARATION = "2017-06-09-astana-declaration.txt"
PRESS_RELEASE = "2017-06-09-astana-summit-press-release.txt"


def sentences_of(raw: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(clean(raw))]


def assert_spans_tight(raw: str, sentences: list[Sentence]) -> None:
    for position, sentence in enumerate(sentences):
        assert sentence.index == position
        assert 0 <= sentence.start < sentence.end <= len(raw)
        assert not raw[sentence.start].isspace() and not raw[sentence.end - 1].isspace()
        assert sentence.text == sentence.text.strip() and sentence.text
    starts = [sentence.start for sentence in sentences]
    assert starts == sorted(starts)
    for first, second in zip(sentences, sentences[1:], strict=False):
        assert first.end <= second.start


CASES = [
    # sentence ends
    ("One sentence. Another one.", ["One sentence.", "Another one."]),
    ("Is it? Yes! Good.", ["Is it?", "Yes!", "Good."]),
    ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
    ("They met (see above.) Then they left.", ["They met (see above.)", "Then they left."]),
    ("It ended in 2016. 2017 was calmer.", ["It ended in 2016.", "2017 was calmer."]),
    ('It ended. "Quoted" start.', ["It ended.", '"Quoted" start.']),
    ("It ended. (Bracketed) start.", ["It ended.", "(Bracketed) start."]),
    ("Wait\u2026 Then go.", ["Wait\u2026", "Then go."]),
    # not sentence ends
    ("The end. the start", ["The end. the start"]),
    ("Members agreed; Others did not.", ["Members agreed; Others did not."]),
    ("Version 2.0 is out.", ["Version 2.0 is out."]),
    ("See eng.sectsco.org for more.", ["See eng.sectsco.org for more."]),
    # abbreviations and initials
    (
        "President N. Nazarbayev chaired the meeting.",
        ["President N. Nazarbayev chaired the meeting."],
    ),
    ("V. Putin and Xi Jinping met. They agreed.", ["V. Putin and Xi Jinping met.", "They agreed."]),
    ("Sh. Mirziyoyev arrived.", ["Sh. Mirziyoyev arrived."]),
    ("Many states, e.g. China and India, agreed.", ["Many states, e.g. China and India, agreed."]),
    ("Some, i.e. Kazakhstan, spoke.", ["Some, i.e. Kazakhstan, spoke."]),
    ("Resolution No. 2199 was cited.", ["Resolution No. 2199 was cited."]),
    ("Mr. Alimov and Dr. Smith met.", ["Mr. Alimov and Dr. Smith met."]),
    ("They went to St. Petersburg.", ["They went to St. Petersburg."]),
    ("Under Art. 5 the parties agree.", ["Under Art. 5 the parties agree."]),
    ("See para. 3 of the text.", ["See para. 3 of the text."]),
    ("It was held on Sept. 9 in Astana.", ["It was held on Sept. 9 in Astana."]),
    ("In Jan. 2017 it began.", ["In Jan. 2017 it began."]),
    ("The U.S. Secretary of State spoke.", ["The U.S. Secretary of State spoke."]),
    ("1. The first point is this.", ["1. The first point is this."]),
    # paragraphs and headings
    ("Heading\n\nBody. More body.", ["Heading", "Body.", "More body."]),
    ("## **Title**\n\n*2017 / 06 / 09*\n\n---\n\nText.", ["Title", "2017 / 06 / 09", "Text."]),
    ("First paragraph without end\nSecond line.", ["First paragraph without end", "Second line."]),
    ("each and every\n\nstate agreed. Next.", ["each and every state agreed.", "Next."]),
    # nothing to split
    ("", []),
    ("v\n\n\\%\n\n12", []),
    ("Text.\n\n)\n\nMore.", ["Text.", "More."]),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_split_sentences(raw: str, expected: list[str]) -> None:
    assert sentences_of(raw) == expected
    assert_spans_tight(raw, split_sentences(clean(raw)))


def test_raw_spans_cover_the_sentence_as_written() -> None:
    raw = "  The meeting was held on 8-9 June 2017\nin Astana.  It  ended.\n"
    sentences = split_sentences(clean(raw))
    assert [raw[s.start : s.end] for s in sentences] == [
        "The meeting was held on 8-9 June 2017\nin Astana.",
        "It  ended.",
    ]
    assert [s.text for s in sentences] == [
        "The meeting was held on 8-9 June 2017 in Astana.",
        "It ended.",
    ]


def test_sentence_bounds_are_the_clean_spans_of_the_sentences() -> None:
    result = clean("Title\n\nOne. Two? Three!")
    bounds = sentence_bounds(result)
    assert [result.text[s:e] for s, e in bounds] == ["Title", "One.", "Two?", "Three!"]
    sentences = split_sentences(result)
    assert [result.raw_span(s, e) for s, e in bounds] == [(s.start, s.end) for s in sentences]


def test_abbreviation_list_is_well_formed() -> None:
    tokens = abbreviations()
    assert {"e.g.", "i.e.", "No.", "Mr.", "Dr.", "St.", "Art.", "para.", "Sept.", "U.S."} <= tokens
    assert all(token.endswith(".") and " " not in token for token in tokens)
    assert "etc." not in tokens


# --- the sample corpus ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "count"), [(DECLARATION, 89), (PRESS_RELEASE, 62)])
def test_corpus_sentences(name: str, count: int) -> None:
    raw = read_document(corpus_dir() / name)
    sentences = split_sentences(clean(raw))
    assert len(sentences) == count
    assert_spans_tight(raw, sentences)


def test_press_release_sentences() -> None:
    raw = read_document(corpus_dir() / PRESS_RELEASE)
    sentences = split_sentences(clean(raw))
    texts = [sentence.text for sentence in sentences]
    assert texts[0] == (
        "Press release on the results of the Shanghai Cooperation Organisation Heads of State"
        " Council Meeting"
    )
    assert texts[1] == "2017 / 06 / 09"
    chaired = texts.index(
        "President of the Republic of Kazakhstan N. Nazarbayev chaired the meeting."
    )
    sentence = sentences[chaired]
    assert raw[sentence.start : sentence.end] == sentence.text
    chairmanship = [t for t in texts if t.startswith("During the chairmanship")]
    assert len(chairmanship) == 1
    assert chairmanship[0].endswith("and other events at different levels.")
    assert "(29-30 September 2016, Bishkek)" in chairmanship[0]
    assert texts[-1] == "Source: http://eng.sectSCO.org/news/20170609/289274.html"


def test_declaration_sentences() -> None:
    raw = read_document(corpus_dir() / DECLARATION)
    sentences = split_sentences(clean(raw))
    texts = [sentence.text for sentence in sentences]
    assert texts[0] == (
        "The Astana declaration of the Heads of State of the Shanghai Cooperation Organisation"
    )
    assert texts[-1] == "Astana, 9 June 2017"
    assert "The member states welcomed the One Belt, One Road initiative." in texts
    relevant = next(t for t in texts if "Resolution 1624 (2005)" in t)
    assert relevant.startswith("In this regard, the member states welcomed the UNSC draft")
    # the sentence across the page break keeps its raw span from first to last word
    sentence = sentences[texts.index(relevant)]
    assert raw[sentence.start : sentence.end].startswith("In this regard")
    assert raw[sentence.start : sentence.end].endswith("incitement to terrorism.")
