"""``scokg evaluate``: how well the graph matches hand-made gold annotations.

* :mod:`~scokg.evaluate.gold` loads and checks the gold files;
* :mod:`~scokg.evaluate.graph_view` reads one document's entities, names and facts;
* :mod:`~scokg.evaluate.names` says when two names are the same;
* :mod:`~scokg.evaluate.align` pairs graph entities with gold entities;
* :mod:`~scokg.evaluate.score` counts TP/FP/FN (the rules are in its docstring);
* :mod:`~scokg.evaluate.report` prints tables, JSON and ``--explain``;
* :mod:`~scokg.evaluate.command` is the click command.
"""

from scokg.evaluate.report import format_table, report_to_json
from scokg.evaluate.run import evaluate
from scokg.evaluate.score import Counts, DocumentScore, EvaluationReport

__all__ = [
    "Counts",
    "DocumentScore",
    "EvaluationReport",
    "evaluate",
    "format_table",
    "report_to_json",
]
