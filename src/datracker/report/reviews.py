"""`datracker review list`: every review with how many actions have an update for it."""

from __future__ import annotations

from typing import Any

from datracker.plan.models import Plan
from datracker.report.table import Cell, Column, Table, json_text, markdown, plain, records

REVIEW_COLUMNS = [
    Column("ID", "id"),
    Column("Label", "label"),
    Column("Date", "date"),
    Column("Status", "status"),
    Column("Approved", "approved"),
    Column("Approved by", "approved_by"),
    Column("Updates", "updates"),
]


def review_table(plan: Plan) -> Table:
    """One row per review; the JSON keeps each value's type (a count, a date or null)."""
    actions = [a for _, a in plan.actions()]
    table = Table(list(REVIEW_COLUMNS))
    for review in plan.config.reviews:
        updated = sum(1 for a in actions if a.update_for(review.id) is not None)
        table.add(
            review.id,
            review.label,
            review.date,
            review.status,
            review.approved,
            review.approved_by,
            Cell(str(updated), updated),
        )
    return table


def reviews_json(table: Table) -> str:
    payload: dict[str, Any] = {"reviews": records(table)}
    return json_text(payload)


def reviews_markdown(table: Table) -> str:
    return "\n".join(markdown(table))


def reviews_text(table: Table) -> str:
    return plain(table) if table.rows else "no reviews yet"
