"""Whole-graph dumps: media types, validators, and a dump parsed back equals the store."""

from __future__ import annotations

import gzip

import pytest
import requests
from conftest import RunningServer
from rdflib import Dataset, Graph

DUMPS = [
    ("dump.ttl", "text/turtle; charset=utf-8"),
    ("dump.nt.gz", "application/gzip"),
    ("dump.nq.gz", "application/gzip"),
]


@pytest.mark.parametrize(("name", "content_type"), DUMPS)
def test_dump_media_type_and_validators(
    server: RunningServer, name: str, content_type: str
) -> None:
    response = requests.get(server.url + name, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["ETag"].startswith('"gen-')
    assert response.headers["Last-Modified"].endswith(" GMT")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert f"filename={name}" in response.headers["Content-Disposition"]
    if name.endswith(".gz"):
        assert response.content[:2] == b"\x1f\x8b"  # a gzip file, not a transfer encoding
        assert "Content-Encoding" not in response.headers


@pytest.mark.parametrize(("name", "content_type"), DUMPS)
def test_dump_revalidation_gives_304(server: RunningServer, name: str, content_type: str) -> None:
    first = requests.get(server.url + name, timeout=60)
    by_etag = requests.get(
        server.url + name, headers={"If-None-Match": first.headers["ETag"]}, timeout=60
    )
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag.headers["ETag"] == first.headers["ETag"]
    by_date = requests.get(
        server.url + name,
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
        timeout=60,
    )
    assert by_date.status_code == 304
    other = requests.get(server.url + name, headers={"If-None-Match": '"other"'}, timeout=60)
    assert other.status_code == 200


def test_dump_is_the_same_bytes_twice(server: RunningServer) -> None:
    first = requests.get(server.url + "dump.nt.gz", timeout=60).content
    second = requests.get(server.url + "dump.nt.gz", timeout=60).content
    assert first == second


def test_turtle_dump_parses_to_the_union_of_the_store(
    server: RunningServer, triple_count: dict[str, int]
) -> None:
    response = requests.get(server.url + "dump.ttl", timeout=60)
    graph = Graph().parse(data=response.content, format="turtle")
    assert len(graph) == triple_count["triples"]


def test_ntriples_dump_parses_to_the_union_of_the_store(
    server: RunningServer, triple_count: dict[str, int]
) -> None:
    response = requests.get(server.url + "dump.nt.gz", timeout=60)
    graph = Graph().parse(data=gzip.decompress(response.content), format="nt")
    assert len(graph) == triple_count["triples"]


def test_nquads_dump_keeps_every_graph(server: RunningServer, triple_count: dict[str, int]) -> None:
    response = requests.get(server.url + "dump.nq.gz", timeout=60)
    dataset = Dataset()
    dataset.parse(data=gzip.decompress(response.content), format="nquads")
    assert len(list(dataset.quads())) == triple_count["quads"]
    graphs = {str(g.identifier) for g in dataset.graphs()}
    assert "https://w3id.org/scokg/graph/2017-06-09-astana-declaration" in graphs
    assert "https://w3id.org/scokg/graph/ontology" in graphs


def test_head_of_a_dump_sends_no_body(server: RunningServer) -> None:
    response = requests.head(server.url + "dump.nq.gz", timeout=60)
    assert response.status_code == 200
    assert response.content == b""


def test_a_dump_read_partly_does_not_disturb_the_server(server: RunningServer) -> None:
    with requests.get(server.url + "dump.ttl", stream=True, timeout=60) as response:
        first = next(response.iter_content(1024))
        assert first
    after = requests.get(server.url + "dump.ttl", timeout=60)
    assert after.status_code == 200
