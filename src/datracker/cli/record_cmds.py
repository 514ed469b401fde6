"""Recording a review: update, measure, and the review cycle (open, list, close)."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from datracker.cli import prompts
from datracker.cli.app import (
    ListFormat,
    PlanDir,
    app,
    load,
)
from datracker.core.problems import DatrackerError


class StatusChoice(StrEnum):
    active = "active"
    new = "new"
    complete = "complete"
    removed = "removed"
    na = "n/a"


DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a diff; write nothing.")
]


Commit = Annotated[bool, typer.Option("--commit", help="Commit the changed file (only it) to git.")]


Author = Annotated[
    str | None,
    typer.Option("--author", help='With --commit: "Name <email>".', show_default=False),
]


def _check_day(value: str | None) -> str | None:
    import re

    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise typer.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD")
    return value.strip()


def _check_period_option(value: str) -> str:
    from datracker.core.dates import PERIOD_HINT, parse_period

    try:
        known = parse_period(value.strip())
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    if known is None:
        raise typer.BadParameter(f"'{value}' is not a period; {PERIOD_HINT}")
    return value.strip()


def _number(value: str | None) -> int | float | None:
    import math

    if value is None:
        return None
    text = value.strip().replace(",", "")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError as error:
        raise typer.BadParameter(f"'{value}' is not a number") from error
    if not math.isfinite(number):
        raise typer.BadParameter(f"'{value}' is not a number")
    return number


def _commit_options(commit: bool, author: str | None) -> None:
    if author is not None and not commit:
        raise typer.BadParameter("--author only applies with --commit", param_hint="--author")


def _report_written(written: object) -> None:
    from datracker.edit.planwrite import Written

    assert isinstance(written, Written)
    if not written.written and written.diff:
        typer.echo(written.diff, nl=False)
        typer.echo("dry run: nothing was written", err=True)
        return
    typer.echo(written.change.summary)
    if written.commit:
        typer.echo(f"committed {written.commit[:7]}: {written.change.commit_message}")


def _read_text_file(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DatrackerError(f"{path} is not UTF-8 text", "save it as UTF-8 and retry") from error
    except OSError as error:
        raise DatrackerError(f"cannot read {path}: {error.strerror}") from error


@app.command()
def update(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action id, e.g. A5.")],
    rag: Annotated[
        str | None, typer.Option("--rag", help="The RAG, e.g. AMBER (any case).")
    ] = None,
    status_: Annotated[
        StatusChoice | None,
        typer.Option("--status", help="Set the action's status.", show_default=False),
    ] = None,
    qualifier: Annotated[
        str | None, typer.Option("--qualifier", help='Words after the RAG ("" removes them).')
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="The update text.")] = None,
    text_file: Annotated[
        Path | None,
        typer.Option("--text-file", help="Read the text from a file ('-': standard input)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="YYYY-MM-DD (default today).", callback=_check_day),
    ] = None,
    review: Annotated[
        str | None, typer.Option("--review", help="A review id (default: the open review).")
    ] = None,
    dry_run: DryRun = False,
    commit: Commit = False,
    author: Author = None,
    plan: PlanDir = None,
) -> None:
    """Record an action's update (RAG, text) for the open review; re-running replaces it.

    Given no --text and run in a terminal, it asks: it shows the action, its last update
    and RAG, offers the scale, and takes the text from $VISUAL/$EDITOR or typed lines.
    Fields not given on a re-run are kept from the review's earlier update.

    Example: datracker update A5 --rag green --text "Two workshops held with the police."
    """
    from datracker.edit.planwrite import Options
    from datracker.edit.updates import UpdateRequest, record_update
    from datracker.plan.store import resolve_plan_dir

    _commit_options(commit, author)
    if text is not None and text_file is not None:
        raise typer.BadParameter("give --text or --text-file, not both", param_hint="--text")
    if text_file is not None:
        text = _read_text_file(text_file)
    new_status = status_.value if status_ is not None else None
    if text is None and sys.stdin.isatty() and sys.stdout.isatty():
        rag, text = prompts.ask_update(plan, action_id, review, rag)
    elif text is None and rag is None and new_status is None and qualifier is None:
        raise typer.BadParameter(
            "nothing to record: give --rag, --text, --text-file or --status "
            "(or run it in a terminal to be asked)",
            param_hint="ID",
        )
    request = UpdateRequest(action_id, rag, new_status, qualifier, text, date, review)
    outcome = record_update(
        resolve_plan_dir(plan), request, Options(dry_run=dry_run, commit=commit, author=author)
    )
    _report_written(outcome.written)


@app.command()
def measure(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action id, e.g. A5.")],
    measure_name: Annotated[
        str,
        typer.Argument(
            metavar="MEASURE", help="The measure's description, its start, or its number."
        ),
    ],
    period: Annotated[
        str,
        typer.Option(
            "--period", help="e.g. 2021-10, 2021-Q3, 2021/22.", callback=_check_period_option
        ),
    ],
    value: Annotated[str, typer.Option("--value", help="The figure.")],
    of: Annotated[
        str | None, typer.Option("--of", help="Out of how many (e.g. 42 --of 56).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the figure.")] = None,
    dry_run: DryRun = False,
    commit: Commit = False,
    author: Author = None,
    plan: PlanDir = None,
) -> None:
    """Add a data point to a measure, or replace the one for the same period.

    Example: datracker measure A5 "Right to Ask" --period 2021-10 --value 3
    """
    from datracker.edit.planwrite import Options
    from datracker.edit.updates import PointRequest, record_point
    from datracker.plan.store import resolve_plan_dir

    _commit_options(commit, author)
    number = _number(value)
    assert number is not None
    request = PointRequest(action_id, measure_name, period, number, _number(of), note)
    written = record_point(
        resolve_plan_dir(plan), request, Options(dry_run=dry_run, commit=commit, author=author)
    )
    _report_written(written)


review_app = typer.Typer(
    help="Review cycles: open one, list them, record a priority's stated rating (assess), "
    "close one (tagging it in git).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


app.add_typer(review_app, name="review")


@review_app.command("open")
def review_open(
    label: Annotated[str, typer.Argument(help="How the board papers name it, in quotes.")],
    review_id: Annotated[
        str | None, typer.Option("--id", help="Short id (default: the date's YYYY-MM).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD or YYYY-MM (default today).")
    ] = None,
    dry_run: DryRun = False,
    plan: PlanDir = None,
) -> None:
    """Open a review, so updates can be recorded for it; only one can be open at a time.

    Example: datracker review open "Update April 2022" --id 2022-04 --date 2022-04-30
    """
    from datracker.edit.planwrite import Options
    from datracker.edit.reviews import OpenRequest, open_review
    from datracker.plan.store import resolve_plan_dir

    request = OpenRequest(label, review_id, date)
    _report_written(open_review(resolve_plan_dir(plan), request, Options(dry_run=dry_run)))


@review_app.command("list")
def review_list(
    plan: PlanDir = None,
    output: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table, json or md.")
    ] = ListFormat.table,
) -> None:
    """The reviews, oldest first, with how many actions have an update for each.

    Example: datracker review list --format md
    """
    from datracker.edit.reviews import review_rows, reviews_json, reviews_markdown, reviews_table

    rows = review_rows(load(plan).require_plan())
    if output is ListFormat.json:
        typer.echo(reviews_json(rows))
    elif output is ListFormat.md:
        typer.echo(reviews_markdown(rows))
    else:
        typer.echo(reviews_table(rows) if rows else "no reviews yet")


@review_app.command("assess")
def review_assess(
    priority_id: Annotated[
        str, typer.Argument(metavar="PRIORITY", help="The priority id, e.g. A.")
    ],
    rag: Annotated[
        str | None, typer.Option("--rag", help="The rating the board stated, e.g. AMBER.")
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", help='The board\'s words, e.g. "7 actions - 1 COMPLETE, 3 AMBER".'),
    ] = None,
    text_file: Annotated[
        Path | None,
        typer.Option("--text-file", help="Read the words from a file ('-': standard input)."),
    ] = None,
    retain: Annotated[
        bool,
        typer.Option("--retain", help="Keep the rating stated at the previous review."),
    ] = False,
    review: Annotated[
        str | None, typer.Option("--review", help="A review id (default: the open review).")
    ] = None,
    dry_run: DryRun = False,
    commit: Commit = False,
    author: Author = None,
    plan: PlanDir = None,
) -> None:
    """Record a priority's rating as the board or steering group stated it at this review.

    It is shown as the priority's rating, beside the roll-up computed from its actions.
    Re-running replaces it; fields not given are kept. Checked and written as `update` is.

    Example: datracker review assess C --rag RED --text "4 actions - 1 COMPLETE, 2 RED, 1 GREEN"
    """
    from datracker.edit.assessments import AssessRequest, record_assessment
    from datracker.edit.planwrite import Options
    from datracker.plan.store import resolve_plan_dir

    _commit_options(commit, author)
    if text is not None and text_file is not None:
        raise typer.BadParameter("give --text or --text-file, not both", param_hint="--text")
    if text_file is not None:
        text = _read_text_file(text_file)
    if rag is None and text is None and not retain:
        raise typer.BadParameter(
            "nothing to record: give --rag, --retain or --text", param_hint="PRIORITY"
        )
    request = AssessRequest(priority_id, rag, text, retain, review)
    written = record_assessment(
        resolve_plan_dir(plan), request, Options(dry_run=dry_run, commit=commit, author=author)
    )
    _report_written(written)


@review_app.command("close")
def review_close(
    review_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="The review (default: the open one).")
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", help='"Name <email>" for the commit.')
    ] = None,
    dry_run: DryRun = False,
    plan: PlanDir = None,
) -> None:
    """Close the open review. In git: commit plan.yaml and tag the commit review/<id>.

    Refused while the plan has uncommitted changes: the tag must mark what the board saw.

    Example: datracker review close
    """
    from datracker.edit.reviews import TAG_PREFIX, close_review
    from datracker.plan.store import resolve_plan_dir

    written = close_review(resolve_plan_dir(plan), review_id, author, dry_run)
    _report_written(written)
    if written.written and written.commit:
        closed = written.change.commit_message.split()[2]
        typer.echo(f"tagged {TAG_PREFIX}{closed} on {written.commit[:7]}")
    elif written.written:
        typer.echo("the plan is not in git, so no tag was made")
