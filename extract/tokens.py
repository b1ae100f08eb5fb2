"""Tokens of the cleaned text, with their character offsets.

Words keep inner hyphens and apostrophes ("Long-Term", "Nuclear-Weapon-Free", "Cholpon-Ata",
"UNODC-SCO"); a possessive "'s" is a token of its own, so "Kazakhstan's chairmanship" and
"People's Republic of China" are matched the same way in the text and in the gazetteer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    \d+(?:st|nd|rd|th)\b                 # ordinals: 28th
  | \d+(?:[.,]\d+)*(?:[-–]\d+)*           # numbers, years, year ranges 2016-2018
  | [^\W\d_](?:[^\W_]|[-–'’](?=[^\W_]))*  # words, with inner hyphens and apostrophes
  | \S                                    # any other single character
    """,
    re.VERBOSE,
)
_POSSESSIVE = re.compile(r"^(.+?)(['’]s)$")
_ROMAN = re.compile(r"^[IVXLC]+$")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    # The form used to compare tokens: dashes unified, curly apostrophes straightened.
    key: str = ""
    low: str = ""  # the key in lower case

    def __post_init__(self) -> None:
        if not self.key:
            key = self.text.replace("–", "-").replace("’", "'")
            object.__setattr__(self, "key", key)
            object.__setattr__(self, "low", key.lower())

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_cap(self) -> bool:
        """Starts with a capital letter (Convention, SCO, EXPO-2017, Xi)."""
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        return self.text[:1].isdigit()

    @property
    def is_year(self) -> bool:
        return bool(re.fullmatch(r"(?:1[89]|20)\d\d(?:[-–](?:1[89]|20)?\d\d)?", self.text))

    @property
    def is_acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    @property
    def is_roman(self) -> bool:
        return bool(_ROMAN.match(self.text))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into tokens; offsets are shifted by ``offset``."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        start = m.start() + offset
        poss = _POSSESSIVE.match(word) if len(word) > 2 else None
        if poss and poss.group(1)[-1:].isalpha():
            base = poss.group(1)
            out.append(Token(base, start, start + len(base)))
            out.append(Token(poss.group(2), start + len(base), start + len(word)))
        else:
            out.append(Token(word, start, start + len(word)))
    return out
