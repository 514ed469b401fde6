"""`datracker show ID`: one action for people (with a small chart of each series) and as JSON."""

from __future__ import annotations

import textwrap
from typing import Any

from datracker.core.text import visible
from datracker.plan.figuretext import figure_text, target_text
from datracker.plan.models import Action, Measure, Plan
from datracker.report.status import owner_names, rag_cell
from datracker.report.table import json_text


def action_json(plan: Plan, priority_id: str, action: Action) -> str:
    data: dict[str, Any] = action.model_dump(exclude_none=True)
    data["priority"] = priority_id
    data["rag"] = action.rag
    data["qualifier"] = action.qualifier
    data["owner_names"] = [
        owner.name if (owner := plan.config.owner(o)) else o for o in action.owners
    ]
    return json_text(data)


def action_text(plan: Plan, priority_id: str, action: Action) -> str:
    lines = [f"{action.id} ({priority_id}) — {rag_cell(action)}"]
    for label, value in (
        ("Objective", action.objective),
        ("Action", action.action),
        ("By whom", owner_names(plan, action.owners)),
        ("By when", action.due),
        ("Note", action.note),
    ):
        if value:
            lines.append(f"{label + ':':<11}{_wrap(value, 11)}")
    if action.measures:
        lines += ["", "Measures:"]
        for measure in action.measures:
            lines += _measure_lines(measure)
    lines += ["", "Updates:" if action.updates else "Updates: none yet"]
    for update in reversed(action.updates):
        review = plan.config.review(update.review)
        head = review.label if review else update.review
        rag = (
            f" — {update.rag}" + (f" ({update.qualifier})" if update.qualifier else "")
            if update.rag
            else ""
        )
        lines.append(f"  {head}{' (' + update.date + ')' if update.date else ''}{rag}")
        if update.text:
            lines.append(f"    {_wrap(update.text, 4)}")
    return visible("\n".join(lines))


def _measure_lines(measure: Measure) -> list[str]:
    unit = f" ({measure.unit})" if measure.unit else ""
    lines = [f"  - {measure.description}{unit}"]
    if measure.baseline:
        baseline = measure.baseline
        lines.append(
            f"      baseline {baseline.period_text}: {figure_text(baseline.value, baseline.of)}"
        )
    if measure.target:
        lines.append(f"      target: {target_text(measure.target)}")
    peak = max((abs(p.value) for p in measure.data), default=0) or 1
    width = max((len(p.period_text) for p in measure.data), default=0)
    for point in measure.data:
        bar = "█" * max(1 if point.value else 0, round(30 * abs(point.value) / peak))
        lines.append(
            f"      {point.period_text:<{width}}  {bar} {figure_text(point.value, point.of)}"
        )
    return lines


def _wrap(text: str, indent: int) -> str:
    return textwrap.fill(" ".join(text.split()), width=96, subsequent_indent=" " * indent)
