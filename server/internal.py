"""The server's own queries (pages, counts, descriptions), run in the web process.

They are written here, bounded (LIMIT, one resource) and fast, so they need neither a query
process nor a time limit; pyoxigraph releases the GIL while it evaluates them, so they run
in parallel with the other request threads.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from scokg.vocab import sparql_prefixes

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
PREFIXES = sparql_prefixes()


def select(store: ox.Store, query: str, **bindings: Term) -> list[dict[str, Term]]:
    """The rows of a SELECT over the union of all graphs, as dicts of bound variables.

    ``bindings`` substitute variables (``iri=NamedNode(...)`` binds ``?iri``), so no value
    is ever pasted into query text.
    """
    substitutions = {ox.Variable(name): value for name, value in bindings.items()}
    result: Any = store.query(
        PREFIXES + query, use_default_graph_as_union=True, substitutions=substitutions
    )
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = value
        rows.append(row)
    return rows


def ask(store: ox.Store, query: str, **bindings: Term) -> bool:
    substitutions = {ox.Variable(name): value for name, value in bindings.items()}
    result: Any = store.query(
        PREFIXES + query, use_default_graph_as_union=True, substitutions=substitutions
    )
    return bool(result)


def count(store: ox.Store, query: str, **bindings: Term) -> int:
    """The integer bound to ``?n`` in the first row (for COUNT queries)."""
    rows = select(store, query, **bindings)
    value = rows[0].get("n") if rows else None
    return int(value.value) if isinstance(value, ox.Literal) else 0
