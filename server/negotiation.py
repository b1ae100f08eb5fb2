"""Media types the server speaks and HTTP content negotiation over them.

The tables below are the single source of truth: the SPARQL endpoint serialises with them,
the Service Description advertises exactly them, and the tests request each one. A response
always carries the format's registered media type, whatever alias the client asked for
(``application/json`` gets ``application/sparql-results+json``), because federating
servers check it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True, eq=False)
class Format:
    """One serialisation: what it is called, what it is sent as, what may ask for it.

    Formats are the constants below, compared and hashed by identity (cheap: negotiation
    looks them up on every request).
    """

    key: str
    label: str
    media_type: str
    content_type: str
    aliases: tuple[str, ...]
    extension: str
    iri: str  # the W3C "Unique URIs for file formats" IRI, used in the Service Description

    def accepts(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


def _results(key: str, fmt: ox.QueryResultsFormat, ctype: str, aliases: tuple[str, ...]) -> Format:
    media = fmt.media_type.split(";")[0].strip()
    return Format(key, fmt.name, media, ctype, aliases, fmt.file_extension, fmt.iri)


def _rdf(key: str, fmt: ox.RdfFormat, ctype: str, aliases: tuple[str, ...]) -> Format:
    return Format(key, fmt.name, fmt.media_type, ctype, aliases, fmt.file_extension, fmt.iri)


# Results of SELECT and ASK, in order of preference (the first is the default).
SOLUTION_FORMATS: tuple[Format, ...] = (
    _results(
        "json",
        ox.QueryResultsFormat.JSON,
        "application/sparql-results+json",
        ("application/json",),
    ),
    _results(
        "xml",
        ox.QueryResultsFormat.XML,
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
    ),
    _results("csv", ox.QueryResultsFormat.CSV, "text/csv; charset=utf-8", ()),
    _results(
        "tsv",
        ox.QueryResultsFormat.TSV,
        "text/tab-separated-values; charset=utf-8",
        (),
    ),
)

# Graphs (CONSTRUCT, DESCRIBE, descriptions, resources), in order of preference.
GRAPH_FORMATS: tuple[Format, ...] = (
    _rdf("turtle", ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8", ("application/x-turtle",)),
    _rdf("ntriples", ox.RdfFormat.N_TRIPLES, "application/n-triples", ("text/plain",)),
    _rdf("rdfxml", ox.RdfFormat.RDF_XML, "application/rdf+xml", ("application/xml", "text/xml")),
    _rdf("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json", ("application/json",)),
    _rdf("nquads", ox.RdfFormat.N_QUADS, "application/n-quads", ()),
    _rdf("trig", ox.RdfFormat.TRIG, "application/trig", ()),
)

HTML = Format("html", "HTML", "text/html", "text/html; charset=utf-8", ("application/xhtml+xml",),
              "html", "http://www.w3.org/ns/formats/HTML")  # fmt: skip
PLAIN = Format("text", "plain text", "text/plain", "text/plain; charset=utf-8", (), "txt", "")
JSON = Format("json", "JSON", "application/json", "application/json", (), "json", "")

# The pyoxigraph format behind each key (used by the executor).
RESULTS_SERIALIZERS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_SERIALIZERS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
BY_KEY: dict[str, Format] = {f.key: f for f in (*GRAPH_FORMATS, *SOLUTION_FORMATS)}

# Formats that hold one graph (a resource, a description) and so need no graph names.
TRIPLE_FORMATS: tuple[Format, ...] = tuple(
    f for f in GRAPH_FORMATS if f.key not in ("nquads", "trig")
)


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    quality: float
    position: int


def _parse_accept(header: str) -> list[_Range]:
    ranges = []
    for position, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        if media == "*":  # seen in the wild (Java's URLConnection sends "*; q=.2")
            media = "*/*"
        if "/" not in media:
            continue
        type_, subtype = media.split("/", 1)
        quality = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value.strip())))
                except ValueError:
                    quality = 0.0
        ranges.append(_Range(type_.strip(), subtype.strip(), quality, position))
    return ranges


def _score(fmt: Format, ranges: list[_Range]) -> tuple[float, int, int, int]:
    """(quality, specificity, canonical, -position) of the best range matching ``fmt``.

    A match on the format's own media type beats one on an alias of equal specificity, so
    ``text/*`` picks CSV (``text/csv``) rather than SPARQL XML (alias ``text/xml``).
    """
    best: tuple[int, int, _Range] | None = None
    for index, media in enumerate(fmt.accepts()):
        type_, subtype = media.split("/", 1)
        canonical = 1 if index == 0 else 0
        for r in ranges:
            if r.type == type_ and r.subtype == subtype:
                specificity = 3
            elif r.type == type_ and r.subtype == "*":
                specificity = 2
            elif r.type == "*" and r.subtype == "*":
                specificity = 1
            else:
                continue
            if best is None or (specificity, canonical) > best[:2]:
                best = (specificity, canonical, r)
    if best is None:
        return (0.0, 0, 0, 0)
    return (best[2].quality, best[0], best[1], -best[2].position)


@functools.lru_cache(maxsize=512)
def negotiate(accept: str | None, formats: tuple[Format, ...]) -> Format | None:
    """The format of ``formats`` the ``Accept`` header likes best, or ``None`` (406).

    No header (or an empty one) means the first format. Among formats of equal quality the
    one named explicitly wins over one reached through a wildcard, then the client's order,
    then the order of ``formats``.
    """
    if accept is None or not accept.strip():
        return formats[0]
    ranges = _parse_accept(accept)
    if not ranges:
        return formats[0]
    best: Format | None = None
    best_score = (0.0, 0, 0, 0)
    for fmt in formats:
        score = _score(fmt, ranges)
        if score[0] > 0 and (best is None or score > best_score):
            best, best_score = fmt, score
    return best


def explicitly_accepts(accept: str | None, fmt: Format) -> bool:
    """Whether the header names ``fmt`` (not only through ``*/*``) with a quality above 0."""
    if not accept:
        return False
    quality, specificity, _, _ = _score(fmt, _parse_accept(accept))
    return quality > 0 and specificity >= 2


def describe_formats(formats: tuple[Format, ...]) -> str:
    return ", ".join(f.media_type for f in formats)
