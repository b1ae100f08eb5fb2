"""SHACL validation document by document, with the same outcome as one run over the union.

``validate.validate`` runs pySHACL over the whole asserted graph; its cost grows with the
corpus. ``validate_documents`` runs pySHACL once per document graph, on that graph plus the
entity cards it refers to, and evaluates the constraints that need the whole corpus with
SPARQL queries generated from the shapes.

Which node a result belongs to decides where it is computed. Following docs/data-model.md, a
document's own nodes (the ``sco:SourceDocument``, its sentences, mentions, reified facts and
stances) have IRIs under the document's IRI, ``res:document/{id}`` and ``res:document/{id}#…``,
and no other graph mentions them: they are *local*. Every other node (entities, positions,
attitudes) is *shared*: its card is in the entities graph and several documents may state facts
about it.

- **Local nodes** are validated in their document's run, which holds every triple about them.
- **Shared nodes**: a run holds their card and, from every graph, their ``rdf:type`` triples and
  those of the nodes they point to, so class targets and ``sh:class`` checks see what the union
  sees. A constraint on one value (``sh:class``, ``sh:datatype``, ``sh:languageIn``, ``sh:in``,
  ``sh:pattern`` ...) is then decided in the run of the graph holding that value, identically;
  the shapes must target by ``sh:targetSubjectsOf`` only predicates whose values they check
  (checked), so that run targets the node too. Only counts (``sh:minCount``, ``sh:maxCount``)
  need every graph at once: they are dropped from the runs and computed by one SPARQL query per
  count constraint over a small store of the triples about shared nodes (types, the paths
  counted, the predicates that target), which is how "exactly one label", "mentioned in at
  least one document", "held by someone" and the one-date warnings are checked across documents.
- Entity cards that no document mentions get one run of their own.

Results are merged without repeats, so the outcome (report text, counts, the set of results)
equals that of ``validate.validate`` on the union; ``tests/test_validate_parts.py`` checks it.
A local node that another graph mentions after all is treated as shared. Shapes using SHACL
features outside this argument (SPARQL constraints, other targets, complex paths, pair
constraints on shared nodes ...) are refused with ``UnsupportedShapes``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain

import pyoxigraph as ox
import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from scokg.errors import InputError, ScokgError
from scokg.graph.checks import to_rdflib
from scokg.graph.validate import (
    MAX_REPORT_LINES,
    ValidationOutcome,
    _report_text,
    _results,
    load_shapes,
    subclass_triples,
)
from scokg.vocab import ENTITIES_GRAPH, GRAPH, RES, RESERVED_GRAPH_NAMES, document_iri

Triple = tuple[Node, Node, Node]

# The SHACL vocabulary whose meaning the argument above covers.
TARGETS = frozenset({SH.targetClass, SH.targetSubjectsOf})
COUNTS = frozenset({SH.minCount, SH.maxCount})
PAIRS = frozenset({SH.lessThan})
VALUE_CONSTRAINTS = frozenset(
    {
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.languageIn,
        SH.pattern,
        SH.flags,
        SH["in"],
        SH["or"],
        SH.node,
        SH.minInclusive,
        SH.maxInclusive,
        SH.minExclusive,
        SH.maxExclusive,
        SH.minLength,
        SH.maxLength,
    }
)
STRUCTURE = frozenset(
    {SH.property, SH.path, SH.inversePath, SH.message, SH.name, SH.description, SH.severity}
) | {SH.order, SH.group}
SUPPORTED = TARGETS | COUNTS | PAIRS | VALUE_CONSTRAINTS | STRUCTURE

COMPONENTS: dict[Node, Node] = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
}

DOCUMENT_PREFIX = str(RES["document/"])


class UnsupportedShapes(ScokgError):
    """The shapes use SHACL that cannot be validated document by document exactly."""


# --- the shapes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """The targets of a node shape: instances of classes, subjects of predicates."""

    classes: tuple[Node, ...]
    subjects_of: tuple[Node, ...]


@dataclass(frozen=True)
class CountConstraint:
    """One sh:minCount or sh:maxCount of a property shape, with its node shape's targets."""

    shape: Node
    path: Node
    predicate: URIRef
    inverse: bool
    parameter: Node
    count: int
    severity: Node
    messages: tuple[Node, ...]
    targets: Targets


@dataclass(frozen=True)
class ShapesPlan:
    """What ``validate_documents`` needs to know about the shapes, checked once."""

    counts: tuple[CountConstraint, ...]
    paired: tuple[Targets, ...]
    """Targets of the node shapes with pair constraints, which need local focus nodes."""

    @property
    def predicates(self) -> frozenset[Node]:
        """The predicates of the triples about shared nodes that the count queries read."""
        found: set[Node] = {RDF.type}
        for c in self.counts:
            found.update(c.targets.subjects_of)
            if not c.inverse:
                found.add(c.predicate)
        for targets in self.paired:
            found.update(targets.subjects_of)
        return frozenset(found)

    @property
    def inverse_predicates(self) -> frozenset[Node]:
        return frozenset(c.predicate for c in self.counts if c.inverse)


def plan_shapes(shapes: Graph) -> ShapesPlan:
    """Check that the shapes can be validated by parts, and list their count constraints."""
    for s, p, o in shapes:
        if str(p).startswith(str(SH)) and p not in SUPPORTED:
            raise UnsupportedShapes(f"the shapes use {p} (on {s}), which is not supported")
        if p == RDF.type and o in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")):
            raise UnsupportedShapes(f"{s} is a shape and a class (implicit class target)")
    nested = set(shapes.objects(None, SH.node))
    for members in shapes.objects(None, SH["or"]):
        nested.update(Collection(shapes, members))
    for shape in nested:
        if (shape, SH.property, None) in shapes or (shape, SH.path, None) in shapes:
            raise UnsupportedShapes(f"{shape}, used through sh:node or sh:or, has paths")
    counts: list[CountConstraint] = []
    paired: list[Targets] = []
    for node_shape in set(shapes.subjects(SH.targetClass)) | set(
        shapes.subjects(SH.targetSubjectsOf)
    ):
        if shapes.value(node_shape, SH.path) is not None:
            raise UnsupportedShapes(f"the property shape {node_shape} has targets of its own")
        targets = Targets(
            classes=tuple(shapes.objects(node_shape, SH.targetClass)),
            subjects_of=tuple(shapes.objects(node_shape, SH.targetSubjectsOf)),
        )
        has_pairs = False
        for shape in shapes.objects(node_shape, SH.property):
            predicate, inverse = _path(shapes, shape)
            parameters = set(shapes.predicates(shape))
            has_pairs |= bool(parameters & PAIRS)
            checks_values = bool(parameters & (VALUE_CONSTRAINTS | PAIRS))
            if (
                checks_values
                and targets.subjects_of
                and (inverse or predicate not in targets.subjects_of)
            ):
                raise UnsupportedShapes(
                    f"{node_shape} checks the values of {shapes.value(shape, SH.path)} but "
                    "does not target the subjects of that path"
                )
            for parameter in sorted(parameters & COUNTS, key=str):
                counts.append(_count(shapes, targets, shape, predicate, inverse, parameter))
        if has_pairs:
            paired.append(targets)
    return ShapesPlan(counts=tuple(counts), paired=tuple(paired))


def _path(shapes: Graph, shape: Node) -> tuple[URIRef, bool]:
    """A property shape's path: a predicate, or the inverse of one."""
    path = shapes.value(shape, SH.path)
    if isinstance(path, URIRef):
        return path, False
    inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(path))) == 1:
        return inverse, True
    raise UnsupportedShapes(f"the path of {shape} is neither a predicate nor its inverse")


def _count(
    shapes: Graph, targets: Targets, shape: Node, predicate: URIRef, inverse: bool, parameter: Node
) -> CountConstraint:
    messages = tuple(shapes.objects(shape, SH.message))
    if not messages:
        raise UnsupportedShapes(f"the count constraint of {shape} has no sh:message")
    count = shapes.value(shape, parameter)
    if not isinstance(count, Literal) or not isinstance(count.toPython(), int):
        raise UnsupportedShapes(f"{parameter} of {shape} is not an integer")
    path = shapes.value(shape, SH.path)
    assert path is not None  # checked by _path
    return CountConstraint(
        shape=shape,
        path=path,
        predicate=predicate,
        inverse=inverse,
        parameter=parameter,
        count=int(count.toPython()),
        severity=shapes.value(shape, SH.severity) or SH.Violation,
        messages=messages,
        targets=targets,
    )


# --- local and shared nodes ------------------------------------------------------------------


def home_document(node: Node, documents: Mapping[str, object]) -> str | None:
    """The document whose own node this is (by its IRI), if it is one of ``documents``."""
    if isinstance(node, URIRef) and str.startswith(node, DOCUMENT_PREFIX):
        doc_id = node[len(DOCUMENT_PREFIX) :].split("#", 1)[0]
        if doc_id in documents and (node == document_iri(doc_id) or "#" in node):
            return doc_id
    return None


@dataclass
class _Scan:
    """One pass over every graph: who mentions which shared node, and their triples."""

    documents: Mapping[str, Graph]
    plan: ShapesPlan
    mentioned: defaultdict[str, set[Node]] = field(default_factory=lambda: defaultdict(set))
    """The shared nodes each document mentions."""
    types: defaultdict[Node, set[Triple]] = field(default_factory=lambda: defaultdict(set))
    """The rdf:type triples of each shared node, from every graph."""
    view: set[Triple] = field(default_factory=set)
    """The triples about shared nodes that the count queries read."""
    escaped: dict[Node, str] = field(default_factory=dict)
    """Local nodes that another graph mentions too, with the graph they are local to."""
    blank_homes: dict[BNode, str] = field(default_factory=dict)

    def shared(self, node: Node, graph: str | None) -> bool:
        """Whether ``node``, seen in ``graph`` (a document id, None for the entities graph),
        is shared; records local nodes seen outside their graph as escaped."""
        if isinstance(node, Literal):
            return False
        if isinstance(node, BNode):
            home = self.blank_homes.setdefault(node, graph or "")
        else:
            home = home_document(node, self.documents) or ""
        if not home:
            return True
        if home != graph:
            self.escaped[node] = home
            return True
        return node in self.escaped

    def add(self, graph_name: str | None, graph: Iterable[Triple]) -> None:
        predicates, inverse = self.plan.predicates, self.plan.inverse_predicates
        for triple in graph:
            s, p, o = triple
            s_shared, o_shared = self.shared(s, graph_name), self.shared(o, graph_name)
            if graph_name is not None:
                if s_shared:
                    self.mentioned[graph_name].add(s)
                if o_shared:
                    self.mentioned[graph_name].add(o)
            if s_shared and p == RDF.type:
                self.types[s].add(triple)
            if (s_shared and p in predicates) or (o_shared and p in inverse):
                self.view.add(triple)

    def add_escaped(self) -> None:
        """The triples about escaped nodes in the graphs they were taken to be local to."""
        predicates, inverse = self.plan.predicates, self.plan.inverse_predicates
        for node, home in self.escaped.items():
            graph = self.documents.get(home)
            if graph is None:
                continue
            self.mentioned[home].add(node)
            for triple in graph.triples((node, None, None)):
                if triple[1] == RDF.type:
                    self.types[node].add(triple)
                if triple[1] in predicates:
                    self.view.add(triple)
            for triple in graph.triples((None, None, node)):
                if triple[1] in inverse:
                    self.view.add(triple)

    def is_shared(self, node: Node) -> bool:
        """Whether a node is shared, once every graph has been scanned."""
        if node in self.escaped:
            return True
        if isinstance(node, BNode):
            return self.blank_homes.get(node, "") == ""
        return home_document(node, self.documents) is None


# --- the runs ----------------------------------------------------------------------------------


def _run_graph(
    core: Iterable[Triple], nodes: Iterable[Node], entities: Graph, scan: _Scan
) -> Graph:
    """A run's data: ``core``, the cards of ``nodes`` and every type of the nodes involved."""
    graph = Graph()
    for triple in core:
        graph.add(triple)
    typed: set[Node] = set()
    for node in nodes:
        typed.add(node)
        for triple in entities.triples((node, None, None)):
            graph.add(triple)
            typed.add(triple[2])
    for node in typed:
        for triple in scan.types.get(node, ()):
            graph.add(triple)
    return graph


def _shacl(data: Graph, shapes: Graph) -> Graph:
    try:
        _, report, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            inplace=True,
        )
    except ReportableRuntimeError as exc:
        raise InputError("SHACL shapes", f"cannot be used ({exc.message})") from exc
    if not isinstance(report, Graph):  # pragma: no cover - pySHACL returns a Graph here
        raise InputError("SHACL shapes", "pySHACL returned no report graph")
    return report


ResultKey = tuple[Node | None, ...]


class _Merged:
    """The report being assembled: results without repeats, and the subgraphs they carry."""

    def __init__(self) -> None:
        self.report = Graph()
        self.node = BNode()
        self.keys: set[ResultKey] = set()
        self.violations = 0

    def add_from(self, report: Graph, drop: Iterable[Node]) -> None:
        """The top-level results of a run's report, but those whose component is in ``drop``
        for a shared focus node (decided by the caller through ``drop``)."""
        dropped = set(drop)
        for run in report.subjects(RDF.type, SH.ValidationReport):
            for result in report.objects(run, SH.result):
                if result in dropped:
                    continue
                key = _key(report, result)
                if key not in self.keys:
                    self.keys.add(key)
                    _copy(report, result, self.report)
                    self._link(result, report.value(result, SH.resultSeverity))

    def add_count(self, constraint: CountConstraint, focus: Node, shapes: Graph) -> None:
        result = BNode()
        component = COMPONENTS[constraint.parameter]
        key = (focus, constraint.path, constraint.severity, component, constraint.shape, None)
        if key in self.keys:
            return
        self.keys.add(key)
        out = self.report
        out.add((result, RDF.type, SH.ValidationResult))
        out.add((result, SH.focusNode, focus))
        out.add((result, SH.resultPath, constraint.path))
        out.add((result, SH.resultSeverity, constraint.severity))
        out.add((result, SH.sourceConstraintComponent, component))
        out.add((result, SH.sourceShape, constraint.shape))
        for message in constraint.messages:
            out.add((result, SH.resultMessage, message))
        _copy(shapes, constraint.shape, out)
        self._link(result, constraint.severity)

    def _link(self, result: Node, severity: Node | None) -> None:
        self.report.add((self.node, SH.result, result))
        if severity in (None, SH.Violation):
            self.violations += 1

    def finish(self) -> Graph:
        self.report.add((self.node, RDF.type, SH.ValidationReport))
        self.report.add((self.node, SH.conforms, Literal(self.violations == 0)))
        return self.report


def _key(report: Graph, result: Node) -> ResultKey:
    """What makes two results the same result, whichever run found them."""
    return (
        report.value(result, SH.focusNode),
        report.value(result, SH.resultPath),
        report.value(result, SH.resultSeverity),
        report.value(result, SH.sourceConstraintComponent),
        report.value(result, SH.sourceShape),
        report.value(result, SH.value),
    )


def _copy(source: Graph, node: Node, target: Graph) -> None:
    """A node's triples and, recursively, those of the blank nodes it points to."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for triple in source.triples((current, None, None)):
            target.add(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])


def _count_results(report: Graph, scan: _Scan) -> Iterator[Node]:
    """The count results of a run whose focus is shared: the SPARQL queries decide those."""
    for result in report.objects(None, SH.result):
        component = report.value(result, SH.sourceConstraintComponent)
        focus = report.value(result, SH.focusNode)
        if component in COMPONENTS.values() and focus is not None and scan.is_shared(focus):
            yield result


# --- SPARQL over the shared nodes ----------------------------------------------------------


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _store(triples: Iterable[Triple]) -> ox.Store:
    store = ox.Store()
    store.extend(
        ox.Quad(_ox(s), _ox(p), _ox(o), ox.DefaultGraph())  # type: ignore[arg-type]
        for s, p, o in triples
    )
    return store


def _targets_pattern(targets: Targets) -> str:
    parts = []
    if targets.classes:
        classes = " ".join(f"<{c}>" for c in targets.classes)
        instance = f"?focus <{RDF.type}>/<{RDFS.subClassOf}>* ?class"
        parts.append(f"{{ {instance} . VALUES ?class {{ {classes} }} }}")
    parts.extend(f"{{ ?focus <{p}> ?any }}" for p in targets.subjects_of)
    return " UNION ".join(parts)


def count_query(constraint: CountConstraint) -> str:
    """The SPARQL query listing the focus nodes that break a count constraint, with counts."""
    value = (
        f"?value <{constraint.predicate}> ?focus"
        if constraint.inverse
        else f"?focus <{constraint.predicate}> ?value"
    )
    op = "<" if constraint.parameter == SH.minCount else ">"
    return (
        "SELECT ?focus (COUNT(DISTINCT ?value) AS ?count) WHERE {\n"
        f"  {{ SELECT DISTINCT ?focus WHERE {{ {_targets_pattern(constraint.targets)} }} }}\n"
        f"  OPTIONAL {{ {value} }}\n"
        f"}} GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) {op} {constraint.count})"
    )


def targets_query(targets: Targets) -> str:
    """The SPARQL query listing the focus nodes of a node shape."""
    return f"SELECT DISTINCT ?focus WHERE {{ {_targets_pattern(targets)} }}"


def _foci(store: ox.Store, query: str) -> Iterator[Node]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        yield to_rdflib(solution["focus"])


# --- the whole -----------------------------------------------------------------------------------


def validate_documents(
    entities: Graph,
    documents: Mapping[str, Graph],
    ontology: Graph,
    *,
    shapes: Graph | None = None,
    max_lines: int = MAX_REPORT_LINES,
) -> ValidationOutcome:
    """Validate the entities graph and the document graphs (keyed by document id) as if they
    were one graph: the outcome equals ``validate.validate`` of their union.

    One pySHACL run per document (and one for entity cards no document mentions), plus one
    SPARQL query per count constraint over the triples about shared nodes. Raises
    ``UnsupportedShapes`` if the shapes use SHACL this cannot reproduce exactly, and
    ``scokg.errors.InputError`` if pySHACL cannot use them.
    """
    shapes_graph = load_shapes() if shapes is None else shapes
    plan = plan_shapes(shapes_graph)
    schema = list(subclass_triples(ontology))

    scan = _Scan(documents=documents, plan=plan)
    scan.add(None, entities)
    for doc_id, graph in documents.items():
        scan.add(doc_id, graph)
    scan.add_escaped()

    merged = _Merged()
    for doc_id, graph in documents.items():
        data = _run_graph(chain(graph, schema), scan.mentioned[doc_id], entities, scan)
        report = _shacl(data, shapes_graph)
        merged.add_from(report, _count_results(report, scan))
    everywhere = set().union(*scan.mentioned.values())
    orphans = {s for s in entities.subjects() if s not in everywhere}
    if orphans:
        report = _shacl(_run_graph(schema, orphans, entities, scan), shapes_graph)
        merged.add_from(report, _count_results(report, scan))

    store = _store(chain(scan.view, schema))
    for targets in plan.paired:
        shared = [f for f in _foci(store, targets_query(targets)) if scan.is_shared(f)]
        if shared:
            raise UnsupportedShapes(
                f"a pair constraint (sh:lessThan) applies to {shared[0]}, which several "
                "graphs describe; it cannot be checked document by document"
            )
    for constraint in plan.counts:
        for focus in _foci(store, count_query(constraint)):
            if scan.is_shared(focus):
                merged.add_count(constraint, focus, shapes_graph)

    report = merged.finish()
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


def split_dataset(dataset: Dataset) -> tuple[Graph, dict[str, Graph]]:
    """The entities graph and the document graphs (by document id) of an asserted dataset."""
    entities = Graph()
    documents: dict[str, Graph] = {}
    prefix = str(GRAPH)
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if graph.identifier == ENTITIES_GRAPH:
            entities = graph
        elif name.startswith(prefix) and name[len(prefix) :] not in RESERVED_GRAPH_NAMES:
            documents[name[len(prefix) :]] = graph
    return entities, documents
