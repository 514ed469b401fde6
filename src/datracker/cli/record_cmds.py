"""Recording a review: update, measure, and the review cycle (open, list, close, approve, tag)."""

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


def _check_author(value: str | None) -> str | None:
    """Only the two forms datracker resolves itself; git's own guessing is never reached."""
    from datracker.vcs.gitcommit import AUTHOR_HINT, author_form_ok

    if value is None:
        return None
    if not author_form_ok(value):
        raise typer.BadParameter(f"'{value}' is not an author; {AUTHOR_HINT}")
    return value.strip()


Author = Annotated[
    str | None,
    typer.Option(
        "--author",
        help='With --commit: "Name <email>", or an owner id from plan.yaml with an email.',
        show_default=False,
        callback=_check_author,
    ),
]


ReviewAuthor = Annotated[
    str | None,
    typer.Option(
        "--author",
        help='Who commits: "Name <email>", or an owner id (default: git\'s user.name/email).',
        show_default=False,
        callback=_check_author,
    ),
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


def _number(value: str | None, option: str) -> int | float | None:
    """A figure as typed: a plain decimal number, or exit 2 with the form that is accepted."""
    from datracker.core.figures import parse_figure

    return None if value is None else parse_figure(value, option)


def _commit_options(commit: bool, author: str | None) -> None:
    if author is not None and not commit:
        raise typer.BadParameter("--author only applies with --commit", param_hint="--author")


def _report_written(written: object) -> None:
    from datracker.edit.planwrite import Written, shown

    assert isinstance(written, Written)
    for note in written.notes:
        typer.echo(f"note: {note}", err=True)
    if written.unchanged:
        reason = written.change.unchanged_reason or (
            f"{shown(written.path.parent, written.path.name)} already says this"
        )
        typer.echo(f"nothing to change: {reason}; nothing was written")
        return
    if not written.written:
        typer.echo(written.diff, nl=False)
        typer.echo("dry run: nothing was written", err=True)
        return
    typer.echo(written.change.summary)
    if written.commit:
        typer.echo(f"committed {written.commit[:7]}: {written.change.commit_message}")
    if written.tag and written.commit:
        typer.echo(f"tagged {written.tag} on {written.commit[:7]}")


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
    value: Annotated[
        str, typer.Option("--value", help="The figure: a plain decimal number, e.g. 3.5 or 1000.")
    ],
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
    number = _number(value, "--value")
    assert number is not None
    request = PointRequest(action_id, measure_name, period, number, _number(of, "--of"), note)
    written = record_point(
        resolve_plan_dir(plan), request, Options(dry_run=dry_run, commit=commit, author=author)
    )
    _report_written(written)


review_app = typer.Typer(
    help="Review cycles: open one, list them, close one (tagging it in git), record its "
    "approval, and re-make missing tags.",
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
    author: ReviewAuthor = None,
    dry_run: DryRun = False,
    plan: PlanDir = None,
) -> None:
    """Open a review, so updates can be recorded for it; only one can be open at a time.

    In git, commits plan.yaml (refused while plan.yaml has uncommitted changes).

    Example: datracker review open "Update April 2022" --id 2022-04 --date 2022-04-30
    """
    from datracker.edit.reviews import GitOptions, OpenRequest, open_review
    from datracker.plan.store import resolve_plan_dir

    request = OpenRequest(label, review_id, date)
    written = open_review(resolve_plan_dir(plan), request, GitOptions(author, dry_run))
    _report_written(written)


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


@review_app.command("close")
def review_close(
    review_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="The review (default: the open one).")
    ] = None,
    author: ReviewAuthor = None,
    dry_run: DryRun = False,
    plan: PlanDir = None,
) -> None:
    """Close the open review. In git: commit plan.yaml and tag the commit review/<id>.

    Refused while the plan has uncommitted changes: the tag must mark what the board saw.
    Everything git needs is checked first; if git fails anyway, nothing is changed.

    Example: datracker review close
    """
    from datracker.edit.reviews import GitOptions, close_review
    from datracker.plan.store import resolve_plan_dir

    written = close_review(resolve_plan_dir(plan), review_id, GitOptions(author, dry_run))
    _report_written(written)
    if written.written and not written.commit:
        typer.echo("the plan is not in git, so no tag was made")


@review_app.command("approve")
def review_approve(
    review_id: Annotated[
        str, typer.Argument(metavar="ID", help="The closed review, e.g. 2022-01.")
    ],
    date: Annotated[
        str,
        typer.Option(
            "--date", help="The day the board approved it, YYYY-MM-DD.", callback=_check_day
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Who approved it (default: the strategy's approving body).",
            show_default=False,
        ),
    ] = None,
    author: ReviewAuthor = None,
    dry_run: DryRun = False,
    plan: PlanDir = None,
) -> None:
    """Record the board's approval of a closed review; in git, commit plan.yaml.

    The refresh document then says "Approved <date> by <body>" instead of DRAFT FOR APPROVAL.
    The review's tag stays on the commit that closed it: that is the plan the board approved.

    Example: datracker review approve 2022-01 --date 2022-02-09 --by "Health and Wellbeing Board"
    """
    from datracker.edit.reviews import ApproveRequest, GitOptions, approve_review
    from datracker.plan.store import resolve_plan_dir

    assert date is not None
    request = ApproveRequest(review_id, date, by)
    written = approve_review(resolve_plan_dir(plan), request, GitOptions(author, dry_run))
    _report_written(written)


@review_app.command("tag")
def review_tag(
    author: ReviewAuthor = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say which tags would be made; make none.")
    ] = False,
    plan: PlanDir = None,
) -> None:
    """Make the missing review/<id> tags of closed reviews, on the commits that closed them.

    A fresh clone has no tags unless they were pushed; this finds each closed review's closing
    commit in plan.yaml's history and tags it. All or nothing.

    Example: datracker review tag
    """
    from datracker.plan.store import resolve_plan_dir
    from datracker.vcs.reviewtags import tag_closed_reviews

    report = tag_closed_reviews(resolve_plan_dir(plan), author, dry_run)
    verb = "would tag" if dry_run else "tagged"
    for made in report.made:
        typer.echo(f"{verb} {made.tag} on {made.commit[:7]}, the commit that closed it")
    if not report.made and report.already:
        typer.echo(f"every closed review already has its tag: {', '.join(report.already)}")
    elif not report.made:
        typer.echo("no review is closed yet, so there is nothing to tag")
