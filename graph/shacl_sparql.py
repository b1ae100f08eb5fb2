"""SHACL Core validation inside the Oxigraph store: the shapes compiled to SPARQL queries.

``validate.validate`` runs pySHACL in Python, which costs about 0.4 s per document. Here each
constraint of each shape of ``shapes/scokg.ttl`` becomes one SPARQL ``SELECT`` that lists the
focus nodes (and value nodes) violating it; Oxigraph evaluates them in Rust over the store,
and the rows become the results pySHACL would report: focus node, result path, value, source
shape, source constraint component, severity and message. The outcome is a
``validate.ValidationOutcome`` built by the same code as pySHACL's (same counts, same text).

The shapes are read from the shapes graph, never written down here, and only the SHACL
features they use are compiled: targets ``sh:targetClass`` (with subclasses) and
``sh:targetSubjectsOf``; paths that are a predicate or ``sh:inversePath`` of one; the
components ``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:pattern``, ``sh:languageIn``,
``sh:in``, ``sh:or``, ``sh:node``, ``sh:minInclusive``, ``sh:minCount``, ``sh:maxCount`` and
``sh:lessThan``. Anything else in the SHACL namespace (another target, component or path
form, ``sh:flags``, ``sh:deactivated``, a shape that is also a class ...) raises
``ShapeCompileError``, so a change to the shapes cannot silently validate less.

Semantics, as pySHACL (0.40) implements SHACL Core and ``tests/test_shacl_sparql.py`` checks:

- The data is the union of the graphs validated; a triple stated in two graphs counts once
  (value nodes are ``DISTINCT``).
- Class membership follows ``rdfs:subClassOf`` between the ontology's ``sco:`` classes (what
  ``validate.validate`` adds to the data) and any ``rdfs:subClassOf`` triple of the data.
- A value that makes a test raise a SPARQL error (comparing a string with a number, the
  language of an IRI ...) does not conform, as in pySHACL.
- ``sh:lessThan`` gives one result per pair of values that are not in order, as pySHACL does.
- ``sh:datatype`` rejects ill-typed literals of ``xsd:date`` and ``xsd:integer`` (XPath casts
  decide) and checks ``xsd:gYear`` and ``xsd:gYearMonth`` by their IRI only, as pySHACL and the
  SHACL specification do; other datatypes raise ``ShapeCompileError`` until someone checks
  them against pySHACL. Known differences, all in lexical forms no scokg build writes: Python
  accepts ``"5_000"``/``" 5"`` as integers and ``"2017-06-09T10:00:00"`` as a date, and rejects
  the XSD 1.1 years ``0000``, negative years and years of five digits; Oxigraph follows XSD.
- ``sh:pattern`` uses Oxigraph's regular expressions (XPath syntax); Python's ``$`` also
  matches before a final line break. ``sh:languageIn`` uses SPARQL ``langMatches``, which
  equals pySHACL's test for ranges of one subtag such as ``"en"``.
- Results of ``sh:node`` carry no ``sh:detail`` (optional in SHACL).
"""

from __future__ import annotations

import collections.abc as cabc
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from scokg.errors import ScokgError
from scokg.graph.reason import load_ontology
from scokg.graph.validate import (
    MAX_REPORT_LINES,
    ValidationOutcome,
    load_shapes,
    outcome_from_report,
    subclass_triples,
)
from scokg.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH

# --- the SHACL this module compiles ----------------------------------------------------------

TARGETS = frozenset({SH.targetClass, SH.targetSubjectsOf})

# Constraint parameters on a value node: usable on node shapes, property shapes and the shapes
# nested in sh:or and sh:node.
VALUE_PARAMETERS = frozenset(
    {
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.pattern,
        SH.languageIn,
        SH["in"],
        SH["or"],
        SH.node,
        SH.minInclusive,
    }
)
# Constraint parameters on all the values of a path at once: property shapes only.
PATH_PARAMETERS = frozenset({SH.minCount, SH.maxCount, SH.lessThan})
PARAMETERS = VALUE_PARAMETERS | PATH_PARAMETERS

# Parameters that may be given several times, each value a constraint of its own.
REPEATABLE = frozenset({SH["class"], SH["or"], SH.node, SH.lessThan})

# Everything else of the SHACL namespace that a shapes graph may say.
STRUCTURE = frozenset({SH.property, SH.path, SH.inversePath, SH.severity, SH.message})
DESCRIPTIVE = frozenset({SH.name, SH.description, SH.order, SH.group})
KNOWN = TARGETS | PARAMETERS | STRUCTURE | DESCRIPTIVE

COMPONENTS: dict[Node, URIRef] = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
}

# sh:datatype: datatypes whose lexical form the XPath constructor of the same name checks ...
CAST_CHECKED_DATATYPES = frozenset({XSD.date, XSD.integer})
# ... and datatypes checked by IRI only (no SPARQL constructor; pySHACL does not check them).
IRI_CHECKED_DATATYPES = frozenset({XSD.gYear, XSD.gYearMonth})

NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}

RESERVED_GRAPHS = (ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(INFERRED_GRAPH)))

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


class ShapeCompileError(ScokgError):
    """The shapes use SHACL that this module does not compile to SPARQL."""


# --- compiled shapes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PropertyPath:
    """A property shape's path: a predicate, or the inverse of one."""

    node: Node
    """The path as the shapes graph writes it (the report refers to it)."""
    predicate: URIRef
    inverse: bool

    def pattern(self, focus: str, value: str) -> str:
        """The triple pattern linking ``focus`` to ``value`` along the path."""
        iri = sparql_term(self.predicate)
        return f"{value} {iri} {focus} ." if self.inverse else f"{focus} {iri} {value} ."


@dataclass(frozen=True)
class CompiledConstraint:
    """One constraint of one shape, with the SPARQL query listing what violates it.

    The query binds ``?focus``, and ``?value`` for the components that report a value node.
    """

    shape: Node
    parameter: URIRef
    component: URIRef
    path: PropertyPath | None
    severity: Node
    messages: tuple[Node, ...]
    query: str


class ClassHierarchy:
    """``rdfs:subClassOf`` between classes: which classes a class includes."""

    def __init__(self, pairs: Iterable[tuple[Node, Node]]) -> None:
        self._subclasses: defaultdict[Node, set[Node]] = defaultdict(set)
        for sub, sup in pairs:
            self._subclasses[sup].add(sub)

    def closure(self, cls: Node) -> list[Node]:
        """``cls`` and every class below it, transitively (sorted)."""
        found = {cls}
        todo = deque([cls])
        while todo:
            for sub in self._subclasses.get(todo.popleft(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return sorted(found, key=str)


def sparql_term(node: Node) -> str:
    """An IRI or literal of the shapes graph written as a SPARQL constant."""
    if isinstance(node, URIRef):
        return str(ox.NamedNode(str(node)))
    if isinstance(node, Literal):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        if node.datatype is not None:
            return str(ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype))))
        return str(ox.Literal(str(node)))
    raise ShapeCompileError(f"{node!r} cannot be written in a SPARQL query (a blank node?)")


def compile_shapes(shapes: Graph, hierarchy: ClassHierarchy) -> list[CompiledConstraint]:
    """Every constraint of the shapes that have targets, as SPARQL queries.

    Raises ``ShapeCompileError`` if the shapes use SHACL this module does not compile.
    """
    return _Compiler(shapes, hierarchy).compile()


@dataclass
class _Compiler:
    shapes: Graph
    hierarchy: ClassHierarchy

    def compile(self) -> list[CompiledConstraint]:
        self._check_vocabulary()
        compiled: list[CompiledConstraint] = []
        top_level = {s for p in TARGETS for s in self.shapes.subjects(p, None)}
        for shape in sorted(top_level, key=str):
            targets = self._targets(shape)
            own_path = self._path(shape) if (shape, SH.path, None) in self.shapes else None
            compiled.extend(self._constraints(shape, targets, own_path))
            for prop in sorted(set(self.shapes.objects(shape, SH.property)), key=str):
                if own_path is not None:
                    raise ShapeCompileError(f"the property shape {shape} has sh:property")
                if (prop, SH.property, None) in self.shapes:
                    raise ShapeCompileError(f"the property shape {prop} has sh:property")
                compiled.extend(self._constraints(prop, targets, self._path(prop)))
        return compiled

    # --- checks ---------------------------------------------------------------------------

    def _check_vocabulary(self) -> None:
        for s, p, o in self.shapes:
            if str(p).startswith(str(SH)) and p not in KNOWN:
                raise ShapeCompileError(
                    f"the shapes use {p} (on {s}), which graph/shacl_sparql.py does not compile"
                )
            if p == RDF.type and o in (RDFS.Class, OWL.Class) and _is_shape(self.shapes, s):
                raise ShapeCompileError(f"{s} is a shape and a class (implicit class target)")

    def _single(self, shape: Node, parameter: URIRef) -> Node | None:
        values = list(self.shapes.objects(shape, parameter))
        if len(values) > 1:
            raise ShapeCompileError(f"{shape} has {len(values)} values of {parameter}")
        return values[0] if values else None

    def _path(self, shape: Node) -> PropertyPath:
        path = self._single(shape, SH.path)
        if isinstance(path, URIRef):
            return PropertyPath(node=path, predicate=path, inverse=False)
        if isinstance(path, BNode):
            description = list(self.shapes.predicate_objects(path))
            if len(description) == 1 and description[0][0] == SH.inversePath:
                inverse = description[0][1]
                if isinstance(inverse, URIRef):
                    return PropertyPath(node=path, predicate=inverse, inverse=True)
        raise ShapeCompileError(
            f"the path of {shape} is neither a predicate nor sh:inversePath of one"
        )

    # --- targets --------------------------------------------------------------------------

    def _targets(self, shape: Node) -> str:
        """A group pattern binding ``?focus`` to each focus node of ``shape`` (a node may
        come out more than once: the queries are ``DISTINCT``)."""
        branches = []
        for cls in sorted(self.shapes.objects(shape, SH.targetClass), key=str):
            if not isinstance(cls, URIRef):
                raise ShapeCompileError(f"sh:targetClass of {shape} is not an IRI")
            classes = " ".join(sparql_term(c) for c in self.hierarchy.closure(cls))
            branches.append(
                f"{{ VALUES ?class {{ {classes} }} ?focus {sparql_term(RDF.type)} ?class . }}"
            )
        for predicate in sorted(self.shapes.objects(shape, SH.targetSubjectsOf), key=str):
            if not isinstance(predicate, URIRef):
                raise ShapeCompileError(f"sh:targetSubjectsOf of {shape} is not an IRI")
            branches.append(f"{{ ?focus {sparql_term(predicate)} ?object . }}")
        return " UNION ".join(branches)

    # --- constraints -----------------------------------------------------------------------

    def _constraints(
        self, shape: Node, targets: str, path: PropertyPath | None
    ) -> Iterator[CompiledConstraint]:
        severity = self._single(shape, SH.severity) or SH.Violation
        messages = tuple(sorted(self.shapes.objects(shape, SH.message), key=str))
        for parameter in sorted(set(self.shapes.predicates(shape)) & PARAMETERS, key=str):
            assert isinstance(parameter, URIRef)
            values = sorted(self.shapes.objects(shape, parameter), key=str)
            if len(values) > 1 and parameter not in REPEATABLE:
                raise ShapeCompileError(f"{shape} has {len(values)} values of {parameter}")
            for value in values:
                query = self._query(shape, parameter, value, targets, path)
                if query is None:
                    continue
                yield CompiledConstraint(
                    shape=shape,
                    parameter=parameter,
                    component=COMPONENTS[parameter],
                    path=path,
                    severity=severity,
                    messages=messages,
                    query=query,
                )

    def _query(
        self, shape: Node, parameter: URIRef, value: Node, targets: str, path: PropertyPath | None
    ) -> str | None:
        """The query listing the violations of one constraint.

        Violations are rare, so where a path leads to the values the query starts there,
        keeps the values that fail, and only then checks that their focus node is targeted
        (the subquery keeps Oxigraph from checking the targets of every value first).
        """
        if parameter == SH["class"] and path is None:
            # An anti-join with the instances of the class (see below).
            return (
                "SELECT DISTINCT ?focus ?value WHERE {\n"
                f"  {{ SELECT ?focus WHERE {{ {{ {targets} }} "
                f"MINUS {{ {self._instances(value, '?focus')} }} }} }}\n"
                "  BIND(?focus AS ?value)\n}"
            )
        if parameter in VALUE_PARAMETERS and path is None:
            test = self._conforms(parameter, value, "?focus", (shape,))
            return (
                "SELECT DISTINCT ?focus ?value WHERE {\n"
                f"  {targets}\n  FILTER(!COALESCE({test}, false))\n  BIND(?focus AS ?value)\n}}"
            )
        if path is None:
            raise ShapeCompileError(f"{parameter} on {shape}, which has no sh:path")
        reach = path.pattern("?focus", "?value")
        if parameter == SH["class"]:
            # An anti-join with the instances of the class: much faster than a test per value
            # when the values are shared by many graphs.
            instances = self._instances(value, "?value")
            return _then_targeted("?focus ?value", f"{reach} MINUS {{ {instances} }}", targets)
        if parameter in VALUE_PARAMETERS:
            test = self._conforms(parameter, value, "?value", (shape,))
            return _then_targeted(
                "?focus ?value", f"{reach} FILTER(!COALESCE({test}, false))", targets
            )
        if parameter == SH.lessThan:
            if not isinstance(value, URIRef):
                raise ShapeCompileError(f"sh:lessThan of {shape} is not an IRI")
            pairs = (
                f"{reach} ?focus {sparql_term(value)} ?other . "
                "FILTER(!COALESCE(?value < ?other, false))"
            )
            return _then_targeted("?focus ?value ?other", pairs, targets)
        limit = _count(shape, parameter, value)
        if parameter == SH.minCount:
            if limit == 0:
                return None  # always satisfied
            if limit == 1:
                return (
                    "SELECT DISTINCT ?focus WHERE {\n"
                    f"  {targets}\n  FILTER NOT EXISTS {{ {reach} }}\n}}"
                )
            return (
                "SELECT ?focus WHERE {\n"
                f"  {{ SELECT DISTINCT ?focus WHERE {{ {targets} }} }}\n"
                f"  OPTIONAL {{ {reach} }}\n"
                f"}} GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {limit})"
            )
        return (
            "SELECT ?focus WHERE {\n"
            f"  {{ SELECT ?focus WHERE {{ {reach} }} GROUP BY ?focus "
            f"HAVING (COUNT(DISTINCT ?value) > {limit}) }}\n"
            f"  FILTER EXISTS {{ {targets} }}\n}}"
        )

    def _instances(self, cls: Node, v: str) -> str:
        """A group pattern binding ``v`` to the instances of ``cls`` and its subclasses."""
        classes = " ".join(sparql_term(c) for c in self.hierarchy.closure(cls))
        return f"VALUES ?class {{ {classes} }} {v} {sparql_term(RDF.type)} ?class ."

    def _conforms(self, parameter: Node, value: Node, v: str, stack: tuple[Node, ...]) -> str:
        """A SPARQL expression true when the node in variable ``v`` satisfies one value
        constraint (an error or false when it does not)."""
        if parameter == SH["class"]:
            # One lookup of a whole triple per class: a lookup by subject and predicate alone
            # is slow in Oxigraph's union graph for nodes that many graphs describe.
            rdf_type = sparql_term(RDF.type)
            tests = [
                f"EXISTS {{ {v} {rdf_type} {sparql_term(c)} }}"
                for c in self.hierarchy.closure(value)
            ]
            return "(" + " || ".join(tests) + ")"
        if parameter == SH.datatype:
            return _datatype_test(value, v)
        if parameter == SH.nodeKind:
            if value not in NODE_KINDS:
                raise ShapeCompileError(f"unknown sh:nodeKind {value}")
            return NODE_KINDS[value].format(v=v)
        if parameter == SH.pattern:
            if not isinstance(value, Literal):
                raise ShapeCompileError(f"sh:pattern {value!r} is not a literal")
            return f"(!isBlank({v}) && REGEX(STR({v}), {sparql_term(Literal(str(value)))}))"
        if parameter == SH.languageIn:
            ranges = self._list(value, parameter)
            if not all(isinstance(r, Literal) and not r.language for r in ranges):
                raise ShapeCompileError("sh:languageIn lists something other than strings")
            tests = [f"langMatches(LANG({v}), {sparql_term(Literal(str(r)))})" for r in ranges]
            return f"(isLiteral({v}) && ({' || '.join(tests) or 'false'}))"
        if parameter == SH["in"]:
            members = self._list(value, parameter)
            return (
                "("
                + (" || ".join(f"sameTerm({v}, {sparql_term(m)})" for m in members) or "false")
                + ")"
            )
        if parameter == SH["or"]:
            members = self._list(value, parameter)
            alternatives = [self._nested(m, v, stack) for m in members]
            return "(" + (" || ".join(alternatives) or "false") + ")"
        if parameter == SH.node:
            return self._nested(value, v, stack)
        if parameter == SH.minInclusive:
            if not isinstance(value, Literal):
                raise ShapeCompileError(f"sh:minInclusive {value!r} is not a literal")
            return f"({v} >= {sparql_term(value)})"
        raise ShapeCompileError(f"{parameter} is not a constraint on one value")  # pragma: no cover

    def _nested(self, shape: Node, v: str, stack: tuple[Node, ...]) -> str:
        """Whether the node in ``v`` conforms to a shape named by sh:node or sh:or."""
        if shape in stack:
            raise ShapeCompileError(f"the shape {shape} refers to itself through sh:node/sh:or")
        said = set(self.shapes.predicates(shape))
        forbidden = sorted(said & (STRUCTURE | PATH_PARAMETERS - {SH.message}), key=str)
        if forbidden:
            raise ShapeCompileError(
                f"{shape}, used through sh:node or sh:or, has {forbidden[0]}: only constraints "
                "on the value node itself are compiled there"
            )
        tests = []
        for parameter in sorted(said & VALUE_PARAMETERS, key=str):
            values = sorted(self.shapes.objects(shape, parameter), key=str)
            if len(values) > 1 and parameter not in REPEATABLE:
                raise ShapeCompileError(f"{shape} has {len(values)} values of {parameter}")
            for value in values:
                test = self._conforms(parameter, value, v, (*stack, shape))
                tests.append(f"COALESCE({test}, false)")
        return "(" + (" && ".join(tests) or "true") + ")"

    def _list(self, head: Node, parameter: Node) -> list[Node]:
        if head != RDF.nil and not isinstance(head, BNode):
            raise ShapeCompileError(f"the value of {parameter} is not an RDF list")
        return list(Collection(self.shapes, head))


def _then_targeted(variables: str, violations: str, targets: str) -> str:
    """The distinct rows of ``violations`` whose ``?focus`` is a focus node of ``targets``."""
    return (
        f"SELECT DISTINCT {variables} WHERE {{\n"
        f"  {{ SELECT {variables} WHERE {{ {violations} }} }}\n"
        f"  FILTER EXISTS {{ {targets} }}\n}}"
    )


def _count(shape: Node, parameter: Node, value: Node) -> int:
    number = value.toPython() if isinstance(value, Literal) else None
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise ShapeCompileError(f"{parameter} of {shape} is not a non-negative integer")
    return number


def _datatype_test(datatype: Node, v: str) -> str:
    if datatype == XSD.string:
        return f"(isLiteral({v}) && datatype({v}) = {sparql_term(XSD.string)})"
    if datatype in CAST_CHECKED_DATATYPES:
        iri = sparql_term(datatype)
        return f"(isLiteral({v}) && datatype({v}) = {iri} && isLiteral({iri}({v})))"
    if datatype in IRI_CHECKED_DATATYPES:
        return f"(isLiteral({v}) && datatype({v}) = {sparql_term(datatype)})"
    raise ShapeCompileError(
        f"sh:datatype {datatype}: how its lexical forms are checked is not compiled; add it "
        "to CAST_CHECKED_DATATYPES or IRI_CHECKED_DATATYPES after comparing with pySHACL"
    )


def _is_shape(shapes: Graph, node: Node) -> bool:
    return any(str(p).startswith(str(SH)) for p in shapes.predicates(node))


# --- running the queries -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """Which graphs of the store a query sees as its default graph."""

    union: bool
    graphs: list[GraphName] | None

    def select(self, store: ox.Store, query: str) -> ox.QuerySolutions:
        solutions = store.query(
            query, use_default_graph_as_union=self.union, default_graph=self.graphs
        )
        if not isinstance(solutions, ox.QuerySolutions):  # pragma: no cover - SELECT only
            raise TypeError("expected SELECT solutions")
        return solutions


def _scope(store: ox.Store, graphs: Sequence[GraphName] | None) -> _Scope:
    if graphs is not None:
        return _Scope(union=False, graphs=list(graphs))
    if not any(store.contains_named_graph(g) for g in RESERVED_GRAPHS):
        return _Scope(union=True, graphs=None)
    kept: list[GraphName] = [g for g in store.named_graphs() if g not in RESERVED_GRAPHS]
    return _Scope(union=False, graphs=[ox.DefaultGraph(), *kept])


def to_rdflib(term: object) -> Node:
    """A term of an Oxigraph solution as rdflib writes it (``xsd:string`` as a plain literal)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term of the data: {term!r}")


class _Report:
    """The SHACL validation report being written, in pySHACL's shape."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = Graph()
        self.graph.bind("sh", SH)
        self.node = BNode()
        self.shapes = shapes
        self.violations = 0
        self._copied: set[Node] = set()

    def add(self, constraint: CompiledConstraint, focus: Node, value: Node | None) -> None:
        result = BNode()
        graph = self.graph
        graph.add((self.node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, focus))
        if value is not None:
            graph.add((result, SH.value, value))
        if constraint.path is not None:
            graph.add((result, SH.resultPath, constraint.path.node))
            self._copy(constraint.path.node)
        graph.add((result, SH.sourceConstraintComponent, constraint.component))
        graph.add((result, SH.sourceShape, constraint.shape))
        self._copy(constraint.shape)
        graph.add((result, SH.resultSeverity, constraint.severity))
        for message in constraint.messages or (_generic_message(constraint),):
            graph.add((result, SH.resultMessage, message))
        if constraint.severity == SH.Violation:
            self.violations += 1

    def finish(self) -> Graph:
        self.graph.add((self.node, RDF.type, SH.ValidationReport))
        self.graph.add((self.node, SH.conforms, Literal(self.violations == 0)))
        return self.graph

    def _copy(self, node: Node) -> None:
        """A blank node of the shapes graph and what it points to, as pySHACL copies them."""
        todo = [node]
        while todo:
            current = todo.pop()
            if not isinstance(current, BNode) or current in self._copied:
                continue
            self._copied.add(current)
            for triple in self.shapes.triples((current, None, None)):
                self.graph.add(triple)
                todo.append(triple[2])


def _generic_message(constraint: CompiledConstraint) -> Literal:
    name = str(constraint.parameter).removeprefix(str(SH))
    return Literal(f"Value does not satisfy sh:{name} of {constraint.shape}")


def data_subclasses(store: ox.Store, scope: _Scope) -> Iterator[tuple[Node, Node]]:
    """The ``rdfs:subClassOf`` pairs stated in the data itself."""
    query = f"SELECT DISTINCT ?sub ?super WHERE {{ ?sub {sparql_term(RDFS.subClassOf)} ?super }}"
    for row in scope.select(store, query):
        yield to_rdflib(row["sub"]), to_rdflib(row["super"])


def validate_store(
    store: ox.Store,
    *,
    graphs: Sequence[GraphName] | None = None,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    max_lines: int = MAX_REPORT_LINES,
    workers: int = 2,
    only_focus: cabc.Collection[Node] | None = None,
) -> ValidationOutcome:
    """Validate the union of graphs of an Oxigraph store against the SHACL shapes.

    ``graphs`` names the graphs to validate as one (for example a document's graph and the
    entities graph); by default every graph of the store except the ontology and inferred
    graphs, which are no asserted data. ``shapes`` and ``ontology`` default to those installed
    with the package; the ontology contributes its ``rdfs:subClassOf`` triples between
    ``sco:`` classes. ``only_focus`` keeps the results about those focus nodes only. The
    outcome equals ``validate.validate`` of the same triples. Raises
    ``ShapeCompileError`` for shapes using SHACL this module does not compile.
    """
    shapes_graph = load_shapes() if shapes is None else shapes
    ontology_graph = load_ontology() if ontology is None else ontology
    scope = _scope(store, graphs)
    pairs = [(s, o) for s, _, o in subclass_triples(ontology_graph)]
    hierarchy = ClassHierarchy([*pairs, *data_subclasses(store, scope)])
    report = _Report(shapes_graph)
    constraints = compile_shapes(shapes_graph, hierarchy)

    def violations(constraint: CompiledConstraint) -> list[tuple[Node, Node | None]]:
        valued = constraint.component in _VALUED
        # pyoxigraph's solutions must be dropped on the thread that made them: consumed and
        # released here, never left to a reference cycle the main thread's collector breaks.
        solutions = scope.select(store, constraint.query)
        try:
            rows = []
            for row in solutions:
                rows.append((to_rdflib(row["focus"]), to_rdflib(row["value"]) if valued else None))
                del row
            return rows
        finally:
            del solutions

    # Oxigraph evaluates a query without holding the GIL: the constraints run side by side.
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(constraints)))) as pool:
        for constraint, rows in zip(constraints, pool.map(violations, constraints), strict=True):
            for focus, value in rows:
                if only_focus is None or focus in only_focus:
                    report.add(constraint, focus, value)
    return outcome_from_report(report.finish(), max_lines)


# The components whose results name a value node (all but the counts).
_VALUED = frozenset(COMPONENTS[p] for p in PARAMETERS - {SH.minCount, SH.maxCount})
