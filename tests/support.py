"""Shared helpers for the build, CLI, store and RDF-output tests.

The bundled corpus takes about ten seconds to build, so it is built once per test session
(by the real command line, in a subprocess) and every test that only reads it shares that
store. A test that changes a store works on its own copy (:func:`copy_store`).

Test modules import what they use from here explicitly; a fixture is imported under its
function name (``corpus_store_fixture``) and requested by its fixture name
(``corpus_store``)::

    from support import corpus_store_fixture, run_scokg  # noqa: F401
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from scokg.graph.store import StoreDir
from scokg.vocab import PREFIXES

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
SAMPLE_GOLD = FIXTURES / "sample-gold"

# Document ids of the bundled corpus (corpus/*.txt without the extension).
DECLARATION = "2017-06-09-astana-declaration"
PRESS_RELEASE = "2017-06-09-astana-summit-press-release"
CORPUS_DOCUMENTS = (DECLARATION, PRESS_RELEASE)

# Safety net only, never asserted on: a hung subprocess fails the test instead of the run.
SUBPROCESS_TIMEOUT = 600

# A short document that builds in about a second: a Person with a post, a State, a City
# and the SCO, enough for the shapes and the reasoner to have something to do.
TINY_DOCUMENT = (
    "Astana, 9 June 2017\n\n"
    "The President of the Republic of Kazakhstan Nursultan Nazarbayev met the\n"
    "Secretary-General of the Shanghai Cooperation Organisation in Astana.\n"
)

# The distinct triples of the union of all graphs (what `scokg stats` calls "triples").
DISTINCT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


# Curly quotes as the cleaner straightens them.
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def comparable(text: str) -> str:
    """Text with the differences cleaning is allowed to make taken out: curly quotes, angle
    brackets around links, a line break after a hyphen, and runs of whitespace."""
    text = text.translate(QUOTES).replace("<", "").replace(">", "")
    text = re.sub(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class BuiltStore:
    """A store built by ``scokg build`` and what the command printed."""

    path: Path
    returncode: int
    stdout: str
    stderr: str


def run_scokg(
    *args: str | os.PathLike[str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line (``python -m scokg ARGS``) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "scokg", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


_SESSION: dict[str, BuiltStore] = {}


@pytest.fixture(scope="session", name="corpus_build")
def corpus_build_fixture(tmp_path_factory: pytest.TempPathFactory) -> BuiltStore:
    """The bundled corpus built once per session with ``scokg build`` (do not modify it)."""
    if "corpus" not in _SESSION:
        path = tmp_path_factory.mktemp("corpus") / "store"
        done = run_scokg("build", "--store", path)
        _SESSION["corpus"] = BuiltStore(path, done.returncode, done.stdout, done.stderr)
    built = _SESSION["corpus"]
    assert built.returncode == 0, built.stderr
    return built


@pytest.fixture(scope="session", name="corpus_store")
def corpus_store_fixture(corpus_build: BuiltStore) -> Path:
    """The directory of the session's corpus store (read it, never write it)."""
    return corpus_build.path


@pytest.fixture(scope="session", name="corpus_db")
def corpus_db_fixture(corpus_store: Path) -> ox.Store:
    """The session's corpus store opened read-only."""
    return StoreDir(corpus_store).open_read_only()


def copy_store(source: Path, target: Path) -> Path:
    """Copy a store directory (its generations and the ``current`` link) to ``target``."""
    shutil.copytree(source, target, symlinks=True)
    return target


def write_tiny_document(folder: Path, name: str = "tiny-note.txt") -> Path:
    """Write :data:`TINY_DOCUMENT` into ``folder`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(TINY_DOCUMENT, encoding="utf-8")
    return path


def select(store: ox.Store, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    """Run a SELECT over the union of all graphs with the project's prefixes; rows as dicts."""
    solutions = store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in solutions]


def ask(store: ox.Store, sparql: str) -> bool:
    """Run an ASK over the union of all graphs with the project's prefixes."""
    result = store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def count(store: ox.Store, sparql: str) -> int:
    """The single number a ``SELECT (COUNT(...) AS ?n)`` query returns."""
    rows = select(store, sparql)
    assert len(rows) == 1
    return int(rows[0]["n"].value)


def distinct_triples(store_dir: Path) -> int:
    """The number of distinct triples in the union of all graphs of a store directory."""
    return count(StoreDir(store_dir).open_read_only(), DISTINCT_TRIPLES)


def stats_json(store_dir: Path) -> dict[str, object]:
    """What ``scokg stats --format json`` prints for a store, parsed."""
    done = run_scokg("stats", "--store", store_dir, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    return data


def error_lines(stderr: str) -> list[str]:
    """The ``scokg: error:`` lines of a command's stderr."""
    return [line for line in stderr.splitlines() if line.startswith("scokg: error:")]


def assert_one_clear_error(stderr: str, *, naming: str) -> str:
    """Check that stderr holds exactly one error line, naming ``naming``, and no traceback."""
    assert "Traceback" not in stderr
    lines = error_lines(stderr)
    assert len(lines) == 1, stderr
    assert naming in lines[0], lines[0]
    return lines[0]


def generations(store_dir: Path) -> list[Path]:
    """The generation folders of a store directory, oldest name first."""
    return sorted(p for p in store_dir.glob("gen-*") if p.is_dir())
