"""Spans: candidate entity mentions found by the recognisers, before they become entities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scokg.extract.gazetteer import Entry

# Which recogniser wins when two spans cover exactly the same tokens.
PRIORITY = {"gazetteer": 5, "alias": 5, "person": 4, "rebuilt": 4, "pattern": 3, "chunk": 2}


@dataclass
class Span:
    """Tokens ``[start, end)`` of the document name an entity of ``type``.

    ``ref`` identifies the entity inside the document: a gazetteer key ("kazakhstan") or a
    local reference made from the type and a normalised name. ``names`` are the surface
    form first, then rebuilt forms (without a leading year, without a parenthesis, with an
    abbreviation) that the document also implies.
    """

    start: int
    end: int
    type: str
    ref: str
    names: list[str]
    source: str
    subtype: str | None = None
    meeting: bool = False
    entry: Entry | None = None
    nested: bool = False
    sentence: int = -1
    char_start: int = 0
    char_end: int = 0
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start

    def inside(self, other: Span) -> bool:
        return other.start <= self.start and self.end <= other.end and self != other

    def crosses(self, other: Span) -> bool:
        return (
            self.start < other.end
            and other.start < self.end
            and not (self.inside(other) or other.inside(self) or self.same_tokens(other))
        )

    def same_tokens(self, other: Span) -> bool:
        return self.start == other.start and self.end == other.end


def settle(spans: Iterable[Span]) -> list[Span]:
    """Resolve overlaps: equal spans keep the higher-priority one; crossing spans keep the
    longer (then higher-priority) one; a span inside another is kept and marked nested.
    Cities inside another entity's name are dropped (the guidelines do not count them).
    """
    ordered = sorted(spans, key=lambda s: (-s.length, -PRIORITY.get(s.source, 0), s.start))
    kept: list[Span] = []
    for span in ordered:
        clash = False
        for other in kept:
            if span.same_tokens(other) or span.crosses(other):
                clash = True
                break
            if span.inside(other):
                if span.type == "City" or (span.entry is not None and span.entry is other.entry):
                    clash = True
                    break
                if span.type == other.type and span.start == other.start:
                    clash = True  # a cut-short reading of the same name
                    break
                span.nested = True
        if not clash:
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, -s.length))
