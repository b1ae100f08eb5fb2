"""The exception every route raises for a request it refuses or cannot answer.

A ``Problem`` is an HTTP status and one sentence that says what is wrong;
``scokg.server.errorpages`` turns it into a response. This module imports nothing heavy, so
that any module can share the messages.
"""

from __future__ import annotations

from http import HTTPStatus


class Problem(Exception):
    """A request the server refuses or cannot answer: an HTTP status and a message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def title(status: int) -> str:
    """The reason phrase of a status ("Bad Request")."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
