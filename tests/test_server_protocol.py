"""The SPARQL 1.1 Protocol on the real server (gunicorn on a loopback port), over HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import requests
from conftest import RunningServer

from scokg.server.negotiation import GRAPH_FORMATS, RESULTS_SERIALIZERS, SOLUTION_FORMATS

RES = "https://w3id.org/scokg/resource/"
GRAPH = "https://w3id.org/scokg/graph/"
PRESS = GRAPH + "2017-06-09-astana-summit-press-release"
DECLARATION = GRAPH + "2017-06-09-astana-declaration"
LABELS = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
KAZAKHSTAN_LABEL = (
    "SELECT ?label WHERE { <https://w3id.org/scokg/resource/kazakhstan> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)
PARTICIPANTS = (
    "CONSTRUCT { ?m <https://w3id.org/scokg/ontology#participant> ?p } "
    "WHERE { ?m <https://w3id.org/scokg/ontology#participant> ?p }"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def sparql_json(server: RunningServer, query: str, **params: str | list[str]) -> dict:
    response = requests.get(
        server.sparql,
        params={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def values(result: dict, name: str) -> list[str]:
    return [row[name]["value"] for row in result["results"]["bindings"] if name in row]


# -- the three ways to send a query ----------------------------------------------------------


def test_get_post_form_and_post_query_give_the_same_answer(server: RunningServer) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = requests.get(server.sparql, params={"query": LABELS}, headers=accept, timeout=30)
    by_form = requests.post(server.sparql, data={"query": LABELS}, headers=accept, timeout=30)
    by_body = requests.post(
        server.sparql,
        data=LABELS.encode("utf-8"),
        headers={**accept, "Content-Type": "application/sparql-query"},
        timeout=30,
    )
    results = [r.json() for r in (by_get, by_form, by_body)]
    assert all(r.status_code == 200 for r in (by_get, by_form, by_body))
    labels = sorted(values(results[0], "label"))
    assert "Kazakhstan" in labels and "Vladimir Putin" in labels
    assert all(sorted(values(r, "label")) == labels for r in results)


def test_default_graph_is_the_union_of_all_graphs(server: RunningServer) -> None:
    # The label is in the entities graph, the participation in a document graph: only a
    # union default graph joins them without GRAPH.
    result = sparql_json(
        server,
        "SELECT ?name WHERE { ?m <https://w3id.org/scokg/ontology#participant> ?p . "
        "?p <http://www.w3.org/2000/01/rdf-schema#label> ?name }",
    )
    assert sorted(set(values(result, "name"))) == [
        "António Guterres",
        "Nursultan Nazarbayev",
        "Vladimir Putin",
    ]


def test_default_graph_uri_restricts_the_default_graph(server: RunningServer) -> None:
    query = (
        "SELECT DISTINCT ?place WHERE { ?event <https://w3id.org/scokg/ontology#location> ?place }"
    )
    both = sparql_json(server, query)
    only_press = sparql_json(server, query, **{"default-graph-uri": PRESS})
    assert sorted(values(both, "place")) == [RES + "astana", RES + "beijing"]
    assert values(only_press, "place") == [RES + "astana"]


def test_named_graph_uri_restricts_the_named_graphs(server: RunningServer) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    everything = sparql_json(server, query)
    two = sparql_json(server, query, **{"named-graph-uri": [PRESS, DECLARATION]})
    assert len(values(everything, "g")) >= 4
    assert sorted(values(two, "g")) == sorted([PRESS, DECLARATION])
    # With only named graphs given, the default graph is empty.
    empty = sparql_json(server, COUNT, **{"named-graph-uri": PRESS})
    assert values(empty, "n") == ["0"]


def test_dataset_parameters_in_a_form_post(server: RunningServer) -> None:
    query = (
        "SELECT DISTINCT ?place WHERE { ?event <https://w3id.org/scokg/ontology#location> ?place }"
    )
    response = requests.post(
        server.sparql,
        data={"query": query, "default-graph-uri": DECLARATION},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert sorted(values(response.json(), "place")) == [RES + "astana", RES + "beijing"]
    response = requests.post(
        server.sparql,
        data={"query": query, "default-graph-uri": PRESS},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert values(response.json(), "place") == [RES + "astana"]


def test_from_in_the_query_sets_the_dataset(server: RunningServer) -> None:
    query = (
        f"SELECT DISTINCT ?place FROM <{PRESS}> "
        "WHERE { ?event <https://w3id.org/scokg/ontology#location> ?place }"
    )
    assert values(sparql_json(server, query), "place") == [RES + "astana"]


# -- result formats --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", SOLUTION_FORMATS, ids=lambda f: f.key)
def test_select_in_every_results_format(server: RunningServer, fmt) -> None:
    response = requests.get(
        server.sparql,
        params={"query": KAZAKHSTAN_LABEL},
        headers={"Accept": fmt.media_type},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    parsed = _parse_results(fmt.key, response.content)
    assert parsed == [["Kazakhstan"]]


def _parse_results(key: str, body: bytes) -> list[list[str]]:
    if key == "json":
        data = json.loads(body)
        return [[b["label"]["value"]] for b in data["results"]["bindings"]]
    if key == "xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(body)
        return [[lit.text or ""] for lit in root.findall(".//r:result/r:binding/r:literal", ns)]
    if key == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["label"]
        return rows[1:]
    rows = body.decode("utf-8").splitlines()
    assert rows[0] == "?label"
    return [[re.fullmatch(r'"(.*)"@en', row).group(1)] for row in rows[1:]]


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.key)
def test_construct_in_every_graph_format(server: RunningServer, fmt) -> None:
    response = requests.get(
        server.sparql,
        params={"query": PARTICIPANTS},
        headers={"Accept": fmt.media_type},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    rdf_format = ox.RdfFormat.from_media_type(fmt.media_type)
    assert rdf_format is not None
    triples = {
        (str(q.subject), str(q.object)) for q in ox.parse(response.content, format=rdf_format)
    }
    assert triples == {
        (f"<{RES}sco-heads-of-state-council-meeting-2017-06-08>", f"<{RES}{person}>")
        for person in ("nursultan-nazarbayev", "vladimir-putin", "antonio-guterres")
    }


def test_ask_and_describe(server: RunningServer) -> None:
    ask = requests.get(
        server.sparql,
        params={"query": f"ASK {{ <{RES}india> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+xml"},
        timeout=30,
    )
    assert ask.headers["Content-Type"] == "application/sparql-results+xml"
    assert b"<boolean>true</boolean>" in ask.content
    describe = requests.get(
        server.sparql,
        params={"query": f"DESCRIBE <{RES}india>"},
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    assert describe.headers["Content-Type"] == "application/n-triples"
    assert f'<{RES}india> <http://www.w3.org/2000/01/rdf-schema#label> "India"@en'.encode() in (
        describe.content
    )


@pytest.mark.parametrize("fmt", SOLUTION_FORMATS, ids=lambda f: f.key)
def test_ask_true_and_false_in_every_results_format(server: RunningServer, fmt) -> None:
    answers = {}
    for truth, query in (
        (True, f"ASK {{ <{RES}india> ?p ?o }}"),
        (False, "ASK { <urn:x:none> ?p ?o }"),
    ):
        for _ in range(2):  # the second answer of each kind comes from the kept bytes
            response = requests.get(
                server.sparql,
                params={"query": query},
                headers={"Accept": fmt.media_type},
                timeout=30,
            )
            assert response.status_code == 200
            assert response.headers["Content-Type"] == fmt.content_type
            if fmt.key == "csv":  # lossy, so pyoxigraph does not read it: the word itself
                assert response.text.strip() == str(truth).lower()
            else:
                parsed = ox.parse_query_results(
                    response.content, format=RESULTS_SERIALIZERS[fmt.key]
                )
                assert isinstance(parsed, ox.QueryBoolean)
                assert bool(parsed) is truth
            answers.setdefault(truth, set()).add(response.content)
    assert all(len(bodies) == 1 for bodies in answers.values())


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/xml", "application/sparql-results+xml"),
        ("text/*", "text/csv; charset=utf-8"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("application/sparql-results+xml;q=0.1, */*;q=0.5", "application/sparql-results+json"),
        ("*; q=.2", "application/sparql-results+json"),
    ],
)
def test_odd_accept_headers_get_registered_types(
    server: RunningServer, accept: str | None, expected: str
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    session = requests.Session()
    session.headers.pop("Accept", None)
    response = session.get(server.sparql, params={"query": KAZAKHSTAN_LABEL}, headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == expected


def test_construct_with_star_accept_is_turtle(server: RunningServer) -> None:
    response = requests.get(
        server.sparql, params={"query": PARTICIPANTS}, headers={"Accept": "*/*"}, timeout=30
    )
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"


def test_nothing_acceptable_is_406(server: RunningServer) -> None:
    response = requests.get(
        server.sparql, params={"query": LABELS}, headers={"Accept": "image/png"}, timeout=30
    )
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_select_asked_for_only_as_a_graph_format_is_406(server: RunningServer) -> None:
    response = requests.get(
        server.sparql, params={"query": LABELS}, headers={"Accept": "text/turtle"}, timeout=30
    )
    assert response.status_code == 406
    assert "SELECT" in response.text


def test_large_result_streams_whole(server: RunningServer, triple_count: dict[str, int]) -> None:
    response = requests.get(
        server.sparql,
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/tab-separated-values"},
        stream=True,
        timeout=30,
    )
    body = b"".join(response.iter_content(8192))
    assert len(body.splitlines()) == triple_count["quads"] + 1


# -- errors ----------------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parser_message(server: RunningServer) -> None:
    response = requests.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p }"}, timeout=30)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "malformed query" in response.text
    assert "error at 1:" in response.text


def test_two_query_parameters_are_400(server: RunningServer) -> None:
    for _ in range(2):  # parsed requests are remembered; refusals must not be
        response = requests.get(
            server.sparql, params=[("query", KAZAKHSTAN_LABEL), ("query", LABELS)], timeout=30
        )
        assert response.status_code == 400
        assert "2 query parameters" in response.text
    response = requests.post(
        server.sparql + "?query=ASK%7B%7D", data={"query": KAZAKHSTAN_LABEL}, timeout=30
    )
    assert response.status_code == 400


def test_post_without_content_type_is_400(server: RunningServer) -> None:
    response = requests.post(server.sparql, data=LABELS.encode(), headers={"Content-Type": ""})
    assert response.status_code == 400
    assert "Content-Type" in response.text


def test_post_with_wrong_content_type_is_400(server: RunningServer) -> None:
    response = requests.post(
        server.sparql, data=LABELS.encode(), headers={"Content-Type": "text/plain"}, timeout=30
    )
    assert response.status_code == 400
    assert "text/plain is not accepted" in response.text


def test_non_utf8_body_is_400(server: RunningServer) -> None:
    body = "SELECT ?x WHERE { BIND('Kraków' AS ?x) }".encode("latin-1")
    response = requests.post(
        server.sparql,
        data=body,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.text
    form = b"query=SELECT%20%3Fx%20WHERE%20%7B%20BIND('Krak%F3w'%20AS%20%3Fx)%20%7D"
    response = requests.post(
        server.sparql,
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.text


def test_utf8_query_round_trips(server: RunningServer) -> None:
    result = sparql_json(server, "SELECT ?x WHERE { BIND('Kraków – 北京' AS ?x) }")
    assert values(result, "x") == ["Kraków – 北京"]


def test_oversized_body_is_413(server: RunningServer) -> None:
    padding = "#" + "x" * 2_000_000 + "\n"
    response = requests.post(
        server.sparql,
        data=(padding + LABELS).encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 413
    assert "limit" in response.text


def test_graph_parameters_without_a_query_are_400(server: RunningServer) -> None:
    response = requests.get(server.sparql, params={"default-graph-uri": PRESS}, timeout=30)
    assert response.status_code == 400
    response = requests.get(
        server.sparql, params={"query": COUNT, "default-graph-uri": "not an iri"}, timeout=30
    )
    assert response.status_code == 400
    assert "absolute IRI" in response.text


# -- read-only and no server-side requests ---------------------------------------------------


def _count(server: RunningServer) -> int:
    # A comment no other request has makes sure the answer comes from the store, not the cache.
    fresh = f"{COUNT} # {uuid.uuid4()}"
    return int(values(sparql_json(server, fresh), "n")[0])


UPDATE = f"INSERT DATA {{ GRAPH <{PRESS}> {{ <{RES}x> <{RES}y> <{RES}z> }} }}"


@pytest.mark.parametrize(
    "send",
    [
        lambda url: requests.post(url, data={"update": UPDATE}, timeout=30),
        lambda url: requests.post(
            url, data=UPDATE.encode(), headers={"Content-Type": "application/sparql-update"}
        ),
        lambda url: requests.get(url, params={"query": UPDATE}, timeout=30),
        lambda url: requests.post(
            url, data=UPDATE.encode(), headers={"Content-Type": "application/sparql-query"}
        ),
        lambda url: requests.get(url, params={"update": f"DROP GRAPH <{PRESS}>"}, timeout=30),
        lambda url: requests.post(url, data={"query": f"CLEAR GRAPH <{PRESS}>"}, timeout=30),
    ],
    ids=["update-form", "update-body", "update-in-query", "update-as-query-body", "drop", "clear"],
)
def test_updates_are_refused_and_change_nothing(server: RunningServer, send) -> None:
    before = _count(server)
    response = send(server.sparql)
    assert 400 <= response.status_code < 500
    assert "read-only" in response.text
    assert _count(server) == before


@pytest.mark.parametrize(
    "query",
    [
        "LOAD <http://example.org/data.ttl>",
        "LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <http://example.org/g>",
    ],
)
def test_load_is_refused(server: RunningServer, query: str) -> None:
    before = _count(server)
    response = requests.post(server.sparql, data={"query": query}, timeout=30)
    assert response.status_code == 403
    assert "read-only" in response.text
    assert _count(server) == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o . service silent <http://example.org/sparql> { ?s ?p ?x } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(server: RunningServer, query: str) -> None:
    response = requests.get(server.sparql, params={"query": query}, timeout=30)
    assert response.status_code == 403
    assert "SERVICE is not allowed" in response.text


def test_words_like_service_elsewhere_are_fine(server: RunningServer) -> None:
    query = "SELECT ?service WHERE { BIND('SERVICE <http://x> FROM' AS ?service) } # SERVICE"
    assert values(sparql_json(server, query), "service") == ["SERVICE <http://x> FROM"]


# -- CORS and keep-alive ---------------------------------------------------------------------


def test_cors_headers_and_preflight(server: RunningServer) -> None:
    response = requests.get(server.sparql, params={"query": KAZAKHSTAN_LABEL}, timeout=30)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(
        server.sparql,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_one_connection_serves_many_queries(server: RunningServer) -> None:
    with requests.Session() as session:
        answers = [
            session.get(server.sparql, params={"query": KAZAKHSTAN_LABEL}, timeout=30).json()
            for _ in range(20)
        ]
    assert all(values(a, "label") == ["Kazakhstan"] for a in answers)
