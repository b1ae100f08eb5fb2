"""The Flask application factory.

``create_app(store_path, config)`` builds an app over a store directory; nothing happens at
import time and nothing is global, so tests build as many apps as they like. The store is
opened read-only at the first request that needs it (after the server has forked its
worker processes) or when ``run.py`` warms it up; queries run in threads of the same process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from scokg.errors import StoreError
from scokg.graph.store import StoreDir
from scokg.server import downloads, endpoint, pages
from scokg.server.cache import ResultCache
from scokg.server.context import EXTENSION, ServerState
from scokg.server.errorpages import error_response
from scokg.server.executor import Executor, Limits
from scokg.server.livestore import LiveStore
from scokg.server.problems import Problem
from scokg.server.settings import Settings


def create_app(
    store_path: str | os.PathLike[str], config: Mapping[str, Any] | None = None
) -> Flask:
    """A WSGI app serving the store at ``store_path``.

    ``config`` holds settings by name (see ``scokg.server.settings.Settings``, lower case)
    and, in upper case, Flask configuration (``TESTING``...).
    """
    config = dict(config or {})
    flask_config = {k: v for k, v in config.items() if k.isupper()}
    settings = Settings.from_mapping({k: v for k, v in config.items() if not k.isupper()})
    root = Path(store_path).resolve()

    app = Flask(__name__)
    app.config.update(flask_config)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    live = LiveStore(StoreDir(root))
    app.extensions[EXTENSION] = ServerState(
        settings=settings,
        live=live,
        executor=Executor(live, Limits(settings.query_time_limit, settings.max_result_bytes)),
        cache=ResultCache(settings.result_cache_bytes) if settings.result_cache_bytes else None,
    )
    app.register_blueprint(endpoint.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(pages.bp)
    _register_errors(app)
    _register_whole_bodies(app)
    if settings.cors_origin:
        _register_cors(app, settings.cors_origin)
    app.wsgi_app = endpoint.QueryFastPath(app, app.wsgi_app)  # type: ignore[method-assign]
    return app


def _register_errors(app: Flask) -> None:
    @app.errorhandler(Problem)
    def problem(exc: Problem) -> Response:
        accept = request.headers.get("Accept")
        response: Response = error_response(exc.status, exc.message, accept, exc.headers)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = exc.description or ""
        if status == 413:
            limit = app.config["MAX_CONTENT_LENGTH"]
            message = f"the request body is larger than the limit of {limit} bytes"
        headers = {}
        if status == 405:
            headers["Allow"] = ", ".join(exc.valid_methods or ())  # type: ignore[attr-defined]
        response: Response = error_response(status, message, request.headers.get("Accept"), headers)
        return response

    @app.errorhandler(StoreError)
    def no_store(exc: StoreError) -> Response:
        response: Response = error_response(503, str(exc), request.headers.get("Accept"))
        return response


def _register_whole_bodies(app: Flask) -> None:
    @app.after_request
    def whole(response: Response) -> Response:
        # A body held in memory goes to the server as one list: it sends it in one piece,
        # also while a worker is being replaced (an iterator would wait for the worker's
        # threads, which stop taking work then).
        if not response.is_streamed and isinstance(response.response, list):
            response.direct_passthrough = True
        return response


def _register_cors(app: Flask, origin: str) -> None:
    @app.after_request
    def cors(response: Response) -> Response:
        headers = response.headers
        headers["Access-Control-Allow-Origin"] = origin
        if request.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            headers["Access-Control-Max-Age"] = "86400"
        else:
            headers["Access-Control-Expose-Headers"] = "Content-Disposition, ETag, Last-Modified"
        return response
