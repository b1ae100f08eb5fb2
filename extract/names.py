"""Normalised forms of names: slugs for IRIs and keys that decide when two names are one."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Spelling variants that do not make a different name.
VARIANTS = (
    (re.compile(r"combatt"), "combat"),
    (re.compile(r"organization"), "organisation"),
    (re.compile(r"\bprogram\b"), "programme"),
    (re.compile(r"\bcenter\b"), "centre"),
    (re.compile(r"\bdefense\b"), "defence"),
    (re.compile(r"good-neighbourliness|good neighbourliness"), "neighbourliness"),
    (re.compile(r"\bco-operation\b"), "cooperation"),
    (re.compile(r"\bsphere\b|\barea\b"), "field"),
    (re.compile(r"\btowards?\b|\bup to\b"), "until"),
)
STOP = frozenset(
    {"the", "a", "an", "of", "on", "for", "and", "in", "to", "between", "among", "its", "their"}
)


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Lower case, no accents, straight quotes, one kind of dash, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[–—]", "-", text)
    return " ".join(text.lower().split())


def slugify(text: str) -> str:
    """A readable IRI slug: "SCO Convention on Countering Extremism" ->
    "sco-convention-on-countering-extremism"."""
    text = fold(text).replace("'", "")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:90].rstrip("-") or "unnamed"


@lru_cache(maxsize=1 << 17)
def name_key(name: str) -> str:
    """The key under which two written forms count as the same name: case, accents,
    punctuation, parentheses, articles and spelling variants do not matter."""
    text = fold(name)
    text = re.sub(r"\([^)]*\)", " ", text)
    for pattern, repl in VARIANTS:
        text = pattern.sub(repl, text)
    words = [w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text) if w not in STOP]
    return " ".join(words)


@lru_cache(maxsize=1 << 17)
def person_key(name: str) -> tuple[str, str]:
    """(first-name initial, folded surname) of a person's name ("N. Nazarbayev" -> ("n",
    "nazarbayev"))."""
    parts = [p for p in re.split(r"[\s.]+", fold(name)) if p]
    if not parts:
        return "", ""
    return parts[0][:1], parts[-1]


# Transliteration variants of the same sound ("Khodjaev" / "Khodzhaev", "Yevgeny" /
# "Evgeny"), folded before two spellings are compared.
TRANSLITERATION = (
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ye", "e"),
    ("yu", "u"),
    ("ya", "a"),
    ("iy", "i"),
    ("y", "i"),
    ("ts", "c"),
    ("ou", "u"),
    ("w", "v"),
)


@lru_cache(maxsize=1 << 17)
def transliteration_key(name: str) -> str:
    text = fold(name)
    for a, b in TRANSLITERATION:
        text = text.replace(a, b)
    return text


def close_spelling(a: str, b: str) -> bool:
    """Two surnames that differ by at most one edit per six letters once transliteration
    variants are folded ("Nazarbayev" / "Nazarbaev", "Khodjaev" / "Khodzhaev")."""
    if a == b:
        return True
    a, b = transliteration_key(a), transliteration_key(b)
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2:
        return False
    limit = max(1, min(len(a), len(b)) // 6)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= limit


_EVENT_OWNER = re.compile(
    r"\b(?:of )?(?:the )?(?:member states of (?:the )?)?"
    r"(?:shanghai cooperation organi[sz]ation|sco)(?: member states)?\b"
    r"|\bof (?:the )?member states\b"
)
_EVENT_ORDINAL = re.compile(
    r"^(?:the )?(?:\d+(?:st|nd|rd|th)|first|second|third|regular|extraordinary|annual|jubilee)\s+"
)


def relaxed_event_key(name: str) -> str:
    """The key of an event's name with what varies between mentions of one meeting taken
    out: its owner ("of the Member States of the SCO", "of SCO Member States"), an ordinal
    or "regular" in front, parentheses."""
    text = re.sub(r"\([^)]*\)", " ", fold(name))
    text = _EVENT_ORDINAL.sub("", text)
    text = _EVENT_OWNER.sub(" ", text)
    return name_key(text) or name_key(name)
