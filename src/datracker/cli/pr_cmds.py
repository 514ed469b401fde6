"""The pull-request path and the review round: check a pull request, chase missing updates."""

import json
from enum import StrEnum
from typing import Annotated

import typer

from datracker.cli.app import (
    ListFormat,
    PlanDir,
    app,
    display_prefix,
    load,
)
from datracker.cli.asof import AsOf, parse_as_of


class CheckFormat(StrEnum):
    md = "md"
    json = "json"
    github = "github"


@app.command()
def check(
    base: Annotated[str, typer.Option("--base", help="The revision the pull request targets.")],
    head: Annotated[str, typer.Option("--head", help="The revision to check.")] = "HEAD",
    plan: PlanDir = None,
    output: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="md (a PR comment), json or github.")
    ] = CheckFormat.md,
) -> None:
    """Check a pull request: the plan validates, and each author changed only what they may.

    Owners may update the updates, status and measure data of their own actions; anything
    else needs a maintainer (plan.yaml's `maintainers`). Exit 0 when valid and permitted.

    Example: datracker check --base origin/main --format md > summary.md
    """
    from datracker.plan.store import resolve_plan_dir
    from datracker.report.checkformat import check_github, check_json, check_markdown
    from datracker.vcs.check import run_check

    plan_dir = resolve_plan_dir(plan)
    result = run_check(plan_dir, base, head)
    prefix = display_prefix(plan_dir)
    if output is CheckFormat.json:
        typer.echo(check_json(result))
    elif output is CheckFormat.github:
        text = check_github(result, prefix)
        if text:
            typer.echo(text)
    else:
        typer.echo(check_markdown(result, prefix), nl=False)
    raise typer.Exit(0 if result.valid and result.permitted else 1)


@app.command()
def chase(
    plan: PlanDir = None,
    review: Annotated[
        str | None, typer.Option("--review", help="The review to chase (default: the open one).")
    ] = None,
    output: Annotated[
        ListFormat | None,
        typer.Option(
            "--format", "-f", help="table (default), json, or md reminders.", show_default=False
        ),
    ] = None,
    fail_if_missing: Annotated[
        bool, typer.Option("--fail-if-missing", help="Exit 1 when any update is missing (for CI).")
    ] = False,
    as_of: AsOf = None,
) -> None:
    """Who has not reported yet: actions with no update for the review, grouped by owner.

    Overdue actions (by-when passed by the review's date, or by --as-of) are flagged.
    --format md writes one ready-to-send reminder per owner; nothing is e-mailed.

    Example: datracker chase --format md > reminders.md
    """
    import datetime as dt

    from datracker.plan.chase import chase as find_missing
    from datracker.plan.chase import chase_json, choose_review
    from datracker.plan.validation import review_day

    day = parse_as_of(as_of)
    the_plan = load(plan).require_plan()
    chased = choose_review(the_plan, review)
    day = day or review_day(chased) or dt.date.today()
    report = find_missing(the_plan, chased, day)
    if output is ListFormat.json:
        typer.echo(json.dumps(chase_json(report), indent=2, ensure_ascii=False))
    elif output is ListFormat.md:
        from datracker.report.formats import chase_markdown

        typer.echo(chase_markdown(the_plan, report))
    elif report.reminders:
        from rich.console import Console

        from datracker.report.formats import chase_table

        Console().print(chase_table(report))
    else:
        typer.echo(f"Every open action has an update for {report.review.label}.")
    raise typer.Exit(1 if fail_if_missing and report.reminders else 0)
