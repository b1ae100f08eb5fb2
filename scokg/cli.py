"""The ``scokg`` command line. Commands are wired up here; the work happens in the packages."""

from __future__ import annotations

import sys

import click

from scokg import __version__
from scokg.errors import ScokgError

DEFAULT_STORE = "./var/store"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scokg")
def cli() -> None:
    """Build and serve a knowledge graph of Shanghai Cooperation Organisation texts."""


def main() -> None:
    """Console entry point: run the CLI, turning scokg errors into one line and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except ScokgError as exc:
        click.echo(f"scokg: error: {exc}", err=True)
        sys.exit(exc.exit_code)
