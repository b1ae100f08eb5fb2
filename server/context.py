"""What the routes of one app share: its settings, its store and its executor."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from scokg.server.cache import ResultCache
from scokg.server.executor import Executor
from scokg.server.livestore import LiveStore
from scokg.server.settings import Settings

EXTENSION = "scokg"


@dataclass
class ServerState:
    """Kept in ``app.extensions["scokg"]``; one per app, never at module level."""

    settings: Settings
    live: LiveStore
    executor: Executor
    cache: ResultCache | None


def state() -> ServerState:
    """The state of the app handling the current request."""
    found: ServerState = current_app.extensions[EXTENSION]
    return found
