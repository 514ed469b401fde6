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


class CheckFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"
    github = "github"


@app.command()
def check(
    base: Annotated[str, typer.Option("--base", help="The revision the pull request targets.")],
    head: Annotated[str, typer.Option("--head", help="The revision to check.")] = "HEAD",
    plan: PlanDir = None,
    output: Annotated[
        CheckFormat,
        typer.Option(
            "--format", "-f", help="text (default), md (a PR comment), json or github annotations."
        ),
    ] = CheckFormat.text,
) -> None:
    """Check a pull request: the plan validates, and each author changed only what they may.

    Owners may change the updates, status and measure data of their own actions; anything
    else, in any file, needs a maintainer (plan.yaml's `maintainers`). Authors are known by the
    e-mail they commit with (`git_emails`). Exit 0 when valid and permitted.

    Example: datracker check --base origin/main --format md > summary.md
    """
    from datracker.plan.store import resolve_plan_dir
    from datracker.report.checkformat import (
        Prefixes,
        check_github,
        check_json,
        check_markdown,
        check_text,
    )
    from datracker.vcs.check import run_check

    plan_dir = resolve_plan_dir(plan)
    result = run_check(plan_dir, base, head)
    prefixes = Prefixes(display_prefix(plan_dir), display_prefix(result.top))
    if output is CheckFormat.json:
        typer.echo(check_json(result))
    elif output is CheckFormat.github:
        typer.echo(check_github(result, prefixes))
    elif output is CheckFormat.md:
        typer.echo(check_markdown(result, prefixes), nl=False)
    else:
        typer.echo(check_text(result, prefixes), nl=False)
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
) -> None:
    """Who has not reported yet: actions with no update for the review, grouped by owner.

    Overdue actions (by-when passed, not complete) are flagged. --format md writes one
    ready-to-send reminder per owner; nothing is e-mailed.

    Example: datracker chase --format md > reminders.md
    """
    import datetime as dt

    from datracker.plan.chase import chase as find_missing
    from datracker.plan.chase import chase_json, choose_review

    the_plan = load(plan).require_plan()
    report = find_missing(the_plan, choose_review(the_plan, review), dt.date.today())
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
