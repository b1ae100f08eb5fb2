"""Errors over HTTP: one shape for every route.

Every error is a status and one sentence that says what is wrong. It is sent as plain text
(what SPARQL clients print), as JSON ``{"error": {"status", "title", "message"}}`` when the
client names JSON, or as an HTML page when a browser names HTML. Never as HTML to a client
that did not ask for it: federating SPARQL servers choke on that.
"""

from __future__ import annotations

import json

from flask import Response, render_template

from scokg.server.negotiation import HTML, JSON, PLAIN, explicitly_accepts, negotiate
from scokg.server.problems import title

_ERROR_FORMATS = (PLAIN, HTML, JSON)


def error_response(
    status: int, message: str, accept: str | None, headers: dict[str, str] | None = None
) -> Response:
    """The response for an error, in the format the client prefers (plain text by default)."""
    fmt = negotiate(accept, _ERROR_FORMATS) or PLAIN
    if fmt is not PLAIN and not explicitly_accepts(accept, fmt):
        fmt = PLAIN
    if fmt is HTML:
        body = render_template("error.html", status=status, title=title(status), message=message)
    elif fmt is JSON:
        payload = {"error": {"status": status, "title": title(status), "message": message}}
        body = json.dumps(payload, ensure_ascii=False)
    else:
        body = f"{status} {title(status)}: {message}\n"
    response = Response(body, status=status, content_type=fmt.content_type)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
