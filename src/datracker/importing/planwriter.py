"""Writing plan models as YAML that reads like the hand-written shipped plan.

Block style, one field per line, `>-` for long text wrapped at a readable width, and the
`# yaml-language-server` line that gives editors the schema. Every value is written by the
editor's scalar writer (`datracker.edit.yamlscalar`), so an imported plan is quoted by the
same rule as an edited one: plain only where every YAML reader reads the same text.
"""

from __future__ import annotations

import re

from datracker.edit.yamlscalar import Value, calendar_date, field_lines, inline_scalar
from datracker.plan.models import Action, PlanConfig, PriorityFile, default_scale

PLAN_SCHEMA = "# yaml-language-server: $schema=../schema/plan.schema.json"
PRIORITY_SCHEMA = "# yaml-language-server: $schema=../../schema/priority.schema.json"
_SMALL_WORDS = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "or", "who", "those"}


def _date(text: str | None) -> Value | None:
    """A date field: a full date is written as a date (plain), anything else as text."""
    return calendar_date(text) if text is not None else None


class Writer:
    """Lines of YAML at an indent, with list items written as `- key: value`."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def field(self, indent: int, key: str, value: Value | None, item: bool = False) -> None:
        """`key: value` at `indent` (as a list item's first field with item=True); nothing
        for a missing value or false (except `focus`)."""
        if value is None or (value is False and key != "focus"):
            return
        key_col = indent + 2 if item else indent
        lines = field_lines(key, value, key_col)
        if item:
            lines[0] = " " * indent + "- " + lines[0][key_col:]
        self.lines += lines

    def mapping(
        self, indent: int, pairs: list[tuple[str, Value | None]], item: bool = True
    ) -> None:
        """A list item whose fields line up under its first key."""
        first = True
        for key, value in pairs:
            if value is None:
                continue
            self.field(indent if first else indent + 2, key, value, item=item and first)
            first = False

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def plan_yaml(config: PlanConfig) -> str:
    w = Writer()
    w.lines += [PLAN_SCHEMA, "version: 1", "strategy:"]
    w.field(2, "title", config.strategy.title)
    w.field(2, "period", config.strategy.period)
    w.field(2, "approving_body", config.strategy.approving_body)
    if config.scale != default_scale():
        w.lines.append("# The plan's own rating words, worst first (check the order).")
        w.lines.append("scale:")
        for level in config.scale:
            w.mapping(2, [("id", level.id), ("label", level.label), ("colour", level.colour)])
    w.lines.append("reviews:" if config.reviews else "reviews: []")
    for review in config.reviews:
        w.mapping(
            2,
            [("id", review.id), ("label", review.label), ("date", _date(review.date))]
            + [("status", review.status), ("approved", _date(review.approved))],
        )
    w.lines.append("# One entry per person or body named in the plan's owner columns.")
    w.lines.append("owners:" if config.owners else "owners: []")
    for owner in config.owners:
        w.mapping(
            2,
            [("id", owner.id), ("name", owner.name)]
            + [("organisation", owner.organisation), ("role", owner.role)],
        )
    return w.text()


def priority_yaml(priority: PriorityFile) -> str:
    w = Writer()
    w.lines.append(PRIORITY_SCHEMA)
    w.field(0, "id", priority.id)
    w.field(0, "title", priority.title)
    if priority.focus:
        w.field(0, "focus", True)
    w.field(0, "note", priority.note)
    w.lines.append("actions:" if priority.actions else "actions: []")
    for action in priority.actions:
        _action(w, action)
    return w.text()


def _action(w: Writer, action: Action) -> None:
    w.field(2, "id", action.id, item=True)
    w.field(4, "parent", action.parent)
    if action.status != "active":
        w.field(4, "status", action.status)
    w.field(4, "objective", action.objective)
    w.field(4, "action", action.action)
    if action.measures:
        w.lines.append("    measures:")
        for measure in action.measures:
            w.field(6, "description", measure.description, item=True)
    if action.owners:
        w.lines.append("    owners:")
        w.lines += [f"      - {inline_scalar(owner)}" for owner in action.owners]
    w.field(4, "due", _date(action.due))
    w.field(4, "note", action.note)
    if action.updates:
        w.lines.append("    updates:")
        for update in action.updates:
            w.mapping(
                6,
                [("review", update.review), ("date", _date(update.date)), ("rag", update.rag)]
                + [("qualifier", update.qualifier), ("text", update.text)],
            )


def priority_filename(priority: PriorityFile) -> str:
    """ "a-promote-healthy-relationships.yaml": files sort in the priorities' own order."""
    words = re.sub(r"[^a-z0-9]+", " ", priority.title.lower()).split()
    words = [w for w in words if w not in _SMALL_WORDS][:3]
    name = "-".join([priority.id.lower(), *words]) if words else priority.id.lower()
    return f"{name}.yaml"
