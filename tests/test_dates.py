"""Finding date expressions and a document's own date."""

from __future__ import annotations

import pytest

from scokg.extract.dates import DateSpan, document_date, find_dates, months
from scokg.extract.text import clean, read_document
from scokg.resources import corpus_dir

DECLARATION = "2017-06-09-astana-declaration.txt"
PRESS_RELEASE = "2017-06-09-astana-summit-press-release.txt"

Row = tuple[str, str, str, str, bool]  # text, begin, finish, precision, relative


def rows(spans: list[DateSpan]) -> list[Row]:
    return [(s.text, s.begin, s.finish, s.precision, s.relative) for s in spans]


def day(text: str, begin: str, finish: str | None = None, relative: bool = False) -> Row:
    return (text, begin, finish or begin, "day", relative)


def month(text: str, begin: str, finish: str | None = None) -> Row:
    return (text, begin, finish or begin, "month", False)


def year(text: str, begin: str, finish: str | None = None, relative: bool = False) -> Row:
    return (text, begin, finish or begin, "year", relative)


# (text, doc_year, expected rows)
CASES: list[tuple[str, int | None, list[Row]]] = [
    # single days
    ("9 June 2017", None, [day("9 June 2017", "2017-06-09")]),
    ("signed on 9 June 2017 in Astana", None, [day("9 June 2017", "2017-06-09")]),
    ("9th June 2017", None, [day("9th June 2017", "2017-06-09")]),
    ("the 9th of June 2017", None, [day("9th of June 2017", "2017-06-09")]),
    ("1st January 2017", None, [day("1st January 2017", "2017-01-01")]),
    ("June 9, 2017", None, [day("June 9, 2017", "2017-06-09")]),
    ("9 JUNE 2017", None, [day("9 JUNE 2017", "2017-06-09")]),
    ("29 February 2016", None, [day("29 February 2016", "2016-02-29")]),
    # abbreviated months
    ("9 Jan 2017", None, [day("9 Jan 2017", "2017-01-09")]),
    ("9 Sept. 2017", None, [day("9 Sept. 2017", "2017-09-09")]),
    ("Sept. 2017", None, [month("Sept. 2017", "2017-09")]),
    ("Dec 2016", None, [month("Dec 2016", "2016-12")]),
    ("on 9 Sept. The end", 2017, [day("9 Sept", "2017-09-09", relative=True)]),
    # day ranges within a month
    ("8-9 June 2017", None, [day("8-9 June 2017", "2017-06-08", "2017-06-09")]),
    ("8\u20139 June 2017", None, [day("8\u20139 June 2017", "2017-06-08", "2017-06-09")]),
    ("8\u20149 June 2017", None, [day("8\u20149 June 2017", "2017-06-08", "2017-06-09")]),
    ("8 \u2014 9 June 2017", None, [day("8 \u2014 9 June 2017", "2017-06-08", "2017-06-09")]),
    ("8 - 9 June 2017", None, [day("8 - 9 June 2017", "2017-06-08", "2017-06-09")]),
    ("8 and 9 June 2017", None, [day("8 and 9 June 2017", "2017-06-08", "2017-06-09")]),
    ("from 8 to 9 June 2017", None, [day("8 to 9 June 2017", "2017-06-08", "2017-06-09")]),
    ("between 8 and 12 June 2017", None, [day("8 and 12 June 2017", "2017-06-08", "2017-06-12")]),
    ("5-12 September 2016", None, [day("5-12 September 2016", "2016-09-05", "2016-09-12")]),
    ("June 8-9, 2017", None, [day("June 8-9, 2017", "2017-06-08", "2017-06-09")]),
    (
        "14-15 May of this year",
        2017,
        [day("14-15 May of this year", "2017-05-14", "2017-05-15", True)],
    ),
    # "and" between two separate days
    (
        "on 8 and 12 June 2017",
        None,
        [day("8", "2017-06-08"), day("12 June 2017", "2017-06-12")],
    ),
    # ranges across months and years
    (
        "25 September-1 November 2016",
        None,
        [day("25 September-1 November 2016", "2016-09-25", "2016-11-01")],
    ),
    (
        "29 January \u2014 8 February 2017",
        None,
        [day("29 January \u2014 8 February 2017", "2017-01-29", "2017-02-08")],
    ),
    (
        "10 June to 10 September 2017",
        None,
        [day("10 June to 10 September 2017", "2017-06-10", "2017-09-10")],
    ),
    (
        "from 10 June to 10 September this year",
        2017,
        [day("10 June to 10 September this year", "2017-06-10", "2017-09-10", True)],
    ),
    (
        "29 December 2016 - 2 January 2017",
        None,
        [day("29 December 2016 - 2 January 2017", "2016-12-29", "2017-01-02")],
    ),
    (
        "29 December - 2 January 2017",
        None,
        [day("29 December - 2 January 2017", "2016-12-29", "2017-01-02")],
    ),
    (
        "June 30 - July 2, 2017",
        None,
        [day("June 30 - July 2, 2017", "2017-06-30", "2017-07-02")],
    ),
    (
        "on 13 September 2016 and 30 March 2017",
        None,
        [day("13 September 2016", "2016-09-13"), day("30 March 2017", "2017-03-30")],
    ),
    # months and month ranges
    ("April 2016", None, [month("April 2016", "2016-04")]),
    ("to be held in June 2018 in China", None, [month("June 2018", "2018-06")]),
    ("in June of this year", 2017, [("June of this year", "2017-06", "2017-06", "month", True)]),
    (
        "August 2016 \u2014 June 2017",
        None,
        [month("August 2016 \u2014 June 2017", "2016-08", "2017-06")],
    ),
    ("August 2016 to June 2017", None, [month("August 2016 to June 2017", "2016-08", "2017-06")]),
    ("June-August 2017", None, [month("June-August 2017", "2017-06", "2017-08")]),
    ("December - February 2017", None, [month("December - February 2017", "2016-12", "2017-02")]),
    ("May and June 2017", None, [month("May", "2017-05"), month("June 2017", "2017-06")]),
    # numeric forms
    ("2017-06-09", None, [day("2017-06-09", "2017-06-09")]),
    ("09.06.2017", None, [day("09.06.2017", "2017-06-09")]),
    ("9.6.2017", None, [day("9.6.2017", "2017-06-09")]),
    ("2017 / 06 / 09", None, [day("2017 / 06 / 09", "2017-06-09")]),
    ("2017/06/09", None, [day("2017/06/09", "2017-06-09")]),
    # years and year ranges
    ("2002", None, [year("2002", "2002")]),
    ("adopted in 2016", None, [year("2016", "2016")]),
    ("the Agreement of 2004", None, [year("2004", "2004")]),
    ("Resolution 1624 (2005)", None, [year("2005", "2005")]),
    ("for 2016-2018", None, [year("2016-2018", "2016", "2018")]),
    ("for 2017\u20132018", None, [year("2017\u20132018", "2017", "2018")]),
    ("2016-18", None, [year("2016-18", "2016", "2018")]),
    ("from 2016 to 2018", None, [year("2016 to 2018", "2016", "2018")]),
    ("between 2015 and 2016", None, [year("2015 and 2016", "2015", "2016")]),
    ("in 2015 and 2016", None, [year("2015", "2015"), year("2016", "2016")]),
    ("by mid-2017", None, [year("2017", "2017")]),
    ('"Peace Mission 2016"', None, [year("2016", "2016")]),
    ("they may 2017 march", None, [year("2017", "2017")]),  # lower-case verbs are not months
    # relative years
    ("this year", 2017, [year("this year", "2017", relative=True)]),
    ("This year", 2017, [year("This year", "2017", relative=True)]),
    ("last year", 2017, [year("last year", "2016", relative=True)]),
    ("next year", 2017, [year("next year", "2018", relative=True)]),
    ("the current year", 2017, [year("current year", "2017", relative=True)]),
    ("on 9 June", 2017, [day("9 June", "2017-06-09", relative=True)]),
    # line breaks and double spaces inside a date
    ("on 9\nJune 2017", None, [day("9\nJune 2017", "2017-06-09")]),
    ("on 9  June  2017", None, [day("9  June  2017", "2017-06-09")]),
    (
        "(29-30\nSeptember 2016, Bishkek)",
        None,
        [day("29-30\nSeptember 2016", "2016-09-29", "2016-09-30")],
    ),
    (
        "August 2016 \u2014\nJune 2017",
        None,
        [month("August 2016 \u2014\nJune 2017", "2016-08", "2017-06")],
    ),
]


@pytest.mark.parametrize(("text", "doc_year", "expected"), CASES)
def test_find_dates(text: str, doc_year: int | None, expected: list[Row]) -> None:
    spans = find_dates(text, doc_year=doc_year)
    assert rows(spans) == expected
    for span in spans:
        assert text[span.start : span.end] == span.text


# Text that holds no date (or none that can be trusted).
NOT_DATES: list[tuple[str, int | None]] = [
    ("31 June 2017", None),  # no 31 June
    ("29 February 2017", None),  # not a leap year
    ("32 May 2017", None),
    ("9-8 June 2017", None),  # a range that goes backwards
    ("10 September 2017 to 10 June 2017", None),
    ("June 2017 - April 2017", None),
    ("2018-2016", None),
    ("2017-13-01", None),
    ("31.06.2017", None),
    ("resolution 2199", None),
    ("resolutions 2199 and 2253", None),
    ("Security Council resolutions 2005 and 2006", None),
    ("No. 2005", None),
    ("EXPO-2017", None),
    ("COVID-2019", None),
    ("the 19 UN instruments and the 28th Universiade", None),
    ("20170609", None),
    ("2,017 people and 2017.5 units", None),
    ("this year", None),  # relative without the document's year
    ("14-15 May of this year", None),
    ("on 9 June", None),  # no year at all
    ("over the last year", 2017),  # a period of time, not a calendar year
    ("1990s", None),
]


@pytest.mark.parametrize(("text", "doc_year"), NOT_DATES)
def test_no_date(text: str, doc_year: int | None) -> None:
    assert find_dates(text, doc_year=doc_year) == []


def test_dates_are_in_text_order_and_do_not_overlap() -> None:
    text = "In 2016, on 8-9 June 2017 and in April 2016 (2017-2018), this year"
    spans = find_dates(text, doc_year=2017)
    assert [s.text for s in spans] == [
        "2016",
        "8-9 June 2017",
        "April 2016",
        "2017-2018",
        "this year",
    ]
    for first, second in zip(spans, spans[1:], strict=False):
        assert first.end <= second.start


def test_month_table() -> None:
    table = months()
    assert sorted(set(table.values())) == list(range(1, 13))
    assert table["Sept"] == 9 and table["Jan"] == 1 and table["May"] == 5


# --- the sample corpus ----------------------------------------------------------------


def corpus_clean(name: str) -> str:
    return clean(read_document(corpus_dir() / name)).text


def test_press_release_chairmanship_events() -> None:
    paragraph = next(
        p
        for p in corpus_clean(PRESS_RELEASE).split("\n")
        if p.startswith("During the chairmanship")
    )
    spans = find_dates(paragraph, doc_year=2017)
    dated = [(s.begin, s.finish) for s in spans if s.precision != "year"]
    assert dated == [
        ("2016-11-02", "2016-11-03"),  # Heads of Government Council Meeting
        ("2017-04-20", "2017-04-21"),  # Ministers of Foreign Affairs Council Meeting
        ("2016-08", "2017-06"),  # National Coordinators Council meetings
        ("2016-09-13", "2016-09-13"),  # RATS Council, Almaty
        ("2017-03-30", "2017-03-30"),  # RATS Council, Tashkent
        ("2016-11-29", "2016-11-30"),  # Prosecutors General
        ("2016-09-22", "2016-09-22"),  # Supreme Courts Chairmen
        ("2017-04-05", "2017-04-06"),  # Security Council Secretaries
        ("2016-09-29", "2016-09-30"),  # Finance ministers (across the page break)
        ("2016-10-20", "2016-10-20"),  # Ministers of Education
        ("2016-10-28", "2016-10-28"),  # Ministers of Justice
        ("2017-06-02", "2017-06-02"),  # Ministers of Culture
        ("2017-06-07", "2017-06-07"),  # Ministers of Defence
        ("2016-10-12", "2016-10-12"),  # Foreign Economy and Trade
        ("2016-09-04", "2016-09-04"),  # Science and Technology
        ("2017-04-14", "2017-04-14"),  # Illicit Drug Trafficking
        ("2016-09-05", "2016-09-12"),  # Peace Mission 2016
        ("2016-09-20", "2016-09-20"),  # Chiefs of the General Staffs
        ("2016-10-19", "2016-10-19"),  # Cooperation 2016
        ("2016-06-08", "2016-06-08"),  # Heads of Border Services
        ("2016-09-25", "2016-11-01"),  # Solidarity 2016
        ("2016-06-07", "2016-06-07"),  # Board of the SCO Business Council
        ("2017-06-08", "2017-06-08"),  # SCO Interbank Consortium Council
        ("2017-06-08", "2017-06-08"),  # Joint Business Forum
        ("2017-05-11", "2017-05-12"),  # SCO Forum
        ("2017-04-25", "2017-04-27"),  # XI Education Week
        ("2017-06-07", "2017-06-11"),  # Youth Forum
        ("2017-06-06", "2017-06-06"),  # Symposium of Leading Scientists
    ]
    # the only bare years are the ones inside the exercise and operation names
    names = [paragraph[s.start - 30 : s.end] for s in spans if s.precision == "year"]
    assert [name.split('"')[-1] for name in names] == [
        "Peace Mission 2016",
        "Cooperation 2016",
        "Solidarity 2016",
    ]


def test_press_release_dates() -> None:
    text = corpus_clean(PRESS_RELEASE)
    found = [(s.text, s.begin, s.finish) for s in find_dates(text, doc_year=2017)]
    assert found[:14] == [
        ("2017 / 06 / 09", "2017-06-09", "2017-06-09"),
        ("8-9 June 2017", "2017-06-08", "2017-06-09"),
        ("2025", "2025", "2025"),  # Strategy Until 2025
        ("2016", "2016", "2016"),  # 2016 Tashkent Summit
        ("12 February 2015", "2015-02-12", "2015-02-12"),
        ("2017-2018", "2017", "2018"),
        ("9 June 2017", "2017-06-09", "2017-06-09"),
        ("2016-2018", "2016", "2018"),
        ("January 2015", "2015-01", "2015-01"),
        ("2030", "2030", "2030"),  # 2030 Agenda
        ("2-3 November 2016", "2016-11-02", "2016-11-03"),
        ("14-15 May 2017", "2017-05-14", "2017-05-15"),
        ("3 November 2016", "2016-11-03", "2016-11-03"),
        ("3 November 2016", "2016-11-03", "2016-11-03"),
    ]
    assert found[-4:] == [
        ("28 October 2016", "2016-10-28", "2016-10-28"),
        ("10 June \u2014 10 September 2017", "2017-06-10", "2017-09-10"),  # EXPO-2017
        ("29 January \u2014 8 February 2017", "2017-01-29", "2017-02-08"),  # Universiade
        ("June 2018", "2018-06", "2018-06"),  # next summit
    ]
    # the head, "the SCO RATS in 2016", the chairmanship paragraph and the tail
    assert len(found) == 14 + 1 + 31 + 4
    assert all("EXPO" not in text[max(0, s.start - 5) : s.start] for s in find_dates(text))


def test_declaration_dates() -> None:
    text = corpus_clean(DECLARATION)
    found = [(s.text, s.begin, s.finish, s.relative) for s in find_dates(text, doc_year=2017)]
    assert found == [
        ("9 June 2017", "2017-06-09", "2017-06-09", False),  # the summit
        ("2002", "2002", "2002", False),  # SCO Charter
        ("2016", "2016", "2016", False),  # memorandums dated 2016
        ("2017-2018", "2017", "2018", False),  # UNSC seat
        ("9 June 2017", "2017-06-09", "2017-06-09", False),  # Convention on Countering Extremism
        ("2016-2018", "2016", "2018", False),
        ("2004", "2004", "2004", False),
        ("2015", "2015", "2015", False),
        ("April 2016", "2016-04", "2016-04", False),  # UNGA special session
        ("13 March 2017", "2017-03-13", "2017-03-13", False),
        ("19 April 2017", "2017-04-19", "2017-04-19", False),
        ("2005", "2005", "2005", False),  # Resolution 1624 (2005)
        ("2006", "2006", "2006", False),
        ("2015", "2015", "2015", False),
        ("2009", "2009", "2009", False),
        ("January 2015", "2015-01", "2015-01", False),
        ("12 February 2015", "2015-02-12", "2015-02-12", False),  # Minsk Agreements
        ("2016", "2016", "2016", False),
        ("2014", "2014", "2014", False),
        ("3 November 2016", "2016-11-03", "2016-11-03", False),
        ("14-15 May of this year", "2017-05-14", "2017-05-15", True),  # Belt and Road Forum
        ("2007", "2007", "2007", False),
        ("2016-2021", "2016", "2021", False),
        ("10 June to 10 September this year", "2017-06-10", "2017-09-10", True),  # EXPO-2017
        ("2010", "2010", "2010", False),
        ("2007", "2007", "2007", False),
        ("2025", "2025", "2025", False),
        ("2016-2020", "2016", "2020", False),
        ("9 June 2017", "2017-06-09", "2017-06-09", False),  # closing "Astana, 9 June 2017"
    ]


def test_declaration_relative_dates_need_the_document_year() -> None:
    text = corpus_clean(DECLARATION)
    assert not [s for s in find_dates(text) if "this year" in s.text]


# --- document_date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("No date here.", "2017-06-09-astana-declaration.txt", "2017-06-09"),
        ("No date here.", "/some/folder/2016-11-03-bishkek.txt", "2016-11-03"),
        ("No date here.", "sco-2018-06-10.txt", "2018-06-10"),
        ("# Title\n\n*2017 / 06 / 09*\n\nText on 3 May 2016.", None, "2017-06-09"),
        ("Title\n9 June 2017\nBody text.", None, "2017-06-09"),
        ("Title\n\nJune 9, 2017\n\nBody.", None, "2017-06-09"),
        ("Body text of the declaration.\n\nAstana, 9 June 2017\n\n\n", None, "2017-06-09"),
        ("Body.\n\nDone at Astana on 9 June 2017.", None, "2017-06-09"),
        ("Body.\n\nAstana, Kazakhstan, 15 June 2001", None, "2001-06-15"),
        ("Body.\n\nSigned in Shanghai, 15 June 2001", "notes.txt", "2001-06-15"),
        # a bad date in the file name falls back to the text
        ("Title\n\n2017 / 06 / 09\n\nBody.", "2017-02-30-x.txt", "2017-06-09"),
        # dates that are not the document's date
        ("The meeting was held on 9 June 2017 in Astana.", None, None),
        ("Title\n\nJune 2017\n\nBody.", None, None),
        ("Title\n\n8-9 June 2017\n\nBody.", None, None),
        ("Body.\n\nThe summit will take place in Astana on 9 June 2017.", None, None),
        ("", None, None),
    ],
)
def test_document_date(text: str, filename: str | None, expected: str | None) -> None:
    assert document_date(text, filename) == expected


@pytest.mark.parametrize("name", [DECLARATION, PRESS_RELEASE])
def test_corpus_document_dates(name: str) -> None:
    raw = read_document(corpus_dir() / name)
    assert document_date(raw, name) == "2017-06-09"
    assert document_date(raw) == "2017-06-09"  # from the header or the closing line
    assert document_date(clean(raw).text) == "2017-06-09"
