"""Running a SPARQL query locally and rendering the result (``scokg query``)."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox

from scokg.errors import QueryError
from scokg.vocab import PREFIXES

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
# Graph results (CONSTRUCT, DESCRIBE): "json" asks for JSON, so it gets JSON-LD; any
# other format name falls back to Turtle.
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json": ox.RdfFormat.JSON_LD,
}


def execute(store: ox.Store, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Evaluate over the union of all graphs, with the project's prefixes predeclared."""
    try:
        return store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc


def run_query(store: ox.Store, sparql: str, fmt: str = "table") -> bytes:
    result = execute(store, sparql)
    out = io.BytesIO()
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result)}).encode()
        return (b"true" if result else b"false") + b"\n"
    if isinstance(result, ox.QueryTriples):
        result.serialize(out, GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE))
        return out.getvalue()
    if fmt in RESULT_FORMATS:
        result.serialize(out, RESULT_FORMATS[fmt])
        return out.getvalue()
    return table(result).encode("utf-8")


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        from scokg.graph.stats import shorten

        short = shorten(term.value)
        return short
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(solutions: ox.QuerySolutions) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(row[n]) for n in names] for row in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
