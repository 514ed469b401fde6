"""`datracker show <priority id>`: one priority, its stated ratings and its computed roll-up.

The stated rating (what the board or steering group said, with its words) is the priority's
rating for the review; the roll-up is always labelled "computed" beside it, so nobody takes
datracker's arithmetic for the board's judgement. The actions are listed through the one table
model (report/table.py), as `status` lists them, so plan text is escaped the same way.
"""

from __future__ import annotations

from typing import Any

from datracker.core.text import visible
from datracker.plan.models import Plan, PriorityFile
from datracker.plan.status import PriorityStatus, priority_json, priority_status, stated_rating
from datracker.plan.tree import indented_id, ordered
from datracker.report.status import owner_names, priority_heading, rag_cell
from datracker.report.table import Cell, Table, columns, json_text, plain

ACTION_COLUMNS = ["ID", "RAG / status", "By whom"]


def priority_text(plan: Plan, priority: PriorityFile) -> str:
    config = plan.config
    status = priority_status(config, priority)
    review = config.current_review
    lines = [priority_heading(status)]
    if review is not None:
        rating = f"{status.stated.rag} (stated)" if status.stated else "none stated"
        lines.append(f"Rating for {review.label}: {rating}")
    lines.append(f"Computed by the '{config.rollup}' rule: {status.summary}")
    if priority.note:
        lines.append(f"Note: {' '.join(priority.note.split())}")
    lines += ["", "Stated ratings:" if priority.assessments else "Stated ratings: none recorded"]
    for found in reversed(config.reviews):
        stated = stated_rating(config, priority, found)
        if stated is not None:
            lines.append(f"  {found.label}: {stated.line}")
    text = visible("\n".join(lines))
    if not status.actions:
        return f"{text}\n\nActions: none"
    return f"{text}\n\nActions:\n{plain(actions_table(plan, status))}"


def actions_table(plan: Plan, status: PriorityStatus) -> Table:
    """The priority's actions, sub-actions straight after their parent, as `status` orders them."""
    table = Table(columns(*ACTION_COLUMNS))
    for action, depth in ordered(status.actions):
        owners = owner_names(plan, action.owners) or None
        table.add(Cell(indented_id(action.id, depth), action.id), rag_cell(action), owners)
    return table


def priority_show_json(plan: Plan, priority: PriorityFile) -> str:
    """The priority as `status --format json` gives it, with every stated rating."""
    config = plan.config
    data: dict[str, Any] = priority_json(config, priority_status(config, priority))
    review = config.current_review
    data["review"] = {"id": review.id, "label": review.label} if review else None
    data["note"] = priority.note
    data["assessments"] = [a.model_dump() for a in priority.assessments]
    return json_text(data)
