"""The command line: parse, call the core, print, choose the exit code. Nothing else lives here.

Exit codes: 0 ok; 1 problems found or the command could not be done; 2 usage (a wrong option);
3 an unexpected internal error (a bug: please report it); 130 interrupted with Ctrl-C.
Heavy libraries (rich tables, docx, git) are imported inside the commands that use them, so
`datracker --help` and `validate` start quickly.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from datracker import __version__
from datracker.problems import DatrackerError, has_errors

if TYPE_CHECKING:
    from datracker.models import Action, Plan, PriorityFile
    from datracker.store import LoadedPlan

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


def _load(plan_dir: Path | None) -> LoadedPlan:
    from datracker.store import load_plan, resolve_plan_dir

    return load_plan(resolve_plan_dir(plan_dir))


def _display_prefix(root: Path) -> str:
    """How to name plan files in messages: relative to where the user stands, if possible."""
    try:
        return os.path.relpath(root)
    except ValueError:
        return str(root)


@app.command()
def validate(
    plan: PlanDir = None,
    output: Annotated[
        ProblemFormat, typer.Option("--format", "-f", help="text, json, or github annotations.")
    ] = ProblemFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
) -> None:
    """Check every plan file and report every problem at once, as file:line:col: message.

    Exit 0 when the plan has no errors, 1 when it has (with --strict, warnings count too).

    Example: datracker validate --format github
    """
    from datracker.formats import problems_github, problems_json, problems_summary, problems_text
    from datracker.validation import validate_plan

    loaded = _load(plan)
    problems = validate_plan(loaded)
    failed = has_errors(problems, strict)
    prefix = _display_prefix(loaded.root)
    if output is ProblemFormat.json:
        typer.echo(problems_json(problems, prefix, valid=not has_errors(problems)))
    elif output is ProblemFormat.github:
        if problems:
            typer.echo(problems_github(problems, prefix))
    else:
        from datracker.formats import use_colour

        if problems:
            typer.echo(problems_text(problems, prefix, use_colour(sys.stdout.isatty())))
        files = 1 + len(loaded.priority_docs)
        actions = sum(len(p.actions) for p in loaded.priorities)
        typer.echo(problems_summary(problems, files, actions))
    raise typer.Exit(1 if failed else 0)


@app.command()
def status(
    plan: PlanDir = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only this owner's actions (an owner id).")
    ] = None,
    output: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help="table (default), json or md.", show_default=False),
    ] = None,
) -> None:
    """The state of the plan: a roll-up per priority and a row per action.

    Each priority reads as the board papers write it, e.g.
    "C. Challenge and support … — RED (4 actions: 1 COMPLETE, 2 RED, 1 GREEN)".

    Example: datracker status --owner bruce-marr --format md
    """
    from datracker.formats import status_json_text, status_markdown
    from datracker.status import plan_status

    loaded = _load(plan)
    the_plan = loaded.require_plan()
    if owner is not None and the_plan.config.owner(owner) is None:
        raise DatrackerError(
            f"no owner '{owner}' in the owners directory", _owner_hint(the_plan, owner)
        )
    statuses = plan_status(the_plan, owner)
    if output is ListFormat.json:
        typer.echo(status_json_text(the_plan, statuses))
    elif output is ListFormat.md:
        typer.echo(status_markdown(the_plan, statuses))
    else:
        from rich.console import Console

        from datracker.formats import status_tables

        console = Console()
        for renderable in status_tables(the_plan, statuses):
            console.print(renderable)
    if loaded.problems:
        typer.echo("note: some plan files have errors; run `datracker validate`", err=True)


def _owner_hint(plan: Plan, wanted: str) -> str:
    import difflib

    ids = [o.id for o in plan.config.owners]
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.5)
    return f"did you mean {', '.join(close)}?" if close else f"owner ids are: {', '.join(ids)}"


@app.command()
def show(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action id, e.g. A5.")],
    plan: PlanDir = None,
    output: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ShowFormat.text,
) -> None:
    """One action: objective, owners, measures (with a small chart of each series) and updates.

    Example: datracker show A5
    """
    from datracker.formats import action_json, action_text

    the_plan = _load(plan).require_plan()
    found = the_plan.find_action(action_id)
    if found is None:
        found = _find_loosely(the_plan, action_id)
    priority, action = found
    if output is ShowFormat.json:
        typer.echo(
            json.dumps(action_json(the_plan, priority.id, action), indent=2, ensure_ascii=False)
        )
    else:
        typer.echo(action_text(the_plan, priority.id, action))


def _find_loosely(plan: Plan, action_id: str) -> tuple[PriorityFile, Action]:
    import difflib

    ids = [a.id for _, a in plan.actions()]
    for candidate in ids:
        if candidate.lower() == action_id.strip().lower():
            found = plan.find_action(candidate)
            if found:
                return found
    close = difflib.get_close_matches(action_id.upper(), ids, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "list actions with: datracker status"
    raise DatrackerError(f"no action '{action_id}' in the plan", hint)


class SchemaKind(StrEnum):
    plan = "plan"
    priority = "priority"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="plan (plan.yaml) or priority (priorities/*.yaml).")
    ] = SchemaKind.priority,
) -> None:
    """Print the JSON Schema of a plan file, for editors that check YAML as you type.

    Point a file at it with a first line such as
    "# yaml-language-server: $schema=../schema/plan.schema.json".

    Example: datracker schema plan > schema/plan.schema.json
    """
    from datracker.schema import schema_text

    typer.echo(schema_text(kind.value), nl=False)


class RenderFormat(StrEnum):
    docx = "docx"
    md = "md"
    all = "all"


@app.command()
def render(
    plan: PlanDir = None,
    output_format: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="docx, md, or all (both).")
    ] = RenderFormat.all,
    review: Annotated[
        str | None,
        typer.Option("--review", help="A review id from plan.yaml (default: the latest)."),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The folder to write into.")
    ] = Path("build"),
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="A folder of templates (markdown/*.md.j2, reference.docx) overriding the "
            "defaults file by file (default: templates/ beside the plan folder, if any).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the refresh document the board approves, as Word and/or Markdown.

    Writes <output>/refresh-<review>.docx and .md (charts beside the .md in charts/) and
    prints the paths written. Re-rendering the same plan gives identical files.

    Example: datracker render --format docx --review 2022-01 --output build
    """
    from datracker.render import FORMATS, RenderRequest
    from datracker.render import render as render_document

    formats = FORMATS if output_format is RenderFormat.all else (output_format.value,)
    request = RenderRequest(formats, review, output, templates)
    for path in render_document(_load(plan), request):
        typer.echo(_display_prefix(path))


def _fail(error: DatrackerError) -> NoReturn:
    from datracker.formats import problems_text

    typer.echo(f"error: {error.message}", err=True)
    if error.problems:
        typer.echo(problems_text(error.problems[:20], ""), err=True)
    if error.hint:
        typer.echo(f"hint: {error.hint}", err=True)
    sys.exit(1)


def main() -> None:
    """Entry point: user errors become a message and exit 1, never a traceback."""
    try:
        app(prog_name="datracker")
    except DatrackerError as error:
        _fail(error)
    except KeyboardInterrupt:
        typer.echo("interrupted; nothing was written", err=True)
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly, keep the traceback for the report
        import traceback

        typer.echo(f"internal error: {type(error).__name__}: {error}", err=True)
        typer.echo("this is a bug in datracker; please report it with the lines below", err=True)
        traceback.print_exc()
        sys.exit(3)
