"""The exceptions scokg raises on purpose, each mapped to one exit code by the CLI.

Exit codes are a contract (see README): 0 success, 1 the data failed a check, 2 usage or
input error. Anything else that escapes is a bug and is reported as such.
"""

from __future__ import annotations


class ScokgError(Exception):
    """Base class: a condition the user can act on, reported as one line on stderr."""

    exit_code = 2


class InputError(ScokgError):
    """A document or RDF file cannot be read: missing, empty, binary, not UTF-8, unparsable."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UsageError(ScokgError):
    """Bad arguments or options."""


class StoreError(ScokgError):
    """The store directory is missing, locked by a writer, or not a scokg store."""


class QueryError(ScokgError):
    """A SPARQL query that does not parse or cannot be evaluated."""


class ValidationFailed(ScokgError):
    """The graph violates the SHACL shapes; carries the human-readable report."""

    exit_code = 1

    def __init__(self, report: str, violations: int) -> None:
        super().__init__(f"SHACL validation failed with {violations} violation(s)")
        self.report = report
        self.violations = violations


class BelowThreshold(ScokgError):
    """An evaluation score is below the ``--min`` threshold."""

    exit_code = 1
