"""Score a store against a folder of gold files: load, read, align, count."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from scokg.evaluate.align import align
from scokg.evaluate.gold import load_gold_dir
from scokg.evaluate.graph_view import GraphReader
from scokg.evaluate.score import EvaluationReport, score_document


def evaluate(store: ox.Store, gold_dir: Path, *, store_hint: str = "DIR") -> EvaluationReport:
    """Compare the graph in ``store`` with every ``*.gold.json`` file of ``gold_dir``.

    Every gold file is checked before the store is read (a malformed one raises
    :class:`~scokg.errors.InputError`); a gold document the store lacks raises
    :class:`~scokg.evaluate.graph_view.DocumentNotInStore`, whose message suggests
    ``scokg build ... --store <store_hint>``.
    """
    golds = load_gold_dir(Path(gold_dir))
    reader = GraphReader(store)
    documents = []
    for gold in golds:
        graph = reader.read_document(gold.doc_id, gold.document, store_hint)
        documents.append(score_document(gold, graph, align(gold, graph)))
    return EvaluationReport(documents)
