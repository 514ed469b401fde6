"""The Typer app, the options every command shares, and the one place exit codes are decided.

Exit codes: 0 ok; 1 problems found or the command could not be done; 2 usage (a wrong option);
3 an unexpected internal error (a bug: please report it); 130 interrupted with Ctrl-C.
Heavy libraries (rich tables, docx, git) are imported inside the commands that use them, so
`datracker --help` and `validate` start quickly.
"""

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from datracker import __version__
from datracker.core.problems import DatrackerError, InvalidValue

if TYPE_CHECKING:
    from datracker.plan.store import LoadedPlan


app = typer.Typer(
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
        envvar="DATRACKER_PLAN",
        show_envvar=True,
        help="The plan directory (default: ./plan).",
        show_default=False,
    ),
]


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"


ListFormatOption = Annotated[
    ListFormat | None,
    typer.Option("--format", "-f", help="table (default), json or md.", show_default=False),
]


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


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


def load(plan_dir: Path | None) -> "LoadedPlan":
    from datracker.plan.store import load_plan, resolve_plan_dir

    return load_plan(resolve_plan_dir(plan_dir))


def display_prefix(root: Path) -> str:
    """How to name plan files in messages: relative to where the user stands, if possible."""
    try:
        return os.path.relpath(root)
    except ValueError:
        return str(root)


def _fail(error: DatrackerError) -> NoReturn:
    from datracker.report.formats import problems_text

    typer.echo(f"error: {error.message}", err=True)
    if error.problems:
        typer.echo(problems_text(error.problems[:20], ""), err=True)
    if error.hint:
        typer.echo(f"hint: {error.hint}", err=True)
    sys.exit(2 if isinstance(error, InvalidValue) else 1)


def main() -> None:
    """Entry point: user errors become a message and exit 1, never a traceback."""
    from datracker.cli.streams import flush_output, is_output_error, output_failed

    try:
        app(prog_name="datracker")
    except SystemExit:
        flush_output()  # stdout on a full disk or a closed pipe fails here: exit 1, not 120
        raise
    except DatrackerError as error:
        _fail(error)
    except KeyboardInterrupt:
        typer.echo("interrupted; nothing was written", err=True)
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly, keep the traceback for the report
        if is_output_error(error):  # not a bug: stdout is a full disk or a closed pipe
            output_failed(error)
        import traceback

        typer.echo(f"internal error: {type(error).__name__}: {error}", err=True)
        typer.echo("this is a bug in datracker; please report it with the lines below", err=True)
        traceback.print_exc()
        sys.exit(3)
