"""A document's extraction on disk, so that an unchanged document is not extracted again.

Cache files are pickles (several times faster to write and read than JSON of the same
dataclasses); they live in the store's own ``.cache`` folder and are only ever read by the
build that owns the store. ``to_json``/``from_json`` give the same extraction as JSON.

The cache key is the document's SHA-256 together with a fingerprint of everything that
decides what extraction yields (the package version and every file under extract/ and
extract/data/); change the code or a word list and every document is extracted afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from scokg import __version__
from scokg.extract.model import DocumentExtraction, Entity, Fact, Mention, Sentence, Stance

FORMAT = 3  # 3: slotted dataclasses


@cache
def extractor_fingerprint() -> str:
    """A hash of the extractor's code and data: equal fingerprints extract alike."""
    digest = hashlib.sha256(f"{__version__}/{FORMAT}".encode())
    root = Path(__file__).parent
    files = (p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".tsv", ".txt"})
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def to_json(doc: DocumentExtraction) -> dict[str, Any]:
    return asdict(doc)


def from_json(data: dict[str, Any]) -> DocumentExtraction:
    entities = {}
    for key, e in data["entities"].items():
        mentions = [Mention(**m) for m in e.pop("mentions")]
        entities[key] = Entity(**e, mentions=mentions)
    return DocumentExtraction(
        doc_id=data["doc_id"],
        path=data["path"],
        sha256=data["sha256"],
        title=data["title"],
        date=data["date"],
        sentences=[Sentence(**s) for s in data["sentences"]],
        entities=entities,
        facts=[Fact(**f) for f in data["facts"]],
        stances=[Stance(**s) for s in data["stances"]],
    )


class ExtractionCache:
    """Extractions on disk, one pickle per (document, fingerprint)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        return self.root / extractor_fingerprint() / f"{sha256}.pickle"

    def get(self, sha256: str, doc_id: str, path: str) -> DocumentExtraction | None:
        try:
            doc = pickle.loads(self._path(sha256).read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError):
            return None
        if not isinstance(doc, DocumentExtraction):
            return None
        doc.doc_id, doc.path = doc_id, path  # the same text may sit in another file
        return doc

    def put(self, doc: DocumentExtraction) -> None:
        target = self._path(doc.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        # one temporary name per process: two workers may extract the same text at once
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(target)
