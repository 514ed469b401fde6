"""The command line: parse, call the core, print, choose the exit code. Nothing else lives here.

Exit codes: 0 ok; 1 problems found or the command could not be done; 2 usage (a wrong option);
3 an unexpected internal error (a bug: please report it); 130 interrupted with Ctrl-C.
Heavy libraries (rich tables, docx, git) are imported inside the commands that use them, so
`datracker --help` and `validate` start quickly.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from datracker import __version__
from datracker.problems import DatrackerError, has_errors

if TYPE_CHECKING:
    from datracker.historyformat import HistoryProgress
    from datracker.models import Action, Plan, PriorityFile
    from datracker.store import LoadedPlan
    from datracker.timeline import Timeline

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

    from datracker.chase import chase as find_missing
    from datracker.chase import chase_json, choose_review

    the_plan = _load(plan).require_plan()
    report = find_missing(the_plan, choose_review(the_plan, review), dt.date.today())
    if output is ListFormat.json:
        typer.echo(json.dumps(chase_json(report), indent=2, ensure_ascii=False))
    elif output is ListFormat.md:
        from datracker.formats import chase_markdown

        typer.echo(chase_markdown(the_plan, report))
    elif report.reminders:
        from rich.console import Console

        from datracker.formats import chase_table

        Console().print(chase_table(report))
    else:
        typer.echo(f"Every open action has an update for {report.review.label}.")
    raise typer.Exit(1 if fail_if_missing and report.reminders else 0)


@app.command()
def codeowners(plan: PlanDir = None) -> None:
    """Print a CODEOWNERS file: each priority file's owners (forge handles) and maintainers.

    Owners need `handles` (or `git_emails`) in plan.yaml's owners directory.

    Example: datracker codeowners > .github/CODEOWNERS
    """
    from datracker.codeowners import codeowners_entries, codeowners_text
    from datracker.gitrepo import open_plan_repo

    loaded = _load(plan)
    repo = open_plan_repo(loaded.root)
    prefix = repo.plan_prefix if repo else os.path.relpath(loaded.root)
    entries = codeowners_entries(loaded, "" if prefix == "." else prefix)
    typer.echo(codeowners_text(entries), nl=False)
    for entry in entries:
        if not entry.identities:
            typer.echo(f"warning: {entry.path}: {entry.unowned_reason}", err=True)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the plan repository.")] = Path(
        "."
    ),
    title: Annotated[str, typer.Option("--title", help="The strategy's title.")] = "Our Strategy",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Start a new plan repository: a small valid plan, a CI workflow and a pre-commit hook.

    Writes plan/, schema/, .github/workflows/datracker.yml and .pre-commit-config.yaml;
    refuses to overwrite existing files unless --force.

    Example: datracker init my-strategy --title "Domestic Abuse Strategy 2024-2027"
    """
    import datetime as dt

    from datracker.scaffold import scaffold_files, write_scaffold

    written = write_scaffold(directory, scaffold_files(title, dt.date.today()), force)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"next: cd {directory} && git init && datracker validate")


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
    from datracker.check import run_check
    from datracker.checkformat import check_github, check_json, check_markdown
    from datracker.store import resolve_plan_dir

    plan_dir = resolve_plan_dir(plan)
    result = run_check(plan_dir, base, head)
    prefix = _display_prefix(plan_dir)
    if output is CheckFormat.json:
        typer.echo(check_json(result))
    elif output is CheckFormat.github:
        text = check_github(result, prefix)
        if text:
            typer.echo(text)
    else:
        typer.echo(check_markdown(result, prefix), nl=False)
    raise typer.Exit(0 if result.valid and result.permitted else 1)


PROGRESS_MIN_ROWS = 500  # below this an import is over before a bar would be worth drawing


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command("import")
def import_plan(
    source: Annotated[Path, typer.Argument(metavar="FILE", help="A .docx, .xlsx or .csv file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The plan directory to create.")],
    review_label: Annotated[
        str | None,
        typer.Option(
            "--review-label",
            help='The review the update column reports for, e.g. "Update January 2022" '
            "(default: the update column's header).",
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Only this sheet of an .xlsx file.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the report as Markdown here.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace plan.yaml and priorities/ in --output.")
    ] = False,
) -> None:
    """Make a plan directory from a delivery plan in Word, Excel or CSV, and report every guess.

    Columns are found by their headers (Objective, Action, Suggested measure, By whom,
    Update <month year>, RAG, By when); priorities by headings such as "Priority A: …".
    Nothing is written unless the whole plan imports and validates.

    Example: datracker import delivery-plan.docx --output plan --report import-report.md
    """
    from datracker.formats import problems_summary
    from datracker.importing.output import check_output, import_file
    from datracker.importing.report import report_markdown, report_text
    from datracker.importing.tables import read_source

    check_output(output, force)
    document = read_source(source, sheet)
    rows = sum(len(t.rows) for t in document.tables)
    with _import_progress(rows) as advance:
        result = import_file(
            source,
            output,
            review_label=review_label,
            sheet=sheet,
            force=force,
            progress=advance,
            source=document,
        )
    shown = _display_prefix(output)
    typer.echo(report_text(result.report, shown))
    summary = problems_summary(result.problems, len(result.files), result.report.actions)
    typer.echo(f"validate: {summary}")
    if report is not None:
        report.write_text(report_markdown(result.report, shown), encoding="utf-8")
        typer.echo(f"wrote {report}")
    typer.echo(f"next: datracker validate --plan {shown}")


@contextlib.contextmanager
def _import_progress(rows: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar for big imports, on a terminal only: never in pipes, CI or files."""
    if rows < PROGRESS_MIN_ROWS or not sys.stdout.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("importing rows", total=rows)
        yield lambda n: bar.advance(task, n)


@app.command()
def export(
    plan: PlanDir = None,
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv, xlsx or json.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (default: standard output)."),
    ] = None,
    excel_csv: Annotated[
        bool, typer.Option("--excel-csv", help="Start the CSV with a BOM so Excel reads UTF-8.")
    ] = False,
) -> None:
    """The plan as one row per action, for Excel, Power BI or scripts.

    Columns: priority, id, objective, action, measures, owners, due, status, RAG, qualifier,
    note and the latest update (review, date, text). xlsx needs --output.

    Example: datracker export --format xlsx --output plan.xlsx
    """
    from datracker.export import export_csv, export_json, export_rows, write_xlsx

    the_plan = _load(plan).require_plan()
    rows = export_rows(the_plan)
    if output_format is ExportFormat.xlsx:
        if output is None:
            raise DatrackerError("--format xlsx needs --output FILE.xlsx")
        write_xlsx(the_plan, rows, output)
    else:
        text = export_json(rows) if output_format is ExportFormat.json else export_csv(rows)
        if excel_csv and output_format is ExportFormat.csv:
            text = "\ufeff" + text
        if output is None:
            sys.stdout.write(text)
            return
        output.write_text(text, encoding="utf-8", newline="")
    typer.echo(f"wrote {output} ({len(rows)} actions)", err=True)


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


@app.command()
def diff(
    from_rev: Annotated[
        str | None,
        typer.Argument(
            metavar="[FROM]",
            help="A commit, branch, tag, review id or WORKTREE "
            "(default: the latest closed review's tag, else HEAD).",
            show_default=False,
        ),
    ] = None,
    to_rev: Annotated[
        str | None,
        typer.Argument(
            metavar="[TO]",
            help="As FROM (default: WORKTREE, the files on disk).",
            show_default=False,
        ),
    ] = None,
    plan: PlanDir = None,
    output: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help="table (default), json or md.", show_default=False),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="List unchanged actions and every roll-up too.")
    ] = False,
) -> None:
    """What changed in the plan between two points of its git history, by action id.

    RAG changes with their direction, statuses (completed, removed, reinstated, marked N/A),
    actions added or deleted, owners, due dates, measure targets, baselines and new data,
    wording; and each changed priority's roll-up before and after.

    Example: datracker diff 2022-01 WORKTREE --format md
    """
    from datracker.history import diff_revisions
    from datracker.historyformat import diff_json, diff_markdown, diff_tables
    from datracker.store import resolve_plan_dir

    result = diff_revisions(resolve_plan_dir(plan), from_rev, to_rev, show_all)
    _warn_all(result.warnings)
    if output is ListFormat.json:
        typer.echo(diff_json(result))
    elif output is ListFormat.md:
        typer.echo(diff_markdown(result))
    else:
        from rich.console import Console

        console = Console()
        for renderable in diff_tables(result, arrows=sys.stdout.isatty()):
            console.print(renderable)


@app.command()
def history(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action id, e.g. A5.")],
    plan: PlanDir = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only commits after this revision.", show_default=False),
    ] = None,
    output: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help="table (default), json or md.", show_default=False),
    ] = None,
) -> None:
    """One action's timeline: each commit that changed it, newest first.

    Date, commit, author, review, RAG, status and the first line of the update, following the
    action when it moves between files.

    Example: datracker history A5 --since 2022-01
    """
    from datracker.historyformat import (
        HistoryProgress,
        history_json,
        history_markdown,
        history_table,
    )
    from datracker.store import resolve_plan_dir
    from datracker.timeline import action_history

    plan_dir = resolve_plan_dir(plan)
    with HistoryProgress(enabled=output not in (ListFormat.json, ListFormat.md)) as progress:
        timeline = action_history(plan_dir, action_id.strip(), since, progress)
    if not timeline.entries and since is None:
        timeline = _retry_loosely(plan_dir, timeline, progress)
    _warn_all(timeline.warnings)
    if output is ListFormat.json:
        typer.echo(history_json(timeline))
    elif output is ListFormat.md:
        typer.echo(history_markdown(timeline))
    else:
        from rich.console import Console

        console = Console()
        for renderable in history_table(timeline):
            console.print(renderable)


def _retry_loosely(plan_dir: Path, timeline: Timeline, progress: HistoryProgress) -> Timeline:
    """An id never seen: try the current plan's spelling (a5 → A5), else say what exists."""
    from datracker.timeline import action_history

    loaded = _load(plan_dir)
    if loaded.plan is None:
        return timeline
    _, action = _find_loosely(loaded.plan, timeline.action_id)
    if action.id == timeline.action_id:
        return timeline
    return action_history(plan_dir, action.id, None, progress)


def _warn_all(warnings: list[str]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


# --- recording: update, measure, review -------------------------------------------------------


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
    from datracker.dates import PERIOD_HINT, parse_period

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
    from datracker.planwrite import Written

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
    from datracker.planwrite import Options
    from datracker.store import resolve_plan_dir
    from datracker.updates import UpdateRequest, record_update

    _commit_options(commit, author)
    if text is not None and text_file is not None:
        raise typer.BadParameter("give --text or --text-file, not both", param_hint="--text")
    if text_file is not None:
        text = _read_text_file(text_file)
    new_status = status_.value if status_ is not None else None
    if text is None and sys.stdin.isatty() and sys.stdout.isatty():
        rag, text = _ask_update(plan, action_id, review, rag)
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


def _ask_update(
    plan: Path | None, action_id: str, review_id: str | None, rag: str | None
) -> tuple[str | None, str]:
    """The interactive questions; Ctrl-C here (or in the editor) writes nothing: exit 130."""
    from datracker.updates import choose_review, find_action

    the_plan = _load(plan).require_plan()
    priority, action = find_action(the_plan, action_id)
    review = choose_review(the_plan.config, review_id)
    try:
        typer.echo(f"{action.id} ({priority.id}): {action.action or action.objective or ''}")
        last = action.updates[-1] if action.updates else None
        typer.echo(f"Current RAG: {action.rag or 'NOT RATED'}")
        if last is not None:
            typer.echo(f"Last update ({last.review}): {(last.text or '—')[:300]}")
        typer.echo(f"Recording the update for {review.label} ({review.id}).")
        if rag is None:
            rag = _ask_rag([level.id for level in the_plan.config.scale], action.rag)
        text = _ask_text(action.id, review.label)
    except KeyboardInterrupt:
        typer.echo("\ninterrupted; nothing was written", err=True)
        raise typer.Exit(130) from None
    return rag, text


def _ask_rag(scale: list[str], current: str | None) -> str | None:
    from datracker.rag import normalise_rag

    for number, level in enumerate(scale, 1):
        typer.echo(f"  {number}. {level}")
    default = f" [{current}]" if current else ""
    while True:
        answer = _input(f"RAG (number or name){default}: ").strip()
        if not answer:
            return current
        if answer.isdigit() and 1 <= int(answer) <= len(scale):
            return scale[int(answer) - 1]
        found = normalise_rag(answer, scale)
        if found:
            return found
        typer.echo(f"'{answer}' is not on the scale; choose one of: {', '.join(scale)}")


def _ask_text(action_id: str, label: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        template = (
            f"\n# Write {action_id}'s update for {label} above. Lines starting with '#' are "
            "ignored.\n# Save and close the editor to record it; leave it empty to cancel.\n"
        )
        lines = _edit_in_editor(editor, template).splitlines()
        return "\n".join(line for line in lines if not line.startswith("#")).strip()
    typer.echo("Type the update; finish with a line holding only '.' (or Ctrl-D).")
    lines = []
    while True:
        try:
            line = input()
        except EOFError:
            break
        if line.strip() == ".":
            break
        lines.append(line)
    return "\n".join(lines).strip()


def _edit_in_editor(editor: str, template: str) -> str:
    """Open $VISUAL/$EDITOR on a temporary file, as git does, and return what was saved."""
    import shlex
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="datracker-") as folder:
        path = Path(folder) / "UPDATE.txt"
        path.write_text(template, encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as error:
            raise DatrackerError(
                f"cannot start the editor '{editor}': {error.strerror}",
                "set VISUAL or EDITOR to an editor that exists, or unset both to type the text",
            ) from error
        if done.returncode != 0:
            raise DatrackerError(f"the editor exited with code {done.returncode}; nothing written")
        return path.read_text(encoding="utf-8", errors="replace")


def _input(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        typer.echo("\nno answer; nothing was written", err=True)
        raise typer.Exit(1) from None


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
    from datracker.planwrite import Options
    from datracker.store import resolve_plan_dir
    from datracker.updates import PointRequest, record_point

    _commit_options(commit, author)
    number = _number(value)
    assert number is not None
    request = PointRequest(action_id, measure_name, period, number, _number(of), note)
    written = record_point(
        resolve_plan_dir(plan), request, Options(dry_run=dry_run, commit=commit, author=author)
    )
    _report_written(written)


review_app = typer.Typer(
    help="Review cycles: open one, list them, close one (tagging it in git).",
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
    from datracker.planwrite import Options
    from datracker.reviews import OpenRequest, open_review
    from datracker.store import resolve_plan_dir

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
    from datracker.reviews import review_rows, reviews_json, reviews_markdown, reviews_table

    rows = review_rows(_load(plan).require_plan())
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
    from datracker.reviews import TAG_PREFIX, close_review
    from datracker.store import resolve_plan_dir

    written = close_review(resolve_plan_dir(plan), review_id, author, dry_run)
    _report_written(written)
    if written.written and written.commit:
        closed = written.change.commit_message.split()[2]
        typer.echo(f"tagged {TAG_PREFIX}{closed} on {written.commit[:7]}")
    elif written.written:
        typer.echo("the plan is not in git, so no tag was made")


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
