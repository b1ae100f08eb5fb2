"""The production server: Granian, embedded, with ``workers`` processes of ``threads`` threads.

Granian parses HTTP in Rust and hands each request to a WSGI thread of one of its worker
processes; each worker builds its own app (``create_app``) after the fork, opens the store
read-only and runs the SPARQL queries it receives in its own query threads
(``scokg.server.executor``). Not Flask's development server.

A query that outlives its time limit cannot be stopped inside its process, so the worker
that runs it asks the server to replace its workers (the SIGHUP of Granian's main process:
a graceful reload). New workers start and take new connections; each old one stops
listening, finishes the requests it is answering (the over-time query's client already has
its 503) and ends, taking the runaway query with it; one still busy after
``_KILL_AFTER`` seconds is killed. A result cut off after its first bytes holds its
response open until then, so that its connection is reset rather than ended as if the
result were complete.
"""

from __future__ import annotations

# Imported here, before any thread starts: a thread that imports it lazily (socket does, for
# host names) while Granian forks a worker would leave the worker a held import lock.
import encodings.idna  # noqa: F401
import functools
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from scokg.server.app import create_app
from scokg.server.context import EXTENSION
from scokg.server.settings import Settings

log = logging.getLogger("scokg.server")

# Seconds between starting a new worker and stopping the old one it replaces (the new one
# must be listening by then), and how long an old worker may take to finish its requests.
_RESPAWN_INTERVAL = 1.0
_KILL_AFTER = 5

_replacing = threading.Lock()


def serve(
    store: Path,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 5000,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``store`` until interrupted (Ctrl-C or SIGTERM)."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels

    if port == 0:
        port = _free_port(host)
    server = Granian(
        "scokg",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        blocking_threads=settings.threads,
        http=HTTPModes.http1,
        websockets=False,
        log_level=LogLevels.warning,
        respawn_failed_workers=True,
        respawn_interval=_RESPAWN_INTERVAL,
        workers_kill_timeout=_KILL_AFTER,
        process_name=None,
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if on_ready is not None:
        report = on_ready
        server.on_startup(
            lambda: _announce_when_listening(
                host, port, url, report, lambda: _spawned(server, settings.workers)
            )
        )
    loader = functools.partial(_load_app, str(store), _as_config(settings))
    server.serve(target_loader=loader, wrap_loader=True)


def _load_app(store: str, config: Mapping[str, Any], _target: str) -> Any:
    """Build the app in a worker process (after the fork) and arm its query limits."""
    app = create_app(store, config)
    executor = app.extensions[EXTENSION].executor
    executor.on_over_time = replace_workers
    executor.on_cut = _reset_connection
    executor.start()
    return app


def replace_workers() -> None:
    """Have Granian's main process replace its workers (once per worker process)."""
    if not _replacing.acquire(blocking=False):
        return
    log.warning(
        "a query exceeded the time limit; its worker process (%d) is being replaced",
        os.getpid(),
    )
    try:
        os.kill(os.getppid(), signal.SIGHUP)
    except OSError as exc:  # the main process is gone: nothing to answer for any more
        log.warning("cannot ask for new workers: %s", exc)


def _reset_connection(message: str) -> None:
    """Never return: the worker is replaced, and its end resets this response's connection
    (Granian would otherwise end a chunked response as if it were complete)."""
    log.warning("%s; the connection will be reset", message)
    replace_workers()
    threading.Event().wait()


def _announce_when_listening(
    host: str, port: int, url: str, report: Callable[[str], None], spawned: Callable[[], bool]
) -> None:
    """Report ``url`` once a worker accepts connections. The thread waits until every
    worker is forked, so that no fork happens while it holds a lock."""

    def wait() -> None:
        deadline = time.monotonic() + 120
        while not spawned() and time.monotonic() < deadline:
            time.sleep(0.05)
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((host, port), timeout=1):
                    report(url)
                    return
            except OSError:
                time.sleep(0.05)

    threading.Thread(target=wait, name="scokg-ready", daemon=True).start()


def _spawned(server: Any, workers: int) -> bool:
    """Whether Granian has started all its worker processes (true if it cannot tell)."""
    started = getattr(server, "wrks", None)
    return started is None or len(started) >= workers


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _as_config(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in Settings.names()}
