"""The plan through time: diff between revisions, and one action's history."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datracker.core.problems import DatrackerError

if TYPE_CHECKING:
    from datracker.report.historyformat import HistoryProgress
    from datracker.vcs.timeline import Timeline

from datracker.cli.app import ListFormatOption, PlanDir, app, load, plan_root


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
    output: ListFormatOption = "text",
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
    from datracker.report.historyformat import diff_json, diff_markdown, diff_tables
    from datracker.report.table import print_all
    from datracker.vcs.history import diff_revisions

    result = diff_revisions(plan_root(plan), from_rev, to_rev, show_all)
    _note_all(result.notes)
    _warn_all(result.warnings)
    if output == "json":
        typer.echo(diff_json(result))
    elif output == "md":
        typer.echo(diff_markdown(result))
    else:
        print_all(diff_tables(result, arrows=sys.stdout.isatty()))
    if result.left_out:  # a partial comparison: stderr said what it leaves out
        typer.echo("error: the comparison above leaves out what is listed", err=True)
        raise typer.Exit(1)


@app.command()
def history(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action id, e.g. A5.")],
    plan: PlanDir = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="REV", help="Only commits after this revision.", show_default=False
        ),
    ] = None,
    output: ListFormatOption = "text",
) -> None:
    """One action's timeline: each commit that changed it, newest first.

    Date, commit, author, review, RAG, status and the first line of the update, following the
    action when it moves between files.

    Example: datracker history A5 --since 2022-01
    """
    from datracker.report.historyformat import (
        HistoryProgress,
        history_json,
        history_markdown,
        history_table,
    )
    from datracker.report.table import print_all
    from datracker.vcs.timeline import action_history

    plan_dir = plan_root(plan)
    with HistoryProgress(enabled=output == "text") as progress:
        timeline = action_history(plan_dir, action_id.strip(), since, progress)
    if not timeline.entries and since is None:
        timeline = _retry_loosely(plan_dir, timeline, progress)
    _note_all(timeline.notes)
    _warn_all(timeline.warnings)
    if output == "json":
        typer.echo(history_json(timeline))
    elif output == "md":
        typer.echo(history_markdown(timeline))
    else:
        print_all(history_table(timeline))


def _retry_loosely(plan_dir: Path, timeline: "Timeline", progress: "HistoryProgress") -> "Timeline":
    """An id never seen: try the current plan's spelling (a5 → A5), else say what exists."""
    from datracker.vcs.timeline import action_history

    loaded = load(plan_dir)
    if loaded.plan is None:
        return timeline
    from datracker.plan.lookup import find_action

    try:
        _, action = find_action(loaded.plan, timeline.action_id)
    except DatrackerError:
        # "no action A5" only when the whole plan was read: a broken file may hold it
        loaded.require_whole_plan(timeline.action_id)
        raise
    if action.id == timeline.action_id:
        return timeline
    return action_history(plan_dir, action.id, None, progress)


def _note_all(notes: list[str]) -> None:
    from datracker.core.text import visible

    for note in notes:
        typer.echo(f"note: {visible(note)}", err=True)


def _warn_all(warnings: list[str]) -> None:
    from datracker.core.text import visible

    for warning in warnings:
        typer.echo(f"warning: {visible(warning)}", err=True)
