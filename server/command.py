"""``scokg serve``: serve a store over HTTP (or run one request through the app with --get).

The lead registers ``serve_command`` on the ``scokg`` group; ``python -m
scokg.server.command`` runs it on its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scokg.errors import ScokgError, StoreError, UsageError
from scokg.graph.store import StoreDir
from scokg.server.problems import title
from scokg.server.settings import Settings

DEFAULT_STORE = "./var/store"


class RequestFailed(ScokgError):
    """``serve --get`` got an error status from the app."""


def ensure_graph(store: StoreDir) -> None:
    """Build the bundled corpus into ``store`` when it holds no graph yet."""
    if store.exists():
        return
    try:
        from scokg.graph.build import build
    except ImportError as exc:
        raise StoreError(
            f"{store.root}: no graph here yet, and this installation cannot build one "
            f"({exc}); run `scokg build --store {store.root}` first"
        ) from None
    click.echo(f"scokg: {store.root} holds no graph yet; building the bundled corpus", err=True)
    build(None, store)


def _settings(
    pairs: tuple[tuple[str, str], ...], timeout: float | None, workers: int | None
) -> Settings:
    values: dict[str, object] = dict(pairs)
    if timeout is not None:
        values["query_time_limit"] = timeout
    if workers is not None:
        values["workers"] = workers
    return Settings.from_mapping(values)


@click.command("serve")
@click.option(
    "--store",
    "store_path",
    default=DEFAULT_STORE,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Store directory; the bundled corpus is built into it first if it holds no graph.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port; the address is printed).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Time limit of one SPARQL query in seconds  [default: 30].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes  [default: the number of CPUs].",
)
@click.option(
    "--setting",
    "setting_pairs",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="Set any server setting (see README, 'Server settings'); may be repeated.",
)
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    default=None,
    help="Run one GET request (e.g. '/sparql?query=...') through the app without a "
    "socket, print the body and exit non-zero on an error status.",
)
@click.option(
    "--accept",
    default=None,
    metavar="MEDIA-TYPE",
    help="Accept header to send with --get.",
)
def serve_command(
    store_path: Path,
    host: str,
    port: int,
    timeout: float | None,
    workers: int | None,
    setting_pairs: tuple[tuple[str, str], ...],
    get_path: str | None,
    accept: str | None,
) -> None:
    """Serve the graph over HTTP: SPARQL endpoint, dumps and Linked Data pages."""
    settings = _settings(setting_pairs, timeout, workers)
    store = StoreDir(store_path)
    if accept is not None and get_path is None:
        raise UsageError("--accept only goes with --get")
    ensure_graph(store)
    if get_path is not None:
        _get(store_path, settings, get_path, accept)
        return
    from scokg.server.run import serve

    def ready(url: str) -> None:
        click.echo(f"scokg: serving {store_path} at {url} (SPARQL endpoint: {url}sparql)")
        click.echo("scokg: press Ctrl-C to stop")
        sys.stdout.flush()

    serve(store_path, settings, host, port, on_ready=ready)


def _get(store_path: Path, settings: Settings, path: str, accept: str | None) -> None:
    from scokg.server.app import create_app

    if not path.startswith("/"):
        raise UsageError(f"--get takes a path starting with '/', not {path!r}")
    config = {name: getattr(settings, name) for name in Settings.names()}
    app = create_app(store_path, config)
    try:
        with app.test_client() as client:
            response = client.get(path, headers={"Accept": accept} if accept else {})
            body = response.get_data()
    finally:
        app.extensions["scokg"].executor.close()
    sys.stdout.buffer.write(body)
    sys.stdout.flush()
    if response.status_code >= 400:
        raise RequestFailed(
            f"GET {path} answered {response.status_code} {title(response.status_code)}"
        )


def main() -> None:
    """Run ``serve`` as a program of its own, with scokg's exit codes."""
    try:
        serve_command.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except ScokgError as exc:
        click.echo(f"scokg: error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
