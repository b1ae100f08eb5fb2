"""IRIs that the whole project shares: the ontology namespace, resource and graph IRIs.

These are part of the public contract (SPEC.md): keep them stable.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/scokg/"
SCO = Namespace(BASE + "ontology#")
RES = Namespace(BASE + "resource/")
GRAPH = Namespace(BASE + "graph/")

NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

ONTOLOGY_IRI = URIRef(BASE + "ontology")
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]
ENTITIES_GRAPH = GRAPH["entities"]
RESERVED_GRAPH_NAMES = frozenset({"ontology", "inferred", "entities"})

PREFIXES: dict[str, str] = {
    "sco": str(SCO),
    "res": str(RES),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": str(PROV),
    "nif": str(NIF),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "wd": str(WD),
    "wdt": str(WDT),
}


def resource(slug: str) -> URIRef:
    """The IRI of the resource with this slug, e.g. ``resource('kazakhstan')``."""
    return RES[slug]


def document_iri(doc_id: str) -> URIRef:
    """The IRI of a source document (its ``sco:SourceDocument`` resource)."""
    return RES["document/" + doc_id]


def document_graph(doc_id: str) -> URIRef:
    """The named graph that holds what one source document states."""
    return GRAPH[doc_id]


def sentence_iri(doc_id: str, start: int, end: int) -> URIRef:
    """A sentence of a document, named with the RFC 5147 ``#char=`` scheme NIF 2.0 uses."""
    return URIRef(f"{document_iri(doc_id)}#char={start},{end}")


def sparql_prefixes() -> str:
    """The PREFIX lines for every prefix above, for queries and examples."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
