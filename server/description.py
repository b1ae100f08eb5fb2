"""The endpoint and the dataset describing themselves: SPARQL Service Description and VoID.

Both are generated from what the code does, never written by hand: the result formats are
the negotiation tables the endpoint serialises with, the dumps are the dump table the
dump routes serve, the union default graph is the flag the executor passes to
pyoxigraph, and the counts come from the store. SERVICE is refused, so
``sd:BasicFederatedQuery`` is not claimed; updates are refused, so only
``sd:SPARQL11Query`` is a supported language.
"""

from __future__ import annotations

import pyoxigraph as ox

from scokg.server.dumps import DUMPS
from scokg.server.negotiation import GRAPH_FORMATS, SOLUTION_FORMATS
from scokg.server.settings import Settings
from scokg.server.stats import DatasetStats
from scokg.vocab import DCTERMS, PREFIXES, RES, SCO, SD, VOID

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
XSD = "http://www.w3.org/2001/XMLSchema#"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF_HOMEPAGE = ox.NamedNode("http://xmlns.com/foaf/0.1/homepage")
IANA = "https://www.iana.org/assignments/media-types/"
DESCRIPTION_PREFIXES = {
    **PREFIXES,
    "sd": str(SD),
    "void": str(VOID),
    "dcat": DCAT,
    "foaf": "http://xmlns.com/foaf/0.1/",
}
TITLE = "scokg: a knowledge graph of Shanghai Cooperation Organisation texts"
DESCRIPTION = (
    "States, people, organisations, instruments, events and places named in summit "
    "declarations and press releases of the Shanghai Cooperation Organisation, their "
    "relations, and for every fact the sentence it was extracted from. One named graph per "
    "source document; the default graph of a query is the union of all graphs."
)


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_iri(XSD + "integer"))


class _Graph:
    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(
        self,
        s: ox.NamedNode | ox.BlankNode,
        p: str | ox.NamedNode,
        o: ox.NamedNode | ox.BlankNode | ox.Literal,
    ) -> None:
        predicate = p if isinstance(p, ox.NamedNode) else _iri(p)
        self.triples.append(ox.Triple(s, predicate, o))

    def grouped(self) -> list[ox.Triple]:
        """The triples with each subject's together (in order of first appearance)."""
        order: dict[str, int] = {}
        for t in self.triples:
            order.setdefault(str(t.subject), len(order))
        return sorted(self.triples, key=lambda t: order[str(t.subject)])


def dataset_iri(root: str) -> ox.NamedNode:
    return _iri(root + "void#dataset")


def service_description(root: str, settings: Settings, stats: DatasetStats) -> list[ox.Triple]:
    """The Service Description of the endpoint at ``{root}sparql``."""
    g = _Graph()
    service = ox.BlankNode("service")
    endpoint = _iri(root + "sparql")
    g.add(service, RDF_TYPE, _iri(SD + "Service"))
    g.add(service, SD + "endpoint", endpoint)
    g.add(service, SD + "supportedLanguage", _iri(SD + "SPARQL11Query"))
    g.add(service, SD + "feature", _iri(SD + "UnionDefaultGraph"))
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
        g.add(service, SD + "resultFormat", _iri(fmt.iri))
    g.add(
        service,
        SD + "defaultEntailmentRegime",
        _iri("http://www.w3.org/ns/entailment/Simple"),
    )
    g.add(service, RDFS_LABEL, _en("scokg SPARQL endpoint"))
    g.add(
        service,
        RDFS_COMMENT,
        _en(
            "SPARQL 1.1 Protocol, query operation only (updates are refused). The default "
            "graph is the union of all named graphs unless default-graph-uri, "
            "named-graph-uri or FROM say otherwise. OWL RL entailments are materialised in "
            "the graph <https://w3id.org/scokg/graph/inferred>. SERVICE is not allowed. "
            f"A query may run for {settings.query_time_limit:g} s; a response may be "
            f"{settings.max_result_bytes} bytes long."
        ),
    )
    dataset = dataset_iri(root)
    default_graph = ox.BlankNode("default")
    g.add(service, SD + "defaultDataset", dataset)
    g.add(dataset, RDF_TYPE, _iri(SD + "Dataset"))
    g.add(dataset, SD + "defaultGraph", default_graph)
    g.add(default_graph, RDF_TYPE, _iri(SD + "Graph"))
    g.add(default_graph, VOID + "triples", _int(stats.triples))
    g.add(dataset, RDFS_COMMENT, _en(f"{stats.graphs} named graphs; see {root}void"))
    return g.grouped()


def void_description(
    root: str, stats: DatasetStats, modified: str, example: str | None
) -> list[ox.Triple]:
    """The VoID description of the dataset served at ``root``."""
    g = _Graph()
    dataset = dataset_iri(root)
    g.add(dataset, RDF_TYPE, _iri(VOID + "Dataset"))
    g.add(dataset, DCTERMS + "title", _en(TITLE))
    g.add(dataset, DCTERMS + "description", _en(DESCRIPTION))
    g.add(dataset, DCTERMS + "modified", ox.Literal(modified, datatype=_iri(XSD + "dateTime")))
    g.add(dataset, FOAF_HOMEPAGE, _iri(root))
    g.add(dataset, VOID + "sparqlEndpoint", _iri(root + "sparql"))
    g.add(dataset, VOID + "uriSpace", ox.Literal(str(RES)))
    if example:
        g.add(dataset, VOID + "exampleResource", _iri(example))
    for vocabulary in (
        str(SCO),
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/ns/prov#",
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
        "http://purl.org/dc/terms/",
    ):
        g.add(dataset, VOID + "vocabulary", _iri(vocabulary))
    for dump in DUMPS:
        url = _iri(root + dump.path)
        g.add(dataset, VOID + "dataDump", url)
        g.add(url, DCAT + "mediaType", _iri(IANA + dump.rdf_media_type))
        if dump.gzip:
            g.add(url, DCAT + "compressFormat", _iri(IANA + "application/gzip"))
    g.add(dataset, VOID + "triples", _int(stats.triples))
    g.add(dataset, VOID + "entities", _int(stats.entities))
    g.add(dataset, VOID + "classes", _int(len(stats.classes)))
    g.add(dataset, VOID + "properties", _int(len(stats.properties)))
    g.add(
        dataset,
        RDFS_COMMENT,
        _en(f"{stats.documents} source documents, {stats.graphs} named graphs."),
    )
    for index, partition in enumerate(stats.classes):
        node = ox.BlankNode(f"class{index}")
        g.add(dataset, VOID + "classPartition", node)
        g.add(node, VOID + "class", _iri(partition.iri))
        g.add(node, VOID + "entities", _int(partition.count))
    for index, partition in enumerate(stats.properties):
        node = ox.BlankNode(f"property{index}")
        g.add(dataset, VOID + "propertyPartition", node)
        g.add(node, VOID + "property", _iri(partition.iri))
        g.add(node, VOID + "triples", _int(partition.count))
    return g.grouped()
