"""Who has not reported yet: the strategy lead's list before a review, grouped by owner.

An action is missing when it is still being delivered (active or new) and has no update for
the review being chased. Each owner gets their own list, because the lead writes one reminder
per person, not one per action.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from datracker.core.dates import due_span
from datracker.core.problems import DatrackerError
from datracker.plan.models import Action, Plan, Review

NO_OWNER = "(no owner)"


@dataclass(frozen=True)
class MissingAction:
    id: str
    priority: str
    rag: str | None
    last_review: str | None
    last_date: str | None
    due: str | None
    overdue: bool


@dataclass(frozen=True)
class OwnerReminder:
    owner_id: str | None
    name: str
    email: str | None
    actions: list[MissingAction]


@dataclass(frozen=True)
class ChaseReport:
    review: Review
    reminders: list[OwnerReminder]

    @property
    def missing_count(self) -> int:
        return len({a.id for r in self.reminders for a in r.actions})


def choose_review(plan: Plan, review_id: str | None) -> Review:
    if review_id is not None:
        review = plan.config.review(review_id)
        if review is None:
            known = ", ".join(r.id for r in plan.config.reviews) or "none"
            raise DatrackerError(f"no review '{review_id}' in plan.yaml", f"reviews are: {known}")
        return review
    review = plan.config.open_review
    if review is None:
        raise DatrackerError(
            "no review is open, so there is nothing to chase",
            'open one with: datracker review open "Update April 2022", or name one with --review',
        )
    return review


def chase(plan: Plan, review: Review, as_of: dt.date) -> ChaseReport:
    """The actions missing an update for `review`, by owner; due dates judged at `as_of`
    (the CLI's default is the review's own date, so a past review is chased as it stood)."""
    by_owner: dict[str | None, list[MissingAction]] = {}
    for priority, action in plan.actions():
        if not action.is_open or action.update_for(review.id) is not None:
            continue
        missing = _missing(plan, priority.id, action, as_of)
        owner_ids: list[str | None] = list(action.owners) or [None]
        for owner_id in owner_ids:
            by_owner.setdefault(owner_id, []).append(missing)
    reminders = [_reminder(plan, owner_id, actions) for owner_id, actions in by_owner.items()]
    reminders.sort(key=lambda r: (r.owner_id is None, r.name.lower()))
    return ChaseReport(review, reminders)


def _missing(plan: Plan, priority_id: str, action: Action, as_of: dt.date) -> MissingAction:
    last = action.updates[-1] if action.updates else None
    last_date = None
    if last is not None:
        review = plan.config.review(last.review)
        last_date = last.date or (review.date if review else None)
    span = due_span(action.due) if action.due else None
    return MissingAction(
        id=action.id,
        priority=priority_id,
        rag=action.rag,
        last_review=last.review if last else None,
        last_date=last_date,
        due=action.due,
        overdue=bool(span and span.end < as_of),
    )


def _reminder(plan: Plan, owner_id: str | None, actions: list[MissingAction]) -> OwnerReminder:
    owner = plan.config.owner(owner_id) if owner_id else None
    name = owner.name if owner else (owner_id or NO_OWNER)
    return OwnerReminder(owner_id, name, owner.email if owner else None, actions)


def chase_json(report: ChaseReport) -> dict[str, Any]:
    return {
        "review": {"id": report.review.id, "label": report.review.label},
        "missing": report.missing_count,
        "owners": [
            {
                "id": r.owner_id,
                "name": r.name,
                "email": r.email,
                "actions": [a.__dict__ for a in r.actions],
            }
            for r in report.reminders
        ],
    }
