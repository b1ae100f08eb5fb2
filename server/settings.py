"""The server's limits and sizes: one documented settings object.

Every setting has a default, a unit and a sentence of help; ``settings_markdown()`` renders
them as the table the README shows (a test checks that the README lists every setting).
``create_app(store, config)`` takes them from a mapping, and ``scokg serve --setting NAME
VALUE`` from the command line.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scokg.errors import UsageError


def _cpus() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _setting(default: Any, unit: str, help_text: str) -> Any:
    return field(default=default, metadata={"unit": unit, "help": help_text})


@dataclass(frozen=True)
class Settings:
    """Limits of the SPARQL endpoint and the pages, and how many processes serve them."""

    query_time_limit: float = _setting(
        30.0,
        "seconds",
        "How long one SPARQL query may run, from the moment it starts until the last byte of "
        "its result is written. A query over the limit gets 503 with a message saying so "
        "(or, if part of its result was already sent, a connection reset before the end); "
        "as a running query cannot be interrupted, the server then replaces its worker "
        "processes, and the old ones end once they have answered their other requests. "
        "`scokg serve --timeout` sets it.",
    )
    max_request_bytes: int = _setting(
        1_048_576,
        "bytes",
        "Largest request body accepted on /sparql (a POSTed query or form); larger -> 413.",
    )
    max_result_bytes: int = _setting(
        536_870_912,
        "bytes",
        "Largest /sparql response. A result that grows past it is cut off: the connection "
        "is reset before the end, so a client never mistakes a truncated result for a "
        "complete one (a result over it before its first bytes were sent gets 500).",
    )
    result_cache_bytes: int = _setting(
        67_108_864,
        "bytes",
        "Memory for complete results of recent queries (each at most 1 MiB) per worker. A "
        "store generation never changes, so a repeated query on the same generation is "
        "answered from here, exactly; a new build starts afresh. 0 turns the cache off.",
    )
    max_html_rows: int = _setting(
        500,
        "rows",
        "Most rows one HTML table shows: the facts and links of a resource page, the "
        "sentences of a document page, the home page's query results. The page says when "
        "rows were left out.",
    )
    workers: int = _setting(
        _cpus(),
        "processes",
        "Worker processes that answer HTTP requests and run the SPARQL queries. "
        "`scokg serve --workers` sets it. Default: the number of CPUs.",
    )
    threads: int = _setting(
        2 * _cpus() + 1,
        "threads",
        "Requests (and so queries) one worker process handles at the same time; more wait "
        "their turn. Default: twice the number of CPUs plus 1.",
    )
    cors_origin: str = _setting(
        "*",
        "origin",
        "Value of Access-Control-Allow-Origin on every response, so that browser tools on "
        "other sites can query the endpoint and fetch the dumps. Empty: no CORS headers.",
    )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Settings from a mapping of names to values (strings are converted); unknown names
        and values of the wrong kind raise ``UsageError``."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        converted: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise UsageError(
                    f"unknown setting {name!r}; known settings: {', '.join(sorted(known))}"
                )
            converted[name] = _convert(name, known[name].default, value)
        return cls(**converted)

    def replace(self, **changes: Any) -> Settings:
        return Settings.from_mapping({**dataclasses.asdict(self), **changes})


def _convert(name: str, default: Any, value: Any) -> Any:
    kind = type(default)
    if kind is str:
        if not isinstance(value, str):
            raise UsageError(f"setting {name} must be text, not {value!r}")
        return value
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise UsageError(f"setting {name} must be a number, not {value!r}") from None
    if isinstance(value, bool) or number < 0 or (number == 0 and name not in _MAY_BE_ZERO):
        raise UsageError(f"setting {name} must be a positive number, not {value!r}")
    return number


_MAY_BE_ZERO = {"result_cache_bytes"}


def settings_markdown() -> str:
    """The settings as a Markdown table (name, default, meaning), for the README."""
    lines = ["| setting | default | unit | meaning |", "|---|---|---|---|"]
    for f in dataclasses.fields(Settings):
        default = f.default
        if f.name == "workers":
            shown = "CPUs"
        elif f.name == "threads":
            shown = "2 × CPUs + 1"
        elif isinstance(default, str):
            shown = f'`"{default}"`'
        else:
            shown = f"{default:g}" if isinstance(default, float) else str(default)
        lines.append(f"| `{f.name}` | {shown} | {f.metadata['unit']} | {f.metadata['help']} |")
    return "\n".join(lines) + "\n"
