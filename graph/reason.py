"""OWL RL reasoning: what the ontology entails about the asserted graph, without the noise.

``materialise`` runs owlrl's OWL 2 RL closure over the ontology plus the asserted triples and
keeps only the new triples worth storing in the inferred graph: superclasses
(``res:astana a sco:Place``), the Wikidata-style statements of the alignments
(``res:kazakhstan wdt:P31 wd:Q6256``), super-properties (``?event wdt:P710 ?person``) and
inverses (``?position sco:heldBy ?person``). owlrl also derives many triples that say nothing
about the data (every node is ``owl:sameAs`` itself, literals are typed with their datatype,
the ontology's own closure); ``is_noise`` names each of those rules.

Only the asserted triples and the ontology are fed to owlrl, never a previous closure, so the
work grows with the size of the data. Entailments about the ontology's own terms (its TBox
closure) are dropped here: a later step can compute them once with the same closure and keep
them with the ontology, and apply that closure to each document.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import owlrl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from scokg.errors import InputError
from scokg.resources import ontology_path

log = logging.getLogger(__name__)

Triple = tuple[Node, Node, Node]

# Namespaces of the built-in vocabularies whose terms are never subjects worth storing.
BUILT_IN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))

# owlrl reports inconsistencies (e.g. an entity in two disjoint classes) as triples in this
# namespace; they are logged, not stored.
OWLRL_ERROR_NAMESPACE = "http://www.daml.org/2002/03/agents/agent-ont#"

# Classes whose membership is true of everything of a kind and so tells nothing.
TRIVIAL_CLASSES = frozenset({OWL.Thing, RDFS.Resource, RDFS.Literal, OWL.NamedIndividual})


def load_ontology() -> Graph:
    """Parse the ontology installed with the package (``ontology/scokg.ttl``)."""
    path = ontology_path()
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(path, f"cannot load the ontology ({exc})") from exc
    return graph


@dataclass(frozen=True)
class NoiseContext:
    """What ``is_noise`` needs to know besides the triple itself."""

    asserted: Graph
    ontology: Graph
    ontology_nodes: frozenset[Node]


def is_noise(triple: Triple, context: NoiseContext) -> bool:
    """Whether an entailed triple should be dropped rather than stored in the inferred graph."""
    s, p, o = triple
    # Generalised RDF: owlrl types literals and makes them sameAs themselves.
    if isinstance(s, Literal):
        return True
    # Reflexive sameAs (rule eq-ref) holds for every node.
    if p == OWL.sameAs and s == o:
        return True
    # Axiomatic and datatype triples: statements about rdf:, rdfs:, owl: and xsd: terms.
    if isinstance(s, URIRef) and str(s).startswith(BUILT_IN_NAMESPACES):
        return True
    # Membership of owl:Thing, rdfs:Resource, rdfs:Literal ... is true of everything.
    if p == RDF.type and o in TRIVIAL_CLASSES:
        return True
    # Typing with a built-in class or datatype (owl:Class, rdfs:Datatype, xsd:string) is schema
    # talk, never a fact about our data.
    if p == RDF.type and isinstance(o, URIRef) and str(o).startswith(BUILT_IN_NAMESPACES):
        return True
    # The ontology's own closure (sco:Meeting rdfs:subClassOf sco:Meeting, schema:Person
    # rdfs:subClassOf sco:Person ...): about ontology terms, it belongs with the ontology.
    if s in context.ontology_nodes:
        return True
    # Anything mentioning one of the ontology's blank nodes: memberships of its restrictions
    # (?x rdf:type _:hasValueRestriction) and walks over its lists.
    if any(isinstance(term, BNode) and term in context.ontology_nodes for term in triple):
        return True
    # owlrl's inconsistency reports (collected separately and logged).
    if str(p).startswith(OWLRL_ERROR_NAMESPACE) or str(o).startswith(OWLRL_ERROR_NAMESPACE):
        return True
    # Already stated: in the asserted data or in the ontology.
    return triple in context.asserted or triple in context.ontology


def union_triples(graph: Graph) -> Iterable[Triple]:
    """Every triple of a graph; for a Dataset, the union of all its graphs."""
    if isinstance(graph, Dataset):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph.triples((None, None, None))


def _nodes(graph: Graph) -> frozenset[Node]:
    """Every subject and object of a graph."""
    nodes: set[Node] = set()
    for s, _, o in graph:
        nodes.add(s)
        nodes.add(o)
    return frozenset(nodes)


def _error_messages(closure: Graph) -> list[str]:
    """The inconsistencies owlrl reported in the closure (e.g. a class disjointness broken)."""
    error = URIRef(OWLRL_ERROR_NAMESPACE + "error")
    return sorted(str(message) for message in closure.objects(None, error))


def materialise(asserted: Graph, ontology: Graph) -> Graph:
    """The OWL RL entailments of ``ontology`` plus ``asserted`` that are new and worth keeping.

    ``asserted`` may be a plain Graph or a Dataset (then the union of its graphs is used).
    Neither argument is modified. The result holds no triple of either input, no blank node of
    the ontology, no literal subject, nothing about rdf:/rdfs:/owl:/xsd: terms and nothing
    about the ontology's own terms. Inconsistencies owlrl detects are logged as warnings.
    """
    data = Graph()
    for triple in union_triples(asserted):
        data.add(triple)
    closure = Graph()
    for triple in ontology:
        closure.add(triple)
    for triple in data:
        closure.add(triple)

    # improved_datatypes=False: owlrl would otherwise swap rdflib's process-wide literal
    # converters during the run; the closure is the same either way.
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, improved_datatypes=False).expand(closure)

    for message in _error_messages(closure):
        log.warning("OWL RL inconsistency: %s", message)

    context = NoiseContext(asserted=data, ontology=ontology, ontology_nodes=_nodes(ontology))
    inferred = Graph()
    for triple in closure:
        if not is_noise(triple, context):
            inferred.add(triple)
    return inferred
