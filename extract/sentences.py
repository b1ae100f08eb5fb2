"""Clean text to sentences, each with its exact span in the raw text.

A sentence ends at every paragraph boundary of the clean text (so a heading is a sentence
of its own) and at ". ! ? ..." (optionally followed by closing quotes or brackets) when
whitespace and then an upper-case letter, a digit, a quote or a bracket follow, unless the
word before the period is an abbreviation: a capital initial ("N. Nazarbayev"), a dotted
acronym ("U.S."), a list number at the start of a paragraph ("1."), or a token listed in
``extract/data/abbreviations.txt`` ("No.", "e.g.", "Sept."). A semicolon never ends a
sentence.
"""

from __future__ import annotations

import re
from functools import cache

from scokg.extract.model import Sentence
from scokg.extract.text import CleanText
from scokg.resources import extract_data_dir

_END = re.compile("(?:[.!?]+|\u2026)[\"')\\]]*(?=\\s)")
_OPENERS = "\"'(["
_INITIAL = re.compile(r"[A-Z]\.")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}")
_ENUMERATOR = re.compile(r"(?:\d{1,3}|[A-Za-z]|[IVXLC]{1,6})\.")


@cache
def abbreviations() -> frozenset[str]:
    """The tokens of ``abbreviations.txt`` (comment and blank lines skipped)."""
    path = extract_data_dir() / "abbreviations.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _starts_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in _OPENERS


def _is_abbreviation(text: str, paragraph_start: int, end: re.Match[str]) -> bool:
    """Whether the period that ``end`` matched closes an abbreviation, not a sentence."""
    if end.group() != ".":
        return False  # "?", "!", an ellipsis, or a period followed by a closing quote
    space = text.rfind(" ", paragraph_start, end.start())
    token_start = space + 1 if space >= 0 else paragraph_start
    token = text[token_start : end.end()].lstrip(_OPENERS)
    if token in abbreviations() or _INITIAL.fullmatch(token) or _ACRONYM.fullmatch(token):
        return True
    return token_start == paragraph_start and _ENUMERATOR.fullmatch(token) is not None


def _tight(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_bounds(clean: CleanText) -> list[tuple[int, int]]:
    """Clean ``[start, end)`` of every sentence, in order, stripped, never empty.

    Sentences without a letter or digit (stray punctuation) are dropped.
    """
    text = clean.text
    bounds = []
    for paragraph_start, paragraph_end in clean.paragraph_spans():
        cut = paragraph_start
        for end in _END.finditer(text, paragraph_start, paragraph_end):
            following = end.end()
            while following < paragraph_end and text[following].isspace():
                following += 1
            if following >= paragraph_end or not _starts_sentence(text[following]):
                continue
            if _is_abbreviation(text, paragraph_start, end):
                continue
            bounds.append(_tight(text, cut, end.end()))
            cut = following
        bounds.append(_tight(text, cut, paragraph_end))
    return [(s, e) for s, e in bounds if any(c.isalnum() for c in text[s:e])]


def split_sentences(clean: CleanText) -> list[Sentence]:
    """The sentences of a cleaned text; ``start``/``end`` are offsets in the raw text."""
    sentences = []
    for index, (start, end) in enumerate(sentence_bounds(clean)):
        raw_start, raw_end = clean.raw_span(start, end)
        sentences.append(Sentence(index, raw_start, raw_end, clean.text[start:end]))
    return sentences
