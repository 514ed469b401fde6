"""Writing plan models as YAML that reads like the hand-written shipped plan.

Block style, one field per line, `>-` for long text wrapped at a readable width, and the
`# yaml-language-server` line that gives editors the schema. The text is built here rather
than dumped by a YAML library so that the files look the way owners will edit them; every
scalar is checked to read back as the same string, and quoted when it would not.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import yaml

from datracker.plan.models import Action, PlanConfig, PriorityFile, default_scale

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Text that YAML reads as a string whatever it says, once words YAML gives a meaning to
# (yes, off, null …) are ruled out: most cells of a plan. Checked without a parser because a
# 1,000-action import writes some 10,000 values.
_PLAIN_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;()/&'’-]*[A-Za-z0-9.)]")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "nan", "inf"}
WIDTH = 92
PLAN_SCHEMA = "# yaml-language-server: $schema=../schema/plan.schema.json"
PRIORITY_SCHEMA = "# yaml-language-server: $schema=../../schema/priority.schema.json"
_SMALL_WORDS = {"a", "an", "and", "the", "of", "to", "for", "in", "on", "or", "who", "those"}
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def scalar(value: str, indent: int, key_width: int) -> str:
    """A value as it follows `key: `: plain if safe, `>-`/`|-` if long, else double-quoted."""
    if "\n" in value:
        body = "\n".join(" " * (indent + 2) + line if line else "" for line in value.split("\n"))
        return "|-\n" + body
    if indent + key_width + len(value) > WIDTH + 8 and not value.startswith(" "):
        lines = textwrap.wrap(value, WIDTH - indent - 2, break_long_words=False)
        if " ".join(lines) == value:
            return ">-\n" + "\n".join(" " * (indent + 2) + line for line in lines)
    if _DATE_LIKE.match(value) or _plain_is_safe(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain_is_safe(value: str) -> bool:
    if not value or value != value.strip() or value[0] in "!&*%@`'\"[]{}#|>?-:,":
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    if _PLAIN_WORDS.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return True  # letters, digits and sentence punctuation read back as themselves
    try:
        # libyaml's C loader: the pure-Python one was most of a 1,000-action import's time
        return bool(yaml.load(f"k: {value}", Loader=_LOADER) == {"k": value})
    except yaml.YAMLError:
        return False


class Writer:
    """Lines of YAML at an indent, with list items written as `- key: value`."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def field(self, indent: int, key: str, value: Any, item: bool = False) -> None:
        if value is None or value == [] or value is False and key != "focus":
            return
        lead = " " * indent + ("- " if item else "")
        width = len(lead) + len(key) + 2
        if isinstance(value, bool):
            self.lines.append(f"{lead}{key}: {'true' if value else 'false'}")
        else:
            text = scalar(str(value), indent + (2 if item else 0), width)
            self.lines.append(f"{lead}{key}: {text}")

    def mapping(self, indent: int, pairs: list[tuple[str, Any]], item: bool = True) -> None:
        """A list item whose fields line up under its first key."""
        first = True
        for key, value in pairs:
            if value is None or value == []:
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
            [("id", review.id), ("label", review.label), ("date", review.date)]
            + [("status", review.status), ("approved", review.approved)],
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
        w.lines += [f"      - {scalar(owner, 8, 0)}" for owner in action.owners]
    w.field(4, "due", action.due)
    w.field(4, "note", action.note)
    if action.updates:
        w.lines.append("    updates:")
        for update in action.updates:
            w.mapping(
                6,
                [("review", update.review), ("date", update.date), ("rag", update.rag)]
                + [("qualifier", update.qualifier), ("text", update.text)],
            )


def priority_filename(priority: PriorityFile) -> str:
    """ "a-promote-healthy-relationships.yaml": files sort in the priorities' own order."""
    words = re.sub(r"[^a-z0-9]+", " ", priority.title.lower()).split()
    words = [w for w in words if w not in _SMALL_WORDS][:3]
    name = "-".join([priority.id.lower(), *words]) if words else priority.id.lower()
    return f"{name}.yaml"
