"""The ontology's OWL RL closure, compiled once and applied to any set of triples in linear time.

``reason.materialise`` runs owlrl over the ontology plus the data, so every build pays for the
whole OWL RL rule set over the whole graph. ``OntologyClosure`` splits that work in two:

1. **Compile, once per ontology.** owlrl runs over the ontology alone. Its closure (the
   "TBox closure") holds every ``rdfs:subClassOf``, ``rdfs:subPropertyOf``, ``rdfs:domain``,
   ``rdfs:range``, ``owl:equivalentClass``, ``owl:equivalentProperty`` and ``owl:inverseOf``
   triple the schema rules (scm-*) derive, and the ``owl:hasValue`` restrictions. These are
   read into lookup tables.
2. **Apply, per triple.** Each data triple is closed on its own under the instance rules owlrl
   applies with those tables (below), and the result passes through the same noise filter as
   ``materialise`` (``reason.is_noise``).

Why this gives exactly what owlrl gives. The ontology is refused unless every OWL RL rule it can
trigger on instance data has ONE instance premise (the others are schema triples, already
closed in step 1): cax-sco, cax-eqc1/2 (class membership), prp-spo1, prp-eqp1/2, prp-inv1/2,
prp-dom, prp-rng (properties), cls-hv1/2 (``owl:hasValue``), eq-ref (every node is
``owl:sameAs`` itself) and the datatype rules dt-type2 and owlrl's datatype subsumptions. The
data is refused if it uses schema vocabulary (OWL terms as predicates, ``rdfs:subClassOf``,
``rdfs:domain`` ..., typing with ``owl:Class``, ``rdf:Property`` ...), so it adds nothing to
the TBox and the TBox closure of ontology + data equals that of the ontology alone. With
single-premise rules only, the closure of a set of triples is the union of the closures of
its triples, so:

    materialise(T) == {t in union(close(x) for x in T) if not is_noise(t)}

What a triple entails depends only on its predicate, on its object's class or datatype and on
whether its subject or object is a term the ontology names; the closure of each such "shape"
is computed once and reused with the actual subject and object filled in, so applying the
closure costs a dictionary look-up per triple. The equality is checked against owlrl by
``tests/test_closure.py`` on the sample corpus and the fixtures.

Rules with two instance premises (property chains, functional, inverse-functional,
transitive and symmetric properties, ``owl:sameAs``, intersections, some/all-values-from and
cardinality restrictions, keys ...) break that argument: an ontology using one is refused
with ``UnsupportedAxiom`` rather than silently reasoned over wrongly.

Disjointness produces no triple, only owlrl's inconsistency messages. Whether a node is in two
disjoint classes can depend on several documents, so it is checked apart, by a
``ConsistencyCheck`` fed graph by graph, which reports what owlrl would log for the union.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import owlrl
from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from scokg.errors import InputError, ScokgError
from scokg.graph.reason import BUILT_IN_NAMESPACES, NoiseContext, Triple, is_noise
from scokg.resources import ontology_path

# --- the vocabulary the compiled closure supports -----------------------------------------------

# OWL predicates an ontology may use: the single-premise axioms and annotations. Any other
# predicate of the OWL namespace (owl:propertyChainAxiom, owl:someValuesFrom, owl:sameAs ...)
# is refused.
SUPPORTED_OWL_PREDICATES = frozenset(
    {
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.onProperty,
        OWL.hasValue,
        OWL.disjointWith,  # checked by ConsistencyCheck, entails nothing
        OWL.members,  # of owl:AllDisjointClasses only (other users are refused by type)
        OWL.imports,  # neither owlrl nor materialise follows imports
        OWL.versionIRI,
        OWL.versionInfo,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
        OWL.deprecated,
    }
)

# OWL classes an ontology may type its terms with. owl:FunctionalProperty,
# owl:TransitiveProperty, owl:AllDifferent ... are refused.
SUPPORTED_OWL_TYPES = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.OntologyProperty,
        OWL.Ontology,
        OWL.Restriction,
        OWL.AllDisjointClasses,
        OWL.NamedIndividual,
        OWL.Thing,
        OWL.DeprecatedClass,
        OWL.DeprecatedProperty,
    }
)

# Predicates that state schema: data using them would extend the TBox.
RDFS_SCHEMA_PREDICATES = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range})

# Classes whose members the OWL RL schema rules act on (scm-cls, scm-op, prp-fp, cax-adc ...).
# owl:Thing and owl:NamedIndividual say nothing; owl:Nothing only raises owlrl's
# inconsistency message, which ConsistencyCheck reproduces.
HARMLESS_OWL_CLASSES = frozenset({OWL.Thing, OWL.NamedIndividual, OWL.Nothing})

# The message owlrl gives for a node in two disjoint classes (rules cax-dw and cax-adc), for a
# member of owl:Nothing (cls-nothing2) and for an ill-formed literal (dt-not-type).
DISJOINT_MESSAGE = "Disjoint classes %s and %s have a common individual %s"
NOTHING_MESSAGE = "%s is defined of type 'Nothing'"
LEXICAL_MESSAGE = "Lexical value of the literal '%s' does not match its datatype (%s)"

DATATYPES = frozenset(OWL_RL_Datatypes)
SUBSUMPTIONS: dict[Node, tuple[Node, ...]] = {
    dt: tuple(supers) for dt, supers in OWL_Datatype_Subsumptions.items()
}

# owlrl declares these pairs of datatypes disjoint when the data uses both (OWL 2 RL, table 8).
DATATYPE_DISJOINTNESS: tuple[tuple[Node, Node], ...] = tuple(
    (left, right) for left, _, right in OWLRL_Datatypes_Disjointness
)
DATATYPE_DISJOINTNESS_CLASSES = frozenset(chain.from_iterable(DATATYPE_DISJOINTNESS))

# How many verdicts of reason.is_noise a closure remembers.
NOISE_CACHE_SIZE = 1 << 18

# Stand-ins for the subject and object of a triple while its closure is computed once for
# every triple of the same shape; fresh blank nodes, so no data or ontology term equals them.
SUBJECT = BNode()
OBJECT = BNode()


class UnsupportedAxiom(ScokgError):
    """The ontology, or the data, uses OWL vocabulary whose rules the compiled closure lacks."""


# --- compiling -----------------------------------------------------------------------------------


def _owl_closure(ontology: Graph) -> Graph:
    """owlrl's OWL RL closure of the ontology alone, with the settings ``materialise`` uses."""
    closure = Graph()
    for triple in ontology:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, improved_datatypes=False).expand(closure)
    return closure


def _is_owl(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(OWL))


def _is_iri(node: Node) -> bool:
    return isinstance(node, URIRef)


def _is_built_in(node: Node) -> bool:
    return isinstance(node, URIRef) and str.startswith(node, BUILT_IN_NAMESPACES)


def _states_schema(predicate: Node) -> bool:
    return _is_owl(predicate) or predicate in RDFS_SCHEMA_PREDICATES


def is_schema_triple(triple: Triple) -> bool:
    """Whether a triple states schema (TBox) rather than facts: data must not contain one.

    Any predicate of the OWL namespace counts, owl:sameAs included (the equality rules have
    two premises; scokg never states it, SPEC.md forbids it towards Wikidata).
    """
    _, p, o = triple
    if _states_schema(p):
        return True
    if p == RDF.type:
        return o == RDF.Property or (_is_owl(o) and o not in HARMLESS_OWL_CLASSES)
    return False


def check_ontology(ontology: Graph) -> None:
    """Raise ``UnsupportedAxiom`` naming the first axiom that needs a rule the closure lacks."""
    problems: list[str] = []
    for s, p, o in ontology:
        if _is_owl(p) and p not in SUPPORTED_OWL_PREDICATES:
            problems.append(f"{p} (on {s})")
        elif p == RDF.type and _is_owl(o) and o not in SUPPORTED_OWL_TYPES:
            problems.append(f"{s} a {o}")
        elif p == OWL.members and (s, RDF.type, OWL.AllDisjointClasses) not in ontology:
            problems.append(f"owl:members on {s}, which is not an owl:AllDisjointClasses")
        elif p in (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf) and (
            isinstance(s, BNode) or isinstance(o, BNode)
        ):
            problems.append(f"an anonymous property in {p} (on {s})")
        elif p in (RDFS.domain, RDFS.range) and isinstance(s, BNode):
            problems.append(f"an anonymous property in {p}")
        elif p == OWL.onProperty and not isinstance(o, URIRef):
            problems.append(f"a restriction {s} on an anonymous property")
    if problems:
        raise UnsupportedAxiom(
            "the ontology uses OWL RL rules with more than one instance premise, which "
            f"the compiled closure does not implement: {sorted(problems)[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )


@dataclass(frozen=True)
class _Shape:
    """What every triple of one shape entails, with SUBJECT and OBJECT for its own terms."""

    derived: tuple[Triple, ...]
    """Every triple of the closure, the noise included (the triple itself too)."""
    kept: tuple[Triple, ...]
    """The derived triples that can survive the noise filter once SUBJECT/OBJECT are filled."""
    typed: tuple[tuple[Node, Node], ...]
    """(node, class) of each derived rdf:type with a class that disjointness involves."""


def _table() -> defaultdict[Node, set[Node]]:
    return defaultdict(set)


def _frozen(
    table: defaultdict[Node, set[Node]], *, drop_self: bool = False
) -> dict[Node, tuple[Node, ...]]:
    return {key: tuple(values - {key} if drop_self else values) for key, values in table.items()}


def _fill(template: Triple, subject: Node, obj: Node) -> Triple:
    s, p, o = template
    return (
        subject if s is SUBJECT else obj if s is OBJECT else s,
        p,
        subject if o is SUBJECT else obj if o is OBJECT else o,
    )


def _term(node: Node, ontology: Graph) -> str:
    return node.n3(ontology.namespace_manager) if isinstance(node, URIRef) else str(node)


class OntologyClosure:
    """The OWL RL closure of one ontology, compiled into lookup tables (see the module doc).

    Build one with ``OntologyClosure(ontology)`` or, cached per ontology file, with
    ``compiled_closure()``. Not thread-safe: shapes are compiled lazily into a dict.
    """

    def __init__(self, ontology: Graph) -> None:
        check_ontology(ontology)
        self.ontology = ontology
        self.tbox = _owl_closure(ontology)
        ontology_nodes = frozenset(chain(ontology.subjects(), ontology.objects()))
        # is_noise is a disjunction whose last clause is "already asserted": with no asserted
        # triples here, that clause is checked separately against each input.
        self._noise_context = NoiseContext(
            asserted=Graph(), ontology=ontology, ontology_nodes=ontology_nodes
        )
        # The same candidate (an entity's superclass, say) comes up in every document that
        # mentions the entity: remember the verdicts, within bounds.
        self._noise = functools.lru_cache(maxsize=NOISE_CACHE_SIZE)(self._is_noise)
        self._read_tables()
        self._shapes: dict[tuple[Node, Node, Node, Node | None], _Shape] = {}
        # The same shapes by a key of plain strings, which hash and compare in C: rdflib
        # terms compare in Python, and this look-up is made once per input triple.
        self._fast: dict[tuple[object, str, object, str | None], _Shape] = {}
        # Compile the shapes of every term the ontology names now, so that a forbidden
        # entailment is found at once rather than on the first document that triggers it.
        properties = set(chain(self._superproperties, self._inverses, self._domains, self._ranges))
        seeds: list[Triple] = [(SUBJECT, p, OBJECT) for p in properties]
        seeds += [(SUBJECT, RDF.type, c) for c in set(chain(self._superclasses, self._values))]
        for seed in seeds:
            if not is_schema_triple(seed):
                self._shape(self._key(seed))

    def _is_noise(self, triple: Triple) -> bool:
        return bool(is_noise(triple, self._noise_context))

    # -- tables -------------------------------------------------------------------------------

    def _read_tables(self) -> None:
        tbox = self.tbox
        supers_c, supers_p, inverses, domains, ranges = (_table() for _ in range(5))
        for c, d in tbox.subject_objects(RDFS.subClassOf):
            supers_c[c].add(d)
        for c, d in tbox.subject_objects(OWL.equivalentClass):
            supers_c[c].add(d)
            supers_c[d].add(c)
        for p, q in tbox.subject_objects(RDFS.subPropertyOf):
            supers_p[p].add(q)
        for p, q in tbox.subject_objects(OWL.equivalentProperty):
            supers_p[p].add(q)
            supers_p[q].add(p)
        for p, q in tbox.subject_objects(OWL.inverseOf):
            inverses[p].add(q)
            inverses[q].add(p)
        for p, c in tbox.subject_objects(RDFS.domain):
            domains[p].add(c)
        for p, c in tbox.subject_objects(RDFS.range):
            ranges[p].add(c)
        values: defaultdict[Node, set[tuple[Node, Node]]] = defaultdict(set)
        restrictions: defaultdict[tuple[Node, Node], set[Node]] = defaultdict(set)
        for r, v in tbox.subject_objects(OWL.hasValue):
            for p in tbox.objects(r, OWL.onProperty):
                values[r].add((p, v))
                restrictions[(p, v)].add(r)

        # A class is its own superclass, a property its own super-property: skip the identity.
        self._superclasses = _frozen(supers_c, drop_self=True)
        self._superproperties = _frozen(supers_p, drop_self=True)
        self._inverses = _frozen(inverses)
        self._domains = _frozen(domains)
        self._ranges = _frozen(ranges)
        self._values = {r: tuple(pvs) for r, pvs in values.items()}
        self._restrictions = {pv: tuple(rs) for pv, rs in restrictions.items()}
        self._disjoint = self._disjoint_pairs()
        # The classes whose members ConsistencyCheck follows.
        self._watched = frozenset(
            chain((c for pair in self._disjoint for c in pair), DATATYPE_DISJOINTNESS_CLASSES)
        ) | {OWL.Nothing}
        # Terms whose identity changes what a triple entails; any other subject or object is
        # replaced by SUBJECT/OBJECT while a shape is compiled.
        self._significant = frozenset(
            chain(
                self._superclasses,
                self._values,
                (v for _, v in self._restrictions),
                self._watched,
            )
        )
        self._significant_iris = frozenset(str(n) for n in self._significant if _is_iri(n))
        # Predicates no instance rule reads: a triple with one entails only its reflexive
        # owl:sameAs and its literal's datatypes, all noise. (Schema predicates are excluded,
        # so that they still reach the check that refuses them.)
        read = set(chain(self._superproperties, self._inverses, self._domains, self._ranges))
        read |= {p for p, _ in self._restrictions} | {RDF.type}
        self._read = frozenset(str(p) for p in read)
        self._inert: dict[str, bool] = {}
        # Predicates a rule can derive: only triples with one can be derived and stated both.
        derivable = set(chain.from_iterable(self._superproperties.values()))
        derivable |= set(chain.from_iterable(self._inverses.values()))
        derivable |= {p for p, _ in self._restrictions} | {RDF.type}
        self._derivable = frozenset(str(p) for p in derivable)
        self._significant_literals = any(isinstance(n, Literal) for n in self._significant)

    def _disjoint_pairs(self) -> tuple[tuple[Node, Node], ...]:
        """The pairs of disjoint classes: owl:disjointWith and owl:AllDisjointClasses lists."""
        pairs: list[tuple[Node, Node]] = list(self.tbox.subject_objects(OWL.disjointWith))
        for axiom in self.tbox.subjects(RDF.type, OWL.AllDisjointClasses):
            for members in self.tbox.objects(axiom, OWL.members):
                classes = list(Collection(self.tbox, members))
                pairs.extend((c1, c2) for i, c1 in enumerate(classes) for c2 in classes[i + 1 :])
        return tuple(dict.fromkeys(pairs))

    # -- closing one shape ------------------------------------------------------------------------

    def _key(self, triple: Triple) -> tuple[Node, Node, Node, Node | None]:
        """The shape of a triple: its predicate, and its subject and object where they matter."""
        s, p, o = triple
        datatype = o.datatype if isinstance(o, Literal) and o.datatype in DATATYPES else None
        return (
            s if _is_built_in(s) or s in self._significant else SUBJECT,
            p,
            o if _is_built_in(o) or o in self._significant else OBJECT,
            datatype,
        )

    def _shape(self, key: tuple[Node, Node, Node, Node | None]) -> _Shape:
        shape = self._shapes.get(key)
        if shape is None:
            s, p, o, datatype = key
            shape = self._compile_shape((s, p, o), datatype)
            self._shapes[key] = shape
        return shape

    def _compile_shape(self, seed: Triple, datatype: Node | None) -> _Shape:
        derived: set[Triple] = set()
        todo = [seed, *self._datatype_rules(seed, datatype)]
        while todo:
            triple = todo.pop()
            if triple not in derived:
                derived.add(triple)
                todo.extend(self._step(triple))
        for triple in derived:
            # eq-ref makes every node owl:sameAs itself: harmless, owlrl does the same.
            reflexive = triple[1] == OWL.sameAs and triple[0] == triple[2]
            if triple != seed and not reflexive and is_schema_triple(triple):
                raise UnsupportedAxiom(
                    "the ontology makes instance data entail schema triples, which the "
                    f"compiled closure does not implement: {seed[1]} entails {triple[1]} "
                    f"{_term(triple[2], self.ontology)}"
                )
        return _Shape(
            derived=tuple(derived),
            # The triple itself is stated, so never kept.
            kept=tuple(t for t in derived if t != seed and not is_noise(t, self._noise_context)),
            typed=tuple((s, o) for s, p, o in derived if p == RDF.type and o in self._watched),
        )

    @staticmethod
    def _datatype_rules(seed: Triple, datatype: Node | None) -> Iterator[Triple]:
        """owlrl's one-time datatype rules, which apply to the triples given, not derived ones.

        dt-type2 types a literal object with its datatype; a node typed with a datatype gets
        the datatypes that contain it (owlrl's subsumption table), and so does the literal.
        """
        s, p, o = seed
        if datatype is not None:
            yield o, RDF.type, datatype
            for sup in SUBSUMPTIONS.get(datatype, ()):
                yield o, RDF.type, sup
                yield sup, RDF.type, RDFS.Datatype
        if p == RDF.type and o in DATATYPES:
            yield o, RDF.type, RDFS.Datatype
            for sup in SUBSUMPTIONS.get(o, ()):
                yield s, RDF.type, sup
                yield sup, RDF.type, RDFS.Datatype

    def _step(self, triple: Triple) -> Iterator[Triple]:
        """Every triple one instance rule derives from this triple and the TBox closure."""
        x, q, y = triple
        # eq-ref
        yield x, OWL.sameAs, x
        yield q, OWL.sameAs, q
        yield y, OWL.sameAs, y
        # prp-spo1, prp-eqp1/2
        for q2 in self._superproperties.get(q, ()):
            yield x, q2, y
        # prp-inv1/2
        for q2 in self._inverses.get(q, ()):
            yield y, q2, x
        # prp-dom, prp-rng
        for c in self._domains.get(q, ()):
            yield x, RDF.type, c
        for c in self._ranges.get(q, ()):
            yield y, RDF.type, c
        # cls-hv2
        for r in self._restrictions.get((q, y), ()):
            yield x, RDF.type, r
        if q == RDF.type:
            # cax-sco, cax-eqc1/2
            for c in self._superclasses.get(y, ()):
                yield x, RDF.type, c
            # cls-hv1
            for p, v in self._values.get(y, ()):
                yield x, p, v

    def _code(self, node: Node) -> object:
        """A term's part of the fast key: its IRI if it is significant, else 0."""
        if isinstance(node, URIRef):
            iri = str(node)
            if iri in self._significant_iris or iri.startswith(BUILT_IN_NAMESPACES):
                return iri
        elif isinstance(node, BNode):
            if node in self._significant:
                return ("b", node)
        elif self._significant_literals and node in self._significant:
            return ("l", node)
        return 0

    def _lookup(self, triple: Triple) -> _Shape:
        """``_shape_of`` through the fast key: the look-up made for every input triple."""
        s, p, o = triple
        datatype = o.datatype if isinstance(o, Literal) else None
        key = (
            self._code(s),
            str(p),
            self._code(o),
            str(datatype) if datatype is not None and datatype in DATATYPES else None,
        )
        shape = self._fast.get(key)
        if shape is None:
            shape = self._fast[key] = self._shape_of(triple)
        elif isinstance(s, Literal):
            raise UnsupportedAxiom(f"not an RDF triple: {self._text(triple)}")
        return shape

    def _shape_of(self, triple: Triple) -> _Shape:
        """The compiled shape of a data triple; raises ``UnsupportedAxiom`` for schema."""
        s, p, o = triple
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            raise UnsupportedAxiom(f"not an RDF triple: {self._text(triple)}")
        key = self._key(triple)
        shape = self._shapes.get(key)
        # Whether a triple states schema depends only on its shape (its predicate, and the
        # class for rdf:type, which is kept in the key when it is a built-in term).
        if shape is None:
            if is_schema_triple(triple):
                raise UnsupportedAxiom(
                    "the data states schema, which the compiled closure does not reason "
                    f"over (it belongs in the ontology): {self._text(triple)}"
                )
            shape = self._shape(key)
        return shape

    def _text(self, triple: Triple) -> str:
        return " ".join(_term(t, self.ontology) for t in triple)

    # -- applying ---------------------------------------------------------------------------------

    def derive(self, triples: Sequence[Triple] | Graph) -> set[Triple]:
        """Everything the instance rules derive from ``triples``, noise and inputs included.

        With ``tbox`` and the input, this is owlrl's whole closure of the ontology plus
        ``triples``. It includes the one schema owlrl derives from data: the disjointness of
        the XSD datatypes in use (a pair is declared disjoint once both are used).
        """
        out: set[Triple] = set()
        datatypes = _DatatypesInUse()
        for triple in chain(self.ontology, triples):
            datatypes.add(triple)
        for triple in triples:
            s, _, o = triple
            out.update(_fill(t, s, o) for t in self._lookup(triple).derived)
        for a, b in datatypes.disjoint_pairs():
            out.add((a, OWL.disjointWith, b))
            out.add((OWL.disjointWith, OWL.sameAs, OWL.disjointWith))  # eq-ref
        return out

    def entail(self, triples: Iterable[Triple]) -> set[Triple]:
        """Exactly what ``reason.materialise`` returns for these triples and this ontology.

        ``triples`` is any iterable of triples (a Graph, or ``reason.union_triples`` of a
        Dataset). Raises ``UnsupportedAxiom`` if they state schema (see ``is_schema_triple``).
        Inconsistencies are not reported here: see ``consistency_check``.
        """
        # Only triples whose predicate some rule can derive can be "already stated", and
        # only triples whose predicate some rule reads can entail anything (see _inert).
        stated: set[Triple] = set()
        candidates: set[Triple] = set()
        inert, derivable = self._inert, self._derivable
        for triple in triples:
            s, p, o = triple
            name = str(p)
            if name in derivable:
                stated.add(triple)
            skip = inert.get(name)
            if skip is None:
                skip = inert[name] = name not in self._read and not _states_schema(p)
            if skip and isinstance(p, URIRef) and not isinstance(s, Literal):
                continue
            candidates.update(_fill(t, s, o) for t in self._lookup(triple).kept)
        noise = self._noise
        return {t for t in candidates if t not in stated and not noise(t)}

    def entail_graphs(self, graphs: Sequence[Iterable[Triple]]) -> set[Triple]:
        """What ``materialise`` returns for the union of ``graphs``, reasoning graph by graph.

        Each graph is closed on its own; what one graph entails and another asserts is then
        dropped, in a second pass over the graphs (so they must be iterable twice).
        """
        inferred: set[Triple] = set()
        for graph in graphs:
            inferred |= self.entail(graph)
        predicates = {str(p) for _, p, _ in inferred}
        for graph in graphs:
            for triple in graph:
                if str(triple[1]) in predicates:
                    inferred.discard(triple)
        return inferred

    def entail_dataset(self, dataset: Dataset) -> set[Triple]:
        """What ``materialise`` returns for a dataset (the union of its graphs), graph by graph.

        Like ``entail_graphs``, but whether another graph states a triple is asked of the
        dataset's index, so each graph is read once.
        """
        inferred: set[Triple] = set()
        for graph in dataset.graphs():
            inferred |= self.entail(graph)
        return {t for t in inferred if next(iter(dataset.quads((*t, None))), None) is None}

    def consistency_check(self) -> ConsistencyCheck:
        """A fresh check of owlrl's inconsistencies, to feed with the data graph by graph."""
        return ConsistencyCheck(self)

    def inconsistencies(self, triples: Iterable[Triple]) -> list[str]:
        """owlrl's inconsistency messages for the ontology plus ``triples``, sorted."""
        check = self.consistency_check()
        check.add(triples)
        return check.messages()


# --- consistency ---------------------------------------------------------------------------------


class _DatatypesInUse:
    """The XSD datatypes the ontology and the data use, as owlrl counts them (dt-type1/2)."""

    def __init__(self) -> None:
        self.datatypes: set[Node] = set()
        self.lexical_errors: set[str] = set()

    def add(self, triple: Triple) -> None:
        """Literal objects count with their datatype; so do datatypes used as classes.

        An ill-formed literal (dt-not-type) is noted with owlrl's message.
        """
        _, p, o = triple
        if isinstance(o, Literal) and o.datatype is not None and o.datatype in DATATYPES:
            datatype: Node = o.datatype
            self.datatypes.add(datatype)
            self.datatypes.update(SUBSUMPTIONS.get(datatype, ()))
            converter = AltXSDToPYTHON.get(datatype, lambda value: value)
            try:
                converter(str(o))
            except ValueError:
                self.lexical_errors.add(LEXICAL_MESSAGE % (o, datatype))
        if p == RDF.type and o in DATATYPES:
            self.datatypes.add(o)
            self.datatypes.update(SUBSUMPTIONS.get(o, ()))

    def disjoint_pairs(self) -> list[tuple[Node, Node]]:
        """The pairs of disjoint datatypes owlrl declares: both must be in use."""
        used = self.datatypes
        return [(a, b) for a, b in DATATYPE_DISJOINTNESS if a in used and b in used]


class ConsistencyCheck:
    """owlrl's inconsistency messages for the ontology plus every triple ``add``-ed so far.

    The checks owlrl makes that a supported ontology can trigger: two disjoint classes with a
    common member (owl:disjointWith, owl:AllDisjointClasses, and the disjointness of the XSD
    datatypes in use), a member of owl:Nothing, a literal whose lexical form does not fit its
    datatype. It keeps only the disjointness-relevant classes of each node, so feeding it every
    document of a large corpus costs memory per entity, not per triple.
    """

    def __init__(self, closure: OntologyClosure) -> None:
        self._closure = closure
        self._types: defaultdict[Node, set[Node]] = defaultdict(set)
        self._datatypes = _DatatypesInUse()
        for s, o in closure.tbox.subject_objects(RDF.type):
            if o in closure._watched:
                self._types[s].add(o)
        for triple in closure.ontology:
            self._datatypes.add(triple)

    def add(self, triples: Iterable[Triple]) -> None:
        """Feed asserted triples (one graph, or several): what they entail is added too."""
        for triple in triples:
            shape = self._closure._lookup(triple)
            s, _, o = triple
            for node, cls in shape.typed:
                self._types[s if node is SUBJECT else o if node is OBJECT else node].add(cls)
            self._datatypes.add(triple)

    def messages(self) -> list[str]:
        """The messages owlrl would give for everything added, sorted, without repeats."""
        pairs = [*self._closure._disjoint, *self._datatypes.disjoint_pairs()]
        found = set(self._datatypes.lexical_errors)
        for node, classes in self._types.items():
            if OWL.Nothing in classes:
                found.add(NOTHING_MESSAGE % node)
            found.update(
                DISJOINT_MESSAGE % (a, b, node) for a, b in pairs if a in classes and b in classes
            )
        return sorted(found)


# --- caching -------------------------------------------------------------------------------------


def compiled_closure(path: Path | None = None) -> OntologyClosure:
    """The closure of the ontology file at ``path`` (default: the installed ontology).

    Compiled once per process for each distinct file content (keyed by its SHA-256).
    """
    path = ontology_path() if path is None else path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the ontology ({exc.strerror})") from exc
    digest = hashlib.sha256(data).hexdigest()
    closure = _COMPILED.get(digest)
    if closure is None:
        graph = Graph()
        try:
            graph.parse(data=data, format="turtle")
        except (SyntaxError, ValueError) as exc:
            raise InputError(path, f"cannot load the ontology ({exc})") from exc
        closure = _COMPILED[digest] = OntologyClosure(graph)
    return closure


# Compiled closures by the SHA-256 of their ontology file.
_COMPILED: dict[str, OntologyClosure] = {}
