"""The documentation says what the code does: a command, option or example missing from the
README, or a CI script that does not run the README's test command, fails here."""

from __future__ import annotations

import re
from pathlib import Path

import click

from scokg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """The shell commands of the README's first code blocks (the two quick-start lines)."""
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_opens_with_the_two_commands() -> None:
    serve, test = readme_commands()[:2]
    assert "pip install -e ." in serve and serve.endswith("scokg serve")
    assert "pip install -e '.[test]'" in test and test.endswith("python -m pytest")
    assert README.index(serve) < README.index("## ")


def test_ci_runs_the_readme_test_command() -> None:
    test = readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_every_command_and_option_is_in_the_readme() -> None:
    for name, command in cli.commands.items():
        assert f"scokg {name}" in README, name
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                long = [o for o in param.opts if o.startswith("--")]
                if long and long[0] not in {"--help"}:
                    assert long[0] in README or name == "serve", f"{name} {long[0]}"


def test_every_example_query_is_in_the_readme() -> None:
    for path in sorted((ROOT / "server" / "queries").glob("*.rq")):
        assert path.name in README, path.name


def test_every_data_file_of_the_extractor_says_what_it_covers() -> None:
    for path in sorted((ROOT / "extract" / "data").glob("*")):
        if path.suffix in {".tsv", ".txt"} and path.name != "wikidata.tsv":
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("#"), f"{path.name} starts without a comment saying what it is"
