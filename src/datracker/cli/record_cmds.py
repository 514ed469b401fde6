"""Recording a review: update, measure, and the review cycle (open, list, close, approve, tag)."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datracker.cli import prompts
from datracker.cli.app import (
    ListFormatOption,
    PlanDir,
    app,
    format_option,
    load,
    plan_root,
    report_unread,
)
from datracker.cli.helpformat import DatrackerTyper
from datracker.cli.options import author, day, number, one_of, parse_number, partial_date, period
from datracker.core.problems import DatrackerError, InvalidValue

if TYPE_CHECKING:
    from datracker.edit.planwrite import Options

# The plan's action statuses (plan/models.py's `Status`), written out so that parsing the
# command line does not import pydantic; tests/test_cli.py checks the two agree.
STATUSES = ("active", "new", "complete", "removed", "n/a")

DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a diff; write nothing.")
]


Commit = Annotated[bool, typer.Option("--commit", help="Commit the changed file (only it) to git.")]


Author = Annotated[
    str | None,
    typer.Option(
        "--author",
        metavar='"NAME <EMAIL>"',
        help='With --commit: "Name <email>", or an owner id from plan.yaml with an email.',
        show_default=False,
        callback=author,
    ),
]


ReviewAuthor = Annotated[
    str | None,
    typer.Option(
        "--author",
        metavar='"NAME <EMAIL>"',
        help='Who commits: "Name <email>", or an owner id (default: git\'s user.name/email).',
        show_default=False,
        callback=author,
    ),
]


def write_options(dry_run: bool, commit: bool, author: str | None) -> "Options":
    """How a writing command writes: checked together (`--author` needs `--commit`)."""
    from datracker.edit.planwrite import Options

    if author is not None and not commit:
        raise InvalidValue(
            "--author only applies with --commit", "add --commit, or leave --author out"
        )
    return Options(dry_run=dry_run, commit=commit, author=author)


OpenReview = Annotated[
    str | None,
    typer.Option("--review", metavar="ID", help="A review id (default: the open review)."),
]


WriteFormat = Annotated[
    str,
    format_option(("text", "json"), "text (default) or json: what was written, for scripts."),
]


def _report_written(written: object, output: str = "text") -> None:
    """The confirmation (or a dry run's diff) as text, or as one JSON object:
    `{"summary", "file", "written", "diff", "commit", "tag", "warnings", "notes"}`."""
    from datracker.edit.planwrite import Written
    from datracker.plan.store import shown

    assert isinstance(written, Written)
    if output == "json":
        from datracker.report.table import json_text

        payload = {
            "summary": written.change.summary,
            "file": str(written.path),
            "written": written.written,
            "diff": None if written.written else written.diff,
            "commit": written.commit,
            "tag": written.tag,
            "warnings": list(written.change.warnings),
            "notes": list(written.notes),
        }
        typer.echo(json_text(payload))
        return
    from datracker.core.text import visible  # labels and texts quoted back: never raw

    for note in written.notes:
        typer.echo(f"note: {visible(note)}", err=True)
    for warning in written.change.warnings:
        typer.echo(f"warning: {visible(warning)}", err=True)
    if written.unchanged:
        reason = written.change.unchanged_reason or (
            f"{shown(written.path.parent, written.path.name)} already says this"
        )
        typer.echo(f"nothing to change: {visible(reason)}; nothing was written")
        return
    if not written.written:
        typer.echo(visible(written.diff), nl=False)
        typer.echo("dry run: nothing was written", err=True)
        return
    typer.echo(visible(written.change.summary))
    if written.commit:
        typer.echo(f"committed {written.commit[:7]}: {visible(written.change.commit_message)}")
    if written.tag and written.commit:
        typer.echo(f"tagged {written.tag} on {written.commit[:7]}")


# An update is a paragraph or a page; 1 MB is a short book. Checked before reading, so a 25 MB
# file is refused rather than written into a plan file every later command would refuse.
MAX_TEXT_FILE_BYTES = 2**20


def _too_long(path: Path) -> DatrackerError:
    return DatrackerError(
        f"the text in {path} is over {MAX_TEXT_FILE_BYTES // 2**20} MB, more than an update can "
        "hold; nothing was written",
        "an update is a short summary for the board: link to longer documents instead",
    )


def _given_text(text: str | None, text_file: Path | None) -> str | None:
    """The words given with --text or read from --text-file (not both)."""
    if text is not None and text_file is not None:
        raise InvalidValue("give --text or --text-file, not both", "keep one of them")
    return _read_text_file(text_file) if text_file is not None else text


def _read_text_file(path: Path) -> str:
    limit = MAX_TEXT_FILE_BYTES
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            if not path.is_file():
                raise DatrackerError(
                    f"cannot read {path}: it is not a file", "check the file's name and where it is"
                )
            if path.stat().st_size > limit:
                raise _too_long(path)
            with path.open("rb") as stream:
                data = stream.read(limit + 1)
    except OSError as error:
        raise DatrackerError(
            f"cannot read {path}: {error.strerror}", "check the file's name and where it is"
        ) from error
    if len(data) > limit:
        raise _too_long(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatrackerError(f"{path} is not UTF-8 text", "save it as UTF-8 and retry") from error


@app.command()
def update(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action id, e.g. A5.")],
    rag: Annotated[
        str | None,
        typer.Option("--rag", metavar="RAG", help="The RAG, e.g. AMBER (any case)."),
    ] = None,
    status_: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Set the action's status: active, new, complete, removed or n/a.",
            callback=one_of(STATUSES),
            show_default=False,
        ),
    ] = None,
    qualifier: Annotated[
        str | None,
        typer.Option("--qualifier", metavar="TEXT", help='Words after the RAG ("" removes them).'),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", metavar="TEXT", help="The update text.")
    ] = None,
    text_file: Annotated[
        Path | None,
        typer.Option(
            "--text-file", metavar="FILE", help="Read the text from a file ('-': standard input)."
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="YYYY-MM-DD (default today).", callback=day),
    ] = None,
    review: OpenReview = None,
    dry_run: DryRun = False,
    commit: Commit = False,
    author: Author = None,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Record an action's update (RAG, text) for the open review; re-running replaces it.

    Given no --text and run in a terminal, it asks: it shows the action, its last update
    and RAG, offers the scale, and takes the text from $VISUAL/$EDITOR or typed lines.
    Fields not given on a re-run are kept from the review's earlier update.

    Example: datracker update A5 --rag green --text "Two workshops held with the police."
    """
    from datracker.edit.updates import UpdateRequest, record_update

    options = write_options(dry_run, commit, author)
    text = _given_text(text, text_file)
    root = plan_root(plan)
    asked = text is None and sys.stdin.isatty() and sys.stdout.isatty()
    if asked:
        from datracker.edit.planwrite import check_can_commit

        check_can_commit(root, options)
        rag, text = prompts.ask_update(root, action_id, review, rag)
    elif text is None and rag is None and status_ is None and qualifier is None:
        raise InvalidValue(
            "nothing to record: give --rag, --text, --text-file or --status",
            "or run it in a terminal to be asked for each",
        )
    request = UpdateRequest(action_id, rag, status_, qualifier, text, date, review)
    try:
        written = record_update(root, request, options)
    except DatrackerError as error:
        if asked and text:  # what was typed is not lost with the refusal
            from datracker.core.text import visible

            kept = "\n".join(f"  {line}" for line in visible(text).splitlines())
            said = "nothing was saved; the text you typed, to paste when you run it again:"
            error.hint = f"{error.hint}\n{said}\n{kept}" if error.hint else f"{said}\n{kept}"
        raise
    _report_written(written, output)


@app.command()
def measure(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action id, e.g. A5.")],
    measure_name: Annotated[
        str,
        typer.Argument(
            metavar="MEASURE", help="The measure's description, its start, or its number."
        ),
    ],
    period_: Annotated[
        str,
        typer.Option(
            "--period", metavar="PERIOD", help="e.g. 2021-10, 2021-Q3, 2021/22.", callback=period
        ),
    ],
    value: Annotated[
        str,
        typer.Option(
            "--value",
            metavar="NUMBER",
            help="The figure: a plain decimal number, e.g. 3.5 or 1000.",
            callback=number,
        ),
    ],
    of: Annotated[
        str | None,
        typer.Option(
            "--of", metavar="NUMBER", help="Out of how many (e.g. 42 --of 56).", callback=number
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A note on the figure.")
    ] = None,
    dry_run: DryRun = False,
    commit: Commit = False,
    author: Author = None,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Add a data point to a measure, or replace the one for the same period.

    Example: datracker measure A5 "Right to Ask" --period 2021-10 --value 3
    """
    from datracker.edit.updates import PointRequest, record_point

    options = write_options(dry_run, commit, author)
    figure = parse_number(value, "--value")
    out_of = parse_number(of, "--of") if of is not None else None
    request = PointRequest(action_id, measure_name, period_, figure, out_of, note)
    written = record_point(plan_root(plan), request, options)
    _report_written(written, output)


review_app = DatrackerTyper(
    help="Review cycles: open one, list them, record a priority's stated rating (assess), "
    "close one (tagging it in git), record its approval, and re-make missing tags.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


app.add_typer(review_app, name="review")


@review_app.command("open")
def review_open(
    label: Annotated[
        str,
        typer.Argument(metavar="LABEL", help="How the board papers name it, in quotes."),
    ],
    review_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="Short id (default: the date's YYYY-MM)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="YYYY-MM-DD or YYYY-MM (default today).",
            callback=partial_date,
        ),
    ] = None,
    author: ReviewAuthor = None,
    dry_run: DryRun = False,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Open a review, so updates can be recorded for it; only one can be open at a time.

    In git, commits plan.yaml (refused while plan.yaml has uncommitted changes).

    Example: datracker review open "Update April 2022" --id 2022-04 --date 2022-04-30
    """
    from datracker.edit.reviews import GitOptions, OpenRequest, open_review

    request = OpenRequest(label, review_id, date)
    written = open_review(plan_root(plan), request, GitOptions(author, dry_run))
    _report_written(written, output)


@review_app.command("list")
def review_list(
    plan: PlanDir = None,
    output: ListFormatOption = "text",
) -> None:
    """The reviews, oldest first, with how many actions have an update for each.

    Example: datracker review list --format md
    """
    from datracker.report.reviews import review_table, reviews_json, reviews_markdown, reviews_text

    loaded = load(plan)
    table = review_table(loaded.require_plan())
    if output == "json":
        typer.echo(reviews_json(table))
    elif output == "md":
        typer.echo(reviews_markdown(table))
    else:
        typer.echo(reviews_text(table))
    report_unread(loaded, "the review list above")


@review_app.command("assess")
def review_assess(
    priority_id: Annotated[
        str, typer.Argument(metavar="PRIORITY", help="The priority id, e.g. A.")
    ],
    rag: Annotated[
        str | None,
        typer.Option("--rag", metavar="RAG", help="The rating the board stated, e.g. AMBER."),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            metavar="TEXT",
            help='The board\'s words, e.g. "7 actions - 1 COMPLETE, 3 AMBER".',
        ),
    ] = None,
    text_file: Annotated[
        Path | None,
        typer.Option(
            "--text-file", metavar="FILE", help="Read the words from a file ('-': standard input)."
        ),
    ] = None,
    retain: Annotated[
        bool,
        typer.Option("--retain", help="Keep the rating stated at the previous review."),
    ] = False,
    review: OpenReview = None,
    dry_run: DryRun = False,
    commit: Commit = False,
    author: Author = None,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Record a priority's rating as the board or steering group stated it at this review.

    It is shown as the priority's rating, beside the roll-up computed from its actions.
    Re-running replaces it; fields not given are kept. Checked and written as `update` is.

    Example: datracker review assess C --rag RED --text "4 actions - 1 COMPLETE, 2 RED, 1 GREEN"
    """
    from datracker.edit.assessments import AssessRequest, record_assessment

    options = write_options(dry_run, commit, author)
    if text is not None and text_file is not None:
        raise InvalidValue("give --text or --text-file, not both", "keep one of them")
    root = plan_root(plan)
    if rag is None and text is None and text_file is None and not retain:
        raise InvalidValue(
            "nothing to record: give --rag, --retain, --text or --text-file",
            "e.g. datracker review assess A --rag AMBER",
        )
    request = AssessRequest(priority_id, rag, _given_text(text, text_file), retain, review)
    written = record_assessment(root, request, options)
    _report_written(written, output)


@review_app.command("close")
def review_close(
    review_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="The review (default: the open one).")
    ] = None,
    author: ReviewAuthor = None,
    dry_run: DryRun = False,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Close the open review. In git: commit plan.yaml and tag the commit review/<id>.

    Refused while the plan has uncommitted changes: the tag must mark what the board saw.
    Everything git needs is checked first; if git fails anyway, nothing is changed.

    Example: datracker review close
    """
    from datracker.edit.reviews import GitOptions, close_review

    written = close_review(plan_root(plan), review_id, GitOptions(author, dry_run))
    _report_written(written, output)
    if output == "text" and written.written and not written.commit:
        typer.echo("the plan is not in git, so no tag was made")


@review_app.command("approve")
def review_approve(
    review_id: Annotated[
        str, typer.Argument(metavar="ID", help="The closed review, e.g. 2022-01.")
    ],
    date: Annotated[
        str,
        typer.Option(
            "--date",
            metavar="DATE",
            help="The day the board approved it, YYYY-MM-DD.",
            callback=day,
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="BODY",
            help="Who approved it (default: the strategy's approving body).",
            show_default=False,
        ),
    ] = None,
    author: ReviewAuthor = None,
    dry_run: DryRun = False,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Record the board's approval of a closed review; in git, commit plan.yaml.

    The refresh document then says "Approved <date> by <body>" instead of DRAFT FOR APPROVAL.
    The review's tag stays on the commit that closed it: that is the plan the board approved.

    Example: datracker review approve 2022-01 --date 2022-02-09 --by "Health and Wellbeing Board"
    """
    from datracker.edit.reviews import ApproveRequest, GitOptions, approve_review

    request = ApproveRequest(review_id, date, by)
    written = approve_review(plan_root(plan), request, GitOptions(author, dry_run))
    _report_written(written, output)


@review_app.command("tag")
def review_tag(
    author: ReviewAuthor = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say which tags would be made; make none.")
    ] = False,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Make the missing review/<id> tags of closed reviews, on the commits that closed them.

    A fresh clone has no tags unless they were pushed; this finds each closed review's closing
    commit in plan.yaml's history and tags it. All or nothing.

    Example: datracker review tag
    """
    from datracker.vcs.reviewtags import tag_closed_reviews

    report = tag_closed_reviews(plan_root(plan), author, dry_run)
    if output == "json":
        from datracker.report.table import json_text

        tags = [{"review": m.review_id, "tag": m.tag, "commit": m.commit} for m in report.made]
        payload = {"dry_run": dry_run, "made": tags, "already": report.already}
        typer.echo(json_text(payload))
        return
    verb = "would tag" if dry_run else "tagged"
    for made in report.made:
        typer.echo(f"{verb} {made.tag} on {made.commit[:7]}, the commit that closed it")
    if not report.made and report.already:
        typer.echo(f"every closed review already has its tag: {', '.join(report.already)}")
    elif not report.made:
        typer.echo("no review is closed yet, so there is nothing to tag")
