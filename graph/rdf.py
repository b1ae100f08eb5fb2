"""Facts to RDF: the entities graph and one named graph per document (docs/data-model.md).

Every extracted fact becomes a plain triple in its document's graph, plus a reified
``rdf:Statement`` that points at the sentence it came from (NIF 2.0 offsets into the
original file), so provenance needs no RDF-star.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from rdflib import RDF, RDFS, XSD, Dataset, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from scokg.extract.model import DocumentExtraction, Fact
from scokg.extract.resolve import ResolvedCorpus, ResolvedEntity
from scokg.vocab import (
    DCTERMS,
    ENTITIES_GRAPH,
    NIF,
    PROV,
    SCO,
    WD,
    document_graph,
    document_iri,
    resource,
    sentence_iri,
)

ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")

INSTRUMENT_CLASSES = frozenset(
    {
        "Treaty",
        "Convention",
        "Agreement",
        "Protocol",
        "Charter",
        "Declaration",
        "Statement",
        "Resolution",
        "Programme",
        "Strategy",
        "Plan",
        "Rules",
    }
)
ATTITUDE_CONCEPTS = {
    "support": SCO.Support,
    "welcome": SCO.Welcome,
    "praise": SCO.Praise,
    "callFor": SCO.CallFor,
    "condemn": SCO.Condemn,
    "concern": SCO.Concern,
}
PREDICATES = {
    "participant": SCO.participant,
    "chair": SCO.chair,
    "location": SCO.location,
    "startDate": SCO.startDate,
    "endDate": SCO.endDate,
    "memberOf": SCO.memberOf,
    "observerOf": SCO.observerOf,
    "dialoguePartnerOf": SCO.dialoguePartnerOf,
    "signingDate": SCO.signingDate,
    "signingPlace": SCO.signingPlace,
    "adoptedAt": SCO.adoptedAt,
    "locatedIn": SCO.locatedIn,
}


def entity_class(ent: ResolvedEntity) -> URIRef:
    """The most specific ontology class for a resolved entity."""
    if ent.type == "Instrument" and ent.subtype in INSTRUMENT_CLASSES:
        return SCO[ent.subtype]
    if ent.type == "Event":
        if ent.meeting:
            return SCO.Meeting
        if ent.subtype == "Exercise":
            return SCO.Exercise
        return SCO.Event
    return SCO[ent.type]


def date_literal(value: str) -> Literal:
    """ISO date at its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


def entity_triples(corpus: ResolvedCorpus) -> Iterator[tuple[URIRef, URIRef, object]]:
    """Identity cards of the resolved entities (those some document uses) and the positions
    people hold: the triples of the entities graph. Call ``prepare_positions`` first."""
    used = {slug for ids in corpus.ids.values() for slug in ids.values()}
    for ent in corpus.entities.values():
        if ent.slug not in used:
            continue
        node = resource(ent.slug)
        yield node, RDF.type, entity_class(ent)
        yield node, RDFS.label, Literal(ent.label, lang="en")
        for alt in ent.alt_labels:
            yield node, SKOS.altLabel, Literal(alt, lang="en")
        if ent.qid:
            yield node, SKOS.exactMatch, WD[ent.qid]
        if ent.located_in:
            yield node, SCO.locatedIn, resource(ent.located_in)
    for pos in corpus.positions.values():
        node = resource(pos.slug)
        yield node, RDF.type, SCO.Position
        yield node, RDFS.label, Literal(pos.label, lang="en")
        yield node, SCO.title, Literal(pos.title)
        yield node, SCO.positionOf, resource(pos.holder)


def prepare_positions(corpus: ResolvedCorpus) -> None:
    """Create every post the documents state, in document order, so that post IRIs are
    fixed before documents are rendered (possibly in other processes)."""
    for doc in corpus.documents:
        ids = corpus.ids[doc.doc_id]
        for fact in doc.facts:
            if fact.kind == "position" and fact.title and fact.object in ids:
                corpus.position(fact.title, ids[fact.object])


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def document_triples(
    corpus: ResolvedCorpus, doc: DocumentExtraction
) -> Iterator[tuple[URIRef, URIRef, object]]:
    """The triples of one document's named graph."""
    doc_node = document_iri(doc.doc_id)
    ids = corpus.ids[doc.doc_id]
    yield doc_node, RDF.type, SCO.SourceDocument
    yield doc_node, RDF.type, NIF.Context
    yield doc_node, RDFS.label, Literal(doc.title, lang="en")
    yield doc_node, DCTERMS.identifier, Literal(doc.doc_id)
    yield (
        doc_node,
        SCO.fileName,
        Literal(doc.path.rsplit("/", 1)[-1] if doc.path else f"{doc.doc_id}.txt"),
    )
    yield doc_node, SCO.sha256, Literal(doc.sha256)
    if doc.date:
        yield doc_node, DCTERMS.date, date_literal(doc.date)
    sentence_nodes = {}
    for s in doc.sentences:
        node = sentence_iri(doc.doc_id, s.start, s.end)
        sentence_nodes[s.index] = node
        yield node, RDF.type, NIF.Sentence
        yield node, NIF.referenceContext, doc_node
        yield node, NIF.beginIndex, Literal(s.start, datatype=XSD.integer)
        yield node, NIF.endIndex, Literal(s.end, datatype=XSD.integer)
        yield node, NIF.anchorOf, Literal(s.text)
    for ent in doc.entities.values():
        slug = ids[ent.id]
        node = resource(slug)
        if ent.mentions:
            yield node, SCO.mentionedIn, doc_node
        for m in ent.mentions:
            phrase = sentence_iri(doc.doc_id, m.start, m.end)
            yield phrase, RDF.type, NIF.Phrase
            yield phrase, NIF.referenceContext, doc_node
            if m.sentence in sentence_nodes:
                yield phrase, NIF.sentence, sentence_nodes[m.sentence]
            yield phrase, NIF.beginIndex, Literal(m.start, datatype=XSD.integer)
            yield phrase, NIF.endIndex, Literal(m.end, datatype=XSD.integer)
            yield phrase, NIF.anchorOf, Literal(m.surface)
            yield phrase, ITSRDF.taIdentRef, node
    for fact in doc.facts:
        triple = _fact_triple(corpus, doc, fact)
        if triple is None:
            continue
        yield triple
        evidence = sentence_nodes.get(fact.sentence)
        if evidence is None:
            continue
        statement = URIRef(f"{doc_node}#fact-{_hash(*triple, fact.sentence)}")
        yield statement, RDF.type, RDF.Statement
        yield statement, RDF.subject, triple[0]
        yield statement, RDF.predicate, triple[1]
        yield statement, RDF.object, triple[2]
        yield statement, PROV.wasDerivedFrom, evidence
    for stance in doc.stances:
        if stance.holder is None or stance.holder not in ids or stance.target not in ids:
            continue
        holder, target = resource(ids[stance.holder]), resource(ids[stance.target])
        node = URIRef(
            f"{doc_node}#stance-{_hash(holder, stance.attitude, target, stance.sentence)}"
        )
        yield node, RDF.type, SCO.Stance
        yield node, SCO.stanceHolder, holder
        yield node, SCO.attitude, ATTITUDE_CONCEPTS[stance.attitude]
        yield node, SCO.stanceTarget, target
        if stance.sentence in sentence_nodes:
            yield node, PROV.wasDerivedFrom, sentence_nodes[stance.sentence]


def _fact_triple(
    corpus: ResolvedCorpus, doc: DocumentExtraction, fact: Fact
) -> tuple[URIRef, URIRef, object] | None:
    ids = corpus.ids[doc.doc_id]
    subject = ids.get(fact.subject)
    if subject is None:
        return None
    if fact.kind == "position":
        holder = ids.get(fact.object)
        if holder is None or fact.title is None:
            return None
        pos = corpus.position(fact.title, holder)
        return resource(subject), SCO.holdsPosition, resource(pos.slug)
    predicate = PREDICATES[fact.kind]
    if fact.kind in {"startDate", "endDate", "signingDate"}:
        return resource(subject), predicate, date_literal(fact.object)
    obj = ids.get(fact.object)
    if obj is None:
        return None
    return resource(subject), predicate, resource(obj)


def corpus_dataset(corpus: ResolvedCorpus) -> Dataset:
    """All asserted graphs of the corpus in one rdflib Dataset: one per document and the
    entities graph (for tests and small corpora; a build renders N-Quads instead)."""
    prepare_positions(corpus)
    ds = Dataset()
    for doc in corpus.documents:
        g = ds.graph(document_graph(doc.doc_id))
        for triple in document_triples(corpus, doc):
            g.add(triple)  # type: ignore[arg-type]
    entities = ds.graph(ENTITIES_GRAPH)
    for triple in entity_triples(corpus):
        entities.add(triple)  # type: ignore[arg-type]
    return ds
