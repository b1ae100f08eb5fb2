"""The per-query time limit on a real server (limit 3 s)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import requests
from conftest import RunningServer, start_server, stop_server

# Every triple times every triple, four times over: far beyond any time limit.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = (
    "SELECT ?label WHERE { <https://w3id.org/scokg/resource/kazakhstan> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)


def quick(server: RunningServer) -> requests.Response:
    return requests.get(
        server.sparql,
        params={"query": QUICK},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )


def test_runaway_query_is_stopped_while_other_queries_answer(
    limited_server: RunningServer,
) -> None:
    outcome: dict[str, requests.Response] = {}

    def run_away() -> None:
        outcome["runaway"] = requests.get(
            limited_server.sparql, params={"query": RUNAWAY}, timeout=120
        )

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.5)  # let the runaway query reach its query process
    answers = [quick(limited_server) for _ in range(3)]
    still_running = runaway.is_alive()
    runaway.join(timeout=120)

    assert still_running, "the quick queries should have been answered during the runaway one"
    assert all(a.status_code == 200 for a in answers)
    assert all(
        a.json()["results"]["bindings"][0]["label"]["value"] == "Kazakhstan" for a in answers
    )
    stopped = outcome["runaway"]
    assert stopped.status_code == 503
    assert "exceeded the time limit of 3 s" in stopped.text
    assert stopped.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_server_recovers_after_a_stopped_query(limited_server: RunningServer) -> None:
    stopped = requests.get(limited_server.sparql, params={"query": RUNAWAY}, timeout=120)
    assert stopped.status_code == 503
    # The killed query process was replaced: every process of the pool answers again.
    answers = [quick(limited_server) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 6


def test_two_runaway_queries_at_once_are_both_stopped(limited_server: RunningServer) -> None:
    results: list[requests.Response] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                requests.get(limited_server.sparql, params={"query": RUNAWAY}, timeout=120)
            )
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(r.status_code for r in results) == [503, 503]
    assert quick(limited_server).status_code == 200


def _workers(server: RunningServer) -> dict[int, int]:
    """The worker processes of the server (its child processes) and the CPU time each has
    used so far, in clock ticks (from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.process.pid:
            found[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    return found


def test_a_stopped_query_leaves_no_process_behind(limited_server: RunningServer) -> None:
    # A running query cannot be interrupted, so the process that runs it must end: the
    # server replaces its workers, and the old ones (the runaway query with them) go away.
    assert quick(limited_server).status_code == 200
    outcome: dict[str, requests.Response] = {}

    def run_away() -> None:
        outcome["runaway"] = requests.get(
            limited_server.sparql, params={"query": RUNAWAY}, timeout=120
        )

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(1.0)  # let the runaway query start
    first = _workers(limited_server)
    time.sleep(1.0)
    second = _workers(limited_server)
    busy = max(second, key=lambda pid: second[pid] - first.get(pid, second[pid]))
    runaway.join(timeout=120)
    assert outcome["runaway"].status_code == 503
    assert second[busy] > first[busy], "no worker was running the runaway query"
    deadline = time.monotonic() + 60  # a safety net, not a measurement
    while busy in _workers(limited_server) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert busy not in _workers(limited_server), "the runaway query's process is still running"
    assert quick(limited_server).status_code == 200


def test_a_result_cut_off_on_a_real_server_is_never_taken_for_complete(
    store_dir: Path, tmp_path: Path
) -> None:
    # Over max_result_bytes after its first bytes went out, a chunked response must not end
    # as if it were complete: the connection is reset, and the server answers on.
    server = start_server(
        store_dir, tmp_path / "server.log", "--setting", "max_result_bytes", "70000"
    )
    try:
        with pytest.raises(requests.exceptions.RequestException):
            response = requests.get(
                server.sparql,
                params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                headers={"Accept": "text/tab-separated-values"},
                stream=True,
                timeout=120,
            )
            b"".join(response.iter_content(8192))
        assert quick(server).status_code == 200
    finally:
        stop_server(server)
