"""Stances: "The member states welcome ...", "The heads of state praised ...", "Kazakhstan
supports ...". Each stance verb (data/stances.tsv) in a sentence whose subject is the member
states (or a named state) gives one stance per entity named in the clause it governs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scokg.extract import lexicon
from scokg.extract.relations import Item

# Subjects that speak for the member states together.
COLLECTIVE_SUBJECT = re.compile(
    r"^\s*(?:the\s+)?(?:(?:SCO|Shanghai Cooperation Organi[sz]ation)\s+)?"
    r"(?:member\s+states|heads\s+of\s+states?|leaders|parties|sides|ministers|council|"
    r"heads\s+of\s+government|prime\s+ministers|they|we)\b",
    re.I,
)
TARGET_TYPES = frozenset({"Instrument", "Event", "Organisation", "State"})


def stances(
    text: str,
    char_offset: int,
    items: Sequence[Item],
    collective_holder: str | None,
    previous_holder: str | None,
) -> tuple[list[tuple[str, str, str, str]], str | None]:
    """(holder, attitude, target, cue) for the sentence, and the holder to carry on to the
    next sentence ("They ..."). ``collective_holder`` is who "the member states" stand for
    (the organisation the document is about)."""
    holder: str | None = None
    if COLLECTIVE_SUBJECT.match(text):
        holder = collective_holder
        if re.match(r"^\s*(they|we)\b", text, re.I):
            holder = previous_holder or collective_holder
    else:
        first = min(items, key=lambda i: i.char_start, default=None)
        if first is not None and first.type == "State" and first.char_start - char_offset < 30:
            holder = first.ref
    if holder is None:
        return [], previous_holder
    cues: list[tuple[int, int, str, str]] = []
    for attitude, pattern in lexicon.stance_cues():
        for m in pattern.finditer(text):
            cues.append((m.start() + char_offset, m.end() + char_offset, attitude, m.group()))
    cues.sort()
    # keep the first cue where several overlap ("expressed support" / "support")
    kept: list[tuple[int, int, str, str]] = []
    for cue in cues:
        if kept and cue[0] < kept[-1][1]:
            continue
        kept.append(cue)
    out: list[tuple[str, str, str, str]] = []
    for n, (_start, end, attitude, word) in enumerate(kept):
        limit = kept[n + 1][0] if n + 1 < len(kept) else char_offset + len(text)
        seen: set[str] = set()
        for item in items:
            if not (end <= item.char_start < limit) or item.type not in TARGET_TYPES:
                continue
            if item.ref == holder or item.ref in seen:
                continue
            between = text[end - char_offset : item.char_start - char_offset]
            if ";" in between:
                break
            seen.add(item.ref)
            out.append((holder, attitude, item.ref, word))
    return out, holder
