"""The per-query time limit on a real server (limit 3 s, two query processes)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import requests
from conftest import RunningServer

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


def _query_processes(server: RunningServer) -> list[int]:
    """The query processes under the server's process tree (from /proc)."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

    def descends(pid: int) -> bool:
        while pid > 1:
            if pid == server.process.pid:
                return True
            pid = parents.get(pid, 1)
        return False

    return [pid for pid, cmd in commands.items() if "scokg.server.worker" in cmd and descends(pid)]


def test_a_stopped_query_leaves_no_process_behind(limited_server: RunningServer) -> None:
    assert quick(limited_server).status_code == 200
    before = sorted(_query_processes(limited_server))
    stopped = requests.get(limited_server.sparql, params={"query": RUNAWAY}, timeout=120)
    assert stopped.status_code == 503
    after = sorted(_query_processes(limited_server))
    assert len(after) == len(before) == 2
    assert len(set(before) - set(after)) == 1  # exactly one process was killed and replaced
