"""``scokg evaluate``: score the graph in a store against gold annotation files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scokg.errors import BelowThreshold
from scokg.evaluate.report import format_table, report_to_json
from scokg.evaluate.run import evaluate
from scokg.graph.store import StoreDir

# The same default as every other command (SPEC.md); kept here to avoid importing scokg.cli.
DEFAULT_STORE = "./var/store"


@click.command("evaluate")
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of *.gold.json annotation files (format: the gold GUIDELINES.md).",
)
@click.option(
    "--store",
    "store_dir",
    default=DEFAULT_STORE,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Store directory built by `scokg build`.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="After the table, list per document every miss, false hit and type mismatch.",
)
@click.option(
    "--min",
    "min_f1",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    metavar="F",
    help="Exit with status 1 when the overall (micro) F1 is below F (0 to 1).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A readable table, or JSON with the per-document breakdown and findings.",
)
def evaluate_command(
    gold_dir: Path, store_dir: Path, explain: bool, min_f1: float | None, output_format: str
) -> None:
    """Precision, recall and F1 per entity type and fact kind against gold files.

    Every gold document must be in the store. Rows with nothing to count show "-".
    """
    store = StoreDir(store_dir).open_read_only()
    report = evaluate(store, gold_dir, store_hint=str(store_dir))
    if output_format == "json":
        click.echo(json.dumps(report_to_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo(format_table(report, explain=explain), nl=False)
    if min_f1 is not None:
        f1 = report.micro.f1
        if f1 is None or f1 < min_f1:
            shown = "undefined (nothing to count)" if f1 is None else f"{f1:.3f}"
            raise BelowThreshold(f"overall F1 {shown} is below --min {min_f1:g}")
