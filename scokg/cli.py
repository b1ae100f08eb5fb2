"""The ``scokg`` command line. Commands are wired up here; the work happens in the packages.

Exit codes: 0 success, 1 the data failed a check (SHACL violations, evaluation below
``--min``), 2 usage or input error. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scokg import __version__
from scokg.errors import QueryError, ScokgError, ValidationFailed
from scokg.settings import DEFAULT_STORE

STORE_HELP = "Store directory (default: ./var/store)."


Command = TypeVar("Command", bound=Callable[..., Any])


def store_option(f: Command) -> Command:
    return click.option(
        "--store",
        "store",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_STORE,
        show_default=True,
        help="Store directory.",
    )(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="scokg")
def cli() -> None:
    """Build and serve a knowledge graph of Shanghai Cooperation Organisation texts.

    Typical use: `scokg build` (the bundled corpus), `scokg serve`, then open
    http://127.0.0.1:5000/ or send SPARQL to http://127.0.0.1:5000/sparql.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes that extract and render documents in parallel (default: one per CPU).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild every graph from scratch instead of rewriting only what changed.",
)
@click.option(
    "--target",
    metavar="URL",
    help="Also write the graphs into this SPARQL 1.1 Graph Store Protocol endpoint "
    "(e.g. http://host:7878/store): the graphs that changed, one PUT per named graph.",
)
def build(
    paths: tuple[Path, ...],
    store: Path,
    quiet: bool,
    workers: int | None,
    full: bool,
    target: str | None,
) -> None:
    """Extract, reason, validate and load documents into the store.

    PATHS are .txt files or folders (searched recursively); without PATHS the bundled
    sample corpus is built. The store is replaced atomically: if a document cannot be read
    or the graph fails SHACL validation, nothing already in the store is lost. A rebuild
    rewrites only the graphs of documents that changed (and is near-instant when nothing
    did); documents no longer given are removed from the store.
    """
    from scokg.graph.build import build as run_build
    from scokg.graph.store import StoreDir

    names = {"extract": "extracting", "render": "rendering and reasoning over"}

    def progress(stage: str, n: int, total: int) -> None:
        if quiet:
            return
        if stage in names:
            tty = sys.stderr.isatty()
            if tty or n == total or n == 1 or n % 100 == 0:
                click.echo(f"\r{names[stage]} {n}/{total} documents", err=True, nl=not tty)
            if tty and n == total:
                click.echo("", err=True)
        elif stage == "load":
            click.echo("loading the store", err=True)

    report = run_build(
        list(paths) or None, StoreDir(store), progress=progress, workers=workers, full=full
    )
    if target:
        from scokg.graph.target import push

        changed = [] if report.unchanged else report.changed_graphs
        pushed = push(StoreDir(store), target, changed, report.removed_graphs)
        if not quiet:
            click.echo(
                f"{target}: sent {pushed.sent} graph(s) ({pushed.triples} triples), "
                f"deleted {pushed.deleted}"
            )
    if quiet:
        return
    if report.unchanged:
        click.echo(
            f"{store} is up to date: {report.documents} document(s) unchanged "
            f"({report.triples} asserted triples, {report.inferred} inferred)"
        )
        return
    entities = ", ".join(f"{n} {t}" for t, n in sorted(report.entities.items()))
    times = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    how = (
        f"rewrote {report.rewritten} document graph(s), removed {report.removed}"
        if report.incremental
        else "full build"
    )
    click.echo(
        f"built {report.documents} document(s) into {store} ({how}): "
        f"{report.triples} asserted triples, {report.inferred} inferred; entities: {entities}"
    )
    click.echo(f"time: {times} (total {report.total_seconds:.1f}s)")
    if report.revalidated is not None:
        click.echo(
            f"validation: the {report.revalidated} node(s) the change touched, with what "
            "they point at; the rest was valid before and did not change"
        )
    if report.rewritten:
        rdf, reasoning, load = (report.work[k] for k in ("rdf", "reasoning", "load"))
        click.echo(
            f"work: rdf {rdf:.1f}s, reasoning {reasoning:.1f}s (worker CPU, summed), "
            f"load {load:.1f}s"
        )
    if report.warnings:
        click.echo(
            f"SHACL: {report.warnings} warning(s); run `scokg validate` to see them", err=True
        )


@cli.command()
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "turtle"]),
    default="human",
    show_default=True,
    help="Report as text or as a SHACL validation report in Turtle.",
)
def validate(store: Path, fmt: str) -> None:
    """Validate the store's graph against the SHACL shapes; exit 1 on violations."""
    from scokg.graph.checks import validate_store
    from scokg.graph.store import StoreDir

    outcome = validate_store(StoreDir(store))
    if fmt == "turtle":
        click.echo(outcome.report.serialize(format="turtle"))
    else:
        click.echo(
            outcome.text
            if not outcome.conforms or outcome.warnings
            else "SHACL: the graph conforms"
        )
    if not outcome.conforms:
        raise ValidationFailed(outcome.text, outcome.violations)


@cli.command()
@click.argument("sparql")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv", "xml", "ttl", "nt"]),
    default="table",
    show_default=True,
    help="Output format (ttl/nt for CONSTRUCT and DESCRIBE).",
)
def query(sparql: str, store: Path, fmt: str) -> None:
    """Run a SPARQL query over the union of all graphs and print the result.

    SPARQL may be the query text or @FILE to read it from a file.
    """
    from scokg.graph.query import run_query
    from scokg.graph.store import StoreDir

    if sparql.startswith("@"):
        try:
            sparql = Path(sparql[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise click.BadParameter(f"cannot read {sparql[1:]}: {exc.strerror}") from exc
    out = run_query(StoreDir(store).open_read_only(), sparql, fmt)
    sys.stdout.buffer.write(out)
    if not out.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


@cli.command()
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]),
    required=True,
    help="ttl/nt/jsonld: the union of all graphs; nq/trig: every named graph.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
def dump(store: Path, fmt: str, output: Path | None) -> None:
    """Export the store as RDF."""
    from scokg.graph.io import dump as run_dump
    from scokg.graph.store import StoreDir

    db = StoreDir(store).open_read_only()
    if output is None:
        run_dump(db, fmt, sys.stdout.buffer)
        return
    tmp = output.with_name(output.name + ".part")
    try:
        fh = tmp.open("wb")
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror or str(exc)) from exc
    try:
        with fh:
            run_dump(db, fmt, fh)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(output)


@cli.command()
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A readable table, or JSON with the same counts.",
)
def stats(store: Path, fmt: str) -> None:
    """Counts of triples, documents, instances per class and uses per property."""
    from scokg.graph.stats import stats as run_stats
    from scokg.graph.store import StoreDir

    s = run_stats(StoreDir(store).open_read_only())
    if fmt == "json":
        click.echo(json.dumps(s.__dict__, indent=2))
        return
    click.echo(f"triples (distinct, all graphs): {s.triples}")
    click.echo(f"quads: {s.quads}   named graphs: {s.graphs}   documents: {s.documents}")
    click.echo("\ninstances per class:")
    for name, n in s.classes:
        click.echo(f"  {n:>8}  {name}")
    click.echo("\ntriples per property:")
    for name, n in s.properties:
        click.echo(f"  {n:>8}  {name}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--graph", help="Named graph IRI for triple formats (default: .../graph/loaded/{file stem})."
)
def load(files: tuple[Path, ...], store: Path, graph: str | None) -> None:
    """Import RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; .gz allowed).

    The format is read from the file extension. The files are added to what the store
    holds, in a new generation: a file that does not parse changes nothing.
    """
    from scokg.graph.io import load_files
    from scokg.graph.store import StoreDir

    added = load_files(list(files), StoreDir(store), graph)
    click.echo(f"loaded {added} quads from {len(files)} file(s) into {store}")


def _register_optional() -> None:
    from scokg.evaluate.command import evaluate_command

    cli.add_command(evaluate_command)
    try:
        from scokg.server.command import serve_command
    except ImportError:  # pragma: no cover - the server package is being written
        return
    cli.add_command(serve_command)


_register_optional()


def main() -> None:
    """Console entry point: run the CLI, turning scokg errors into one line and an exit code."""
    logging.basicConfig(level=logging.WARNING, format="scokg: %(levelname)s: %(message)s")
    logging.getLogger("pyshacl").setLevel(logging.ERROR)
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except ValidationFailed as exc:
        click.echo(exc.report, err=True)
        click.echo(f"scokg: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except ScokgError as exc:
        click.echo(f"scokg: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except (QueryError, SyntaxError) as exc:  # pragma: no cover - mapped in run_query
        click.echo(f"scokg: error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: still one line, the traceback only on request
        if os.environ.get("SCOKG_DEBUG"):
            raise
        click.echo(
            f"scokg: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; set SCOKG_DEBUG=1 to see the traceback)",
            err=True,
        )
        sys.exit(3)
