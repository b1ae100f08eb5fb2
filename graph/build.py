"""``scokg build``: documents -> extraction -> resolution -> RDF -> OWL RL -> SHACL -> store.

1. every document is read and hashed; if neither the documents nor the pipeline (extractor,
   ontology, shapes) changed since the last build, there is nothing to do;
2. documents are extracted in parallel, each only once (an extraction cache keyed by the
   text and the extractor's fingerprint);
3. entities are resolved across all documents;
4. each document's graph is rendered to N-Quads and reasoned over on its own, in parallel,
   with the ontology's closure compiled once (graph/render.py, graph/closure.py);
5. a new store generation is written - from scratch, or as a cheap copy of the current one
   in which only the graphs that changed are rewritten - and validated against the shapes;
   only a valid generation replaces the current one, atomically (graph/store.py).

A bad document or a failed validation leaves the previous graph intact.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Graph

from scokg import __version__
from scokg.errors import InputError, ValidationFailed
from scokg.extract.document import extract_document
from scokg.extract.model import DocumentExtraction
from scokg.extract.resolve import ResolvedCorpus, resolve
from scokg.extract.serialize import ExtractionCache, extractor_fingerprint
from scokg.graph.checks import validate_generation
from scokg.graph.closure import OntologyClosure, compiled_closure
from scokg.graph.extraction import default_workers, extract_documents
from scokg.graph.inferred_update import update_inferred
from scokg.graph.memory import release_free_memory
from scokg.graph.rdf import corpus_dataset, prepare_positions
from scokg.graph.render import (
    DocumentSource,
    Rendered,
    render_documents,
    render_entities,
    statement,
)
from scokg.graph.store import Manifest, StoreDir
from scokg.graph.validate_changes import (
    ChangeSet,
    CheckedChange,
    validate_changes,
    warnings_by_focus,
)
from scokg.resources import corpus_dir, ontology_path, shapes_path
from scokg.vocab import (
    ENTITIES_GRAPH,
    GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    RESERVED_GRAPH_NAMES,
    document_graph,
)

Progress = Callable[[str, int, int], None]
WORK_STAGES = ("rdf", "reasoning", "load")

# A document id (the file name without its extension) goes into IRIs as it is
# (docs/data-model.md): letters, digits, "_", "-" and "." only, so that it needs no escaping.
DOCUMENT_ID = re.compile(r"[\w.-]+")


@dataclass
class BuildReport:
    documents: int = 0
    triples: int = 0
    inferred: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: int = 0
    unchanged: bool = False  # nothing to do: the store already holds this build
    rewritten: int = 0  # document graphs written (all of them in a full build)
    removed: int = 0  # document graphs removed
    incremental: bool = False
    # Inside the pipelined "rdf+reasoning+load" stage: seconds the workers spent making RDF
    # and reasoning (CPU time, summed over workers) and the store spent loading.
    work: dict[str, float] = field(default_factory=lambda: dict.fromkeys(WORK_STAGES, 0.0))
    changed_graphs: list[str] = field(default_factory=list)  # graph IRIs written
    removed_graphs: list[str] = field(default_factory=list)  # graph IRIs removed
    # Focus nodes validated again when only what changed was validated; None: all of them.
    revalidated: int | None = None

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def find_documents(paths: Sequence[Path] | None) -> list[Path]:
    """The .txt files named, or found (recursively) in the folders named; the bundled corpus
    when no path is given."""
    if not paths:
        paths = [corpus_dir()]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(path, "no such file or folder")
    if not found:
        raise InputError(", ".join(map(str, paths)), "no .txt documents found")
    seen: dict[str, Path] = {}
    for path in found:
        stem = path.stem
        if not DOCUMENT_ID.fullmatch(stem):
            raise InputError(
                path,
                f"the document id {stem!r} cannot be used in an IRI; rename the file "
                "(letters, digits, '-', '_' and '.' only)",
            )
        if stem in RESERVED_GRAPH_NAMES:
            raise InputError(path, f"the document id {stem!r} is reserved; rename the file")
        if stem in seen and seen[stem].resolve() != path.resolve():
            raise InputError(path, f"two documents share the id {stem!r} (also {seen[stem]})")
        seen[stem] = path
    return list(dict.fromkeys(seen.values()))


def extract_all(
    paths: Iterable[Path], progress: Progress | None = None
) -> list[DocumentExtraction]:
    paths = list(paths)
    out = []
    for n, path in enumerate(paths, 1):
        if progress:
            progress("extract", n, len(paths))
        out.append(extract_document(path))
    return out


def asserted_dataset(corpus: ResolvedCorpus) -> Dataset:
    return corpus_dataset(corpus)


def union_graph(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def build(
    paths: Sequence[Path] | None,
    store: StoreDir,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
    full: bool = False,
) -> BuildReport:
    """Build the graph of the documents at ``paths`` (default: the bundled corpus) into
    ``store``. Raises InputError for unreadable documents and ValidationFailed when the
    graph violates the shapes; in both cases the store is left as it was. The store's
    writer lock is taken first, so a second writer is refused before any work is done.
    ``full`` rebuilds from scratch even when an incremental build is possible."""
    with store.lock():
        return _build(paths, store, progress, workers or default_workers(), full)


def pipeline_fingerprint() -> str:
    """Changes whenever a build of the same documents could give a different graph."""
    digest = hashlib.sha256(extractor_fingerprint().encode())
    digest.update(__version__.encode())
    for path in (ontology_path(), shapes_path()):
        digest.update(path.read_bytes())
    digest.update(Path(__file__).with_name("rdf.py").read_bytes())
    return digest.hexdigest()[:16]


def _read_files(files: Sequence[Path]) -> list[tuple[Path, str, str]]:
    """(path, text, sha256) of every document; InputError for the first unreadable one."""
    from scokg.extract.text import read_document

    out = []
    for path in files:
        text = read_document(path)  # raises InputError naming the file
        out.append((path, text, hashlib.sha256(text.encode("utf-8")).hexdigest()))
    return out


def _build(
    paths: Sequence[Path] | None,
    store: StoreDir,
    progress: Progress | None,
    workers: int,
    full: bool,
) -> BuildReport:
    report = BuildReport()
    clock = time.perf_counter()
    files = find_documents(paths)
    texts = _read_files(files)
    hashes = {path.stem: (path, sha) for path, _, sha in texts}
    report.documents = len(files)
    fingerprint = pipeline_fingerprint()
    previous = store.manifest() if store.exists() else None
    same_pipeline = previous is not None and previous.extra.get("fingerprint") == fingerprint
    if same_pipeline and not full and previous is not None:
        before = {doc_id: info.get("sha256") for doc_id, info in previous.documents.items()}
        if before == {doc_id: sha for doc_id, (_, sha) in hashes.items()}:
            report.unchanged = True
            report.triples = previous.counts.get("asserted", 0) + previous.counts.get("ontology", 0)
            report.inferred = previous.counts.get("inferred", 0)
            report.seconds["check"] = time.perf_counter() - clock
            return report

    caches = store.root / ".cache"
    extractions = ExtractionCache(caches / "extractions")
    docs = extract_documents(
        files, cache=extractions, workers=workers, progress=progress, light=True, texts=texts
    )
    del texts
    report.seconds["extraction"] = time.perf_counter() - clock

    clock = time.perf_counter()
    closure = compiled_closure()
    corpus = resolve(docs)
    prepare_positions(corpus)
    keys = [_graph_key(corpus, doc) for doc in docs]
    entities = render_entities(corpus, closure)  # the entities graph: needed by both paths
    for doc in docs:  # rendering reads each document from the extraction cache from here on
        doc.entities, doc.facts = {}, []
    report.seconds["resolution"] = time.perf_counter() - clock

    def source(index: int) -> DocumentExtraction:
        doc = docs[index]
        return extractions.get(doc.sha256, doc.doc_id, doc.path) or extract_document(Path(doc.path))

    inferred_cache = InferredCache(caches / "inferred")
    incremental = same_pipeline and not full and previous is not None
    caches.mkdir(parents=True, exist_ok=True)
    with (
        store.new_generation(copy_current=incremental, locked=True, compact=False) as gen,
        tempfile.TemporaryDirectory(dir=caches) as scratch,
    ):
        db = gen.store
        clock = time.perf_counter()
        # What the documents entail waits in a file until the asserted graphs are validated:
        # the validator then reads the store's union graph, which is fast, and sees only them.
        entailed = Path(scratch) / "inferred.nt"
        with entailed.open("wb") as out:
            plan = _Plan(
                corpus, entities, keys, closure, source, inferred_cache, workers, out, progress,
                report.work,
            )  # fmt: skip
            inferred_cache.put(_entities_key(entities.digest), entities.inferred)
            if incremental and previous is not None:
                update = _update(db, previous, plan)
                changed = update.changed
                report.incremental = True
                # Only what the change touched is validated again, and the inferred graph
                # changed by difference, when the previous generation says enough for that.
                checked = _check_changes(db, previous, update)
                if checked is None:
                    _defer_derived(db, plan)
            else:
                changed = _load_all(db, plan, store)
                update, checked = None, None
        report.rewritten = len([c for c in changed if c != str(ENTITIES_GRAPH)])
        gone = sorted(set(previous.documents) - set(hashes)) if previous else []
        report.removed = len(gone)
        report.changed_graphs = changed
        report.removed_graphs = [str(document_graph(doc_id)) for doc_id in gone]
        report.seconds["rdf+reasoning+load"] = time.perf_counter() - clock

        clock = time.perf_counter()
        if checked is not None:
            outcome, warnings = checked.outcome, checked.warnings
            report.revalidated = checked.nodes
        else:
            release_free_memory()  # what extraction and rendering freed, before the queries
            outcome = validate_generation(db)
            warnings = warnings_by_focus(outcome)
        report.seconds["validation"] = time.perf_counter() - clock
        report.warnings = outcome.warnings
        if not outcome.conforms:
            raise ValidationFailed(outcome.text, outcome.violations)

        clock = time.perf_counter()
        if checked is not None and update is not None:
            update.inferred_delta = _change_inferred(db, update, plan)
        else:
            _load_derived(db, entailed)
        report.seconds["rdf+reasoning+load"] += time.perf_counter() - clock
        report.work["load"] += time.perf_counter() - clock

        clock = time.perf_counter()  # counting, compacting and switching to the new generation
        if checked is not None and update is not None and previous is not None:
            counts = _counts_after(previous.counts, update)  # a whole count reads every quad
        else:
            counts = _graph_counts(db)
        gen.manifest.scokg_version = __version__
        gen.manifest.documents = {
            d.doc_id: {"file": d.path, "sha256": d.sha256, "title": d.title, "graph": key}
            for d, key in zip(docs, keys, strict=True)
        }
        gen.manifest.extra["fingerprint"] = fingerprint
        gen.manifest.extra["entities"] = entities.digest
        gen.manifest.extra["warnings"] = warnings
        gen.manifest.counts = counts
        report.triples = counts["asserted"] + counts["ontology"]
        report.inferred = counts["inferred"]
        kinds: dict[str, int] = {}
        for ent in corpus.entities.values():
            kinds[ent.type] = kinds.get(ent.type, 0) + 1
        report.entities = kinds
    report.seconds["commit"] = time.perf_counter() - clock
    return report


def _graph_key(corpus: ResolvedCorpus, doc: DocumentExtraction) -> str:
    """What a document's graph depends on: its text and the identifiers resolution gave
    its entities and posts. Equal keys give equal graphs, so the graph is not rendered again."""
    ids = corpus.ids[doc.doc_id]
    digest = hashlib.sha256(doc.sha256.encode())
    for local, slug in sorted(ids.items()):
        digest.update(f"{local}={slug};".encode())
    for fact in doc.facts:
        if fact.kind == "position" and fact.title and fact.object in ids:
            digest.update(corpus.position(fact.title, ids[fact.object]).slug.encode())
    return digest.hexdigest()[:32]


class InferredCache:
    """What each document graph entails, by graph key, for incremental builds."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, key: str) -> bytes | None:
        try:
            return (self.root / f"{key}.nt").read_bytes()
        except OSError:
            return None

    def put(self, key: str, statements: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{key}.tmp"
        tmp.write_bytes(statements)
        tmp.replace(self.root / f"{key}.nt")


BATCH_BYTES = 32_000_000


@dataclass
class _Plan:
    """What a new generation is written from, by ``_load_all`` or ``_update``."""

    corpus: ResolvedCorpus
    entities: Rendered  # the entities graph
    keys: Sequence[str]  # graph key of each document, in corpus order
    closure: OntologyClosure
    source: DocumentSource
    inferred_cache: InferredCache
    workers: int
    entailed: BinaryIO  # receives what every graph entails, as N-Triples
    progress: Progress | None
    work: dict[str, float]  # BuildReport.work, added to


def _load_all(db: ox.Store, plan: _Plan, store: StoreDir) -> list[str]:
    """A generation from scratch: every graph, streamed in bulk batches; data added with
    `scokg load` kept. Returns the graphs written."""
    corpus, entities, keys, closure = plan.corpus, plan.entities, plan.keys, plan.closure
    inferred_cache, entailed, work = plan.inferred_cache, plan.entailed, plan.work
    source, workers, progress = plan.source, plan.workers, plan.progress
    written: list[str] = []
    batch: list[bytes] = []
    size = 0
    indices = range(len(corpus.documents))
    for index, rendered in render_documents(
        corpus, closure, source, indices, workers=workers, progress=progress
    ):
        inferred_cache.put(keys[index], rendered.inferred)
        entailed.write(rendered.inferred)
        work["rdf"] += rendered.rdf_seconds
        work["reasoning"] += rendered.reasoning_seconds
        batch.append(rendered.nquads)
        size += len(rendered.nquads)
        written.append(rendered.name)
        if size > BATCH_BYTES:
            clock = time.perf_counter()
            db.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
            work["load"] += time.perf_counter() - clock
            batch, size = [], 0
    if progress:
        progress("load", 0, 1)
    entailed.write(entities.inferred)
    batch.append(entities.nquads)
    clock = time.perf_counter()
    db.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
    _keep_loaded_graphs(db, store)
    work["load"] += time.perf_counter() - clock
    return [*written, entities.name]


def _load_derived(db: ox.Store, entailed: Path) -> None:
    """The ontology and the inferred graph (N-Triples in ``entailed``), added once the
    asserted graphs have been validated."""
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    db.bulk_load(path=str(entailed), format=ox.RdfFormat.N_TRIPLES, to_graph=inferred)
    db.bulk_load(
        path=str(ontology_path()),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)),
    )
    _drop_asserted_from_inferred(db)


LOADED = str(GRAPH["loaded/"])


def _keep_loaded_graphs(db: ox.Store, store: StoreDir) -> None:
    """Reference data added with `scokg load` survives a full rebuild."""
    if not store.exists():
        return
    old = store.open_read_only()
    for graph in old.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(LOADED):
            db.bulk_extend(old.quads_for_pattern(None, None, None, graph))


def _loaded_quads(db: ox.Store) -> int:
    return sum(
        len(list(db.quads_for_pattern(None, None, None, g)))
        for g in db.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value.startswith(LOADED)
    )


def _graph_counts(db: ox.Store) -> dict[str, int]:
    """Quads per kind of graph: asserted (documents and entities), ontology, inferred."""
    counts = {"asserted": 0, "ontology": 0, "inferred": 0, "loaded": 0}
    rows = db.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    for row in rows:  # type: ignore[union-attr]
        name, n = row["g"].value, int(row["n"].value)
        if name == str(ONTOLOGY_GRAPH):
            counts["ontology"] += n
        elif name == str(INFERRED_GRAPH):
            counts["inferred"] += n
        elif name.startswith(LOADED):
            counts["loaded"] += n
        else:
            counts["asserted"] += n
    return counts


def _drop_asserted_from_inferred(db: ox.Store) -> None:
    """What one graph entails another may state (the entities graph states every type):
    such triples are asserted, not inferred."""
    db.update(
        f"DELETE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }} "
        f"WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(?g != <{INFERRED_GRAPH}>) }}"
    )


def _statements(db: ox.Store, graph: ox.NamedNode) -> dict[str, ox.Quad]:
    return {
        f"{q.subject} {q.predicate} {q.object} .": q
        for q in db.quads_for_pattern(None, None, None, graph)
    }


def _replace_by_diff(
    db: ox.Store, graph: ox.NamedNode, wanted: set[str]
) -> tuple[list[ox.Quad], int]:
    """Make ``graph`` hold exactly ``wanted`` (N-Triples statements), touching only the
    triples that differ; returns the quads removed and added, and the change in size."""
    present = _statements(db, graph)
    gone = [q for s, q in present.items() if s not in wanted]
    new = [s for s in wanted if s not in present]
    for quad in gone:
        db.remove(quad)
    added: list[ox.Quad] = []
    if new:
        name = f"<{graph.value}>"
        data = "".join(f"{s[:-2]} {name} .\n" for s in new)
        added = list(ox.parse(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
        db.extend(added)
    return [*gone, *added], len(added) - len(gone)


def _entities_key(digest: str) -> str:
    """The inferred cache's key for what an entities graph entails."""
    return f"entities-{digest}"


@dataclass
class _Update:
    """What ``_update`` changed: the graphs written, the asserted triples added or removed,
    and what the graphs it touched entailed before (``before``, ``None`` when the cache no
    longer has it) and entail now (``after``)."""

    changed: list[str] = field(default_factory=list)
    changes: ChangeSet = field(default_factory=ChangeSet)
    before: list[bytes] | None = field(default_factory=list)
    after: list[bytes] = field(default_factory=list)
    rendered: set[int] = field(default_factory=set)  # indices of the documents rendered
    asserted_delta: int = 0  # asserted quads added less those removed
    inferred_delta: int = 0  # inferred triples added less those removed

    def entailed_before(self, statements: bytes | None) -> None:
        if statements is None:
            self.before = None
        elif self.before is not None:
            self.before.append(statements)


def _update(db: ox.Store, previous: Manifest, plan: _Plan) -> _Update:
    """Turn a copy of the previous generation into this build's asserted graphs: render and
    rewrite only the document graphs whose key changed, drop those of removed documents and
    change the entities graph triple by triple. The ontology and inferred graphs are left as
    they were (``_change_inferred`` or ``_defer_derived`` deal with them)."""
    corpus, entities, keys, closure = plan.corpus, plan.entities, plan.keys, plan.closure
    inferred_cache, work = plan.inferred_cache, plan.work
    source, workers, progress = plan.source, plan.workers, plan.progress
    update = _Update()
    docs = corpus.documents
    now = {d.doc_id for d in docs}
    for doc_id in set(previous.documents) - now:
        name = ox.NamedNode(str(document_graph(doc_id)))
        update.entailed_before(inferred_cache.get(previous.documents[doc_id].get("graph", "")))
        if db.contains_named_graph(name):
            gone = list(db.quads_for_pattern(None, None, None, name))
            update.changes.add_quads(gone)
            update.asserted_delta -= len(gone)
            db.remove_graph(name)
    stale = [
        i
        for i, doc in enumerate(docs)
        if previous.documents.get(doc.doc_id, {}).get("graph") != keys[i]
        or inferred_cache.get(keys[i]) is None
    ]
    for index, rendered in render_documents(
        corpus, closure, source, stale, workers=workers, progress=progress
    ):
        name = ox.NamedNode(rendered.name)
        doc_id = docs[index].doc_id
        if doc_id in previous.documents:
            old_key = previous.documents[doc_id].get("graph", "")
            # the same key is the same graph (rendered again for a lost cache entry)
            same = old_key == keys[index]
            update.entailed_before(rendered.inferred if same else inferred_cache.get(old_key))
        old = set(db.quads_for_pattern(None, None, None, name))
        if old:
            db.remove_graph(name)
        clock = time.perf_counter()
        db.load(rendered.nquads, format=ox.RdfFormat.N_QUADS)
        work["load"] += time.perf_counter() - clock
        new = set(db.quads_for_pattern(None, None, None, name))
        update.changes.add_quads(old ^ new)
        update.asserted_delta += len(new) - len(old)
        work["rdf"] += rendered.rdf_seconds
        work["reasoning"] += rendered.reasoning_seconds
        inferred_cache.put(keys[index], rendered.inferred)
        update.after.append(rendered.inferred)
        update.rendered.add(index)
        update.changed.append(rendered.name)
    if previous.extra.get("entities") != entities.digest:
        update.entailed_before(
            inferred_cache.get(_entities_key(previous.extra.get("entities", "")))
        )
        update.after.append(entities.inferred)
        wanted = {statement(line) for line in entities.nquads.decode("utf-8").splitlines(True)}
        differ, delta = _replace_by_diff(db, ox.NamedNode(str(ENTITIES_GRAPH)), wanted)
        update.asserted_delta += delta
        if differ:
            update.changes.add_quads(differ)
            update.changed.append(str(ENTITIES_GRAPH))
    return update


def _check_changes(db: ox.Store, previous: Manifest, update: _Update) -> CheckedChange | None:
    """Validate what the update touched, or ``None`` when the whole store must be validated
    (a generation built before the warnings were recorded, entailments no longer cached, a
    change the narrow check cannot judge)."""
    warnings = previous.extra.get("warnings")
    if not isinstance(warnings, dict) or update.before is None:
        return None
    return validate_changes(db, update.changes, warnings)


def _change_inferred(db: ox.Store, update: _Update, plan: _Plan) -> int:
    """The inferred graph brought up to date by difference (see graph/inferred_update.py);
    returns the change in its size."""
    assert update.before is not None
    unchanged = (
        plan.inferred_cache.get(key) or b""
        for i, key in enumerate(plan.keys)
        if i not in update.rendered
    )
    added, removed = update_inferred(db, update.before, update.after, update.changes, unchanged)
    return added - removed


def _counts_after(before: dict[str, int], update: _Update) -> dict[str, int]:
    """The quads per kind of graph after an update, from the counts before it."""
    counts = dict(before)
    counts["asserted"] = counts.get("asserted", 0) + update.asserted_delta
    counts["inferred"] = counts.get("inferred", 0) + update.inferred_delta
    return counts


def _defer_derived(db: ox.Store, plan: _Plan) -> None:
    """Drop the ontology and inferred graphs and write what every graph entails to
    ``plan.entailed``, for ``_load_derived`` after a whole validation."""
    plan.entailed.write(plan.entities.inferred)
    for key in plan.keys:
        plan.entailed.write(plan.inferred_cache.get(key) or b"")
    for derived in (INFERRED_GRAPH, ONTOLOGY_GRAPH):
        db.remove_graph(ox.NamedNode(str(derived)))
