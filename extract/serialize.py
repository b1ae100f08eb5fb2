"""A document's extraction as JSON, so that an unchanged document is not extracted again.

The cache key is the document's SHA-256 together with a fingerprint of everything that
decides what extraction yields (the package version and every file under extract/ and
extract/data/); change the code or a word list and every document is extracted afresh.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from scokg import __version__
from scokg.extract.model import DocumentExtraction, Entity, Fact, Mention, Sentence, Stance

FORMAT = 1


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
    """Extractions on disk, one JSON file per (document, fingerprint)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        return self.root / extractor_fingerprint() / f"{sha256}.json"

    def get(self, sha256: str, doc_id: str, path: str) -> DocumentExtraction | None:
        try:
            data = json.loads(self._path(sha256).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        doc = from_json(data)
        doc.doc_id, doc.path = doc_id, path  # the same text may sit in another file
        return doc

    def put(self, doc: DocumentExtraction) -> None:
        target = self._path(doc.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(to_json(doc), ensure_ascii=False), encoding="utf-8")
        tmp.replace(target)
