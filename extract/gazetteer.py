"""The gazetteer: well-known entities, their aliases, and where they occur in a text.

Entries come from ``data/gazetteer.tsv``. Wikidata QIDs are joined from ``data/wikidata.tsv``,
the verified reference table, by type and label - never typed into the gazetteer itself.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from scokg.extract.lexicon import _rows
from scokg.extract.tokens import Token, tokenize
from scokg.resources import extract_data_dir


@dataclass(frozen=True)
class Entry:
    key: str
    type: str
    subtype: str | None
    label: str
    aliases: tuple[str, ...]
    qid: str | None = None
    demonyms: tuple[str, ...] = ()
    state: str | None = None  # for a city: the state it lies in
    parent: str | None = None  # for a sub-body: the body it belongs to
    short: str | None = None  # an acronym usable inside hyphenated compounds

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


_OWNER = re.compile(
    r"\b(?:of (?:the )?)?(?:member states of (?:the )?)?"
    r"(?:shanghai cooperation organi[sz]ation|sco)(?: member states)?\b"
)
_BODY_OF = re.compile(
    r"^(.*?)\b(council|committee|secretariat|board|bank|fund|structure|consortium)"
    r" of (?:the )?(.+)$"
)


def relaxed_key(name: str) -> str:
    """A name of a body with the owner ("of the SCO", "SCO"), "Member States", parentheses
    and the "Council of X" / "X Council" word order taken out."""
    from scokg.extract.names import fold, name_key

    text = re.sub(r"\([^)]*\)", " ", fold(name))
    text = _OWNER.sub(" ", text)
    text = re.sub(r"\b(?:of )?(?:the )?member states\b", " ", text)
    text = " ".join(text.split())
    m = _BODY_OF.match(text)
    if m:
        text = f"{m.group(3)} {m.group(1)}{m.group(2)}"
    key = name_key(text)
    return key if len(key.split()) >= 2 else ""


@dataclass(frozen=True)
class Match:
    """Tokens ``[start, end)`` name the gazetteer entry ``entry``."""

    start: int
    end: int
    entry: Entry


def _shouting(tok: Token) -> bool:
    return len(tok.text) > 3 and tok.text.isalpha() and tok.text.isupper()


def _match_key(tokens: Sequence[Token]) -> tuple[str, ...]:
    """Single tokens match exactly ("US" is not "us"); longer names ignore case."""
    if len(tokens) == 1:
        return (tokens[0].key,)
    return tuple(t.low for t in tokens)


def _verified_qids() -> dict[tuple[str, str], str]:
    path = extract_data_dir() / "wikidata.tsv"
    out: dict[tuple[str, str], str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            qid = (row.get("qid") or "").strip()
            if qid and int(row.get("sources") or 0) >= 2:
                out[(row["type"], row["label"])] = qid
    return out


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)
    index: dict[tuple[str, ...], Entry] = field(default_factory=dict)
    demonyms: dict[str, Entry] = field(default_factory=dict)
    acronyms: dict[str, Entry] = field(default_factory=dict)
    max_len: int = 1
    # first token (lower case) of every name -> the lengths of names that start with it
    lengths: dict[str, set[int]] = field(default_factory=dict)
    relaxed: dict[str, Entry | None] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        self.entries[entry.key] = entry
        for name in entry.names:
            toks = tokenize(name)
            if not toks:
                continue
            self.index.setdefault(_match_key(toks), entry)
            self.max_len = max(self.max_len, len(toks))
            self.lengths.setdefault(toks[0].low, set()).add(len(toks))
        for dem in entry.demonyms:
            self.demonyms.setdefault(dem, entry)
        for name in entry.names:
            if name.isupper() and " " not in name and len(name) >= 2:
                self.acronyms.setdefault(name, entry)
        if entry.short:
            self.acronyms.setdefault(entry.short, entry)
        if entry.type == "Organisation":
            for name in entry.names:
                key = relaxed_key(name)
                if not key:
                    continue
                if key in self.relaxed and self.relaxed[key] is not entry:
                    self.relaxed[key] = None  # two bodies share it: ambiguous, never used
                else:
                    self.relaxed[key] = entry

    def lookup_relaxed(self, name: str) -> Entry | None:
        """The body whose name differs from ``name`` only by the SCO's name, "Member States",
        a parenthesis or word order ("Council of Heads of State of the Member States of the
        Shanghai Cooperation Organisation" = "SCO Heads of State Council")."""
        key = relaxed_key(name)
        return self.relaxed.get(key) if key else None

    def lookup(self, name: str) -> Entry | None:
        """The entry one of whose names is exactly ``name`` (case rules as in the text)."""
        toks = tokenize(name)
        return self.index.get(_match_key(toks)) if toks else None

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Every place a name of the gazetteer occurs: at each token the longest name of each
        entry that has one there.

        Matches may nest ("Commonwealth of Independent States" inside "Executive Committee of
        the Commonwealth of Independent States"); the caller decides what nesting means.
        A match must start with a capital letter or a digit.
        """
        out: list[Match] = []
        n = len(tokens)
        for i in range(n):
            first = tokens[i]
            if not (first.is_cap or first.is_number):
                continue
            seen: set[str] = set()
            possible = self.lengths.get(first.low, set())
            if _shouting(first):
                possible = possible | {1}
            for length in sorted(possible, reverse=True):
                if i + length > n:
                    continue
                window = tokens[i : i + length]
                if not window[-1].is_word and not window[-1].is_number and window[-1].text != ")":
                    continue
                entry = self.index.get(_match_key(window))
                if entry is None and length == 1 and _shouting(window[0]):
                    # a dateline's "BISHKEK": capitals spell a place's name, not an acronym
                    found = self.index.get((window[0].key.title(),))
                    entry = found if found is not None and found.type in {"City", "State"} else None
                if entry is not None and entry.key not in seen:
                    # the longest name here, and shorter names of other entries nested in it
                    out.append(Match(i, i + length, entry))
                    seen.add(entry.key)
        return out


@cache
def load() -> Gazetteer:
    """The gazetteer of ``data/gazetteer.tsv`` with verified QIDs joined in."""
    qids = _verified_qids()
    gaz = Gazetteer()
    for row in _rows("gazetteer.tsv"):
        row += [""] * (6 - len(row))
        key, typ, subtype, label, aliases, attrs = row[:6]
        attr: dict[str, str] = {}
        for part in attrs.split(";"):
            if "=" in part:
                k, v = part.split("=", 1)
                attr[k.strip()] = v.strip()
        gaz.add(
            Entry(
                key=key,
                type=typ,
                subtype=subtype or None,
                label=label,
                aliases=tuple(a for a in aliases.split("|") if a and a != label),
                qid=qids.get((typ, label)),
                demonyms=tuple(d for d in attr.get("demonym", "").split("|") if d),
                state=attr.get("state") or None,
                parent=attr.get("parent") or None,
                short=attr.get("short") or None,
            )
        )
    return gaz
