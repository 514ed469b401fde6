"""Reading the plan: validate, status, show."""

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from datracker.core.problems import DatrackerError, has_errors

if TYPE_CHECKING:
    from datracker.plan.models import Plan

from datracker.cli.app import (
    ListFormat,
    ListFormatOption,
    PlanDir,
    ProblemFormat,
    ShowFormat,
    app,
    display_prefix,
    load,
)
from datracker.cli.asof import AsOf, parse_as_of


@app.command()
def validate(
    plan: PlanDir = None,
    output: Annotated[
        ProblemFormat, typer.Option("--format", "-f", help="text, json, or github annotations.")
    ] = ProblemFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    as_of: AsOf = None,
) -> None:
    """Check every plan file and report every problem at once, as file:line:col: message.

    Exit 0 when the plan has no errors, 1 when it has (with --strict, warnings count too).
    Due dates are judged as of the plan's own review, not today, unless --as-of says.

    Example: datracker validate --format github
    """
    from datracker.plan.validation import validate_plan
    from datracker.report.formats import (
        problems_github,
        problems_json,
        problems_summary,
        problems_text,
    )

    day = parse_as_of(as_of)
    loaded = load(plan)
    problems = validate_plan(loaded, as_of=day)
    failed = has_errors(problems, strict)
    prefix = display_prefix(loaded.root)
    if output is ProblemFormat.json:
        typer.echo(problems_json(problems, prefix, valid=not has_errors(problems)))
    elif output is ProblemFormat.github:
        if problems:
            typer.echo(problems_github(problems, prefix))
    else:
        from datracker.report.formats import use_colour

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
    output: ListFormatOption = None,
) -> None:
    """The state of the plan: a roll-up per priority and a row per action.

    Each priority reads as the board papers write it, e.g.
    "C. Challenge and support … — RED (4 actions: 1 COMPLETE, 2 RED, 1 GREEN)".

    Example: datracker status --owner bruce-marr --format md
    """
    from datracker.plan.status import plan_status
    from datracker.report.formats import status_json_text, status_markdown

    loaded = load(plan)
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

        from datracker.report.formats import status_tables

        console = Console()
        for renderable in status_tables(the_plan, statuses):
            console.print(renderable)
    if loaded.problems:
        typer.echo("note: some plan files have errors; run `datracker validate`", err=True)


def _owner_hint(plan: "Plan", wanted: str) -> str:
    import difflib

    ids = [o.id for o in plan.config.owners]
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.5)
    return f"did you mean {', '.join(close)}?" if close else f"owner ids are: {', '.join(ids)}"


@app.command()
def show(
    action_id: Annotated[
        str, typer.Argument(metavar="ID", help="An action id (e.g. A5) or a priority id (e.g. A).")
    ],
    plan: PlanDir = None,
    output: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ShowFormat.text,
) -> None:
    """One action: objective, owners, measures (with a small chart of each series) and updates.

    Given a priority id instead: its rating as the board stated it at each review, the
    roll-up computed from its actions, and its actions.

    Example: datracker show A5
    """
    from datracker.report.formats import action_json, action_text

    the_plan = load(plan).require_plan()
    from datracker.plan.lookup import find_action, find_priority

    found = find_priority(the_plan, action_id)
    if found is not None:
        from datracker.report.priorityformat import priority_show_json, priority_text

        if output is ShowFormat.json:
            data = priority_show_json(the_plan, found)
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            typer.echo(priority_text(the_plan, found))
        return
    priority, action = find_action(the_plan, action_id)
    if output is ShowFormat.json:
        typer.echo(
            json.dumps(action_json(the_plan, priority.id, action), indent=2, ensure_ascii=False)
        )
    else:
        typer.echo(action_text(the_plan, priority.id, action))
