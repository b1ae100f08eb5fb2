"""Word lists and patterns of the extractor, read once from the files in ``extract/data``.

Every list the rules use lives in a data file with a comment saying what it covers; this
module only parses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from scokg.resources import extract_data_dir


def _rows(name: str) -> list[list[str]]:
    """Non-comment, non-empty lines of a data file, split on tabs."""
    path: Path = extract_data_dir() / name
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.rstrip("\n").split("\t"))
    return rows


@dataclass(frozen=True)
class Head:
    """A head noun: the word that gives a name its type ("Convention", "Meeting")."""

    word: str
    type: str  # entity type, or "-" for words whose names are not entities
    subtype: str | None
    meeting: bool


@cache
def heads() -> dict[str, Head]:
    return {r[0]: Head(r[0], r[1], r[2] or None, r[3] == "1") for r in _rows("heads.tsv")}


@cache
def lowercase_heads() -> dict[str, Head]:
    return {
        r[0]: Head(r[0], "Event", None if r[1] == "-" else r[1], r[2] == "1")
        for r in _rows("lowercase_heads.tsv")
    }


@cache
def meeting_words() -> dict[str, bool]:
    return {r[0]: r[1] == "1" for r in _rows("meeting_words.tsv")}


@cache
def connectors() -> frozenset[str]:
    return frozenset(r[0] for r in _rows("connectors.txt"))


@cache
def titles() -> tuple[tuple[str, ...], ...]:
    """Post titles as token tuples, longest first."""
    from scokg.extract.tokens import tokenize

    out = {tuple(t.text for t in tokenize(r[0])) for r in _rows("titles.txt")}
    return tuple(sorted(out, key=len, reverse=True))


@cache
def titles_by_first() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Titles grouped by their first word, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for title in titles():
        out.setdefault(title[0], []).append(title)
    return {k: tuple(v) for k, v in out.items()}


@cache
def title_words() -> frozenset[str]:
    return frozenset(w for t in titles() for w in t)


@cache
def cues() -> dict[str, re.Pattern[str]]:
    """Relation name -> one compiled alternation of its cue patterns."""
    grouped: dict[str, list[str]] = {}
    for rel, pattern in _rows("cues.tsv"):
        grouped.setdefault(rel, []).append(pattern)
    return {
        rel: re.compile("|".join(f"(?:{p})" for p in pats), re.I) for rel, pats in grouped.items()
    }


@cache
def stance_cues() -> list[tuple[str, re.Pattern[str]]]:
    return [(att, re.compile(p, re.I)) for att, p in _rows("stances.tsv")]


@cache
def portfolios() -> frozenset[str]:
    return frozenset(r[0] for r in _rows("portfolios.txt"))


@cache
def attributive_nouns() -> frozenset[str]:
    return frozenset(r[0] for r in _rows("attributive_nouns.txt"))


@cache
def title_prefixes() -> frozenset[str]:
    return frozenset(r[0] for r in _rows("title_prefixes.txt"))


@cache
def status_patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    """(relation, where, pattern) rows of data/statuses.tsv."""
    return [(r[0], r[1], re.compile(r[2], re.I)) for r in _rows("statuses.tsv")]


@cache
def ranks() -> tuple[tuple[str, ...], ...]:
    """Ranks and honorifics as token tuples, longest first."""
    from scokg.extract.tokens import tokenize

    out = {tuple(t.text for t in tokenize(r[0])) for r in _rows("ranks.txt")}
    return tuple(sorted(out, key=len, reverse=True))
