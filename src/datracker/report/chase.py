"""`datracker chase`: who owes an update, as a terminal table and as one reminder per owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datracker.plan.models import Plan
from datracker.plan.status import NOT_RATED_LABEL
from datracker.report.escape import md_escape
from datracker.report.problems import plural
from datracker.report.table import Column, Table, columns, markdown, terminal

if TYPE_CHECKING:
    from rich.console import RenderableType

    from datracker.plan.chase import ChaseReport, MissingAction

CHASE_COLUMNS = ["Owner", "Action", "Priority", "RAG", "Last update", "By when"]


def _chase_cells(missing: MissingAction) -> list[str]:
    last = missing.last_date or missing.last_review or "never"
    due = (missing.due or "—") + (" (overdue)" if missing.overdue else "")
    return [missing.id, missing.priority, missing.rag or NOT_RATED_LABEL, last, due]


def chase_table(report: ChaseReport) -> RenderableType:
    title = f"No update yet for {report.review.label}: {plural(report.missing_count, 'action')}"
    table = Table(columns(*CHASE_COLUMNS), title=title)
    for reminder in report.reminders:
        for missing in reminder.actions:
            table.add(reminder.name, *_chase_cells(missing))
    return terminal(table)


def _reminder_table(actions: list[MissingAction]) -> Table:
    table = Table([Column(title) for title in CHASE_COLUMNS[1:]])
    for missing in actions:
        table.add(*_chase_cells(missing))
    return table


def chase_markdown(plan: Plan, report: ChaseReport) -> str:
    """One reminder per owner, ready to paste into an e-mail or a pull-request comment."""
    strategy = plan.config.strategy.title
    if not report.reminders:
        return f"Every action has an update for {md_escape(report.review.label)}.\n"
    parts = []
    for reminder in report.reminders:
        lines = [
            f"## Reminder for {md_escape(reminder.name)}",
            "",
            f"The **{md_escape(report.review.label)}** review of the {md_escape(strategy)} "
            f"delivery plan is open, and there is no update yet for "
            f"{'this action' if len(reminder.actions) == 1 else 'these actions'}:",
            "",
            *markdown(_reminder_table(reminder.actions)),
            "",
            "Please send a short update and a RAG rating for each, or propose them in a pull "
            "request to the plan.",
            "",
        ]
        parts.append("\n".join(lines))
    return "\n".join(parts)
