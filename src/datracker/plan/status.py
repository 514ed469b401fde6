"""The state of the plan at a glance: a priority's rating and roll-up, as the board reads it.

    C. Challenge and support … — RED (stated: 4 actions - 1 COMPLETE, 2 RED 1 GREEN);
       computed: RED (5 actions: 1 COMPLETE, 1 RED, 2 AMBER, 1 NEW)

A priority's rating for a review is the one its board or steering group stated (the
priority's `assessments`), when there is one; beside it, always labelled "computed", is the
roll-up datracker works out by the plan's `rollup` rule over the open actions that have a RAG:
`worst` (the default: one RED action makes the priority RED) or `median` (the lower middle
rating). Complete, removed and N/A actions are counted but never rated. The two are kept
apart because neither rule reproduces every rating a board states (see docs/plan-format.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from datracker.plan.models import (
    TERMINAL_LABELS,
    Action,
    Assessment,
    Plan,
    PlanConfig,
    PriorityFile,
    Review,
)

NEW_LABEL = "NEW"
NOT_RATED_LABEL = "NOT RATED"


def count_label(action: Action) -> str:
    """What an action counts as in a roll-up."""
    return label_for(action.status, action.rag)


def label_for(status: str, rag: str | None) -> str:
    """What an action with this status and latest RAG counts as (for callers that have both)."""
    if status in TERMINAL_LABELS:
        return TERMINAL_LABELS[status]
    if rag is not None:
        return rag
    return NEW_LABEL if status == "new" else NOT_RATED_LABEL


def label_order(config: PlanConfig) -> list[str]:
    return [
        *TERMINAL_LABELS.values(),
        *(level.id for level in config.scale),
        NEW_LABEL,
        NOT_RATED_LABEL,
    ]


def rollup_rag(config: PlanConfig, open_rags: list[str | None]) -> str | None:
    """The roll-up of the latest RAGs of a priority's open actions."""
    ranks = sorted(
        rank
        for rag in open_rags
        if rag is not None
        for rank in [config.rank(rag)]
        if rank is not None
    )
    if not ranks:
        return None
    index = 0 if config.rollup == "worst" else (len(ranks) - 1) // 2
    return config.scale[ranks[index]].id


@dataclass(frozen=True)
class StatedRating:
    """A priority's rating as its board stated it for one review, with the board's words."""

    review_id: str
    review_label: str
    rag: str
    text: str | None
    retained: str | None  # the id of the earlier review whose stated rating it keeps
    retained_label: str | None  # that review's label (its id if plan.yaml has no such review)

    @property
    def words(self) -> str | None:
        """What the board said beside the rating: its text, and what it retained."""
        parts = [self.text] if self.text else []
        if self.retained_label:
            parts.append(f"retained from {self.retained_label}")
        return "; ".join(parts) or None

    @property
    def line(self) -> str:
        """`AMBER (stated: 7 actions - 1 COMPLETE, 3 AMBER, 2 RED, 1 GREEN)`."""
        words = self.words
        return f"{self.rag} (stated{': ' + words if words else ''})"


def stated_rating(
    config: PlanConfig, priority: PriorityFile, review: Review
) -> StatedRating | None:
    found = priority.assessment_for(review.id)
    return None if found is None else _stated(config, review, found)


def _stated(config: PlanConfig, review: Review, assessment: Assessment) -> StatedRating:
    retained = assessment.retained
    kept = config.review(retained) if retained else None
    label = kept.label if kept else retained
    return StatedRating(review.id, review.label, assessment.rag, assessment.text, retained, label)


@dataclass(frozen=True)
class PriorityStatus:
    priority: PriorityFile
    rag: str | None  # the computed roll-up
    counts: dict[str, int]
    actions: list[Action]
    stated: StatedRating | None = None

    @property
    def summary(self) -> str:
        """The computed roll-up, `RED (4 actions: 1 COMPLETE, 2 RED, 1 GREEN)`."""
        total = len(self.actions)
        noun = "action" if total == 1 else "actions"
        parts = ", ".join(f"{n} {label}" for label, n in self.counts.items())
        return f"{self.rag or NOT_RATED_LABEL} ({total} {noun}{': ' + parts if parts else ''})"

    @property
    def rating(self) -> str:
        """The priority's rating for the review: the stated one, else the computed roll-up."""
        if self.stated is not None:
            return self.stated.rag
        return self.rag or NOT_RATED_LABEL

    @property
    def computed(self) -> str:
        return f"computed: {self.summary}"

    @property
    def line(self) -> str:
        """The stated rating (if any) and the computed roll-up, each labelled, as every
        listing and the refresh document print them."""
        if self.stated is None:
            return self.computed
        return f"{self.stated.line}; {self.computed}"


def priority_status(
    config: PlanConfig,
    priority: PriorityFile,
    owner: str | None = None,
    review: Review | None = None,
) -> PriorityStatus:
    """The priority's roll-up, and its stated rating for `review` (default: the plan's
    current review: the open one, else the latest)."""
    actions = [a for a in priority.actions if owner is None or owner in a.owners]
    tally: dict[str, int] = {}
    open_rags = []
    for action in actions:
        rag = action.rag  # looked up once: a plan can have thousands of actions
        if action.is_open:
            open_rags.append(rag)
        label = label_for(action.status, rag)
        tally[label] = tally.get(label, 0) + 1
    counts = {label: tally[label] for label in label_order(config) if label in tally}
    counts.update({label: n for label, n in tally.items() if label not in counts})
    review = review or config.current_review
    stated = stated_rating(config, priority, review) if review is not None else None
    return PriorityStatus(priority, rollup_rag(config, open_rags), counts, actions, stated)


def plan_status(
    plan: Plan, owner: str | None = None, review: Review | None = None
) -> list[PriorityStatus]:
    statuses = [priority_status(plan.config, p, owner, review) for p in plan.priorities]
    return [s for s in statuses if owner is None or s.actions]


def status_json(plan: Plan, statuses: list[PriorityStatus]) -> dict[str, Any]:
    """The documented, stable JSON of `datracker status --format json`."""
    config = plan.config
    review = config.current_review
    return {
        "strategy": {
            "title": config.strategy.title,
            "period": config.strategy.period,
            "approving_body": config.strategy.approving_body,
        },
        "review": review.model_dump() if review else None,
        "rollup_rule": config.rollup,
        "priorities": [priority_json(config, s) for s in statuses],
    }


def priority_json(config: PlanConfig, status: PriorityStatus) -> dict[str, Any]:
    """One priority in `status --format json` and `show <priority> --format json`: its rating
    (stated, else computed), the stated rating with its words, and the computed roll-up."""
    stated = status.stated
    return {
        "id": status.priority.id,
        "title": status.priority.title,
        "rag": stated.rag if stated is not None else status.rag,
        "stated": None
        if stated is None
        else {
            "review": stated.review_id,
            "rag": stated.rag,
            "text": stated.text,
            "retained": stated.retained,
        },
        "computed": {"rag": status.rag, "rule": config.rollup, "summary": status.summary},
        "focus": status.priority.focus,
        "draft": status.priority.draft,
        "counts": status.counts,
        "actions": [_action_json(a) for a in status.actions],
    }


def _action_json(action: Action) -> dict[str, Any]:
    last = action.updates[-1] if action.updates else None
    return {
        "id": action.id,
        "parent": action.parent,
        "status": action.status,
        "rag": action.rag,
        "qualifier": action.qualifier,
        "owners": list(action.owners),
        "due": action.due,
        "last_update": {"review": last.review, "date": last.date} if last else None,
    }
