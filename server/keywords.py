"""Keywords of a SPARQL query, found without parsing it.

The endpoint must know whether a query uses SERVICE (refused) or FROM (then the query names
its own dataset) before running it, and whether a query the parser refused was an update
(to say so clearly). A tokeniser that skips strings, IRIs and comments and tells keywords
from variables, prefixed names, blank node labels and language tags is enough for that, and
costs nothing for the many queries that do not contain the words at all.
"""

from __future__ import annotations

import re

_TOKENS = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
                |\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
                |'(?:[^'\\\r\n]|\\.)*'?
                |"(?:[^"\\\r\n]|\\.)*"?)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[\w\-:%\\](?:[\w\-.:%\\]*[\w\-:%\\])?)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def keywords(query: str, wanted: tuple[str, ...]) -> set[str]:
    """Which of the ``wanted`` keywords (upper case) occur as keywords in ``query``.

    A word counts when it stands outside strings, IRIs and comments and is not part of a
    variable, a prefixed name, a blank node label or a language tag. Queries that cannot
    contain one of the words at all are answered without tokenising. The query is also
    checked with ``\\uXXXX`` escapes decoded, as SPARQL allows them anywhere.
    """
    lowered = query.lower()
    if not any(w.lower() in lowered for w in wanted) and "\\u" not in lowered:
        return set()
    found = _scan(query, wanted)
    if "\\u" in lowered:
        found |= _scan(_ESCAPE.sub(_unescape, query), wanted)
    return found


def _scan(query: str, wanted: tuple[str, ...]) -> set[str]:
    targets = set(wanted)
    found = set()
    for match in _TOKENS.finditer(query):
        if match.lastgroup == "word":
            word = match.group().upper()
            if word in targets:
                found.add(word)
    return found


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else ""


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}


def looks_like_update(query: str) -> bool:
    """Whether the first keyword after the prologue (BASE, PREFIX) starts an update."""
    expect_prologue_arguments = 0
    for match in _TOKENS.finditer(query):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        if expect_prologue_arguments:
            expect_prologue_arguments -= 1
            continue
        word = match.group().upper()
        if kind == "word" and word == "PREFIX":
            expect_prologue_arguments = 2
            continue
        if kind == "word" and word == "BASE":
            expect_prologue_arguments = 1
            continue
        return kind == "word" and (word in _UPDATE_WORDS or word == "WITH")
    return False
