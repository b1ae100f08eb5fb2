"""Service Description and VoID: what they advertise is what the server really does."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from conftest import RunningServer
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from scokg.server.negotiation import BY_KEY, TRIPLE_FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SCO = Namespace("https://w3id.org/scokg/ontology#")
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/scokg/ontology#State> } LIMIT 1"
CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 1"


def service_description(server: RunningServer) -> Graph:
    response = requests.get(server.sparql, headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    return Graph().parse(data=response.text, format="turtle")


def void(server: RunningServer) -> Graph:
    response = requests.get(server.url + "void", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    return Graph().parse(data=response.text, format="turtle")


def test_service_description_is_turtle_by_default(server: RunningServer) -> None:
    response = requests.get(server.sparql, headers={"Accept": "*/*"}, timeout=30)
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.text, format="turtle")
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(server.sparql)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph


def test_service_description_claims_the_union_default_graph(server: RunningServer) -> None:
    graph = service_description(server)
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.feature, SD.BasicFederatedQuery) not in graph
    # ... and the default graph really is the union: a label (entities graph) joins a
    # participation (document graph) without GRAPH.
    response = requests.get(
        server.sparql,
        params={
            "query": "ASK { ?m <https://w3id.org/scokg/ontology#participant> ?p . "
            "?p <http://www.w3.org/2000/01/rdf-schema#label> 'Vladimir Putin'@en }"
        },
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.json()["boolean"] is True


def test_every_advertised_result_format_is_served(server: RunningServer) -> None:
    graph = service_description(server)
    service = graph.value(predicate=RDF.type, object=SD.Service)
    advertised = {str(o) for o in graph.objects(service, SD.resultFormat)}
    by_iri = {fmt.iri: fmt for fmt in BY_KEY.values()}
    assert advertised == set(by_iri)
    assert len(advertised) == 10
    for iri in advertised:
        fmt = by_iri[iri]
        query = SELECT if fmt.key in ("json", "xml", "csv", "tsv") else CONSTRUCT
        response = requests.get(
            server.sparql,
            params={"query": query},
            headers={"Accept": fmt.media_type},
            timeout=30,
        )
        assert response.status_code == 200, iri
        assert response.headers["Content-Type"] == fmt.content_type, iri
        assert response.content, iri


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS, ids=lambda f: f.key)
def test_service_description_in_each_graph_format(server: RunningServer, fmt) -> None:
    response = requests.get(server.sparql, headers={"Accept": fmt.media_type}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    rdf_format = ox.RdfFormat.from_media_type(fmt.media_type)
    triples = list(ox.parse(response.content, format=rdf_format))
    assert any(str(t.object) == f"<{SD}Service>" for t in triples)


def test_browsers_asking_sparql_for_html_are_sent_to_the_editor(server: RunningServer) -> None:
    response = requests.get(
        server.sparql,
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/#editor")


def test_void_counts_match_the_store(server: RunningServer, triple_count: dict[str, int]) -> None:
    graph = void(server)
    dataset = graph.value(predicate=RDF.type, object=VOID.Dataset)
    assert graph.value(dataset, VOID.triples) == Literal(triple_count["quads"])
    assert int(graph.value(dataset, VOID.entities)) == 19
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(server.sparql)
    assert str(graph.value(dataset, VOID.uriSpace)) == "https://w3id.org/scokg/resource/"
    partitions = {
        graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
        for p in graph.objects(dataset, VOID.classPartition)
    }
    assert partitions[SCO.State] == 5
    assert partitions[SCO.SourceDocument] == 2
    assert partitions[SCO.Person] == 3
    assert int(graph.value(dataset, VOID.classes)) == len(partitions)


def test_void_lists_the_dumps_that_download(server: RunningServer) -> None:
    graph = void(server)
    dataset = graph.value(predicate=RDF.type, object=VOID.Dataset)
    dumps = sorted(str(d) for d in graph.objects(dataset, VOID.dataDump))
    assert dumps == [server.url + name for name in ("dump.nq.gz", "dump.nt.gz", "dump.ttl")]
    for dump in dumps:
        media = str(graph.value(URIRef(dump), DCAT.mediaType)).rsplit("/", 2)[-2:]
        response = requests.head(dump, timeout=30)
        assert response.status_code == 200
        expected = "application/gzip" if dump.endswith(".gz") else "/".join(media)
        assert response.headers["Content-Type"].split(";")[0] == expected


def test_void_in_other_formats_and_406(server: RunningServer) -> None:
    response = requests.get(
        server.url + "void", headers={"Accept": "application/ld+json"}, timeout=30
    )
    assert response.headers["Content-Type"] == "application/ld+json"
    assert "http://rdfs.org/ns/void#Dataset" in response.text
    response = requests.get(server.url + "void", headers={"Accept": "image/png"}, timeout=30)
    assert response.status_code == 406
