"""SHACL validation of the asserted graph against ``shapes/scokg.ttl``.

The shapes are SHACL Core and run with pySHACL without inference, on the asserted graph:
letting pySHACL reason over the ontology's OWL axioms is orders of magnitude slower (pySHACL
issue #237). Instances carry their most specific class only, so the ontology's
``rdfs:subClassOf`` triples between ``sco:`` classes are added to a copy of the data first;
that is all SHACL needs for ``sh:targetClass`` and ``sh:class`` to see subclasses.

A non-conforming graph is a normal outcome, never an exception: ``validate`` returns a
``ValidationOutcome`` whose ``text`` is a short report, one line per result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from scokg.errors import InputError
from scokg.graph.reason import load_ontology, union_triples
from scokg.resources import shapes_path
from scokg.vocab import PREFIXES, SCO

# The report lists at most this many results, then says how many more there are.
MAX_REPORT_LINES = 50

# Report order and wording of the severities.
SEVERITIES: dict[Node, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ValidationOutcome:
    """The result of validating a graph: counts, the SHACL report graph and a readable text."""

    conforms: bool
    violations: int
    warnings: int
    report: Graph
    text: str


def load_shapes() -> Graph:
    """Parse the SHACL shapes installed with the package (``shapes/scokg.ttl``)."""
    path = shapes_path()
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(path, f"cannot load the SHACL shapes ({exc})") from exc
    return graph


def subclass_triples(ontology: Graph) -> Iterable[tuple[Node, Node, Node]]:
    """The ontology's ``rdfs:subClassOf`` triples whose both ends are ``sco:`` classes."""
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if _is_sco(sub) and _is_sco(sup):
            yield sub, RDFS.subClassOf, sup


def validate(
    data: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    max_lines: int = MAX_REPORT_LINES,
) -> ValidationOutcome:
    """Validate ``data`` (a Graph, or a Dataset validated as the union of its graphs).

    ``shapes`` and ``ontology`` default to the ones installed with the package. ``data`` is
    not modified. Warnings do not make the graph non-conforming; violations do. Raises
    ``scokg.errors.InputError`` only when the shapes cannot be loaded or used.
    """
    shapes_graph = load_shapes() if shapes is None else shapes
    ontology_graph = load_ontology() if ontology is None else ontology

    data_graph = Graph()
    for triple in union_triples(data):
        data_graph.add(triple)
    for triple in subclass_triples(ontology_graph):
        data_graph.add(triple)

    try:
        _, report, _ = pyshacl.validate(
            data_graph,
            shacl_graph=shapes_graph,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            inplace=True,
        )
    except ReportableRuntimeError as exc:
        raise InputError("SHACL shapes", f"cannot be used ({exc.message})") from exc
    if not isinstance(report, Graph):  # pragma: no cover - pySHACL returns a Graph here
        raise InputError("SHACL shapes", "pySHACL returned no report graph")

    return outcome_from_report(report, max_lines)


def outcome_from_report(report: Graph, max_lines: int = MAX_REPORT_LINES) -> ValidationOutcome:
    """The outcome a SHACL report graph describes: counts of its top-level results by
    severity and the readable text. Shared by every validator of the project, so that they
    count and print alike."""
    results = _results(report)
    violations = sum(1 for result in results if result.severity == SH.Violation)
    warnings = sum(1 for result in results if result.severity == SH.Warning)
    return ValidationOutcome(
        conforms=violations == 0,
        violations=violations,
        warnings=warnings,
        report=report,
        text=_report_text(results, violations, warnings, max_lines),
    )


@dataclass(frozen=True, order=True)
class _Result:
    """One validation result, in the order the report lists them."""

    rank: int
    focus: str
    path: str
    message: str
    severity: Node


def _results(report: Graph) -> list[_Result]:
    order: list[Node] = list(SEVERITIES)
    results = []
    # Only the report's own results: pySHACL also types the nested results of sh:node and sh:or
    # (linked by sh:detail) as sh:ValidationResult.
    top_level = (
        node
        for report_node in report.subjects(RDF.type, SH.ValidationReport)
        for node in report.objects(report_node, SH.result)
    )
    for node in top_level:
        severity = report.value(node, SH.resultSeverity) or SH.Violation
        path = report.value(node, SH.resultPath)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            _Result(
                rank=order.index(severity) if severity in order else len(order),
                focus=shorten(report.value(node, SH.focusNode)),
                path=_path_text(report, path),
                message=messages[0] if messages else "",
                severity=severity,
            )
        )
    return sorted(results)


def _report_text(results: list[_Result], violations: int, warnings: int, max_lines: int) -> str:
    verdict = "conforms" if violations == 0 else "does not conform"
    lines = [f"SHACL: the graph {verdict}: {violations} violation(s), {warnings} warning(s)"]
    for result in results[:max_lines]:
        severity = SEVERITIES.get(result.severity, shorten(result.severity))
        lines.append(f"{severity}  {result.focus}  {result.path}  {result.message}".rstrip())
    if len(results) > max_lines:
        lines.append(f"... and {len(results) - max_lines} more")
    return "\n".join(lines)


def shorten(node: Node | None) -> str:
    """A node as the report prints it: a prefixed name where a project prefix fits."""
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        text = str(node)
        best = max(
            (p for p, ns in PREFIXES.items() if text.startswith(ns)),
            key=lambda p: len(PREFIXES[p]),
            default=None,
        )
        if best is None:
            return f"<{text}>"
        return f"{best}:{text[len(PREFIXES[best]) :]}"
    if isinstance(node, Literal):
        return node.n3()
    return f"_:{node}"


def _path_text(report: Graph, path: Node | None) -> str:
    """A SHACL property path as text: ``sco:title``, ``^sco:holdsPosition``."""
    if path is None:
        return "-"
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + shorten(inverse)
    return shorten(path)


def _is_sco(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(SCO))
