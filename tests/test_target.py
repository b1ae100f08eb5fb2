"""`scokg build --target URL` writes the graphs into a real Oxigraph server over the SPARQL
1.1 Graph Store Protocol, and keeps it in step when documents change or go away."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from scokg.resources import corpus_dir

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A real read-write `oxigraph serve` process; yields its base URL."""
    assert OXIGRAPH.exists(), "the oxigraph server is installed with the test extras"
    port = free_port()
    process = subprocess.Popen(
        [
            str(OXIGRAPH),
            "serve",
            "--location",
            str(tmp_path / "oxigraph"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def count(base: str, where: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
    url = base + "/query?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return int(response.read().decode().splitlines()[1])


def scokg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scokg", *args], capture_output=True, text=True, timeout=600
    )


def local_quads(store: Path) -> int:
    import json

    out = scokg("stats", "--store", str(store), "--format", "json")
    return int(json.loads(out.stdout)["quads"])


def test_build_into_a_graph_store_endpoint(oxigraph: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in corpus_dir().glob("*.txt"):
        shutil.copy(path, docs / path.name)
    store = tmp_path / "store"
    target = oxigraph + "/store"
    first = scokg("build", str(docs), "--store", str(store), "--target", target)
    assert first.returncode == 0, first.stderr
    everything = "GRAPH ?g { ?s ?p ?o }"
    assert count(oxigraph, everything) == local_quads(store)
    graph = "<https://w3id.org/scokg/graph/2017-06-09-astana-declaration>"
    assert count(oxigraph, f"GRAPH {graph} {{ ?s ?p ?o }}") > 100

    # a document removed from the corpus is removed from the target too
    (docs / "2017-06-09-astana-declaration.txt").unlink()
    second = scokg("build", str(docs), "--store", str(store), "--target", target)
    assert second.returncode == 0, second.stderr
    assert "deleted 1" in second.stdout
    assert count(oxigraph, f"GRAPH {graph} {{ ?s ?p ?o }}") == 0
    assert count(oxigraph, everything) == local_quads(store)

    # nothing changed: nothing sent
    third = scokg("build", str(docs), "--store", str(store), "--target", target)
    assert "sent 0 graph(s)" in third.stdout


def test_unreachable_target_is_one_clear_error(tmp_path: Path) -> None:
    result = scokg(
        "build",
        str(corpus_dir()),
        "--store",
        str(tmp_path / "s"),
        "--target",
        "http://127.0.0.1:9/store",
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1].startswith("scokg: error: http://127.0.0.1:9/store")
    )
    assert "Traceback" not in result.stderr
