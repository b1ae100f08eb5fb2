"""Serving benchmark: scokg's SPARQL endpoint against the native Oxigraph server.

    python -m benchmarks.serve [--triples 100000,1000000] [--concurrency 1,8] [--duration S]

For each size it generates an N-Triples file (``benchmarks.ntriples_generator``), loads it
into scokg (``scokg load FILE --store DIR``, served by ``scokg serve``) and into Oxigraph
(``oxigraph load --location DIR --file FILE --graph G``, served by ``oxigraph
serve-read-only --union-default-graph``: the same named graph, and the same union default
graph scokg gives every query), and checks that both answer every query in
``benchmarks/queries/`` the same (parsed results compared). Then, for each concurrency and
each query, it runs the query for ``--duration`` seconds against one server, then the
other (scokg first on odd rounds, Oxigraph first on even ones), with one keep-alive HTTP
connection per client thread, and prints queries/s, p50 and p99 latency, the ratio
scokg/Oxigraph per query and its geometric mean. The headline scokg server runs with its
result cache off (a cache is no fair comparison); a second scokg server with the cache on
is measured alongside and reported in its own columns. ``floor`` is the query run and
serialised in this process by pyoxigraph, one at a time: what no HTTP server can beat at
concurrency 1.

Needs the ``oxigraph`` program (``pip install oxigraph``). Files and stores go to
``var/bench`` (``--work``); they are reused while the generator is unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from benchmarks import ntriples_generator
from scokg.graph.store import StoreDir

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries"
LOADED_GRAPH = "https://w3id.org/scokg/graph/loaded/{stem}"
SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "text/turtle"
READY = re.compile(r"scokg: serving .* at (http://\S+/) ")


# -- the queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    name: str
    text: str

    @property
    def is_graph(self) -> bool:
        return bool(re.search(r"^\s*(DESCRIBE|CONSTRUCT)\b", self.text, re.M | re.I))

    @property
    def accept(self) -> str:
        return GRAPH_ACCEPT if self.is_graph else SELECT_ACCEPT

    @property
    def ordered(self) -> bool:
        return bool(re.search(r"\bORDER\s+BY\b", self.text, re.I))


def load_queries(folder: Path = QUERIES) -> list[Query]:
    return [Query(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))]


# -- data and stores ---------------------------------------------------------------------------


def generator_version() -> str:
    """A digest of the generator and its words: a changed generator means new files."""
    digest = hashlib.sha256()
    for path in (Path(ntriples_generator.__file__), ntriples_generator.WORDS):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@dataclass(frozen=True)
class Dataset:
    triples: int
    file: Path
    scokg_store: Path
    oxigraph_store: Path


def prepare(work: Path, triples: int, seed: int, oxigraph: str) -> Dataset:
    """Generate the file and load both stores, unless an earlier run already did."""
    name = f"sco-{triples}-seed{seed}-{generator_version()}"
    folder = work / name
    data = folder / f"{name}.nt"
    if not data.is_file():
        say(f"generating {triples:,} triples into {data}")
        ntriples_generator.ensure_file(data, triples, seed)
    scokg_store = folder / "scokg-store"
    if not StoreDir(scokg_store).exists():
        say(f"loading {data.name} into scokg ({scokg_store})")
        shutil.rmtree(scokg_store, ignore_errors=True)
        run([sys.executable, "-m", "scokg", "load", str(data), "--store", str(scokg_store)])
    oxigraph_store = folder / "oxigraph-store"
    done = folder / "oxigraph-store.loaded"
    if not done.is_file():
        say(f"loading {data.name} into Oxigraph ({oxigraph_store})")
        shutil.rmtree(oxigraph_store, ignore_errors=True)
        graph = LOADED_GRAPH.format(stem=data.name.split(".")[0])
        run([oxigraph, "load", "--location", str(oxigraph_store), "--file", str(data),
             "--graph", graph])  # fmt: skip
        done.write_text("ok\n")
    return Dataset(triples, data, scokg_store, oxigraph_store)


def run(command: Sequence[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


# -- the servers -------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    host: str
    port: int
    path: str
    process: subprocess.Popen[bytes]

    def target(self, query: Query) -> str:
        return self.path + "?" + urllib.parse.urlencode({"query": query.text})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_scokg(name: str, store: Path, log: Path, settings: Sequence[str]) -> Server:
    command = [sys.executable, "-m", "scokg", "serve", "--store", str(store), "--port", "0"]
    for pair in settings:
        setting, _, value = pair.partition("=")
        command += ["--setting", setting, value]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = READY.search(log.read_text(errors="replace"))
        if found:
            parts = urllib.parse.urlsplit(found.group(1))
            server = Server(name, parts.hostname or "", parts.port or 0, "/sparql", process)
            wait_until_answering(server)
            return server
        if process.poll() is not None:
            break
        time.sleep(0.1)
    stop(process)
    raise SystemExit(f"scokg serve did not start:\n{log.read_text(errors='replace')}")


def start_oxigraph(oxigraph: str, store: Path, log: Path) -> Server:
    port = free_port()
    command = [oxigraph, "serve-read-only", "--location", str(store),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    server = Server("oxigraph", "127.0.0.1", port, "/query", process)
    wait_until_answering(server)
    return server


def wait_until_answering(server: Server) -> None:
    deadline = time.monotonic() + 120
    ask = Query("ready", "ASK { ?s ?p ?o }")
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} ended before it answered")
        try:
            status, _, _ = fetch(server, ask)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{server.name} did not answer within 120 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        stop(server.process)


def fetch(server: Server, query: Query) -> tuple[int, str, bytes]:
    """One request on a fresh connection: status, content type, body."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=600)
    try:
        connection.request("GET", server.target(query), headers={"Accept": query.accept})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


# -- same answers ------------------------------------------------------------------------------


def parsed(query: Query, content_type: str, body: bytes) -> Any:
    """A result in a form two servers' answers can be compared in."""
    if query.is_graph:
        fmt = ox.RdfFormat.from_media_type(content_type.split(";")[0])
        if fmt is None:
            raise ValueError(f"unexpected media type {content_type}")
        return sorted(str(t) for t in ox.parse(body, format=fmt))
    data = json.loads(body)
    if "boolean" in data:
        return data["boolean"]
    rows = [tuple(sorted((k, tuple(sorted(v.items()))) for k, v in row.items()))
            for row in data["results"]["bindings"]]  # fmt: skip
    return rows if query.ordered else sorted(rows)


def check_answers(servers: Sequence[Server], queries: Sequence[Query]) -> None:
    for query in queries:
        answers = []
        for server in servers:
            status, content_type, body = fetch(server, query)
            if status != 200:
                raise SystemExit(f"{server.name} answered {status} to {query.name}: {body[:500]!r}")
            answers.append(parsed(query, content_type, body))
        size = len(answers[0]) if isinstance(answers[0], list) else answers[0]
        if any(answer != answers[0] for answer in answers[1:]):
            raise SystemExit(f"{query.name}: the servers' answers differ")
        if size in (0, False):
            raise SystemExit(f"{query.name}: an empty answer proves little; fix the query")
        say(f"  {query.name}: same answer from {len(servers)} servers ({size} rows/triples)")


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class Measure:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def add(self, other: Measure) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies += other.latencies

    @property
    def qps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(server: Server, query: Query, concurrency: int, duration: float) -> Measure:
    """Run ``query`` from ``concurrency`` threads for ``duration`` seconds."""
    target = server.target(query)
    headers = {"Accept": query.accept}
    start = threading.Barrier(concurrency + 1)
    results: list[Measure] = []
    lock = threading.Lock()
    bounds: list[float] = []

    def client() -> None:
        mine = Measure()
        connection = http.client.HTTPConnection(server.host, server.port, timeout=600)
        start.wait()
        deadline = bounds[0] + duration
        now = time.perf_counter()
        while now < deadline:
            try:
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            done = time.perf_counter()
            mine.latencies.append(done - now)
            if ok:
                mine.requests += 1
            else:
                mine.errors += 1
            now = done
        connection.close()
        with lock:
            results.append(mine)
            bounds.append(now)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    bounds.append(time.perf_counter())
    start.wait()
    for thread in threads:
        thread.join()
    total = Measure()
    for part in results:
        total.add(part)
    total.seconds = max(bounds[1:]) - bounds[0]
    return total


def floor(store: ox.Store, query: Query, budget: float = 1.0) -> float:
    """Seconds one run of the query takes in this process, serialised as served (median)."""
    times = []
    stop_at = time.perf_counter() + budget
    while len(times) < 3 or (time.perf_counter() < stop_at and len(times) < 1000):
        began = time.perf_counter()
        result = store.query(query.text, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            result.serialize(format=ox.RdfFormat.TURTLE)
        else:
            result.serialize(format=ox.QueryResultsFormat.JSON)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


# -- reporting ---------------------------------------------------------------------------------


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def geometric_mean(values: Sequence[float]) -> float:
    values = [v for v in values if v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


@dataclass
class Row:
    query: str
    floor_qps: float
    scokg: Measure
    oxigraph: Measure
    cached: Measure | None

    @property
    def ratio(self) -> float:
        return self.scokg.qps / self.oxigraph.qps if self.oxigraph.qps else math.nan

    @property
    def cached_ratio(self) -> float:
        if self.cached is None or not self.oxigraph.qps:
            return math.nan
        return self.cached.qps / self.oxigraph.qps


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}" if seconds < 0.1 else f"{seconds * 1000:.0f}"


def table(triples: int, concurrency: int, rows: Sequence[Row]) -> str:
    cached = any(r.cached is not None for r in rows)
    head = ["query", "floor q/s", "scokg q/s", "p50 ms", "p99 ms", "oxigraph q/s", "p50 ms",
            "p99 ms", "ratio"]  # fmt: skip
    if cached:
        head += ["cache-on q/s", "ratio"]
    lines = [
        f"\n{triples:,} triples, concurrency {concurrency} (scokg result cache off"
        + (", and on in the last two columns)" if cached else ")"),
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for r in rows:
        cells = [r.query, f"{r.floor_qps:,.0f}", f"{r.scokg.qps:,.1f}",
                 ms(r.scokg.percentile(0.5)), ms(r.scokg.percentile(0.99)),
                 f"{r.oxigraph.qps:,.1f}", ms(r.oxigraph.percentile(0.5)),
                 ms(r.oxigraph.percentile(0.99)), f"{r.ratio:.2f}"]  # fmt: skip
        if cached and r.cached is not None:
            cells += [f"{r.cached.qps:,.1f}", f"{r.cached_ratio:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    mean = geometric_mean([r.ratio for r in rows])
    lowest = min(rows, key=lambda r: r.ratio)
    summary = (
        f"geometric mean of the ratios: {mean:.2f}; lowest: {lowest.ratio:.2f} ({lowest.query})"
    )
    if cached:
        summary += f"; cache on: {geometric_mean([r.cached_ratio for r in rows]):.2f}"
    errors = sum(r.scokg.errors + r.oxigraph.errors for r in rows)
    if errors:
        summary += f"; {errors} failed requests"
    lines.append(summary)
    return "\n".join(lines)


# -- the benchmark -----------------------------------------------------------------------------


def bench_size(
    args: argparse.Namespace, triples: int, queries: list[Query], results: list[dict[str, Any]]
) -> None:
    data = prepare(args.work, triples, args.seed, args.oxigraph)
    logs = data.file.parent
    floors = {}
    store = StoreDir(data.scokg_store).open_read_only()
    for query in queries:
        floors[query.name] = floor(store, query)
    del store
    with ExitStack() as stack:
        off = stack.enter_context(serving(start_scokg(
            "scokg", data.scokg_store, logs / "scokg.log",
            ["result_cache_bytes=0", *args.setting])))  # fmt: skip
        oxi = stack.enter_context(
            serving(start_oxigraph(args.oxigraph, data.oxigraph_store, logs / "oxigraph.log"))
        )
        on = None
        if args.cache_on:
            cached = start_scokg("scokg-cache", data.scokg_store, logs / "scokg-cache.log",
                                 args.setting)  # fmt: skip
            on = stack.enter_context(serving(cached))
        servers = [s for s in (off, oxi, on) if s is not None]
        say(f"{triples:,} triples: checking that the servers give the same answers")
        check_answers(servers, queries)
        for concurrency in args.concurrency:
            rows = []
            for query in queries:
                say(f"  {triples:,} triples, concurrency {concurrency}: {query.name}")
                for server in servers:  # warm up: connections, caches, pages
                    measure(server, query, concurrency, min(0.3, args.duration))
                done = {s.name: Measure() for s in servers}
                for round_number in range(args.rounds):
                    order = servers if round_number % 2 == 0 else servers[::-1]
                    for server in order:
                        done[server.name].add(
                            measure(server, query, concurrency, args.duration / args.rounds)
                        )
                rows.append(Row(query.name, 1 / floors[query.name], done["scokg"],
                                done["oxigraph"], done.get("scokg-cache")))  # fmt: skip
            print(table(triples, concurrency, rows), flush=True)
            results.append(_as_json(triples, concurrency, rows))


def _as_json(triples: int, concurrency: int, rows: Sequence[Row]) -> dict[str, Any]:
    def m(measure: Measure | None) -> dict[str, float] | None:
        if measure is None:
            return None
        return {"qps": measure.qps, "p50": measure.percentile(0.5),
                "p99": measure.percentile(0.99), "errors": measure.errors}  # fmt: skip

    return {
        "triples": triples,
        "concurrency": concurrency,
        "geometric_mean": geometric_mean([r.ratio for r in rows]),
        "queries": [
            {
                "query": r.query,
                "floor_qps": r.floor_qps,
                "ratio": r.ratio,
                "scokg": m(r.scokg),
                "oxigraph": m(r.oxigraph),
                "scokg_cache": m(r.cached),
            }
            for r in rows
        ],  # fmt: skip
    }


def numbers(text: str) -> list[int]:
    try:
        values = [int(float(part)) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"give positive numbers: {text!r}")
    return values


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=numbers, default=[100_000, 1_000_000],
                        help="graph sizes (default 100000,1000000)")  # fmt: skip
    parser.add_argument("--concurrency", type=numbers, default=[1, 8],
                        help="client threads (default 1,8)")  # fmt: skip
    parser.add_argument("--duration", type=float, default=4.0,
                        help="seconds per query, server and concurrency (default 4)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternations of the servers per query (default 2)")  # fmt: skip
    parser.add_argument("--no-cache-on", dest="cache_on", action="store_false",
                        help="skip the scokg server with its result cache on")  # fmt: skip
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a scokg server setting for both scokg servers")  # fmt: skip
    parser.add_argument("--queries", type=Path, default=QUERIES, help="folder of .rq files")
    parser.add_argument("--only", default="", help="run only queries whose name has this")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--work", type=Path, default=Path("var/bench"),
                        help="where files and stores go (default var/bench)")  # fmt: skip
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or _beside("oxigraph"),
                        help="the oxigraph program")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not args.oxigraph or not Path(args.oxigraph).exists():
        raise SystemExit("the oxigraph program is missing: pip install oxigraph")
    queries = [q for q in load_queries(args.queries) if args.only in q.name]
    if not queries:
        raise SystemExit(f"no queries in {args.queries}")
    results: list[dict[str, Any]] = []
    say(f"scokg serving benchmark: {os.cpu_count()} CPUs, {len(queries)} queries")
    for triples in args.triples:
        bench_size(args, triples, queries, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


def _beside(program: str) -> str:
    path = Path(sys.executable).parent / program
    return str(path) if path.exists() else ""


if __name__ == "__main__":
    main()
