"""`datracker show <priority id>`: one priority, its stated ratings and its computed roll-up.

The stated rating (what the board or steering group said, with its words) is the priority's
rating for the review; the roll-up is always labelled "computed" beside it, so nobody takes
datracker's arithmetic for the board's judgement.
"""

from __future__ import annotations

from typing import Any

from datracker.plan.models import Plan, PriorityFile
from datracker.plan.status import priority_json, priority_status, stated_rating
from datracker.report.formats import owner_names, priority_heading, rag_cell


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
    lines += ["", "Actions:" if status.actions else "Actions: none"]
    width = max((len(a.id) for a in status.actions), default=0)
    for action in status.actions:
        owners = owner_names(plan, action.owners)
        lines.append(
            f"  {action.id:<{width}}  {rag_cell(action)}" + (f" — {owners}" if owners else "")
        )
    return "\n".join(lines)


def priority_show_json(plan: Plan, priority: PriorityFile) -> dict[str, Any]:
    """The priority as `status --format json` gives it, with every stated rating."""
    config = plan.config
    data = priority_json(config, priority_status(config, priority))
    review = config.current_review
    data["review"] = {"id": review.id, "label": review.label} if review else None
    data["note"] = priority.note
    data["assessments"] = [a.model_dump() for a in priority.assessments]
    return data
