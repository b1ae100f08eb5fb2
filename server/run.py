"""The production server: gunicorn, embedded, with threaded workers.

Each gunicorn worker is a process with ``threads`` request threads and its own pool of
query processes (started once the worker is up, so the first query does not wait for
them). gunicorn's own timeout only watches that a worker is alive; the per-query time
limit is the executor's. Not Flask's development server.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from scokg.server.app import create_app
from scokg.server.context import EXTENSION
from scokg.server.settings import Settings


class ScokgServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running ``create_app(store, settings)``."""

    def __init__(
        self,
        store: Path,
        settings: Settings,
        host: str,
        port: int,
        on_ready: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.on_ready = on_ready
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        options: dict[str, Any] = {
            "bind": self.bind,
            "workers": settings.workers,
            "worker_class": "gthread",
            "threads": settings.threads,
            # gunicorn restarts a worker that stops reporting for this long; a gthread
            # worker reports from its main loop, so only a wedged worker is affected.
            "timeout": max(30, int(settings.query_time_limit) + 30),
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "scokg-serve",
            "control_socket_disable": True,
            "when_ready": self._when_ready,
            "post_worker_init": _warm_up,
        }
        for name, value in options.items():
            if name in self.cfg.settings:
                self.cfg.set(name, value)

    def load(self) -> Any:
        return create_app(self.store, _as_config(self.settings))

    def _when_ready(self, arbiter: Any) -> None:
        for listener in arbiter.LISTENERS:
            host, port = listener.sock.getsockname()[:2]
            shown = f"[{host}]" if ":" in host else host
            url = f"http://{shown}:{port}/"
            if self.on_ready is not None:
                self.on_ready(url)


def _warm_up(worker: Any) -> None:
    """Start the worker's query processes before its first request."""
    app = worker.wsgi
    state = getattr(app, "extensions", {}).get(EXTENSION)
    if state is not None:
        try:
            state.executor.start()
        except OSError as exc:
            print(f"scokg: cannot start query processes: {exc}", file=sys.stderr)


def _as_config(settings: Settings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in Settings.names()}


def serve(
    store: Path,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 5000,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``store`` until interrupted (Ctrl-C or SIGTERM)."""
    ScokgServer(store, settings, host, port, on_ready).run()
