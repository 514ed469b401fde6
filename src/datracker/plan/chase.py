"""Who has not reported yet: the strategy lead's list before a review, grouped by owner.

Who owes an update is decided by `owes_update`, and whether an action is overdue by
`is_overdue` at the day `judged_as_of` gives; `validate` (its `stale` and `overdue` warnings)
uses the same three, so the two never disagree. Both judge a plan as of its own review, not
the machine's clock (`--as-of` names another day), so the same files give the same answers
next year. Each owner gets their own list, because the lead writes one reminder per person,
not one per action.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from datracker.core.dates import due_span, parse_partial_date
from datracker.plan.models import Action, Plan, PlanConfig, Review

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


def owes_update(action: Action, review: Review) -> bool:
    """Whether the action's owners owe an update for `review`: the one rule of `chase` and
    `validate`.

    An action owes one while it is being delivered and has started: it is `active`, or it is
    `new` and already has an update. A new action never updated has not started (the refresh
    that adds it is its first review), so nobody is chased for it and it is not stale; once
    its first update is recorded, it owes one at every review like any other.
    """
    started = action.status == "active" or (action.status == "new" and bool(action.updates))
    return started and action.update_for(review.id) is None


def is_overdue(action: Action, as_of: dt.date) -> bool:
    """Whether the action's by-when date had passed on `as_of` (free text such as "TBC" is
    never overdue); the caller decides which actions are still to be delivered."""
    span = due_span(action.due) if action.due else None
    return bool(span and span.end < as_of)


def review_day(review: Review) -> dt.date | None:
    """The last day a review's date covers: a review dated 2022-01 is judged at 31 January."""
    span = parse_partial_date(review.date)
    return span.end if span else None


def judged_as_of(
    config: PlanConfig | None, today: dt.date, review: Review | None = None
) -> dt.date:
    """The day due dates are judged at when no `--as-of` is given: the last day of `review`
    (chase: the review chased), else of the plan's current review (the open one, else the
    latest); today only for a plan without reviews."""
    review = review or (config.current_review if config is not None else None)
    day = review_day(review) if review is not None else None
    return day or today


def chase(plan: Plan, review: Review, as_of: dt.date) -> ChaseReport:
    """The actions missing an update for `review`, by owner; due dates judged at `as_of`
    (the CLI's default is the review's own date, so a past review is chased as it stood)."""
    by_owner: dict[str | None, list[MissingAction]] = {}
    for priority, action in plan.actions():
        if not owes_update(action, review):
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
    return MissingAction(
        id=action.id,
        priority=priority_id,
        rag=action.rag,
        last_review=last.review if last else None,
        last_date=last_date,
        due=action.due,
        overdue=is_overdue(action, as_of),
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
