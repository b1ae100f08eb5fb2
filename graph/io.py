"""Reading RDF files into the store and writing the store out (``scokg load`` / ``scokg dump``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from scokg.errors import InputError, UsageError
from scokg.graph.store import StoreDir
from scokg.vocab import GRAPH

# File extensions and the formats they hold.
FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
QUAD_FORMATS = frozenset({ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG})
# `scokg dump --format` names.
DUMP_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def rdf_format(path: Path) -> ox.RdfFormat:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = FORMATS_BY_SUFFIX.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(path, f"unknown RDF format (use one of {known})")
    return fmt


def load_files(paths: Sequence[Path], store: StoreDir, graph: str | None = None) -> int:
    """Add RDF files to the store in a new generation; returns the number of quads added.

    Triple formats go into a named graph: ``graph`` if given, otherwise
    ``https://w3id.org/scokg/graph/loaded/{file stem}``. Quad formats keep their graphs.
    A file that does not parse leaves the store unchanged.
    """
    for path in paths:
        if not path.is_file():
            raise InputError(path, "no such file")
        rdf_format(path)
    with store.new_generation(copy_current=True) as gen:
        before = len(gen.store)
        for path in paths:
            fmt = rdf_format(path)
            target = None
            if fmt not in QUAD_FORMATS:
                name = graph or str(GRAPH[f"loaded/{path.name.split('.')[0]}"])
                target = ox.NamedNode(name)
            try:
                with _open(path) as fh:
                    gen.store.bulk_load(fh, format=fmt, to_graph=target)
            except (SyntaxError, ValueError, OSError) as exc:
                raise InputError(path, f"not valid {fmt.name}: {exc}") from exc
            loaded = gen.manifest.extra.setdefault("loaded", [])
            loaded.append(str(path))
        # The next build validates, reasons and counts over everything again: the warnings
        # by focus node an incremental build starts from did not see these triples.
        gen.manifest.extra.pop("warnings", None)
        return len(gen.store) - before


def _open(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        import gzip

        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def union_triples_query() -> str:
    return "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def dump(store: ox.Store, fmt: str, output: IO[bytes]) -> None:
    """Write the store: quads formats keep the named graphs; triple formats get the union
    of all graphs, each triple once."""
    rdf = DUMP_FORMATS.get(fmt)
    if rdf is None:
        raise UsageError(f"unknown dump format {fmt!r}; choose from {', '.join(DUMP_FORMATS)}")
    if rdf in QUAD_FORMATS:
        store.dump(output, rdf)
        return
    from scokg.vocab import PREFIXES

    triples = store.query(union_triples_query(), use_default_graph_as_union=True)
    # QueryTriples.serialize takes no prefixes; the module-level serializer does.
    prefixes = PREFIXES if rdf == ox.RdfFormat.TURTLE else None
    ox.serialize(triples, output, rdf, prefixes=prefixes)  # type: ignore[arg-type]
