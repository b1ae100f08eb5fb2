"""Relations stated in a sentence: who attended and chaired, which state has which status,
which instrument was signed when and where.

Each relation is signalled by cue words (data/cues.tsv); the entities it links are the
mentions of the right type in the cue's clause. The functions take the sentence's settled
mentions and return facts; they know nothing about particular documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scokg.extract import lexicon
from scokg.extract.dates import DateSpan
from scokg.extract.tokens import Token

# "the Republic of Kazakhstan as a non-permanent member of the UN Security Council"
AS_MEMBER_OF = re.compile(
    r"\bas (?:an? |the )?(?:full(?:-fledged)? |new |non-permanent |permanent |founding )?"
    r"member(?: state)? of\b",
    re.I,
)
# A membership that is only asked for or being prepared is not a status.
NOT_YET = re.compile(
    r"\b(?:appl(?:y|ied|ication)|request|bid|candida|procedure|aspir|prospect)", re.I
)
CLAUSE_BREAKS = frozenset({";", ":"})


@dataclass(frozen=True)
class Item:
    """A mention in the sentence, reduced to what relation rules need."""

    ref: str
    type: str
    start: int  # token index
    end: int
    char_start: int
    char_end: int
    meeting: bool = False


def cue_positions(rel: str, text: str, offset: int = 0) -> list[tuple[int, int]]:
    pattern = lexicon.cues().get(rel)
    if pattern is None:
        return []
    return [(m.start() + offset, m.end() + offset) for m in pattern.finditer(text)]


def chair_and_participants(
    text: str, char_offset: int, items: Sequence[Item]
) -> tuple[list[str], list[str]]:
    """(chairs, participants) among the people of the sentence."""
    people = [i for i in items if i.type == "Person"]
    if not people:
        return [], []
    chair_cues = cue_positions("chair", text, char_offset)
    part_cues = cue_positions("participant", text, char_offset)
    chairs: list[str] = []
    for c_start, c_end in chair_cues:
        cue = text[c_start - char_offset : c_end - char_offset].lower()
        passive = cue.startswith("under") or text[c_end - char_offset :].lstrip().startswith(
            ("by", "over by")
        )
        if passive:
            after = [p for p in people if p.char_start >= c_end]
            if after:
                chairs.append(after[0].ref)
        else:
            before = [p for p in people if p.char_end <= c_start]
            if before:
                chairs.append(before[-1].ref)
    participants: list[str] = []
    if part_cues:
        participants = [p.ref for p in people if p.ref not in chairs or not chair_cues]
    return chairs, participants


def statuses(
    text: str,
    char_offset: int,
    items: Sequence[Item],
    tokens: Sequence[Token],
    default_org: str | None,
) -> list[tuple[str, str, str]]:
    """(kind, state, organisation) for memberOf / observerOf / dialoguePartnerOf."""
    out: list[tuple[str, str, str]] = []
    states = [i for i in items if i.type == "State"]
    orgs = [i for i in items if i.type == "Organisation"]
    if not states:
        return out
    claimed: set[str] = set()
    for m in AS_MEMBER_OF.finditer(text):
        cue_start, cue_end = m.start() + char_offset, m.end() + char_offset
        before = [s for s in states if s.char_end <= cue_start]
        after = [o for o in orgs if o.char_start >= cue_end]
        if before and after and after[0].char_start - cue_end < 8:
            out.append(("memberOf", before[-1].ref, after[0].ref))
            claimed.add(before[-1].ref)
    if default_org is None or NOT_YET.search(text):
        return out
    cues: list[tuple[int, str]] = []
    for rel, kind in (
        ("member", "memberOf"),
        ("observer", "observerOf"),
        ("dialogue", "dialoguePartnerOf"),
    ):
        for c_start, c_end in cue_positions(rel, text, char_offset):
            if rel == "member" and AS_MEMBER_OF.search(
                text[c_start - char_offset - 6 : c_end - char_offset + 4]
            ):
                continue
            cues.append(((c_start + c_end) // 2, kind))
    if not cues:
        return out
    for state in states:
        if state.ref in claimed:
            continue
        centre = (state.char_start + state.char_end) // 2
        before = [c for c in cues if c[0] <= centre]
        nearest = before[-1] if before else min(cues, key=lambda c: abs(c[0] - centre))
        if _same_clause(text, char_offset, nearest[0], centre):
            out.append((nearest[1], state.ref, default_org))
    return out


def _same_clause(text: str, offset: int, a: int, b: int) -> bool:
    lo, hi = sorted((a - offset, b - offset))
    return not any(ch in text[lo:hi] for ch in CLAUSE_BREAKS)


def signings(
    text: str,
    char_offset: int,
    items: Sequence[Item],
    dates: Sequence[DateSpan],
) -> list[tuple[str, DateSpan | None, str | None]]:
    """(instrument, date, place) for "X, signed on 9 June 2017 in Astana" and "signed X in
    Astana on ...". Offsets (items, dates) are in the document's clean text; ``text`` is
    the sentence, which starts at ``char_offset``."""
    out: list[tuple[str, DateSpan | None, str | None]] = []
    instruments = [i for i in items if i.type == "Instrument"]
    if not instruments:
        return out
    for c_start, c_end in cue_positions("signed", text, char_offset):
        before = [i for i in instruments if i.char_end <= c_start and c_start - i.char_end < 12]
        after = [i for i in instruments if i.char_start >= c_end and i.char_start - c_end < 12]
        target = before[-1] if before else (after[0] if after else None)
        if target is None:
            continue
        window_start = max(c_end, target.char_end)
        window_end = window_start + 60
        date = next((d for d in dates if window_start <= d.start < window_end), None)
        place = None
        local = text[window_start - char_offset : window_end - char_offset]
        for item in items:
            if item.type in {"City", "State"} and window_start <= item.char_start < window_end:
                prefix = text[: item.char_start - char_offset].rstrip()
                if prefix.endswith((" in", " at")) and not any(
                    b in local[: item.char_start - window_start] for b in ";"
                ):
                    place = item.ref
                    break
        out.append((target.ref, date, place))
    return out


def adoptions(
    text: str, char_offset: int, items: Sequence[Item], dates: Sequence[DateSpan]
) -> list[tuple[str, DateSpan | None]]:
    """(instrument, date) for "the member states adopted the Statement on ..." (date None: the
    document's meeting) and "the SCO Charter adopted 15 years ago in 2002" (the date)."""
    out: list[tuple[str, DateSpan | None]] = []
    instruments = [i for i in items if i.type == "Instrument"]
    for c_start, c_end in cue_positions("adopted", text, char_offset):
        before = [i for i in instruments if i.char_end <= c_start and c_start - i.char_end < 3]
        after = [i for i in instruments if i.char_start >= c_end and i.char_start - c_end < 8]
        window = [d for d in dates if c_end <= d.start < c_end + 40]
        if before:
            out.append((before[-1].ref, window[0] if window else None))
        elif after:
            subject = text[: c_start - char_offset].lower()
            if re.search(
                r"\b(member states|heads of state|leaders|council|ministers|they|parties)\b",
                subject,
            ):
                out.append((after[0].ref, window[0] if window else None))
    return out
