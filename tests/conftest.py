"""Shared fixtures: a store built once per session, the app and its client, real servers.

The store is the hand-written graph ``fixtures/server-sample.trig`` plus the ontology, laid
out as a build lays it out. To run the server tests on the real corpus instead, replace the
body of ``build_store`` with ``build(None, StoreDir(root), progress=False)``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset, Graph

from scokg.extract.document import extract_document
from scokg.extract.resolve import resolve
from scokg.graph.rdf import corpus_dataset
from scokg.graph.reason import load_ontology
from scokg.graph.store import StoreDir
from scokg.graph.validate import load_shapes
from scokg.resources import corpus_dir, ontology_path
from scokg.server.app import create_app
from scokg.vocab import ONTOLOGY_GRAPH

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = FIXTURES / "server-sample.trig"
READY = re.compile(r"scokg: serving .* at (http://\S+/) ")


def build_store(root: Path) -> StoreDir:
    """The session's graph: the sample TriG and the ontology in its named graph."""
    store = StoreDir(root)
    with store.new_generation() as generation:
        generation.store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
        generation.store.load(
            path=str(ontology_path()),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)),
        )
    return store


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    build_store(root)
    return root


@pytest.fixture(scope="session")
def app(store_dir: Path) -> Iterator[Flask]:
    application = create_app(store_dir, {"TESTING": True})
    yield application
    application.extensions["scokg"].executor.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class RunningServer:
    """A ``scokg serve`` process on a free loopback port."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


def start_server(store: Path, log: Path, *options: str) -> RunningServer:
    """Start ``scokg serve`` (as ``python -m scokg serve``) and wait until it listens."""
    command = [
        sys.executable,
        "-m",
        "scokg",
        "serve",
        "--store",
        str(store),
        "--port",
        "0",
        *options,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        match = READY.search(log.read_text(encoding="utf-8", errors="replace"))
        if match:
            return RunningServer(match.group(1), process, log)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"the server did not start:\n{log.read_text(errors='replace')}")


def stop_server(server: RunningServer) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture(scope="session")
def server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The real server (gunicorn, default limits) over the session's store."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    running = start_server(store_dir, log)
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def limited_server(
    store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A real server with a short query time limit and two query processes."""
    log = tmp_path_factory.mktemp("limited") / "server.log"
    running = start_server(store_dir, log, "--timeout", "3")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def triple_count(store_dir: Path) -> dict[str, int]:
    """Counts read straight from the store: quads, and distinct triples of the union."""
    store = StoreDir(store_dir).open_read_only()
    distinct = store.query(
        "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
        use_default_graph_as_union=True,
    )
    row = next(iter(distinct))
    return {"quads": len(store), "triples": int(row["n"].value)}


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# --- the sample corpus's asserted graphs, the shapes and the ontology (read-only: copy the
# dataset before changing it) ---------------------------------------------------------------


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="session")
def sample() -> Dataset:
    """The asserted graphs of the bundled sample corpus, as ``scokg build`` makes them."""
    documents = [extract_document(path) for path in sorted(corpus_dir().glob("*.txt"))]
    return corpus_dataset(resolve(documents))
