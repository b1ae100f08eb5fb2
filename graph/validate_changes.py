"""Validating only what a change can have affected: incremental builds at the cost of the change.

A generation is only ever committed valid, so after an incremental build has rewritten a few
graphs, a validation result can differ from the previous generation's only for a focus node
whose constraints read a triple that was added or removed. With the shapes this project
compiles (``scokg.graph.shacl_sparql``: class and subjects-of targets, paths of one predicate
or its inverse, value tests that look at the value node and its ``rdf:type`` only), the
results for a focus node ``F`` depend on:

- the triples whose subject is ``F`` (its types, hence its targets, and its forward paths);
- the triples ``V p F`` for each predicate ``p`` a shape reads inversely;
- the ``rdf:type`` triples of the values ``V`` those reach (``sh:class``, also nested in
  ``sh:or`` and ``sh:node``);
- the ``rdfs:subClassOf`` triples of the data (the class hierarchy).

So the focus nodes to check again are the subjects of the changed triples, the objects of
changed triples of an inversely read predicate, and, for each node whose types changed, the
nodes that reach it along a path. ``validate_changes`` copies the triples those nodes'
constraints read (from every graph but the inferred and ontology graphs) into a small store,
runs the compiled shapes over it and keeps the results about those nodes. Counting the
warnings of the untouched nodes from the previous generation (``warnings_by_focus``), the
outcome equals a validation of the whole store: ``tests/test_validate_changes.py`` checks
that for every mutation of ``tests/test_shacl_sparql.py``.

A change to the class hierarchy, or one that would check a blank node again (whose label
need not survive from one generation to the next), returns ``None``: validate everything
instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from scokg.graph.shacl_sparql import ClassHierarchy, compile_shapes, to_rdflib, validate_store
from scokg.graph.validate import ValidationOutcome, load_shapes
from scokg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH

Term = ox.NamedNode | ox.BlankNode | ox.Literal
_RESERVED = frozenset({ox.NamedNode(str(INFERRED_GRAPH)), ox.NamedNode(str(ONTOLOGY_GRAPH))})
_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_SCRATCH = ox.NamedNode("urn:x-scokg:changed-neighbourhood")


@dataclass
class ChangeSet:
    """The asserted triples an incremental build added or removed (any graph)."""

    triples: set[tuple[Term, Term, Term]] = field(default_factory=set)

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        self.triples.update((q.subject, q.predicate, q.object) for q in quads)  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self.triples)


@dataclass(frozen=True)
class ShapePaths:
    """The predicates the shapes read forwards and inversely."""

    forward: frozenset[ox.NamedNode]
    inverse: frozenset[ox.NamedNode]

    @classmethod
    def of(cls, shapes: Graph) -> ShapePaths:
        forward: set[ox.NamedNode] = set()
        inverse: set[ox.NamedNode] = set()
        for constraint in compile_shapes(shapes, ClassHierarchy(())):
            if constraint.path is not None:
                side = inverse if constraint.path.inverse else forward
                side.add(ox.NamedNode(str(constraint.path.predicate)))
        return cls(frozenset(forward), frozenset(inverse))


@dataclass(frozen=True)
class CheckedChange:
    """The outcome a whole validation would give, the warnings by focus node, and how many
    focus nodes were checked again."""

    outcome: ValidationOutcome
    warnings: dict[str, int]
    nodes: int


def warnings_by_focus(outcome: ValidationOutcome) -> dict[str, int]:
    """How many warnings each focus node has (IRIs; what an incremental build starts from)."""
    report = outcome.report
    counts: Counter[str] = Counter()
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(report_node, SH.result):
            if report.value(result, SH.resultSeverity) == SH.Warning:
                counts[str(report.value(result, SH.focusNode))] += 1
    return dict(counts)


def affected_focus_nodes(
    store: ox.Store, changes: ChangeSet, paths: ShapePaths
) -> set[Term] | None:
    """The nodes whose validation results the changes may have altered, or ``None`` when
    everything must be validated again."""
    focus: set[Term] = set()
    retyped: set[Term] = set()
    for s, p, o in changes.triples:
        if p == _SUBCLASS or isinstance(s, ox.BlankNode):
            return None
        focus.add(s)
        if p in paths.inverse and not isinstance(o, ox.Literal):
            focus.add(o)
        if p == _TYPE:
            retyped.add(s)
    for node in retyped:  # whoever reaches it along a path checks its class
        for p in paths.forward:
            focus.update(q.subject for q in _asserted(store, None, p, node))  # type: ignore[misc]
        for p in paths.inverse:
            for q in _asserted(store, node, p, None):
                if not isinstance(q.object, ox.Literal):
                    focus.add(q.object)  # type: ignore[arg-type]
    if any(isinstance(node, ox.BlankNode) for node in focus):
        return None
    return focus


def validate_changes(
    store: ox.Store,
    changes: ChangeSet,
    previous_warnings: Mapping[str, int],
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> CheckedChange | None:
    """Validate ``store`` (a generation whose previous state was valid, with
    ``previous_warnings`` by focus node) after ``changes``, or return ``None`` if the changes
    need a whole validation."""
    shapes_graph = load_shapes() if shapes is None else shapes
    paths = ShapePaths.of(shapes_graph)
    focus = affected_focus_nodes(store, changes, paths)
    if focus is None:
        return None
    scratch = ox.Store()
    scratch.extend(_neighbourhood(store, focus, paths))
    wanted = {to_rdflib(node) for node in focus}
    outcome = validate_store(scratch, shapes=shapes_graph, ontology=ontology, only_focus=wanted)
    warnings = {k: n for k, n in previous_warnings.items() if URIRef(k) not in wanted}
    warnings.update(warnings_by_focus(outcome))
    total = sum(warnings.values())
    if total != outcome.warnings:
        head, _, rest = outcome.text.partition("\n")
        head = head.replace(f"{outcome.warnings} warning(s)", f"{total} warning(s)")
        outcome = ValidationOutcome(
            conforms=outcome.conforms,
            violations=outcome.violations,
            warnings=total,
            report=outcome.report,
            text=f"{head}\n{rest}" if rest else head,
        )
    return CheckedChange(outcome, warnings, len(focus))


def _neighbourhood(store: ox.Store, focus: set[Term], paths: ShapePaths) -> Iterator[ox.Quad]:
    """Every asserted triple the constraints on ``focus`` read, in one scratch graph."""
    values: set[Term] = set()
    for node in focus:
        for q in _asserted(store, node, None, None):
            yield ox.Quad(q.subject, q.predicate, q.object, _SCRATCH)
            if not isinstance(q.object, ox.Literal):
                values.add(q.object)  # type: ignore[arg-type]
        for p in paths.inverse:
            for q in _asserted(store, None, p, node):
                yield ox.Quad(q.subject, q.predicate, q.object, _SCRATCH)
                values.add(q.subject)  # type: ignore[arg-type]
    for node in values - focus:
        for q in _asserted(store, node, _TYPE, None):
            yield ox.Quad(q.subject, q.predicate, q.object, _SCRATCH)
    for q in _asserted(store, None, _SUBCLASS, None):
        yield ox.Quad(q.subject, q.predicate, q.object, _SCRATCH)


def _asserted(
    store: ox.Store, s: Term | None, p: ox.NamedNode | None, o: Term | None
) -> Iterator[ox.Quad]:
    """The quads matching the pattern outside the inferred and ontology graphs."""
    for quad in store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
        if quad.graph_name not in _RESERVED:
            yield quad
