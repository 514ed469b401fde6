"""Reading the plan: validate, status, show."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from datracker.core.problems import InvalidValue, has_errors

if TYPE_CHECKING:
    from datracker.plan.models import Plan

from datracker.cli.app import (
    ListFormatOption,
    PlanDir,
    app,
    display_prefix,
    format_option,
    load,
    report_unread,
)
from datracker.cli.asof import AsOf, as_of_day


@app.command()
def validate(
    plan: PlanDir = None,
    output: Annotated[
        str,
        format_option(("text", "json", "github"), "text (default), json, or github annotations."),
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    as_of: AsOf = None,
) -> None:
    """Check every plan file and report every problem at once, as file:line:col: message.

    Exit 0 when the plan has no errors, 1 when it has (with --strict, warnings count too).
    Due dates are judged as of the plan's own review, not today, unless --as-of says.

    Example: datracker validate --format github
    """
    from datracker.plan.validation import validate_plan
    from datracker.report.problems import (
        problems_github,
        problems_json,
        problems_summary,
        problems_text,
        use_colour,
    )

    loaded = load(plan)
    problems = validate_plan(loaded, as_of=as_of_day(as_of))
    failed = has_errors(problems, strict)
    prefix = display_prefix(loaded.root)
    if output == "json":
        typer.echo(problems_json(problems, prefix, valid=not has_errors(problems)))
    elif output == "github":
        if problems:
            typer.echo(problems_github(problems, prefix))
    else:
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
        str | None,
        typer.Option("--owner", metavar="OWNER", help="Only this owner's actions (an owner id)."),
    ] = None,
    output: ListFormatOption = "text",
) -> None:
    """The state of the plan: a rating per priority and a row per action.

    Each priority shows the rating its board stated for the plan's current review (if one is
    recorded), and beside it the roll-up computed from its actions, e.g.
    "C. Challenge and support … — RED (stated: 4 actions - …); computed: RED (5 actions: …)".

    Example: datracker status --owner bruce-marr --format md
    """
    from datracker.plan.status import plan_status
    from datracker.report.status import status_json_text, status_markdown, status_tables
    from datracker.report.table import print_all

    loaded = load(plan)
    the_plan = loaded.require_plan()
    if owner is not None and the_plan.config.owner(owner) is None:
        raise InvalidValue(
            f"no owner '{owner}' in the owners directory", _owner_hint(the_plan, owner)
        )
    statuses = plan_status(the_plan, owner)
    if output == "json":
        typer.echo(status_json_text(the_plan, statuses))
    elif output == "md":
        typer.echo(status_markdown(the_plan, statuses))
    else:
        print_all(status_tables(the_plan, statuses))
    report_unread(loaded, "the status above")


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
        str,
        format_option(("text", "json"), "text (default) or json."),
    ] = "text",
) -> None:
    """One action: objective, owners, measures (with a small chart of each series) and updates.

    Given a priority id instead: its rating as the board stated it at each review, the
    roll-up computed from its actions, and its actions.

    Example: datracker show A5
    """
    from datracker.plan.lookup import find_action, find_priority
    from datracker.report.show import action_json, action_text

    the_plan = load(plan).require_whole_plan(action_id)
    found = find_priority(the_plan, action_id)
    if found is not None:
        from datracker.report.priorityformat import priority_show_json, priority_text

        show_priority = priority_show_json if output == "json" else priority_text
        typer.echo(show_priority(the_plan, found))
        return
    priority, action = find_action(the_plan, action_id)
    if output == "json":
        typer.echo(action_json(the_plan, priority.id, action))
    else:
        typer.echo(action_text(the_plan, priority.id, action))
