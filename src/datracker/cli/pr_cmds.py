"""The pull-request path and the review round: check a pull request, chase missing updates."""

from typing import Annotated

import typer

from datracker.cli.app import (
    ListFormatOption,
    PlanDir,
    app,
    display_prefix,
    format_option,
    load,
    plan_root,
)
from datracker.cli.asof import AsOf, as_of_day


@app.command()
def check(
    base: Annotated[
        str,
        typer.Option("--base", metavar="REV", help="The revision the pull request targets."),
    ],
    head: Annotated[
        str, typer.Option("--head", metavar="REV", help="The revision to check.")
    ] = "HEAD",
    plan: PlanDir = None,
    output: Annotated[
        str,
        format_option(
            ("text", "md", "json", "github"),
            "text (default), md (a pull-request comment), json or github annotations.",
        ),
    ] = "text",
) -> None:
    """Check a pull request: the plan validates, and each author changed only what they may.

    Owners may change the updates, status and measure data of their own actions; anything
    else, in any file, needs a maintainer (plan.yaml's `maintainers`). Authors are known by the
    e-mail they commit with (`git_emails`). Exit 0 when valid and permitted.

    Example: datracker check --base origin/main --format md > summary.md
    """
    from datracker.report.checkformat import (
        Prefixes,
        check_github,
        check_json,
        check_markdown,
        check_text,
    )
    from datracker.vcs.check import run_check

    plan_dir = plan_root(plan)
    result = run_check(plan_dir, base, head)
    prefixes = Prefixes(display_prefix(plan_dir), display_prefix(result.top))
    if output == "json":
        typer.echo(check_json(result))
    elif output == "github":
        typer.echo(check_github(result, prefixes))
    elif output == "md":
        typer.echo(check_markdown(result, prefixes), nl=False)
    else:
        typer.echo(check_text(result, prefixes), nl=False)
    raise typer.Exit(0 if result.valid and result.permitted else 1)


@app.command()
def chase(
    plan: PlanDir = None,
    review: Annotated[
        str | None,
        typer.Option("--review", metavar="ID", help="The review to chase (default: the open one)."),
    ] = None,
    output: ListFormatOption = "text",
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
    from datracker.plan.chase import chase_json, judged_as_of
    from datracker.plan.lookup import choose_review
    from datracker.report.chase import chase_markdown, chase_table
    from datracker.report.table import json_text, print_all

    the_plan = load(plan).require_whole_plan()
    chased = choose_review(the_plan.config, review, "open", "chase", can_name=True)
    day = as_of_day(as_of) or judged_as_of(the_plan.config, dt.date.today(), chased)
    report = find_missing(the_plan, chased, day)
    if output == "json":
        typer.echo(json_text(chase_json(report)))
    elif output == "md":
        typer.echo(chase_markdown(the_plan, report))
    elif report.reminders:
        print_all([chase_table(report)])
    else:
        from datracker.core.text import visible

        typer.echo(visible(f"Every open action has an update for {report.review.label}."))
    raise typer.Exit(1 if fail_if_missing and report.reminders else 0)
