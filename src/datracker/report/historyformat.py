"""How `diff` and `history` look: rich tables, GitHub Markdown (for a PR comment), JSON.

The JSON of `diff` is documented and stable, exactly:

    {"from": {"rev", "commit", "review"}, "to": {…},
     "changes": [{"priority", "id", "field", "before", "after", "direction", "review"}],
     "rollups": [{"priority", "before", "after", "computed_before", "computed_after"}]}

Arrows (▲ improved, ▼ worsened) are for a terminal only; elsewhere the plain words are used.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any

from datracker.plan.diff import Change, Rollup, Value
from datracker.plan.tree import indented_id
from datracker.report.escape import md_escape
from datracker.report.table import Cell, Table, columns, json_text, markdown, terminal, text_line
from datracker.vcs.history import DiffResult, Revision
from datracker.vcs.timeline import Timeline

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.progress import Progress

ARROWS = {"improved": "▲ improved", "worsened": "▼ worsened"}
DIFF_COLUMNS = ["ID", "Change", "Before", "After"]
HISTORY_COLUMNS = ["Date", "Commit", "Author", "Review", "RAG", "Status", "Update"]
LONG_TEXT = 100


def revision_name(revision: Revision) -> str:
    if revision.commit is None:
        return revision.rev
    short = revision.commit[:7]
    return short if revision.rev.lower() == revision.commit.lower() else f"{revision.rev} ({short})"


def summary(result: DiffResult) -> str:
    """`3 changes between A and B: 1 worsened, 2 added.` or an explicit no-changes line."""
    span = f"between {revision_name(result.before)} and {revision_name(result.after)}"
    if result.diff.is_empty:
        return f"No changes {span}."
    n = len(result.diff.changes)
    counts = ", ".join(f"{count} {kind}" for kind, count in result.diff.counts().items())
    return f"{n} change{'' if n == 1 else 's'} {span}: {counts}."


def _value(value: Value) -> str:
    if value is None:
        return "—"
    text = ", ".join(value) if isinstance(value, list) else " ".join(value.split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _change_cell(change: Change, arrows: bool) -> str:
    if change.field == "rag" and change.direction:
        return f"RAG {ARROWS[change.direction] if arrows else change.direction}"
    return change.label


def _rollup_line(rollup: Rollup) -> str:
    """The priority's line on each side: the stated rating (if any), then the roll-up
    labelled "computed", as `status` prints them."""
    if rollup.before is None:
        return f"rating: {rollup.after} (new priority)"
    if rollup.after is None:
        return f"rating: {rollup.before} (no longer in the plan)"
    if rollup.before == rollup.after:
        return f"rating unchanged: {rollup.after}"
    return f"rating: {rollup.before} → {rollup.after}"


def diff_table(result: DiffResult, priority: str, arrows: bool) -> Table:
    """The priority's changes (then its unchanged actions, with --all), a row each; a
    sub-action's id shows its depth ("↳ 2.6.1")."""
    styles = {"improved": "green", "worsened": "bold red"}
    table = Table(columns(*DIFF_COLUMNS))
    for c in result.diff.changes:
        if c.priority == priority:
            style = styles[c.direction] if c.direction else None
            change = Cell(_change_cell(c, arrows), c.field, style)
            table.add(
                Cell(indented_id(c.id, c.depth), c.id), change, _value(c.before), _value(c.after)
            )
    for u in result.diff.unchanged:
        if u.priority == priority:
            table.add(Cell(indented_id(u.id, u.depth), u.id), "unchanged", u.label, u.label)
    return table


def diff_json(result: DiffResult) -> str:
    payload = {
        "from": result.before.as_json(),
        "to": result.after.as_json(),
        "changes": [
            {
                "priority": c.priority,
                "id": c.id,
                "field": c.field,
                "before": c.before,
                "after": c.after,
                "direction": c.direction,
                "review": c.review,
            }
            for c in result.diff.changes
        ],
        "rollups": [
            {
                "priority": r.priority,
                "before": r.before,
                "after": r.after,
                "computed_before": r.computed_before,
                "computed_after": r.computed_after,
            }
            for r in result.diff.rollups
        ],
    }
    return json_text(payload)


def diff_markdown(result: DiffResult) -> str:
    before, after = revision_name(result.before), revision_name(result.after)
    lines = [f"## Changes from {md_escape(before)} to {md_escape(after)}", ""]
    for rollup in result.diff.rollups:
        lines += [f"### {md_escape(rollup.priority)}. {md_escape(rollup.title)}", ""]
        line = md_escape(_rollup_line(rollup))
        lines += [line[:1].upper() + line[1:], ""]
        table = diff_table(result, rollup.priority, arrows=False)
        if table.rows:
            lines += [*markdown(table), ""]
    lines.append(md_escape(summary(result)))
    return "\n".join(lines)


def diff_tables(result: DiffResult, arrows: bool) -> list[RenderableType]:
    """Rich renderables; every cell is a Text so a '[' in a plan's text is never markup."""
    before, after = revision_name(result.before), revision_name(result.after)
    renderables: list[RenderableType] = [
        text_line(f"Changes from {before} to {after}", style="bold")
    ]
    for rollup in result.diff.rollups:
        renderables.append(text_line(f"\n{rollup.priority}. {rollup.title}", style="bold"))
        renderables.append(text_line(_rollup_line(rollup)))
        renderables.append(terminal(diff_table(result, rollup.priority, arrows)))
    renderables.append(text_line(summary(result)))
    return renderables


# --- history --------------------------------------------------------------------------------


def history_table_model(timeline: Timeline) -> Table:
    table = Table(columns(*HISTORY_COLUMNS), title=f"History of {timeline.action_id}")
    for e in timeline.entries:
        text = _short(e.text) if e.text else None
        table.add(e.date, e.short, e.author, e.review, e.rag, e.status, text)
    return table


def history_json(timeline: Timeline) -> str:
    payload: dict[str, Any] = {
        "id": timeline.action_id,
        "since": timeline.since,
        "entries": [
            {
                "date": e.date,
                "commit": e.commit,
                "author": e.author,
                "priority": e.priority,
                "review": e.review,
                "rag": e.rag,
                "status": e.status,
                "text": e.text,
            }
            for e in timeline.entries
        ],
    }
    return json_text(payload)


def history_summary(timeline: Timeline) -> str:
    n = len(timeline.entries)
    since = f" since {timeline.since}" if timeline.since else ""
    if not n:
        return f"No commits changed {timeline.action_id}{since}."
    return f"{n} commit{'' if n == 1 else 's'} changed {timeline.action_id}{since}."


def history_markdown(timeline: Timeline) -> str:
    table = history_table_model(timeline)
    lines = [f"## {md_escape(table.title or '')}", ""]
    if table.rows:
        lines += [*markdown(table), ""]
    lines.append(md_escape(history_summary(timeline)))
    return "\n".join(lines)


def history_table(timeline: Timeline) -> list[RenderableType]:
    return [terminal(history_table_model(timeline)), text_line(history_summary(timeline))]


class HistoryProgress:
    """A progress bar on stderr for long histories, only on a terminal and never in CI."""

    MIN_COMMITS = 200

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self._bar: Progress | None = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.MIN_COMMITS:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("reading history", total=total)
        self._bar.update(self._task, completed=done)

    def __enter__(self) -> HistoryProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
