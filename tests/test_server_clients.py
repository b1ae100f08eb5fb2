"""Standard SPARQL clients against the real server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
from conftest import RunningServer
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

RES = "https://w3id.org/scokg/resource/"
PREFIXES = (
    "PREFIX sco: <https://w3id.org/scokg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
MEMBERS = PREFIXES + (
    "SELECT DISTINCT ?state ?name WHERE { ?state sco:memberOf ?org ; rdfs:label ?name } "
    "ORDER BY ?name"
)
PARTICIPANTS = PREFIXES + "CONSTRUCT { ?m sco:participant ?p } WHERE { ?m sco:participant ?p }"


def wrapper(server: RunningServer, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_select_json(server: RunningServer) -> None:
    result = wrapper(server, MEMBERS, JSON).query().convert()
    names = [row["name"]["value"] for row in result["results"]["bindings"]]
    assert names == ["India", "Pakistan"]


def test_sparqlwrapper_select_xml(server: RunningServer) -> None:
    document = wrapper(server, MEMBERS, XML).query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["India", "Pakistan"]


@pytest.mark.parametrize(("fmt", "separator"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_and_tsv(server: RunningServer, fmt: str, separator: str) -> None:
    text = wrapper(server, MEMBERS, fmt).query().convert().decode("utf-8")
    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert separator in lines[1]
    assert "India" in lines[1] and "Pakistan" in lines[2]


def test_sparqlwrapper_ask(server: RunningServer) -> None:
    query = f"ASK {{ <{RES}india> <https://w3id.org/scokg/ontology#memberOf> ?o }}"
    assert wrapper(server, query, JSON).query().convert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, N3])
def test_sparqlwrapper_construct(server: RunningServer, fmt: str) -> None:
    client = wrapper(server, PARTICIPANTS, fmt)
    client.setMethod("POST")
    result = client.query()
    # Read the body as SPARQLWrapper received it (its convert() builds a deprecated rdflib
    # ConjunctiveGraph for RDF/XML) and parse it by the media type the server declared.
    media_type = result.info()["content-type"].split(";")[0]
    graph = Graph().parse(data=result.response.read(), format=media_type)
    people = {str(o) for o in graph.objects()}
    assert people == {
        RES + "nursultan-nazarbayev",
        RES + "vladimir-putin",
        RES + "antonio-guterres",
    }


def test_rdflib_sparqlstore_select(server: RunningServer) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=server.sparql, returnFormat="xml"))
    rows = list(graph.query(MEMBERS))
    assert [str(row.name) for row in rows] == ["India", "Pakistan"]
    assert rows[0].state == URIRef(RES + "india")


def test_rdflib_sparqlstore_json_and_triples(server: RunningServer) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=server.sparql, returnFormat="json"))
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    labels = set(graph.objects(URIRef(RES + "kazakhstan"), label))
    assert labels == {Literal("Kazakhstan", lang="en")}


def test_rdflib_sparqlstore_construct(server: RunningServer) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=server.sparql))
    result = graph.query(PARTICIPANTS)
    assert len(result.graph) == 3
