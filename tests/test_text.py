"""Cleaning raw document text: the clean text, its paragraphs, and exact raw offsets."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scokg.errors import InputError
from scokg.extract.text import CleanText, clean, normalize_char, read_document
from scokg.resources import corpus_dir

DECLARATION = "2017-06-09-astana-declaration.txt"
PRESS_RELEASE = "2017-06-09-astana-summit-press-release.txt"


def corpus_text(name: str) -> str:
    return read_document(corpus_dir() / name)


def assert_offsets_exact(raw: str, result: CleanText) -> None:
    """Every clean character points at the raw character it came from."""
    assert len(result.offsets) == len(result.text) + 1
    assert result.offsets[-1] == len(raw)
    assert all(a <= b for a, b in zip(result.offsets, result.offsets[1:], strict=False))
    for index, char in enumerate(result.text):
        source = raw[result.offsets[index]]
        if char in " \n":
            assert source.isspace() or normalize_char(source) == " ", (index, source)
        else:
            assert char in normalize_char(source), (index, char, source)


# (raw, clean text): paragraphs are separated by a single "\n".
CASES = [
    # hard wraps and hyphens
    ("one line\nwrapped here", "one line wrapped here"),
    ("Treaty on Long-\nTerm Neighbourliness", "Treaty on Long-Term Neighbourliness"),
    ("the Treaty on Long-\n\nTerm Neighbourliness", "the Treaty on Long-Term Neighbourliness"),
    ("coun\u00ad\ntries", "countries"),
    ("soft\u00adhyphen inside", "softhyphen inside"),
    ("documents \u2014\nthe UN strategy", "documents \u2014 the UN strategy"),
    ("documents\u2014\nthe UN", "documents\u2014the UN"),
    ("line one\r\nline two\rline three", "line one line two line three"),
    # page-break blank lines inside a sentence
    ("each and every\n\nstate, promoting", "each and every state, promoting"),
    ("(29-30\n\nSeptember 2016, Bishkek)", "(29-30 September 2016, Bishkek)"),
    ("strengthen ties\n\nin healthcare", "strengthen ties in healthcare"),
    ("cooperation between\n\n\n\nstates", "cooperation between states"),
    ("builds on the\n\n\n\nRelevant Resolution", "builds on the Relevant Resolution"),
    ("ends with a comma,\n\nAnd goes on", "ends with a comma, And goes on"),
    ("an open bracket (\n\nSee below)", "an open bracket ( See below)"),
    ("President V.\n\nPutin arrived.", "President V. Putin arrived."),
    # ... but a short line ending with a number is a heading
    ("Article 5\n\nThe parties agree.", "Article 5\nThe parties agree."),
    ("a dash at the end -\n\nThe rest", "a dash at the end - The rest"),
    ("member states of the\fShanghai Cooperation", "member states of the Shanghai Cooperation"),
    # blank lines that end a paragraph or a heading
    ("First paragraph.\n\nSecond paragraph.", "First paragraph.\nSecond paragraph."),
    ("Short heading\n\nBody text.", "Short heading\nBody text."),
    ("Is it true?\n\nYes!", "Is it true?\nYes!"),
    ('He said "no."\n\nThen he left.', 'He said "no."\nThen he left.'),
    ('Word "package solution"\n\nThe next one.', 'Word "package solution"\nThe next one.'),
    ("The list follows:\n\nThe first item.", "The list follows:\nThe first item."),
    ("Astana, 9 June 2017\n\nSigned", "Astana, 9 June 2017\nSigned"),
    # unwrapped text: one paragraph per line
    ("Line one.\nLine two.\nLine three.", "Line one.\nLine two.\nLine three."),
    ("A title\nThe body starts here.", "A title\nThe body starts here."),
    # debris from PDF conversion
    ("Paragraph one.\n\nv\n\nParagraph two.", "Paragraph one.\nParagraph two."),
    ("Paragraph one.\n\n\\%\nParagraph two.", "Paragraph one.\nParagraph two."),
    ("Paragraph one.\n\n12\n\nParagraph two.", "Paragraph one.\nParagraph two."),
    ("Paragraph one.\n\n- 3 -\n\nParagraph two.", "Paragraph one.\nParagraph two."),
    ("Paragraph one.\n\nPage 3 of 12\n\nParagraph two.", "Paragraph one.\nParagraph two."),
    ("Paragraph one.\n\niv\n\nParagraph two.", "Paragraph one.\nParagraph two."),
    ("Paragraph one.\n\n\u2022\n\nParagraph two.", "Paragraph one.\nParagraph two."),
    ("the heads of\n\n- 3 -\n\nState met", "the heads of State met"),
    ("the work of the\n\n\f7\n\nCouncil goes on", "the work of the Council goes on"),
    ("v\n\n\\%\n\n3", ""),
    # Markdown decoration
    (
        "## **Press release**\n\n*2017 / 06 / 09*\n\n---\n\nText.",
        "Press release\n2017 / 06 / 09\nText.",
    ),
    ("# Heading #\nText right after.", "Heading\nText right after."),
    ("Title\n=====\n\nText.", "Title\nText."),
    ("Source: <http://eng.sectsco.org/news/1.html>", "Source: http://eng.sectsco.org/news/1.html"),
    ("See [the SCO](http://sco.org) site.", "See the SCO site."),
    (
        "It is *important*, **bold**, __strong__ and `code`.",
        "It is important, bold, strong and code.",
    ),
    ("snake_case_name and 5 * 3 * 2 stay", "snake_case_name and 5 * 3 * 2 stay"),
    ("50\\% of the states", "50% of the states"),
    ("- first item\n- second item\n* third item", "first item\nsecond item\nthird item"),
    ("\u2022 first\n\u2022 second", "first\nsecond"),
    ("1. First point.\n2. Second point.", "1. First point.\n2. Second point."),
    ("> quoted text\n> goes on", "quoted text goes on"),
    # characters
    ("\u201cShanghai spirit\u201d", '"Shanghai spirit"'),
    ("member states\u2019 readiness", "member states' readiness"),
    ("\u00abguillemets\u00bb and \u2018single\u2019", "\"guillemets\" and 'single'"),
    ("a\u00a0b\u2009c\u202fd\te", "a b c d e"),
    ("zero\u200bwidth\u200d joiner\u2060", "zerowidth joiner"),
    ("runs    of     spaces", "runs of spaces"),
    ("  leading and trailing  ", "leading and trailing"),
    ("\ufeffStarts with a BOM.", "Starts with a BOM."),
    ("\ufb01nal of\ufb01ce", "final office"),
    ("non\u2011breaking hyphen", "non-breaking hyphen"),
    ("dashes \u2013 stay \u2014 as they are", "dashes \u2013 stay \u2014 as they are"),
    ("bell\x07 character", "bell character"),
    ("", ""),
    ("   \n\n  \n", ""),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_clean_text(raw: str, expected: str) -> None:
    result = clean(raw)
    assert result.text == expected
    assert_offsets_exact(raw, result)


WRAPPED = (
    "SECTION ONE\n"
    "The member states of the Shanghai Cooperation Organisation note the\n"
    "importance of creating a more equitable world order that meets the\n"
    "interests of each and every state.\n"
    "They believe that talks on reforming the UN Security Council should be\n"
    "carried out through the broadest consultations together with the UN\n"
    "\n"
    "\n"
    "Security Council members and the wider membership of the Organisation.\n"
    "\n"
    "Short closing paragraph.\n"
)


def test_wrapped_text_is_read_by_its_line_lengths() -> None:
    result = clean(WRAPPED)
    assert result.text.split("\n") == [
        "SECTION ONE",
        "The member states of the Shanghai Cooperation Organisation note the importance of"
        " creating a more equitable world order that meets the interests of each and every"
        " state.",
        # a short last line ends its paragraph; a full line before a page break does not
        "They believe that talks on reforming the UN Security Council should be carried out"
        " through the broadest consultations together with the UN Security Council members"
        " and the wider membership of the Organisation.",
        "Short closing paragraph.",
    ]
    assert_offsets_exact(WRAPPED, result)


def test_a_line_ending_with_a_number_runs_on_after_a_blank_line() -> None:
    # The brief's rule: "29-30" at a line end is evidence that the sentence goes on.
    result = clean("The council met in the period 29-30\n\nSeptember 2016 in Bishkek.")
    assert result.text == "The council met in the period 29-30 September 2016 in Bishkek."


def test_inserted_characters_point_at_the_line_break_they_replace() -> None:
    raw = "each and every\n\nstate\nParagraph."
    result = clean(raw)
    space = result.text.index("every") + len("every")
    assert result.text[space] == " "
    assert result.offsets[space] == raw.index("\n")


def test_raw_span_maps_back_to_the_raw_characters() -> None:
    raw = (
        "## **Press release**\n\n"
        "The meeting of the Heads of State Council of the SCO was held on 8-9 June\n"
        "2017 in Astana. President of the Republic of Kazakhstan Nursultan\n"
        "Nazarbayev chaired the meeting and the heads of state signed the\n"
        "declaration of the summit.\n"
    )
    result = clean(raw)
    start = result.text.index("8-9 June 2017")
    raw_start, raw_end = result.raw_span(start, start + len("8-9 June 2017"))
    assert raw[raw_start:raw_end] == "8-9 June\n2017"
    title_start, title_end = result.raw_span(0, len("Press release"))
    assert raw[title_start:title_end] == "Press release"


def test_raw_span_of_an_empty_span_and_out_of_range() -> None:
    raw = "  Text.  "
    result = clean(raw)
    assert result.raw_span(0, 0) == (2, 2)
    assert result.raw_span(len(result.text), len(result.text)) == (len(raw), len(raw))
    with pytest.raises(ValueError):
        result.raw_span(0, len(result.text) + 1)
    with pytest.raises(ValueError):
        result.raw_span(3, 2)


def test_clean_index_inverts_the_offsets() -> None:
    raw = "First  line\n\nv\n\nSecond line."
    result = clean(raw)
    for index in range(len(result.text)):
        assert result.clean_index(result.offsets[index]) == index
    assert result.clean_index(raw.index("Second")) == result.text.index("Second")
    assert result.clean_index(raw.index("v")) == result.text.index("Second")


def test_paragraph_spans() -> None:
    result = clean("Title\n\nFirst paragraph.\n\nSecond paragraph.")
    spans = result.paragraph_spans()
    assert [result.text[s:e] for s, e in spans] == [
        "Title",
        "First paragraph.",
        "Second paragraph.",
    ]
    assert clean("").paragraph_spans() == []


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        ("a", "a"),
        ("\u201c", '"'),
        ("\u201d", '"'),
        ("\u00bb", '"'),
        ("\u2019", "'"),
        ("\u00a0", " "),
        ("\t", " "),
        ("\u00ad", ""),
        ("\u200b", ""),
        ("\ufeff", ""),
        ("\ufb01", "fi"),
        ("\u2013", "\u2013"),
        ("\u2014", "\u2014"),
        ("\x00", ""),
    ],
)
def test_normalize_char(char: str, expected: str) -> None:
    assert normalize_char(char) == expected


# --- the sample corpus ------------------------------------------------------------------


@pytest.mark.parametrize("name", [DECLARATION, PRESS_RELEASE])
def test_corpus_offsets_are_exact(name: str) -> None:
    raw = corpus_text(name)
    assert_offsets_exact(raw, clean(raw))


def test_declaration_paragraphs() -> None:
    paragraphs = clean(corpus_text(DECLARATION)).text.split("\n")
    assert len(paragraphs) == 68
    assert paragraphs[0] == (
        "The Astana declaration of the Heads of State of the Shanghai Cooperation Organisation"
    )
    assert paragraphs[-1] == "Astana, 9 June 2017"
    # every body paragraph is whole: page breaks inside sentences were joined
    for paragraph in paragraphs[1:-1]:
        assert paragraph.endswith("."), paragraph[-60:]
        assert paragraph[0].isupper(), paragraph[:60]
    text = "\n".join(paragraphs)
    for phrase in [
        "each and every state, is based on",
        "builds on the relevant UNSC Resolution 1624 (2005)",
        "to facilitate the development of trade",
        "to strengthen ties in healthcare, science",
        "circulated on behalf of the SCO member states",
        "Treaty on Long-Term Neighbourliness",
        "The member states praise the efforts",
        'the "Shanghai spirit,""',
        "Iran's nuclear programme",
        "on 14-15 May of this year, they supported",
    ]:
        assert phrase in text, phrase
    assert "\nv\n" not in text and "%" not in text


def test_press_release_paragraphs() -> None:
    paragraphs = clean(corpus_text(PRESS_RELEASE)).text.split("\n")
    assert len(paragraphs) == 51
    assert paragraphs[0] == (
        "Press release on the results of the Shanghai Cooperation Organisation Heads of State"
        " Council Meeting"
    )
    assert paragraphs[1] == "2017 / 06 / 09"
    assert paragraphs[-1] == "Source: http://eng.sectSCO.org/news/20170609/289274.html"
    for paragraph in paragraphs[2:-1]:
        assert paragraph.endswith("."), paragraph[-60:]
    text = "\n".join(paragraphs)
    for phrase in [
        "each and every state, promoting",
        "cooperation between states, strengthening independence",
        "increasing the effectiveness of cooperation",
        "Banks Chiefs Meeting (29-30 September 2016, Bishkek)",
        "core UN documents \u2014 the UN Global Counter-Terrorism Strategy",
    ]:
        assert phrase in text, phrase


# --- random texts keep every invariant ----------------------------------------------------

_PIECES = [
    "word",
    "the",
    "State",
    "of",
    "Astana",
    "9 June 2017",
    "(29-30",
    "September)",
    ".",
    ",",
    "Long-",
    "Term",
    "\u201cquoted\u201d",
    "it\u2019s",
    "\u00a0",
    "\u00ad",
    "\u200b",
    "  ",
    "\n",
    "\n",
    "\n\n",
    "\n\n\n\n",
    "\nv\n",
    "\n\\%\n",
    "\n12\n",
    "\f",
    "\r\n",
    "## ",
    "**",
    "*",
    "_",
    "---",
    "<http://a.org/x>",
    "[link](http://b.org)",
    "\u2014",
    "- ",
    "\t",
    "#",
]


@pytest.mark.parametrize("seed", range(40))
def test_random_texts_keep_the_invariants(seed: int) -> None:
    generator = random.Random(seed)
    raw = "".join(
        generator.choice(_PIECES) + generator.choice(["", " "])
        for _ in range(generator.randint(1, 200))
    )
    result = clean(raw)
    assert_offsets_exact(raw, result)
    for paragraph in result.text.split("\n"):
        assert paragraph == paragraph.strip()
        assert "  " not in paragraph
    assert "\n\n" not in result.text
    assert not result.text.startswith("\n") and not result.text.endswith("\n")
    assert not set(result.text) & set("\u00ad\u200b\u201c\u201d\u2019\u00a0\t\f\r")


# --- reading documents ---------------------------------------------------------------------


def test_read_document_returns_the_text(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes("Caf\u00e9 \u2014 line one\r\nline two\n".encode())
    assert read_document(path) == "Caf\u00e9 \u2014 line one\r\nline two\n"


def test_read_document_strips_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfText.")
    assert read_document(path) == "Text."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\t\r\n ", "only whitespace"),
        ("\u00a0\u200b\n".encode(), "only whitespace"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (b"caf\xe9 au lait", "not UTF-8"),
        ("UTF-16 text".encode("utf-16"), "UTF-16"),
    ],
)
def test_read_document_rejects_bad_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert reason in caught.value.reason
    assert caught.value.path == path
    assert str(path) in str(caught.value)


def test_read_document_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")


def test_read_document_rejects_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


def test_read_document_names_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"abc\xff")
    with pytest.raises(InputError, match="0xff at offset 3"):
        read_document(path)
