"""The state of the plan at a glance: a roll-up per priority, in the form the board reads.

    C. Challenge and support … — RED (5 actions: 1 COMPLETE, 1 RED, 2 AMBER, 1 NEW)

The priority's RAG follows the plan's `rollup` rule over its open actions that have a RAG:
`worst` (the default: one RED action makes the priority RED) or `median` (the lower middle
rating, closer to how a board weighs a mixed picture). Complete, removed and N/A actions are
counted but never rated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from datracker.plan.models import TERMINAL_LABELS, Action, Plan, PlanConfig, PriorityFile

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
class PriorityStatus:
    priority: PriorityFile
    rag: str | None
    counts: dict[str, int]
    actions: list[Action]

    @property
    def summary(self) -> str:
        """`RED (4 actions: 1 COMPLETE, 2 RED, 1 GREEN)`, as the board papers write it."""
        total = len(self.actions)
        noun = "action" if total == 1 else "actions"
        parts = ", ".join(f"{n} {label}" for label, n in self.counts.items())
        return f"{self.rag or NOT_RATED_LABEL} ({total} {noun}{': ' + parts if parts else ''})"


def priority_status(
    config: PlanConfig, priority: PriorityFile, owner: str | None = None
) -> PriorityStatus:
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
    return PriorityStatus(priority, rollup_rag(config, open_rags), counts, actions)


def plan_status(plan: Plan, owner: str | None = None) -> list[PriorityStatus]:
    statuses = [priority_status(plan.config, p, owner) for p in plan.priorities]
    return [s for s in statuses if owner is None or s.actions]


def status_json(plan: Plan, statuses: list[PriorityStatus]) -> dict[str, Any]:
    """The documented, stable JSON of `datracker status --format json`."""
    config = plan.config
    review = config.latest_review
    return {
        "strategy": {
            "title": config.strategy.title,
            "period": config.strategy.period,
            "approving_body": config.strategy.approving_body,
        },
        "review": review.model_dump() if review else None,
        "rollup_rule": config.rollup,
        "priorities": [
            {
                "id": s.priority.id,
                "title": s.priority.title,
                "rag": s.rag,
                "focus": s.priority.focus,
                "counts": s.counts,
                "actions": [_action_json(a) for a in s.actions],
            }
            for s in statuses
        ],
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
