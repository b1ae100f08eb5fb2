"""Validating a built store against the shapes (``scokg validate``)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode as RBNode
from rdflib import Graph, Literal, URIRef

from scokg.graph.reason import load_ontology
from scokg.graph.store import StoreDir
from scokg.graph.validate import ValidationOutcome, validate
from scokg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH


def to_rdflib(term: object) -> URIRef | RBNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return RBNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def asserted_graph(store: ox.Store) -> Graph:
    """The union of the asserted graphs: every named graph but the ontology and the inferred."""
    skip = {str(ONTOLOGY_GRAPH), str(INFERRED_GRAPH)}
    graph = Graph()
    for quad in store:
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in skip:
            continue
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def validate_store(store: StoreDir) -> ValidationOutcome:
    return validate(asserted_graph(store.open_read_only()), ontology=load_ontology())


def validate_generation(store: ox.Store) -> ValidationOutcome:
    """Validate a store generation being written, before its ontology and inferred graphs
    are added: the shapes run as SPARQL inside Oxigraph over the store's asserted graphs, or,
    should that module be missing, pySHACL validates them in Python."""
    try:
        from scokg.graph.shacl_sparql import validate_store as sparql_validate
    except ImportError:
        return validate(asserted_graph(store), ontology=load_ontology())
    return sparql_validate(store)
