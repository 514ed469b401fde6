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
