"""Instruments whose names capitalised-name rules miss.

* "the 2031 agreement on joint research in seismology", "the 2029 SCO intergovernmental
  agreement on water management": a year, then a lower-case instrument noun and its subject;
* "the Cooperation Agreement in the field of tracing ... of 2030": a capitalised
  instrument whose name runs on in lower case up to a closing "of <year>";
* "UN Security Council resolutions 2199 and 2253", "UNSC Resolution 1624 (2005)": numbered
  resolutions, one instrument each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scokg.extract import lexicon
from scokg.extract.spans import Span
from scokg.extract.tokens import Token

LOWER_HEADS = {
    "agreement": "Agreement",
    "agreements": "Agreement",
    "convention": "Convention",
    "treaty": "Treaty",
    "protocol": "Protocol",
    "memorandum": "Agreement",
    "programme": "Programme",
    "program": "Programme",
    "plan": "Plan",
    "strategy": "Strategy",
    "concept": "Strategy",
    "statement": "Statement",
    "declaration": "Declaration",
    "charter": "Charter",
}
# Lower-case words that may qualify an instrument between its year and its noun.
QUALIFIERS = frozenset(
    {
        "intergovernmental",
        "inter-governmental",
        "multilateral",
        "bilateral",
        "interagency",
        "inter-agency",
        "framework",
        "joint",
        "new",
        "basic",
        "trilateral",
        "regional",
    }
)
# Words that end a lower-case name.
STOPS = frozenset(
    """that which who signed adopted aimed with as to by is was were will would have has had be
    and/or other others its their this these those such""".split()
)
TAIL_STARTS = frozenset({"on", "in", "between", "among", "for", "of", "to"})


def _is_year(tok: Token) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", tok.text))


def year_led(tokens: Sequence[Token], text: str, lo: int, hi: int) -> list[Span]:
    """'the 2031 agreement on joint research in seismology'."""
    out: list[Span] = []
    for k in range(lo, hi - 2):
        if not _is_year(tokens[k]):
            continue
        m = k + 1
        while m < hi and (tokens[m].is_acronym or tokens[m].text.lower() in QUALIFIERS):
            m += 1
        if m >= hi or tokens[m].text not in LOWER_HEADS:
            continue
        head = m
        m += 1
        if m >= hi or tokens[m].text not in TAIL_STARTS:
            continue
        end = m
        while m < hi and m - head < 16:
            t = tokens[m]
            if not t.is_word or (t.is_cap and not t.is_acronym) or t.text in STOPS:
                break
            if t.text == "and" and m + 1 < hi and tokens[m + 1].text in {"the", "other", "a"}:
                break
            m += 1
            if tokens[m - 1].text not in TAIL_STARTS and tokens[m - 1].text != "and":
                end = m
        if end <= head + 1:
            continue
        surface = text[tokens[k].start : tokens[end - 1].end]
        without_year = text[tokens[k + 1].start : tokens[end - 1].end]
        out.append(
            Span(
                start=k,
                end=end,
                type="Instrument",
                ref="",
                names=[surface, without_year],
                source="pattern",
                subtype=LOWER_HEADS[tokens[head].text],
                attrs={"year": tokens[k].text},
            )
        )
    return out


IMPLEMENTS = re.compile(
    r"^\s+(?:for|on)\s+(?:the\s+)?(?:implementation|implementing|realisation|realization)"
    r"(?:\s+of)?(?:\s+the\s+provisions\s+of)?\s+(?:the\s+)?$"
)


def run_on_to_instrument(tokens: Sequence[Token], text: str, spans: Sequence[Span]) -> list[Span]:
    """ "Action Plan for 2018-2022 for implementing the provisions of the Treaty on ...": a
    plan or programme whose name runs on, in lower case, into the instrument it implements."""
    out: list[Span] = []
    instruments = sorted((s for s in spans if s.type == "Instrument"), key=lambda s: s.start)
    for n, span in enumerate(instruments):
        if span.subtype not in {"Plan", "Programme", "Strategy"}:
            continue
        for other in instruments[n + 1 :]:
            if other.start <= span.end:
                continue
            between = text[tokens[span.end - 1].end : tokens[other.start].start]
            if IMPLEMENTS.match(between):
                names = [text[tokens[span.start].start : tokens[other.end - 1].end]]
                out.append(
                    Span(
                        start=span.start,
                        end=other.end,
                        type="Instrument",
                        ref="",
                        names=names,
                        source="pattern",
                        subtype=span.subtype,
                    )
                )
            break
    return out


def run_on_to_year(
    tokens: Sequence[Token], text: str, spans: Sequence[Span], hi: int
) -> list[Span]:
    """Extend a capitalised instrument whose name goes on in lower case up to "of <year>"."""
    out: list[Span] = []
    heads = lexicon.heads()
    for span in spans:
        if span.type != "Instrument" or span.source != "chunk":
            continue
        m = span.end
        if m >= hi or tokens[m].text not in TAIL_STARTS or tokens[m].text == "of":
            continue
        while m < min(hi, span.end + 40):
            t = tokens[m]
            if t.text in {".", ";", ":", "(", ")"}:
                break
            if t.text == "of" and m + 1 < hi and _is_year(tokens[m + 1]):
                if m + 2 >= hi or not tokens[m + 2].is_number:
                    names = [text[tokens[span.start].start : tokens[m - 1].end]]
                    out.append(
                        Span(
                            start=span.start,
                            end=m,
                            type="Instrument",
                            ref="",
                            names=names,
                            source="pattern",
                            subtype=span.subtype,
                        )
                    )
                break
            if t.is_cap and t.text in heads and heads[t.text].type == "Instrument":
                break
            if t.text == "and" and m + 1 < hi and tokens[m + 1].text == "the":
                nxt = tokens[m + 2] if m + 2 < hi else None
                if nxt is not None and nxt.is_cap:
                    break
            m += 1
    return out


_RESOLUTION = re.compile(
    r"(?P<org>(?:United Nations|UN)\s+Security\s+Council|UNSC|Security\s+Council|"
    r"(?:United Nations|UN)\s+General\s+Assembly|UNGA|General\s+Assembly)?\s*"
    r"(?P<word>[Rr]esolutions?)\s+(?:No\.?\s*)?"
    r"(?P<nums>\d{1,4}(?:/\d{1,4})?(?:\s*\(\d{4}\))?"
    r"(?:\s*(?:,|and|,\s*and)\s*\d{1,4}(?:/\d{1,4})?(?:\s*\(\d{4}\))?)*)"
)
_RESOLUTION_BODY = re.compile(
    r"(?:United Nations|UN)\s+Security\s+Council|UNSC|"
    r"(?:United Nations|UN)\s+General\s+Assembly|UNGA"
)
_NUM = re.compile(r"(\d{1,4}(?:/\d{1,4})?)(?:\s*\((\d{4})\))?")


def resolutions(tokens: Sequence[Token], text: str, lo: int, hi: int) -> list[Span]:
    """Numbered resolutions: each number its own instrument, named as written when single,
    rebuilt in the singular when listed ("resolutions 2199 and 2253")."""
    if lo >= hi:
        return []
    begin, finish = tokens[lo].start, tokens[hi - 1].end
    out: list[Span] = []
    starts = {t.start: i for i, t in enumerate(tokens[lo:hi], lo)}
    ends = {t.end: i for i, t in enumerate(tokens[lo:hi], lo)}
    for m in _RESOLUTION.finditer(text, begin, finish):
        org = m.group("org")
        numbered = "/" in m.group("nums") or len(m.group("nums").split()[0]) >= 3
        if org is None and (m.group("word")[0] == "r" and "/" not in m.group("nums")):
            continue
        if org is None:
            # "UN Security Council resolutions, including resolutions 1373 and 2178"
            earlier = list(_RESOLUTION_BODY.finditer(text, max(begin, m.start() - 90), m.start()))
            if earlier:
                org = earlier[-1].group()
        if not numbered and org is None:
            continue
        nums = list(_NUM.finditer(m.group("nums")))
        single = len(nums) == 1
        for num in nums:
            abs_start = m.start("nums") + num.start()
            abs_end = m.start("nums") + num.end()
            first_char = m.start() if single or num is nums[0] else abs_start
            first_char = first_char + (len(m.group()) - len(m.group().lstrip()))
            i = starts.get(first_char)
            j = ends.get(abs_end)
            if i is None or j is None:
                continue
            number, year = num.group(1), num.group(2)
            word = m.group("word").rstrip("s")
            prefix = f"{' '.join(org.split())} " if org else ""
            rebuilt = f"{prefix}{word} {number}"
            names = []
            if single:
                names.append(" ".join(text[m.start() : abs_end].split()).strip())
            names.append(rebuilt)
            attrs = {"year": year} if year else {}
            out.append(
                Span(
                    start=i,
                    end=j + 1,
                    type="Instrument",
                    ref="",
                    names=list(dict.fromkeys(n for n in names if n)),
                    source="pattern",
                    subtype="Resolution",
                    attrs=attrs,
                )
            )
    return out
