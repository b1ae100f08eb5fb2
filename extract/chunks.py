"""Capitalised names: organisations, instruments and events that no list knows.

A name is a run of capitalised words, possibly joined by lower-case connectors ("Treaty on
the Non-Proliferation of Nuclear Weapons"), inner parentheses ("Heads of Government (Prime
Ministers) Council") and lists inside a complement ("on Combating Terrorism, Separatism and
Extremism"). Its type comes from its head noun (data/heads.tsv): the last word of the
phrase before its complement ("SCO Convention" + "on Countering Extremism"). A head inside
the complement starts a nested name ("Protocol on ... to the Treaty on ..."). The rules
below are about the shape of English names, not about any particular document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scokg.extract import lexicon
from scokg.extract.gazetteer import Match
from scokg.extract.spans import Span
from scokg.extract.tokens import Token

PREPOSITIONS = frozenset(
    {
        "of",
        "on",
        "for",
        "in",
        "to",
        "against",
        "between",
        "among",
        "with",
        "by",
        "towards",
        "until",
        "at",
    }
)
ARTICLES = frozenset({"the", "a", "an"})
# Capitalised words that begin sentences or phrases but never begin a name.
FUNCTION_CAPS = frozenset(
    """The A An This These That Those In On At For With By As To From Of And But Or It Its Their
    They We Our His Her He She There Also Other During Within Under Amid Along Despite Following
    After Before Since While When Where Such All Both Each Every Further Moreover However Thus
    Therefore Besides Meanwhile Today Having Being Guided Based Referring Considering Emphasising
    Emphasizing Noting Recognising Recognizing Welcoming Reaffirming Stressing Taking Mr Mrs Ms
    Dr H.E. His Excellency""".split()
)
# Capitalised words that start a new sentence or clause inside what looks like one run
# ("... in 2025-2026 The Kyrgyz Republic ...").
RUN_BREAKERS = frozenset(
    """The This These Those It Its They Their We He She His Her There Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday""".split()
)
# "... Organisation Member States": words that may follow a body's name inside a longer name.
MEMBERSHIP = frozenset({"Member", "States", "Countries", "Member-States"})
# Plural nouns for the members of a body: "Heads of State Council", "Ministers of Justice
# Meeting" keep their "of" inside the name.
COLLECTIVES = frozenset(
    """Heads Ministers Chiefs Leaders Presidents Speakers Chairmen Chairpersons Secretaries
    Governors Mayors Rectors Directors Prosecutors Representatives Commanders Ombudsmen
    Coordinators Chairs Judges Heads-of-State""".split()
)


MONTH_NAMES = frozenset(
    "January February March April May June July August September October November December".split()
)


def _is_date_word(tokens: Sequence[Token], i: int, hi: int) -> bool:
    """A month name next to a number ("June 2001", "15 June") belongs to a date, not a name."""
    if tokens[i].text not in MONTH_NAMES:
        return False
    after = i + 1 < hi and tokens[i + 1].is_number
    before = i > 0 and tokens[i - 1].is_number
    return after or before


def is_name_token(tok: Token) -> bool:
    return (
        (tok.is_cap and tok.text not in {"(", ")"})
        or tok.is_year
        or (tok.is_number and tok.text.endswith(("st", "nd", "rd", "th")))
    )


def _paren_end(tokens: Sequence[Token], i: int, hi: int) -> int | None:
    """Index after the ")" closing the "(" at ``i``, if it closes within a few tokens."""
    for k in range(i + 1, min(hi, i + 9)):
        if tokens[k].text == ")":
            return k + 1
        if tokens[k].text in {"(", ".", ";", ","}:
            return None
    return None


def _titlecase(tokens: Sequence[Token]) -> bool:
    words = [t for t in tokens if t.is_word]
    if any(t.is_number for t in tokens):
        return False
    return bool(words) and all(t.is_cap or t.text in lexicon.connectors() for t in words)


def _acronyms_only(tokens: Sequence[Token]) -> bool:
    words = [t for t in tokens if t.is_word]
    return bool(words) and all(t.is_acronym for t in words)


def runs(tokens: Sequence[Token], lo: int, hi: int) -> list[tuple[int, int]]:
    """Maximal capitalised runs in tokens[lo:hi]."""
    connectors = lexicon.connectors()
    out: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        tok = tokens[i]
        if not is_name_token(tok) or tok.text in FUNCTION_CAPS or _is_date_word(tokens, i, hi):
            i += 1
            continue
        if tok.is_year and i + 1 < hi and not is_name_token(tokens[i + 1]):
            i += 1  # "of 2006 and the Agreement ...": the year dates what came before
            continue
        j = i + 1
        in_complement = False
        while j < hi:
            t = tokens[j]
            if is_name_token(t) and t.text not in RUN_BREAKERS and not _is_date_word(tokens, j, hi):
                j += 1
                continue
            if t.text in {"'s", "’s"} and j + 1 < hi and tokens[j + 1].is_cap:
                j += 1
                continue
            if t.text == "(":
                end = _paren_end(tokens, j, hi)
                if end is not None and _titlecase(tokens[j + 1 : end - 1]):
                    followed = end < hi and is_name_token(tokens[end])
                    followed = followed or (
                        end + 1 < hi
                        and tokens[end].text in connectors
                        and tokens[end].text not in {"and", "the"}
                        and is_name_token(tokens[end + 1])
                    )
                    if followed or not _acronyms_only(tokens[j + 1 : end - 1]):
                        j = end
                        continue
                break
            if t.text in connectors:
                k = j
                while k < hi and tokens[k].text in connectors and k - j < 3:
                    k += 1
                if k < hi and is_name_token(tokens[k]) and tokens[k].text not in FUNCTION_CAPS:
                    if any(tokens[m].text in PREPOSITIONS for m in range(j, k)):
                        in_complement = True
                    j = k
                    continue
                break
            if t.text == "," and in_complement:
                list_end = _list_end(tokens, j, hi)
                if list_end is not None:
                    j = list_end
                    continue
            break
        out.append((i, j))
        i = j
    return out


def _list_end(tokens: Sequence[Token], j: int, hi: int) -> int | None:
    """After a comma inside a complement: the end of a list "A, B and C" of short capitalised
    items without heads, or None when this comma ends the name."""
    heads = lexicon.heads()
    k = j
    while k < hi and tokens[k].text == ",":
        k += 1
        n = 0
        while k < hi and is_name_token(tokens[k]) and n < 4:
            if tokens[k].text in heads or tokens[k].text in FUNCTION_CAPS:
                return None
            k += 1
            n += 1
        if n == 0:
            return None
        if k < hi and tokens[k].text == "and":
            k += 1
            n = 0
            while k < hi and is_name_token(tokens[k]) and n < 4:
                k += 1
                n += 1
            return k if n else None
    return None


@dataclass
class _Segment:
    prep: str | None  # the preposition before it
    start: int  # first token (after articles)
    end: int


def _segments(tokens: Sequence[Token], i: int, j: int) -> list[_Segment]:
    segs: list[_Segment] = []
    prep: str | None = None
    k = i
    depth = 0
    while k < j:
        start = k
        while k < j and (depth > 0 or k == i or tokens[k].text.lower() not in PREPOSITIONS):
            if tokens[k].text == "(":
                depth += 1
            elif tokens[k].text == ")":
                depth -= 1
            k += 1
        s = start
        while s < k and tokens[s].text in ARTICLES:
            s += 1
        # "Opening the Meeting of ...": an article after a capitalised word starts the name
        heads = lexicon.heads()
        for m in range(s + 1, k - 1):
            if tokens[m].text not in {"the", "a", "an"}:
                continue
            if tokens[m - 1].text not in {"and", "or"}:
                s = m + 1
            elif not any(tokens[x].text in heads for x in range(s, m - 1)):
                s = m + 1  # "... 2001 and the SCO Convention": the left part names nothing
        if s < k:
            segs.append(_Segment(prep, s, k))
        if k < j:
            prep = tokens[k].text.lower()
            k += 1
    return segs


def _appositive(tokens: Sequence[Token], k: int, end: int) -> bool:
    """Whether tokens[k:end] may follow a head in a name: EXPO-2017, 2016, (Special Account)."""
    m = k
    while m < end:
        t = tokens[m]
        if t.text == "(":
            close = _paren_end(tokens, m, end + 1)
            if close is None:
                return False
            m = close
            continue
        if not (t.is_acronym or t.is_year or t.is_number or t.is_roman or t.text in MEMBERSHIP):
            return False
        m += 1
    return True


def _head_in(tokens: Sequence[Token], seg: _Segment) -> tuple[int, int] | None:
    """(head index, name end) of a segment: the rightmost head word; the name ends at it unless
    only appositive tokens follow."""
    heads = lexicon.heads()
    depth = 0
    found: int | None = None
    for k in range(seg.start, seg.end):
        t = tokens[k].text
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth == 0 and t in heads:
            found = k
    if found is None:
        return None
    if _appositive(tokens, found + 1, seg.end):
        return found, seg.end
    return found, found + 1


class NameFinder:
    """Finds capitalised names in one sentence, given the gazetteer matches around them."""

    def __init__(self, tokens: Sequence[Token], text: str, matches: Sequence[Match]) -> None:
        self.tokens = tokens
        self.text = text
        self.by_span = {(m.start, m.end): m for m in matches}
        self.starts_at: dict[int, Match] = {}
        for m in matches:
            if m.start not in self.starts_at or self.starts_at[m.start].end < m.end:
                self.starts_at[m.start] = m
        self.ends_at: dict[int, Match] = {}
        for m in matches:
            old = self.ends_at.get(m.end)
            if old is None or m.start < old.start:
                self.ends_at[m.end] = m

    def surface(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start : self.tokens[j - 1].end]

    def _is_place(self, seg: _Segment, states_only: bool = False) -> bool:
        m = self.by_span.get((seg.start, seg.end))
        kinds = {"State"} if states_only else {"City", "State"}
        return m is not None and m.entry.type in kinds

    def find(self, lo: int, hi: int) -> list[Span]:
        spans: list[Span] = []
        for i, j in runs(self.tokens, lo, hi):
            spans.extend(self._in_run(i, j))
        return spans

    def _in_run(self, i: int, j: int) -> list[Span]:
        """Names in the run tokens[i:j], outer name first, then what the run holds besides."""
        tokens = self.tokens
        heads = lexicon.heads()
        split = self._coordination_split(i, j)
        if split is not None:
            left_end, right_start = split
            return self._in_run(i, left_end) + self._in_run(right_start, j)
        segs = _segments(tokens, i, j)
        for idx, seg in enumerate(segs):
            found = _head_in(tokens, seg)
            if found is None:
                continue
            head, name_end = found
            if (
                tokens[head].text in {"Government", "State"}
                and idx > 0
                and seg.prep == "of"
                and tokens[segs[idx - 1].end - 1].text in {"Heads", "Head"}
                and name_end == head + 1
                and head == seg.end - 1
            ):
                continue  # "Heads of Government" are people, not a body
            if (
                name_end < seg.end
                and tokens[seg.end - 1].text in COLLECTIVES
                and idx + 1 < len(segs)
                and segs[idx + 1].prep == "of"
            ):
                continue  # "<organisation> Heads of Government Council Session": one name
            first = idx
            while (
                first > 0
                and segs[first].prep == "of"
                and tokens[segs[first - 1].end - 1].text in COLLECTIVES
            ):
                first -= 1
            start = segs[first].start
            end = name_end
            nested_from: list[int] = []
            end_of_run = segs[-1].end
            if name_end == seg.end:
                for nxt in range(idx + 1, len(segs)):
                    s = segs[nxt]
                    if s.prep in {"in", "at"} and self._is_place(s):
                        break
                    known_so_far = self.by_span.get((segs[first].start, end))
                    if (
                        known_so_far is not None
                        and known_so_far.entry.type == heads[tokens[head].text].type
                        and self._is_place(s, states_only=True)
                    ):
                        # "Joint Comprehensive Plan of Action on Iran": a known name, its subject
                        break
                    if all(tokens[m].is_year for m in range(s.start, s.end)):
                        # "Programme for 2016-2021" names its years; "of 2004" only dates it
                        if s.prep == "of" or heads[tokens[head].text].type != "Instrument":
                            break
                    inner = _head_in(tokens, s)
                    known = self.starts_at.get(s.start)
                    if known is not None and known.end > s.start:
                        # the segment that holds the end of a known name starting here
                        tail_end = known.end
                        while tail_end < end_of_run and tokens[tail_end].is_cap:
                            tail_end += 1
                        rest = tokens[known.end : tail_end]
                        if (
                            2 <= len(rest) <= 5
                            and all(t.is_cap and t.is_word and not t.is_acronym for t in rest)
                            and rest[0].text not in {"Member", "Members", "States", "Countries"}
                            and not any(t.text in heads for t in rest)
                        ):
                            # "State Council of the People's Republic of China Wang Dechang"
                            end = known.end
                            break
                    if inner is not None:
                        nested_from.append(nxt)
                        if inner[1] < s.end:
                            end = inner[1]
                            break
                    end = s.end
            out: list[Span] = []
            word = heads[tokens[head].text]
            if word.type != "-":
                out.append(self._span(start, end, word.type, word.subtype, word.meeting, head))
            for nxt in nested_from:
                for nested in self._in_run(segs[nxt].start, end):
                    nested.attrs.setdefault("inside", word.word)
                    out.append(nested)
            if end < j:
                out.extend(self._in_run(end, j))
            return out
        return []

    def _coordination_split(self, i: int, j: int) -> tuple[int, int] | None:
        """Where "A and the B" joins two names that each stand alone."""
        tokens = self.tokens
        heads = lexicon.heads()
        for k in range(i + 1, j - 1):
            if tokens[k].text != "and":
                continue
            right = k + 1
            while right < j and tokens[right].text in ARTICLES:
                right += 1
            right_segs = _segments(tokens, right, j)
            if not right_segs:
                continue
            rhead = _head_in(tokens, right_segs[0])
            right_type = heads[tokens[rhead[0]].text].type if rhead else None
            if right_type is None and not any(
                m.start == right and m.entry.type not in {"City"} for m in self.by_span.values()
            ):
                continue
            left_segs = _segments(tokens, i, k)
            governing = None
            for s in left_segs:
                h = _head_in(tokens, s)
                if h is not None:
                    governing = heads[tokens[h[0]].text].type
                    break
            left_has_prep = any(tokens[m].text in PREPOSITIONS for m in range(i, k))
            if (
                governing in {"Event", "Instrument"}
                and left_has_prep
                and right_type in {None, "Organisation"}
            ):
                continue
            left_ok = tokens[k - 1].text in heads or (k in self.ends_at)
            if governing is None and not left_ok:
                continue
            return k, right
        return None

    def _span(
        self, i: int, j: int, typ: str, subtype: str | None, meeting: bool, head: int
    ) -> Span:
        tokens = self.tokens
        while i < j and (tokens[i].text in FUNCTION_CAPS or tokens[i].text in ARTICLES):
            i += 1
        names = [self.surface(i, j)]
        names.extend(self._rebuilt_names(i, j))
        if head + 1 < j and all(t.is_acronym for t in tokens[head + 1 : j]):
            names.append(self.surface(head + 1, j))  # "Exhibition EXPO-2017"
        if (
            tokens[head].text in {"Declaration", "Communiqué", "Communique", "Statement"}
            and head + 1 < j
            and tokens[head + 1].text in {"of", "by"}
            and head - i >= 1
            and not tokens[i].is_acronym
        ):
            names.append(self.surface(i, head + 1))  # "Bishkek Declaration" of "... of the SCO"
        short = None
        if typ == "Organisation" and head + 1 < j and head - i >= 1:
            # "Expert Working Group on Transport Cooperation", later "the Expert Working Group":
            # a short form a later mention may use (not a name of this mention)
            short = self.surface(i, head + 1)
        return Span(
            start=i,
            end=j,
            type=typ,
            ref="",
            names=names,
            source="chunk",
            subtype=subtype,
            meeting=meeting,
            attrs={"short": short} if short else {},
        )

    def _rebuilt_names(self, i: int, j: int) -> list[str]:
        """Forms the document implies: without a leading year, without a parenthesis, with
        a parenthesised abbreviation put in place of what it abbreviates."""
        tokens = self.tokens
        out: list[str] = []
        if tokens[i].is_year and j - i > 1:
            out.append(self.surface(i + 1, j))
        for k in range(i, j):
            if tokens[k].text != "(":
                continue
            close = _paren_end(tokens, k, j + 1)
            if close is None:
                continue
            before = self.text[tokens[i].start : tokens[k].start].rstrip()
            after = self.text[tokens[close - 1].end : tokens[j - 1].end] if close < j else ""
            out.append(" ".join((before + " " + after.strip()).split()))
            abbreviated = self.ends_at.get(k)
            if abbreviated is not None and _acronyms_only(tokens[k + 1 : close - 1]):
                prefix = self.text[tokens[i].start : tokens[abbreviated.start].start]
                inner = self.text[tokens[k + 1].start : tokens[close - 2].end]
                out.append(" ".join((prefix + inner + " " + after.strip()).split()))
        return [n for n in out if n]
