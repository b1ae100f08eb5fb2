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

# "<a state> as a non-permanent member of <a council>", "as a founding member of ..."
AS_MEMBER_OF = re.compile(
    r"\bas (?:an? |the )?(?:full(?:-fledged)? |new |non-permanent |permanent |founding )?"
    r"member(?: state)? of\b",
    re.I,
)
# A membership that is only asked for or being prepared is not a status.
NOT_YET = re.compile(
    r"\b(?:appl(?:y|ied|ication)|request|bid|candida|procedure|aspir|prospect)", re.I
)
CLAUSE_BREAKS = frozenset({";"})
# "They were Afghan President ..., ...": a list of the people the last sentence said attended.
LIST_GOES_ON = re.compile(r"^\s*(?:they|these|those)\s+(?:were|included|are)\b", re.I)
# Who signs for the meeting itself: "the leaders signed", "the heads of state signed".
COLLECTIVE_SIGNERS = re.compile(
    r"\b(?:leaders|heads of (?:state|government|delegations?)|ministers|member states|parties|"
    r"prime ministers|presidents)\s+(?:also\s+)?signed\b",
    re.I,
)


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


LIST_JOINERS = re.compile(
    r"(?:[,:;—–-]|\band\b|\bof\b|\bto\b|\bincluding\b|\bnamely\b|\bsuch as\b)(?:\s+the)?\s*$",
    re.I,
)


def statuses(
    text: str,
    char_offset: int,
    items: Sequence[Item],
    tokens: Sequence[Token],
    default_org: str | None,
) -> list[tuple[str, str, str]]:
    """(kind, state, organisation) for memberOf / observerOf / dialoguePartnerOf, from the
    wordings of data/statuses.tsv and "X as a (non-permanent) member of <organisation>"."""
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
            state = before[-1]
            if NOT_YET.search(text[max(0, state.char_start - char_offset - 40) : m.start()]):
                claimed.add(state.ref)  # "begin the procedure for admitting X as a member"
                continue
            out.append(("memberOf", state.ref, after[0].ref))
            claimed.add(state.ref)
    if default_org is None:
        return out

    def local(item_start: int, item_end: int) -> tuple[int, int]:
        return item_start - char_offset, item_end - char_offset

    for rel, where, pattern in lexicon.status_patterns():
        if where in {"after", "before"}:
            for state in states:
                if state.ref in claimed:
                    continue
                s, e = local(state.char_start, state.char_end)
                ok = pattern.search(text[e:]) if where == "after" else pattern.search(text[:s])
                context = text[max(0, s - 40) : e + (ok.end() if ok and where == "after" else 0)]
                if ok and not NOT_YET.search(context):
                    out.append((rel, state.ref, default_org))
            continue
        for m in pattern.finditer(text):
            if where == "list":
                prev_end = m.end()
                for state in states:
                    s, e = local(state.char_start, state.char_end)
                    if s < m.end() or state.ref in claimed:
                        continue
                    if NOT_YET.search(text[m.start() : s]):
                        break
                    gap = text[max(prev_end, s - 12) : s]
                    right_after = prev_end == m.end() and gap.strip().lower() in {"", "the"}
                    if not right_after and not LIST_JOINERS.search(gap):
                        break
                    out.append((rel, state.ref, default_org))
                    prev_end = e
            elif where == "subject":
                clause_start = text.rfind(";", 0, m.start()) + 1
                for state in states:
                    s, e = local(state.char_start, state.char_end)
                    if clause_start <= s and e <= m.start() and s - clause_start < 60:
                        if not NOT_YET.search(text[e : m.start()]):
                            out.append((rel, state.ref, default_org))
    return list(dict.fromkeys(out))


def _same_clause(text: str, offset: int, a: int, b: int) -> bool:
    lo, hi = sorted((a - offset, b - offset))
    return not any(ch in text[lo:hi] for ch in CLAUSE_BREAKS)


CHAIN = re.compile(
    r"^\s*(?:,|and|,\s*and|as well as|,\s*as well as|together with)?\s*(?:the\s+)?$", re.I
)


def _chain_before(text: str, offset: int, instruments: Sequence[Item], cue: int) -> list[Item]:
    """The instruments that end right before ``cue`` and those coordinated with them
    ("the Agreement on X and the Protocol on Y were signed")."""
    before = [i for i in instruments if i.char_end <= cue]
    if not before or cue - before[-1].char_end > 14:
        return []
    chain = [before[-1]]
    for item in reversed(before[:-1]):
        gap = text[item.char_end - offset : chain[-1].char_start - offset]
        if not CHAIN.match(gap):
            break
        chain.append(item)
    return chain


def _chain_after(text: str, offset: int, instruments: Sequence[Item], cue: int) -> list[Item]:
    """The instruments right after ``cue`` and those coordinated with them."""
    after = [i for i in instruments if i.char_start >= cue]
    if not after or after[0].char_start - cue > 14:
        return []
    chain = [after[0]]
    for item in after[1:]:
        gap = text[chain[-1].char_end - offset : item.char_start - offset]
        if not CHAIN.match(gap):
            break
        chain.append(item)
    return chain


def _date_after(
    text: str, offset: int, dates: Sequence[DateSpan], items: Sequence[Item], start: int, width: int
) -> DateSpan | None:
    """A date introduced by "on"/"in" soon after ``start``, not part of a name."""
    for d in dates:
        if not start <= d.start < start + width:
            continue
        if any(i.char_start <= d.start < i.char_end for i in items):
            continue
        before = text[max(0, start - offset) : d.start - offset].rstrip().lower()
        if before.endswith((" on", " in", " of", "dated", " from")) or before in {"on", "in"}:
            return d
    return None


def signings(
    text: str,
    char_offset: int,
    items: Sequence[Item],
    dates: Sequence[DateSpan],
) -> list[tuple[str, DateSpan | None, str | None]]:
    """(instrument, date, place) for "X, signed on 9 June 2017 in Astana", "X and Y were
    signed in Astana on ..." and "signed X ...". Offsets (items, dates) are in the
    document's clean text; ``text`` is the sentence, which starts at ``char_offset``."""
    out: list[tuple[str, DateSpan | None, str | None]] = []
    instruments = [i for i in items if i.type == "Instrument"]
    if not instruments:
        return out
    for c_start, c_end in cue_positions("signed", text, char_offset):
        targets = _chain_before(text, char_offset, instruments, c_start)
        if not targets:
            targets = _chain_after(text, char_offset, instruments, c_end)
        if not targets:
            continue
        window_start = max([c_end] + [t.char_end for t in targets])
        window_end = window_start + 60
        date = _date_after(text, char_offset, dates, items, window_start, 60)
        if date is None:
            first = min(t.char_start for t in targets)
            earlier = [
                d
                for d in dates
                if first - 60 <= d.start < first
                and d.precision == "day"
                and text[: d.start - char_offset].rstrip().lower().endswith(("on", "of"))
            ]
            date = earlier[-1] if earlier else None
        place = None
        for item in items:
            if item.type in {"City", "State"} and window_start <= item.char_start < window_end:
                prefix = text[: item.char_start - char_offset].rstrip()
                between = text[window_start - char_offset : item.char_start - char_offset]
                if prefix.endswith((" in", " at")) and ";" not in between:
                    place = item.ref
                    break
        for target in targets:
            out.append((target.ref, date, place))
    return out


# Subjects that adopt instruments at the document's meeting: no state or outside body.
def adoptions(
    text: str, char_offset: int, items: Sequence[Item], dates: Sequence[DateSpan]
) -> list[tuple[str, DateSpan | None]]:
    """(instrument, date) for "the member states adopted the Statement on ..." and "the
    meeting approved X and Y" (date None: the document's meeting) and "the SCO Charter
    adopted 15 years ago in 2002" (the date)."""
    out: list[tuple[str, DateSpan | None]] = []
    instruments = [i for i in items if i.type == "Instrument"]
    for c_start, c_end in cue_positions("adopted", text, char_offset):
        before = [i for i in instruments if i.char_end <= c_start and c_start - i.char_end < 3]
        date = _date_after(text, char_offset, dates, items, c_end, 40)
        if before:
            out.append((before[-1].ref, date))
            continue
        targets = _chain_after(text, char_offset, instruments, c_end)
        if not targets:
            continue
        local_cue = c_start - char_offset
        clause_start = (
            max(text.rfind(";", 0, local_cue), text.rfind(",", 0, local_cue), 0) + char_offset
        )
        outsiders = [
            i
            for i in items
            if i.type in {"State", "Organisation"}
            and clause_start <= i.char_start < c_start
            and not i.ref.startswith(("shanghai-cooperation-organisation", "sco-"))
        ]
        if outsiders:
            continue  # "the UN General Assembly adopted ...": not the document's meeting
        for target in targets:
            out.append((target.ref, date))
    return out
