"""The app as a whole: settings, error shape, generation swaps, ``serve --get``, negotiation."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import build_store
from flask import Flask
from flask.testing import FlaskClient

from scokg.errors import UsageError
from scokg.graph.store import StoreDir
from scokg.server.app import create_app
from scokg.server.cache import ResultCache
from scokg.server.command import serve_command
from scokg.server.executor import ResultCut
from scokg.server.keywords import keywords, looks_like_update
from scokg.server.negotiation import GRAPH_FORMATS, SOLUTION_FORMATS, negotiate
from scokg.server.settings import Settings, settings_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
QUERY = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"


# -- one error shape for every route ---------------------------------------------------------

ERRORS = [
    ("get", "/sparql?query=SELECT", 400),
    ("get", "/sparql?query=ASK{}&query=ASK{}", 400),
    ("get", "/sparql?update=CLEAR%20ALL", 403),
    ("get", "/sparql?query=SELECT%20*%20%7B%20SERVICE%20%3Chttp://x%3E%20%7B%7D%20%7D", 403),
    ("put", "/sparql", 405),
    ("get", "/resource/unknown", 404),
    ("get", "/no/such/page", 404),
]


@pytest.mark.parametrize(("method", "path", "status"), ERRORS)
def test_errors_have_one_shape_in_json(
    client: FlaskClient, method: str, path: str, status: int
) -> None:
    response = getattr(client, method)(path, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.content_type == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert error["title"]
    assert error["message"]


@pytest.mark.parametrize(("method", "path", "status"), ERRORS)
def test_errors_are_plain_text_for_sparql_clients(
    client: FlaskClient, method: str, path: str, status: int
) -> None:
    response = getattr(client, method)(path, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == status
    assert response.content_type == "text/plain; charset=utf-8"
    assert response.get_data(as_text=True).startswith(f"{status} ")


def test_errors_are_html_for_browsers(client: FlaskClient) -> None:
    response = client.get("/resource/unknown", headers={"Accept": "text/html"})
    assert response.content_type == "text/html; charset=utf-8"
    assert "no resource https://w3id.org/scokg/resource/unknown" in response.get_data(as_text=True)


def test_405_names_the_allowed_methods(client: FlaskClient) -> None:
    response = client.delete("/sparql")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


# -- the store ------------------------------------------------------------------------------


def test_no_graph_yet_is_503(tmp_path: Path) -> None:
    app = create_app(tmp_path / "empty")
    try:
        response = app.test_client().get("/", headers={"Accept": "text/plain"})
        assert response.status_code == 503
        assert "no graph here yet" in response.get_data(as_text=True)
        response = app.test_client().get(QUERY)
        assert response.status_code == 503
    finally:
        app.extensions["scokg"].executor.close()


def test_a_new_generation_is_served_without_a_restart(tmp_path: Path) -> None:
    # The result cache is on: the answer computed on the old generation must not be reused.
    root = tmp_path / "store"
    build_store(root)
    app = create_app(root)
    client = app.test_client()
    query = "/sparql?query=" + "ASK%7B%3Chttps://example.org/new%3E%20?p%20?o%7D"
    try:
        assert client.get(query).get_json()["boolean"] is False
        before = client.get("/dump.ttl").headers["ETag"]
        with StoreDir(root).new_generation(copy_current=True) as generation:
            generation.store.add(
                ox.Quad(
                    ox.NamedNode("https://example.org/new"),
                    ox.NamedNode("https://example.org/p"),
                    ox.Literal("x"),
                    ox.NamedNode("https://w3id.org/scokg/graph/entities"),
                )
            )
        assert client.get(query).get_json()["boolean"] is True
        assert client.get("/dump.ttl").headers["ETag"] != before
    finally:
        app.extensions["scokg"].executor.close()


# -- settings --------------------------------------------------------------------------------


def test_settings_from_a_mapping() -> None:
    settings = Settings.from_mapping({"query_time_limit": "2.5", "max_html_rows": 10})
    assert settings.query_time_limit == 2.5
    assert settings.max_html_rows == 10
    with pytest.raises(UsageError, match="unknown setting"):
        Settings.from_mapping({"no_such_setting": 1})
    with pytest.raises(UsageError, match="positive"):
        Settings.from_mapping({"workers": 0})
    with pytest.raises(UsageError, match="number"):
        Settings.from_mapping({"workers": "many"})


def test_settings_table_lists_every_setting() -> None:
    table = settings_markdown()
    for name in Settings.names():
        assert f"| `{name}` |" in table


def test_readme_documents_every_setting() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [name for name in Settings.names() if f"`{name}`" not in readme]
    assert not missing, f"README.md does not document the settings {missing}"


def test_max_html_rows_cuts_resource_pages(store_dir: Path) -> None:
    app = create_app(store_dir, {"max_html_rows": 2})
    try:
        html = app.test_client().get("/resource/sco-heads-of-state-council-meeting-2017-06-08")
        text = html.get_data(as_text=True)
        assert text.count('<th scope="row">') <= 4
        assert "More facts exist than this page shows" in text
    finally:
        app.extensions["scokg"].executor.close()


# -- serve --get -----------------------------------------------------------------------------


def test_serve_get_prints_the_body(store_dir: Path) -> None:
    result = CliRunner().invoke(
        serve_command, ["--store", str(store_dir), "--get", QUERY, "--accept", "text/csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "true"


def test_serve_get_json(store_dir: Path) -> None:
    result = CliRunner().invoke(serve_command, ["--store", str(store_dir), "--get", QUERY])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}


def test_serve_get_fails_on_an_error_status(store_dir: Path) -> None:
    result = CliRunner().invoke(
        serve_command, ["--store", str(store_dir), "--get", "/resource/unknown"]
    )
    assert result.exit_code != 0
    assert "404" in str(result.exception)
    assert "no resource" in result.stdout


def test_serve_rejects_unknown_settings(store_dir: Path) -> None:
    result = CliRunner().invoke(
        serve_command, ["--store", str(store_dir), "--setting", "speed", "11", "--get", "/"]
    )
    assert isinstance(result.exception, UsageError)


# -- negotiation and keywords ----------------------------------------------------------------


def test_negotiation_prefers_quality_then_explicit_types() -> None:
    assert negotiate(None, SOLUTION_FORMATS).key == "json"
    assert negotiate("", GRAPH_FORMATS).key == "turtle"
    assert negotiate("application/rdf+xml;q=0.5, text/turtle;q=0.4", GRAPH_FORMATS).key == "rdfxml"
    assert negotiate("*/*;q=0.1, application/trig", GRAPH_FORMATS).key == "trig"
    assert negotiate("application/json", GRAPH_FORMATS).key == "jsonld"
    assert negotiate("text/plain", GRAPH_FORMATS).key == "ntriples"
    assert negotiate("application/json;q=0", SOLUTION_FORMATS) is None
    assert negotiate("image/*", SOLUTION_FORMATS) is None


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("SELECT * { SERVICE <http://x> { ?s ?p ?o } }", {"SERVICE"}),
        ("select * { ?s ?p ?o .service <http://x> { } }", {"SERVICE"}),
        ("SELECT ?service { ?service ex:service 'SERVICE' } # SERVICE", set()),
        ("SELECT * { ?s ex:a.service ?o }", set()),
        ("SELECT * FROM <http://g> { ?s ?p ?o }", {"FROM"}),
        ("SELECT * { ?s ?p 'from' ; <http://from/> _:from . ?s ?p \"x\"@from }", set()),
        ("SELECT * { \\u0053ERVICE <http://x> { } }", {"SERVICE"}),
        ('SELECT * { ?s ?p """a " SERVICE""" }', set()),
        ("SELECT * { FILTER(?x < 3) SERVICE <http://x> {} }", {"SERVICE"}),
    ],
)
def test_keywords(query: str, found: set[str]) -> None:
    assert keywords(query, ("SERVICE", "FROM")) == found


@pytest.mark.parametrize(
    ("query", "update"),
    [
        ("PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }", True),
        ("BASE <http://x/> PREFIX : <y> LOAD <http://z>", True),
        ("# comment\nDELETE WHERE { ?s ?p ?o }", True),
        ("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("SELECT * { ?s ?p ?o }", False),
        ("SELEC * {}", False),
    ],
)
def test_looks_like_update(query: str, update: bool) -> None:
    assert looks_like_update(query) is update


# -- result cache and result size limit ------------------------------------------------------


def test_result_cache_keeps_small_results_within_its_size() -> None:
    cache = ResultCache(16 * 100)  # entries of at most 100 bytes
    key = ("gen-1", "ASK {}", True, None, None, "json", "turtle")
    cache.put(key, "json", b"x" * 100)
    assert cache.get(key) == ("json", b"x" * 100)
    cache.put(("gen-1", "big", True, None, None, "json", ""), "json", b"x" * 101)
    assert len(cache) == 1  # too big to keep
    for number in range(20):
        cache.put(("gen-1", f"q{number}", True, None, None, "json", ""), "json", b"y" * 100)
    assert len(cache) == 16
    assert cache.get(key) is None  # the oldest went first
    assert cache.get(("gen-2", "q19", True, None, None, "json", "")) is None


def test_repeated_query_is_answered_from_the_cache(app: Flask) -> None:
    client = app.test_client()
    path = "/sparql?query=SELECT%20%3Fs%20%7B%3Fs%20a%20%3Fc%7D%20LIMIT%203%20%23%20cache-test"
    first = client.get(path)
    cache = app.extensions["scokg"].cache
    size = len(cache)
    second = client.get(path)
    assert first.get_data() == second.get_data()
    assert len(cache) == size >= 1


def test_a_streamed_result_is_cached_once_complete(app: Flask) -> None:
    client = app.test_client()
    path = "/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D%20%23%20streamed"
    headers = {"Accept": "text/tab-separated-values"}
    cache = app.extensions["scokg"].cache
    size = len(cache)
    first = client.get(path, headers=headers)
    assert len(cache) == size  # over one piece: it is streamed, and not complete yet
    body = first.get_data()
    assert len(body) > 65536
    assert len(cache) == size + 1
    second = client.get(path, headers=headers)
    assert second.get_data() == body
    assert len(cache) == size + 1


def test_a_result_over_the_size_limit_is_cut_off(store_dir: Path) -> None:
    app = create_app(store_dir, {"max_result_bytes": 70_000, "result_cache_bytes": 0})
    try:
        client = app.test_client()
        query = "/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D"
        with pytest.raises(ResultCut, match="limit of 70000 bytes"):
            client.get(query, headers={"Accept": "text/tab-separated-values"}).get_data()
        # The process that was cut off was replaced: the next query is answered.
        assert client.get(QUERY).get_json()["boolean"] is True
    finally:
        app.extensions["scokg"].executor.close()
