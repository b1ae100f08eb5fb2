"""Where the data files installed with the package live (ontology, shapes, corpus, gazetteer)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(package: str) -> Path:
    return Path(str(resources.files(package)))


def ontology_path() -> Path:
    """The OWL ontology in Turtle."""
    return _folder("scokg.ontology") / "scokg.ttl"


def shapes_path() -> Path:
    """The SHACL shapes in Turtle."""
    return _folder("scokg.shapes") / "scokg.ttl"


def corpus_dir() -> Path:
    """The bundled sample corpus: the default input of ``scokg build``."""
    return _folder("scokg.corpus")


def extract_data_dir() -> Path:
    """Gazetteers, word lists and the verified Wikidata reference table."""
    return _folder("scokg.extract") / "data"
