"""RDF terms as N-Triples / N-Quads text: the fast way from rdflib terms into Oxigraph.

Oxigraph parses N-Quads in Rust far faster than it builds quads one Python object at a
time, so documents are rendered to N-Quads lines and bulk-loaded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_IRI_FORBIDDEN = set('<>"{}|^`\\ ') | {chr(c) for c in range(0x21)}
# One regular-expression scan in C instead of a Python loop over the characters.
_NEEDS_LITERAL_ESCAPE = re.compile(r'[\\"\n\r\t\b\f]')
_NEEDS_IRI_ESCAPE = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def _escape_literal(text: str) -> str:
    if not _NEEDS_LITERAL_ESCAPE.search(text):
        return text
    return "".join(_ESCAPES.get(c, c) for c in text)


@lru_cache(maxsize=65536)
def _escape_iri(iri: str) -> str:
    if not _NEEDS_IRI_ESCAPE.search(iri):
        return iri
    return "".join(f"\\u{ord(c):04X}" if c in _IRI_FORBIDDEN else c for c in iri)


def term(node: Node) -> str:
    """One term in N-Triples syntax."""
    if isinstance(node, URIRef):
        return f"<{_escape_iri(str(node))}>"
    if isinstance(node, Literal):
        text = f'"{_escape_literal(str(node))}"'
        if node.language:
            return f"{text}@{node.language}"
        if (
            node.datatype is not None
            and str(node.datatype) != "http://www.w3.org/2001/XMLSchema#string"
        ):
            return f"{text}^^<{node.datatype}>"
        return text
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not an RDF term: {node!r}")


def quad(s: Node, p: Node, o: Node, graph: URIRef) -> str:
    """One N-Quads line (with its newline)."""
    return f"{term(s)} {term(p)} {term(o)} <{graph}> .\n"
