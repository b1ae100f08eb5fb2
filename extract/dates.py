"""Date expressions in text, resolved to ISO 8601 at the precision they are written.

:func:`find_dates` finds single days ("4 May 2031", "May 4, 2031", "2031-05-04",
"04.05.2031", "2031 / 05 / 04"), day ranges ("3-4 May 2031", "20 October-2 December
2031", "30 December 2031 - 3 January 2032", "from 1 May to 1 August this year"),
months and month ranges ("March 2031", "July 2031 - May 2032"), years and year ranges
("in 2031", "2031-2033") and relative years ("this year", "last year"). Every match is
checked: an impossible date (31 June) or a range that runs backwards is rejected, and it
also hides every shorter date inside it, so nothing is guessed from its pieces.

Whether a bare year such as "Peace Mission 2016" or "the 2030 Agenda" dates something is
the caller's decision; years that are clearly numbers ("resolution 2199", "No. 2005",
"EXPO-2017") are not returned.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from scokg.resources import extract_data_dir


@dataclass(frozen=True)
class DateSpan:
    """A date expression: where it is, what it says, and the dates it stands for."""

    start: int  # offsets in the text given to find_dates
    end: int
    text: str
    begin: str  # ISO 8601 at the precision written: "2017-06-08", "2017-06" or "2017"
    finish: str  # last day/month/year of the span (== begin for a single date)
    precision: str  # "day", "month" or "year"
    relative: bool  # the year came from "this year"/"last year"/... or the document's year


# --------------------------------------------------------------------------------------
# Months


@cache
def months() -> dict[str, int]:
    """Month names and abbreviations (as written in ``months.tsv``) -> month number."""
    return {name: number for name, (number, _kind) in _month_rows().items()}


@cache
def _month_rows() -> dict[str, tuple[int, str]]:
    path = extract_data_dir() / "months.tsv"
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, number, kind = line.split("\t")
        rows[name] = (int(number), kind)
    return rows


def _month_number(word: str) -> int:
    word = word.rstrip(".")
    for name, number in months().items():
        if word in (name, name.upper()):
            return number
    raise KeyError(word)


@cache
def _month_alternation() -> str:
    forms = []
    for name, (_number, kind) in _month_rows().items():
        for form in {name, name.upper()}:
            forms.append((form, r"\.?" if kind == "abbr" else ""))
    forms.sort(key=lambda form: -len(form[0]))
    return "|".join(re.escape(form) + period for form, period in forms)


# --------------------------------------------------------------------------------------
# Building blocks of the patterns

_SP = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)"  # a space run holding at most one line break
_OSP = f"(?:{_SP})?"
_DASH = f"{_OSP}[-\u2010\u2011\u2012\u2013\u2014\u2015]{_OSP}"
_WORD_CONN = f"{_SP}(?:to|till|until|through|and){_SP}"
_CONN = f"(?P<c>{_DASH}|{_WORD_CONN})"
_YEAR_CONN = f"(?P<c>{_DASH}|{_WORD_CONN}|{_OSP}/{_OSP})"
_ANY_YEAR = r"(?<!\d)\d{4}(?!\d)"  # inside a full date any four digits are read as a year
_BARE_YEAR = r"(?<![\w.,])(?<!\d[.,])(?:1[89]\d\d|20\d\d)(?![\w])(?![.,]\d)"  # 1800-2099 alone
_REL = r"(?:[Tt]his|[Cc]urrent|[Ll]ast|[Nn]ext)"


def _day(name: str) -> str:
    """A day of the month, with an optional ordinal suffix ("9th", "9th of")."""
    return f"(?<![\\w.,/:])(?P<{name}>[0-3]?\\d)(?!\\d)(?:(?:st|nd|rd|th)(?:{_SP}of)?)?"


def _month(name: str) -> str:
    return f"(?<![A-Za-z])(?P<{name}>{_month_alternation()})(?![A-Za-z])"


def _tail(year: str, rel: str) -> str:
    """The year after a month: ", 2017", " of 2017", " this year", " of this year"."""
    return (
        f"(?:,?{_SP}(?:of{_SP})?(?P<{year}>{_ANY_YEAR})"
        f"|{_SP}(?:of{_SP})?(?:the{_SP})?(?P<{rel}>{_REL}){_SP}year(?![A-Za-z]))"
    )


# --------------------------------------------------------------------------------------
# Resolution helpers


@dataclass(frozen=True)
class _Context:
    text: str
    doc_year: int | None


_Handler = Callable[[re.Match[str], _Context], "list[DateSpan] | None"]
_REL_DELTA = {"this": 0, "current": 0, "last": -1, "next": 1}
_BETWEEN = re.compile(f"(?i)\\bbetween{_SP}$")
_NUMBER_WORDS = re.compile(
    r"(?i)(?:\bresolutions?|\bdecisions?|\bno\.|\bnos\.|\bnumbers?|#)\s*"
    r"(?:\d+\s*(?:,|and|&|/)\s*)*$"
)
_YEAR_PREFIXES = frozenset({"mid", "early", "late", "pre", "post"})
_HYPHENED_WORD = re.compile(r"([A-Za-z]+)[-\u2010\u2011]$")


def _resolve(match: re.Match[str], year: str, rel: str, ctx: _Context) -> tuple[int, bool] | None:
    """The year a match states, or takes from the document; None when unknown."""
    if match.group(year):
        return int(match.group(year)), False
    if match.group(rel):
        if ctx.doc_year is None:
            return None
        return ctx.doc_year + _REL_DELTA[match.group(rel).lower()], True
    if ctx.doc_year is None:
        return None
    return ctx.doc_year, True


def _valid(year: int, month: int = 1, day: int = 1) -> bool:
    if not 1000 <= year <= 2999 or not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _span(ctx: _Context, start: int, end: int, begin: str, finish: str, relative: bool) -> DateSpan:
    if ctx.text[end - 1] == ".":  # "9 Sept." at a sentence end: the period is not the date's
        end -= 1
    precision = {10: "day", 7: "month", 4: "year"}[len(begin)]
    return DateSpan(start, end, ctx.text[start:end], begin, finish, precision, relative)


def _is_and(match: re.Match[str], ctx: _Context) -> bool:
    """An "and" that joins two separate dates rather than the ends of a range."""
    if match.group("c").strip() != "and":
        return False
    return not _BETWEEN.search(ctx.text, max(0, match.start() - 20), match.start())


def _range(
    match: re.Match[str],
    ctx: _Context,
    first: tuple[int, ...],
    last: tuple[int, ...],
    relative: bool,
    split: bool,
) -> list[DateSpan] | None:
    """A range from ``first`` to ``last`` ((year, month, day) prefixes), checked."""
    if not _valid(*first) or not _valid(*last) or first > last:
        return None
    begin, finish = _iso(*first), _iso(*last)
    if not split:
        return [_span(ctx, match.start(), match.end(), begin, finish, relative)]
    # "8 and 12 June 2017" / "13 September 2016 and 30 March 2017": two dates.
    return [
        _span(ctx, match.start(), match.start("c"), begin, begin, relative),
        _span(ctx, match.end("c"), match.end(), finish, finish, relative),
    ]


# --------------------------------------------------------------------------------------
# Handlers, one per pattern


def _day_month(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    year = _resolve(match, "y", "r", ctx)
    if year is None:
        return None
    day, month = int(match.group("d1")), _month_number(match.group("m1"))
    if not _valid(year[0], month, day):
        return None
    iso = _iso(year[0], month, day)
    return [_span(ctx, match.start(), match.end(), iso, iso, year[1])]


def _days_of_month(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    year = _resolve(match, "y", "r", ctx)
    if year is None:
        return None
    first, last = int(match.group("d1")), int(match.group("d2"))
    month = _month_number(match.group("m2"))
    split = _is_and(match, ctx) and last != first + 1
    return _range(match, ctx, (year[0], month, first), (year[0], month, last), year[1], split)


def _two_years(
    match: re.Match[str], ctx: _Context, first_month: int, last_month: int
) -> tuple[int, int, bool] | None:
    """Years of both ends of a range whose first year may be left out (or the last)."""
    given_first = int(match.group("y1")) if match.group("y1") else None
    if given_first is not None and not match.group("y") and not match.group("r"):
        rollover = 1 if last_month < first_month else 0  # "29 December 2016 - 2 January"
        return given_first, given_first + rollover, False
    last = _resolve(match, "y", "r", ctx)
    if last is None:
        return None
    if given_first is None:
        return last[0] - (1 if first_month > last_month else 0), last[0], last[1]
    return given_first, last[0], last[1]


def _day_month_range(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    first_month, last_month = _month_number(match.group("m1")), _month_number(match.group("m2"))
    years = _two_years(match, ctx, first_month, last_month)
    if years is None:
        return None
    first = (years[0], first_month, int(match.group("d1")))
    last = (years[1], last_month, int(match.group("d2")))
    return _range(match, ctx, first, last, years[2], _is_and(match, ctx))


def _month_day(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    year = _resolve(match, "y", "r", ctx)
    if year is None:
        return None
    first_month = _month_number(match.group("m1"))
    first = (year[0], first_month, int(match.group("d1")))
    if match.group("d2") is None:
        return _range(match, ctx, first, first, year[1], False)
    last_month = _month_number(match.group("m2")) if match.group("m2") else first_month
    last = (year[0], last_month, int(match.group("d2")))
    consecutive = last_month == first_month and last[2] == first[2] + 1
    return _range(match, ctx, first, last, year[1], _is_and(match, ctx) and not consecutive)


def _month_year(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    year = _resolve(match, "y", "r", ctx)
    if year is None:
        return None
    first = (year[0], _month_number(match.group("m1")))
    return _range(match, ctx, first, first, year[1], False)


def _month_range(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    first_month, last_month = _month_number(match.group("m1")), _month_number(match.group("m2"))
    years = _two_years(match, ctx, first_month, last_month)
    if years is None:
        return None
    first, last = (years[0], first_month), (years[1], last_month)
    return _range(match, ctx, first, last, years[2], _is_and(match, ctx))


def _numeric(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    day = (int(match.group("y")), int(match.group("m")), int(match.group("d")))
    return _range(match, ctx, day, day, False, False)


def _number_context(ctx: _Context, start: int) -> bool:
    """Whether the number at ``start`` is a number, not a year ("resolution 2199")."""
    before = ctx.text[max(0, start - 60) : start]
    if _NUMBER_WORDS.search(before):
        return True
    hyphened = _HYPHENED_WORD.search(before)
    return hyphened is not None and hyphened.group(1).lower() not in _YEAR_PREFIXES


def _year_range(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    if _number_context(ctx, match.start()):
        return []
    first, last = int(match.group("y1")), match.group("y2")
    if len(last) == 2:  # "2016-18"; "2017-06" reads as a month
        century = first // 100 * 100
        if int(last) > first % 100:
            return _range(match, ctx, (first,), (century + int(last),), False, False)
        month = (first, int(last))
        return _range(match, ctx, month, month, False, False)
    return _range(match, ctx, (first,), (int(last),), False, _is_and(match, ctx))


def _year(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    if _number_context(ctx, match.start()):
        return []
    year = (int(match.group("y")),)
    return _range(match, ctx, year, year, False, False)


def _relative(match: re.Match[str], ctx: _Context) -> list[DateSpan] | None:
    if ctx.doc_year is None:
        return None
    word = match.group("r")
    if match.group("the") and word.lower() in ("last", "next"):
        return []  # "over the last year": a period of time, not a calendar year
    year = (ctx.doc_year + _REL_DELTA[word.lower()],)
    iso = _iso(*year)
    return [_span(ctx, match.start("r"), match.end(), iso, iso, True)]


# --------------------------------------------------------------------------------------
# The patterns, most specific first (on a tie in length the earlier pattern wins)


@cache
def _patterns() -> list[tuple[re.Pattern[str], _Handler]]:
    numeric_before = r"(?<![\w.,/\-])"
    numeric_after = r"(?![\w/])(?![.,\-]\d)"
    table: list[tuple[str, _Handler]] = [
        # 25 September-1 November 2016 / 29 December 2016 - 2 January 2017 /
        # 10 June to 10 September this year
        (
            f"{_day('d1')}{_SP}{_month('m1')}(?:,?{_SP}(?P<y1>{_ANY_YEAR}))?{_CONN}"
            f"{_day('d2')}{_SP}{_month('m2')}(?:{_tail('y', 'r')})?",
            _day_month_range,
        ),
        # 8-9 June 2017 / 8 - 9 June / 8 and 9 June 2017 / 14-15 May of this year
        (
            f"{_day('d1')}{_CONN}{_day('d2')}{_SP}{_month('m2')}(?:{_tail('y', 'r')})?",
            _days_of_month,
        ),
        # 9 June 2017 / 9th June 2017 / 9th of June / 9 June
        (f"{_day('d1')}{_SP}{_month('m1')}(?:{_tail('y', 'r')})?", _day_month),
        # June 9, 2017 / June 8-9, 2017 / June 30 - July 2, 2017
        (
            f"{_month('m1')}{_SP}{_day('d1')}(?:{_CONN}(?:{_month('m2')}{_SP})?{_day('d2')})?"
            f"(?:{_tail('y', 'r')})?",
            _month_day,
        ),
        # August 2016 - June 2017 / June-August 2017 / from June to August this year
        (
            f"{_month('m1')}(?:,?{_SP}(?P<y1>{_ANY_YEAR}))?{_CONN}{_month('m2')}{_tail('y', 'r')}",
            _month_range,
        ),
        # April 2016 / June of this year
        (f"{_month('m1')}{_tail('y', 'r')}", _month_year),
        # 2017-06-09
        (
            f"{numeric_before}(?P<y>\\d{{4}})-(?P<m>\\d{{2}})-(?P<d>\\d{{2}}){numeric_after}",
            _numeric,
        ),
        # 2017 / 06 / 09
        (
            f"{numeric_before}(?P<y>\\d{{4}}){_OSP}/{_OSP}(?P<m>\\d{{1,2}}){_OSP}/{_OSP}"
            f"(?P<d>\\d{{1,2}}){numeric_after}",
            _numeric,
        ),
        # 09.06.2017 (day.month.year)
        (
            f"{numeric_before}(?P<d>\\d{{1,2}})\\.(?P<m>\\d{{1,2}})\\.(?P<y>\\d{{4}}){numeric_after}",
            _numeric,
        ),
        # 2016-2018 / 2016 to 2018 / between 2016 and 2018
        (f"(?P<y1>{_BARE_YEAR}){_YEAR_CONN}(?P<y2>{_BARE_YEAR})", _year_range),
        # 2016-18
        (f"(?P<y1>{_BARE_YEAR})(?P<c>[-\u2013])(?P<y2>\\d{{2}})(?![\\w])(?![.,]\\d)", _year_range),
        # 2016
        (f"(?P<y>{_BARE_YEAR})", _year),
        # this year / the current year / last year / next year
        (f"(?<![A-Za-z])(?:(?P<the>[Tt]he){_SP})?(?P<r>{_REL}){_SP}year(?![A-Za-z])", _relative),
    ]
    return [(re.compile(pattern), handler) for pattern, handler in table]


# --------------------------------------------------------------------------------------
# Public API


def find_dates(text: str, *, doc_year: int | None = None) -> list[DateSpan]:
    """Every date expression in ``text``: non-overlapping, in text order, longest first.

    ``doc_year`` resolves "this year", "last year", "next year" and dates written without
    a year ("on 9 June"); without it those are not returned. An expression that cannot be
    a date (31 June, a range that runs backwards, a relative year without ``doc_year``)
    yields nothing, and neither does anything inside it.
    """
    ctx = _Context(text, doc_year)
    candidates: list[tuple[int, int, int, list[DateSpan] | None]] = []
    for order, (pattern, handler) in enumerate(_patterns()):
        for match in pattern.finditer(text):
            spans = handler(match, ctx)
            if spans != []:
                candidates.append((match.start(), match.end(), order, spans))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    taken: list[tuple[int, int]] = []
    found: list[DateSpan] = []
    for start, end, _order, spans in candidates:
        position = bisect.bisect_left(taken, (start, end))
        if position > 0 and taken[position - 1][1] > start:
            continue
        if position < len(taken) and taken[position][0] < end:
            continue
        taken.insert(position, (start, end))
        found.extend(spans or [])
    return sorted(found, key=lambda span: span.start)


_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DECORATION = re.compile(r"^[\s#>*_]+|[\s*_#]+$")
_PLACE = re.compile(
    r"^(?:(?:Done|Signed|Adopted|Issued|Made)\s+(?:at|in)\s+)?"
    r"(?:[A-Z][\w'.\-]*(?:,?\s+[A-Z][\w'.\-]*){0,3})?,?\s*(?:on\s+|the\s+)?$"
)
_HEADER_LINES = 6
_CLOSING_LINES = 3
_DATE_LINE_LENGTH = 80


def _date_line(line: str) -> str | None:
    """The day a line like "2017 / 06 / 09" or "Astana, 9 June 2017" states."""
    if len(line) > _DATE_LINE_LENGTH:
        return None
    spans = find_dates(line)
    if not spans:
        return None
    last = spans[-1]
    if last.precision != "day" or last.begin != last.finish:
        return None
    if any(char.isalnum() for char in line[last.end :]):
        return None
    return last.begin if _PLACE.match(line[: last.start]) else None


def document_date(raw_or_clean: str, filename: str | None = None) -> str | None:
    """The date of a document as an ISO day, or None.

    Taken, in this order, from a file name starting "2017-06-09-...", a date line near the
    top ("2017 / 06 / 09", "*9 June 2017*") or a closing "Astana, 9 June 2017" line.
    """
    if filename:
        match = _FILE_DATE.search(Path(filename).name)
        if match:
            year, month, day = (int(group) for group in match.groups())
            if _valid(year, month, day):
                return _iso(year, month, day)
    lines = [_DECORATION.sub("", line) for line in raw_or_clean.splitlines()]
    lines = [line for line in lines if line]
    for line in lines[:_HEADER_LINES] + lines[::-1][:_CLOSING_LINES]:
        found = _date_line(line)
        if found:
            return found
    return None
