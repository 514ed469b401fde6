"""`datracker status`: a rating line per priority (stated and computed), a table of actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datracker.plan.models import Action, Plan
from datracker.plan.status import PriorityStatus, count_label, status_json
from datracker.plan.tree import indented_id, ordered
from datracker.report.escape import md_escape
from datracker.report.table import (
    EMPTY,
    Cell,
    Table,
    columns,
    json_text,
    markdown,
    terminal,
    text_line,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

STATUS_COLUMNS = ["ID", "RAG / status", "By whom", "By when", "Last update"]


def priority_heading(status: PriorityStatus) -> str:
    """`A. Title — AMBER (stated: …); computed: AMBER/RED (…) [focus]`."""
    marks = " [focus]" if status.priority.focus else ""
    marks += " [draft for approval]" if status.priority.draft else ""
    return f"{status.priority.id}. {status.priority.title} — {status.line}{marks}"


def owner_names(plan: Plan, owner_ids: list[str]) -> str:
    names = []
    for owner_id in owner_ids:
        owner = plan.config.owner(owner_id)
        names.append(owner.name if owner else owner_id)
    return " / ".join(names)


def rag_cell(action: Action) -> str:
    label = count_label(action)
    return f"{label} ({action.qualifier})" if action.qualifier and action.is_open else label


def _last_update(action: Action) -> str:
    if not action.updates:
        return EMPTY
    last = action.updates[-1]
    return f"{last.review}" + (f" ({last.date})" if last.date else "")


def status_table(plan: Plan, status: PriorityStatus) -> Table:
    """One row per action, sub-actions straight after their parent ("↳ 2.6.1")."""
    colours = {level.id: level.colour for level in plan.config.scale}
    table = Table(columns(*STATUS_COLUMNS), title=priority_heading(status))
    for action, depth in ordered(status.actions):
        colour = colours.get(action.rag or "") if action.is_open else None
        rag = Cell(rag_cell(action), action.rag, f"bold {colour}" if colour else None)
        owners = owner_names(plan, action.owners) or None
        shown_id = Cell(indented_id(action.id, depth), action.id)
        table.add(shown_id, rag, owners, action.due, _last_update(action))
    return table


def title(plan: Plan) -> str:
    """The strategy and the review the plan stands at, whose stated ratings are shown."""
    review = plan.config.current_review
    strategy = plan.config.strategy
    period = f" {strategy.period}" if strategy.period else ""
    return f"{strategy.title}{period}" + (f" — {review.label}" if review else "")


def status_tables(plan: Plan, statuses: list[PriorityStatus]) -> list[RenderableType]:
    renderables: list[RenderableType] = [text_line(title(plan), style="bold")]
    renderables += [terminal(status_table(plan, status)) for status in statuses]
    return renderables


def status_markdown(plan: Plan, statuses: list[PriorityStatus]) -> str:
    lines = [f"# {md_escape(title(plan))}", ""]
    for status in statuses:
        lines += markdown(status_table(plan, status), "## ")
        lines.append("")
    return "\n".join(lines)


def status_json_text(plan: Plan, statuses: list[PriorityStatus]) -> str:
    return json_text(status_json(plan, statuses))
