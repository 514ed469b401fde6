"""The Typer app, the options every command shares, and `main`, the entry point.

Exit codes (docs/commands.md, "Exit codes"): 0 ok; 1 the plan has problems or the command
could not be done; 2 an invalid option or argument value; 3 a bug; 130 interrupted.
`main` runs the command without Click's standalone handling and maps every outcome itself, so
the codes and messages do not depend on which Typer (or Click) release is installed.
Heavy libraries (rich tables, docx, git) are imported inside the commands that use them, so
`datracker --help` and `validate` start quickly.
"""

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from datracker import __version__
from datracker.cli.helpformat import DatrackerTyper
from datracker.cli.options import one_of

if TYPE_CHECKING:
    from datracker.plan.store import LoadedPlan


app = DatrackerTyper(
    name="datracker",
    help="Keep a strategy's delivery plan as YAML in git: validate it, record updates, "
    "see RAG changes between reviews and render the board's refresh document.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


PlanDir = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="DIR",
        envvar="DATRACKER_PLAN",
        show_envvar=True,
        help="The plan directory (default: ./plan).",
        show_default=False,
    ),
]


# One name for each kind of output, in every command: `text` for people (`table` is kept as
# an old spelling of it), `json` for machines, `md` for GitHub Markdown.
TEXT_ALIASES = {"table": "text"}


def format_option(
    choices: tuple[str, ...], help: str, hints: Mapping[str, str] | None = None
) -> Any:
    """`--format`/`-f`, declared alike in every command: one of `choices`, checked as it is
    parsed (`table` still read as `text`); `hints` answer a word that is not a choice."""
    return typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=help,
        callback=one_of(choices, TEXT_ALIASES if "text" in choices else None, hints),
        show_default=False,
    )


ListFormatOption = Annotated[
    str,
    format_option(("text", "json", "md"), "text (default), json or md."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"datracker {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """datracker: a delivery-plan and RAG tracker."""


def plan_root(plan_dir: Path | None) -> Path:
    """The plan folder the user means, checked: one message for every command's --plan."""
    from datracker.plan.store import require_plan_dir

    return require_plan_dir(plan_dir)


def load(plan_dir: Path | None) -> "LoadedPlan":
    from datracker.plan.store import load_plan

    return load_plan(plan_root(plan_dir))


def report_unread(loaded: "LoadedPlan", answer: str) -> None:
    """After a partial answer (printed in full for what could be read), say on stderr exactly
    what it leaves out, and exit 1: a count or a table from part of the plan must not pass
    for the whole one."""
    missing = loaded.unread_parts()
    if not missing:
        if loaded.problems:  # nothing left out, but validate has something to say
            typer.echo("note: some plan files have problems; run `datracker validate`", err=True)
        return
    from datracker.core.text import visible

    typer.echo(f"error: part of the plan cannot be read, so {answer} leaves out:", err=True)
    for part in missing:
        typer.echo(f"  {visible(part)}", err=True)
    typer.echo("hint: run `datracker validate` to see every problem, and fix them", err=True)
    raise typer.Exit(1)


def display_prefix(root: Path) -> str:
    """How to name plan files in messages: relative to where the user stands, if possible."""
    try:
        return os.path.relpath(root)
    except ValueError:
        return str(root)


def main(args: Sequence[str] | None = None) -> NoReturn:
    """Entry point: run one command and exit with the code `outcomes` decides for it.

    Tests call it in-process with `args`; the console script calls it with none (sys.argv).
    """
    from datracker.cli.outcomes import run_command

    command = typer.main.get_command(app)
    argv = list(sys.argv[1:] if args is None else args)
    sys.exit(run_command(command, argv))
