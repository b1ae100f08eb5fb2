"""Extracting many documents: in parallel worker processes, each document only once.

A document whose text and extractor are unchanged since the last build is read back from
the extraction cache (extract/serialize.py) instead of being extracted again. The rest are
extracted by a pool of processes, one per CPU by default, in a stable order so a build's
result does not depend on scheduling.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from scokg.errors import InputError
from scokg.extract.document import extract_text
from scokg.extract.model import DocumentExtraction
from scokg.extract.serialize import ExtractionCache
from scokg.extract.text import read_document

Progress = Callable[[str, int, int], None]
# Below this many documents a pool costs more than it saves.
POOL_THRESHOLD = 8


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_JOB_CACHE: ExtractionCache | None = None  # set in the parent before the pool forks
_JOB_LIGHT = False


def _extract(job: tuple[str, str]) -> DocumentExtraction | tuple[str, str]:
    """Extract one document; an unreadable one comes back as (path, reason). With a cache the
    worker writes the full extraction there itself and, if light, sends back only what
    resolution needs, so the parent neither serialises nor unpickles the sentences."""
    path, text = job
    doc = extract_text(text, Path(path).stem, path)
    if _JOB_CACHE is not None:
        _JOB_CACHE.put(doc)
        if _JOB_LIGHT:
            doc = _light(doc)
    return doc


def _light(doc: DocumentExtraction) -> DocumentExtraction:
    """What cross-document resolution needs of a document: no sentences, no stances, and of
    each entity's mentions only the first (resolution asks only whether there is one)."""
    for entity in doc.entities.values():
        del entity.mentions[1:]
    return replace(doc, sentences=[], stances=[])


def extract_documents(
    paths: Sequence[Path],
    *,
    cache: ExtractionCache | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    light: bool = False,
    texts: Sequence[tuple[Path, str, str]] | None = None,
) -> list[DocumentExtraction]:
    """Extract every document (cache first, then a process pool); raise InputError for the
    first document that cannot be read, before any work on the others is wasted.

    With ``light`` (and a cache) the documents come back with only what cross-document
    resolution needs (``_light``), so that memory does not grow with the size of the texts;
    the full extraction stays in the cache. ``texts`` gives the
    documents already read, as (path, text, sha256) - a build has read them to hash them."""
    global _JOB_CACHE, _JOB_LIGHT
    if texts is None:
        texts = []
        for path in paths:
            text = read_document(path)  # raises InputError naming the file
            texts.append((path, text, hashlib.sha256(text.encode("utf-8")).hexdigest()))
    results: dict[Path, DocumentExtraction] = {}
    todo: list[tuple[Path, str]] = []
    for path, text, sha in texts:
        cached = cache.get(sha, path.stem, str(path)) if cache is not None else None
        if cached is not None:
            results[path] = _light(cached) if light else cached
        else:
            todo.append((path, text))
    done = len(results)
    total = len(texts)
    if progress and done:
        progress("extract", done, total)
    workers = workers or default_workers()
    jobs = [(str(path), text) for path, text in todo]
    _JOB_CACHE, _JOB_LIGHT = cache, light and cache is not None
    try:
        if workers > 1 and len(jobs) >= POOL_THRESHOLD:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                results_iter = pool.imap(_extract, jobs, chunksize=4)
                for (path, _), result in zip(todo, results_iter, strict=True):
                    done += 1
                    results[path] = _checked(path, result)
                    if progress:
                        progress("extract", done, total)
        else:
            for (path, _), job in zip(todo, jobs, strict=True):
                done += 1
                results[path] = _checked(path, _extract(job))
                if progress:
                    progress("extract", done, total)
    finally:
        _JOB_CACHE, _JOB_LIGHT = None, False
    return [results[path] for path, _, _ in texts]


def _checked(path: Path, result: DocumentExtraction | tuple[str, str]) -> DocumentExtraction:
    if isinstance(result, tuple):
        raise InputError(path, result[1])
    return result
