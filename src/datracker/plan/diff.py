"""What changed between two versions of a plan: pure comparison, no files and no git.

Actions are matched by id, never by file or line, so a plan reorganised between reviews
(actions moved between files, files renamed or split) still compares action for action. Each
difference becomes a `Change` with one of the fields the board asks about:

    rag      the current RAG, with its direction of travel by the scale's order
    status   completed, removed, reinstated, marked N/A
    action   added (before is None) or deleted from the plan (after is None)
    owners, due
    measure  targets and baselines (re-baselining is visible) and new data points
    wording  the objective or action text
    stated   a priority's rating as its board stated it for one review (`id` is the
             priority's id, `review` the review's): recorded, changed or removed

Roll-ups reuse `status.priority_status`, so a diff's roll-up reads exactly as `status` does:
the stated rating for each side's current review, and the computed roll-up beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from datracker.plan.figuretext import figure_text, target_text
from datracker.plan.models import (
    TERMINAL_STATUSES,
    Action,
    Assessment,
    DataPoint,
    Measure,
    Plan,
    PlanConfig,
    PriorityFile,
)
from datracker.plan.status import count_label, priority_status
from datracker.plan.tree import ordered

ChangeField = Literal[
    "rag", "status", "action", "parent", "owners", "due", "measure", "wording", "stated"
]
Direction = Literal["improved", "worsened"]
Value = str | list[str] | None


@dataclass(frozen=True)
class Change:
    """One difference in one action. `label` is the words shown to people, not in JSON."""

    priority: str
    id: str
    field: ChangeField
    before: Value
    after: Value
    direction: Direction | None = None
    label: str = ""
    depth: int = 0  # 1 for a sub-action, listed straight after its parent
    review: str | None = None  # for a `stated` change: the review the rating was stated at


@dataclass(frozen=True)
class Rollup:
    """A priority's line (as `status` prints it: the stated rating, if any, and the computed
    roll-up) in each version, and the computed roll-up alone; None where the priority is
    absent."""

    priority: str
    title: str
    before: str | None
    after: str | None
    computed_before: str | None = None
    computed_after: str | None = None


@dataclass(frozen=True)
class Unchanged:
    priority: str
    id: str
    label: str  # what it counts as: its RAG or status
    depth: int = 0


@dataclass
class PlanDiff:
    changes: list[Change] = field(default_factory=list)
    rollups: list[Rollup] = field(default_factory=list)
    unchanged: list[Unchanged] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        """How many changes of each kind, for a one-line summary."""
        tally: dict[str, int] = {}
        for change in self.changes:
            key = change.direction or change.label
            tally[key] = tally.get(key, 0) + 1
        return tally


def compare(before: Plan | None, after: Plan, include_unchanged: bool = False) -> PlanDiff:
    """Every change from `before` to `after`; `before=None` means the plan did not exist."""
    old = {a.id: (p.id, a) for p, a in before.actions()} if before else {}
    result = PlanDiff()
    changed_priorities: set[str] = set()
    stated = list(_stated_changes(before, after))
    result.changes += stated
    changed_priorities.update(change.priority for change in stated)
    for priority, action, depth in _in_tree_order(after):
        found = old.pop(action.id, None)
        if found is None:
            changes = [_added(priority.id, action)]
        else:
            changes = list(_action_changes(priority.id, found[1], action, after.config))
        result.changes += [replace(change, depth=depth) for change in changes]
        if changes:
            changed_priorities.update({priority.id, found[0] if found else priority.id})
        elif include_unchanged:
            label = count_label(action)
            result.unchanged.append(Unchanged(priority.id, action.id, label, depth))
    for priority_id, action in old.values():
        result.changes.append(
            Change(priority_id, action.id, "action", count_label(action), None, label="deleted")
        )
        changed_priorities.add(priority_id)
    result.rollups = _rollups(before, after, changed_priorities, include_unchanged)
    return result


def _in_tree_order(plan: Plan) -> Iterator[tuple[PriorityFile, Action, int]]:
    """Every action with its depth, each sub-action straight after its parent."""
    for priority in plan.priorities:
        for action, depth in ordered(priority.actions):
            yield priority, action, depth


def _stated_changes(before: Plan | None, after: Plan) -> Iterator[Change]:
    """Each stated priority rating recorded, changed or removed, review by review."""
    old = {p.id: p for p in before.priorities} if before else {}
    for priority in after.priorities:
        previous = old.get(priority.id)
        yield from _assessment_changes(after.config, previous, priority)


def _assessment_changes(
    config: PlanConfig, old: PriorityFile | None, new: PriorityFile
) -> Iterator[Change]:
    was = {a.review: a for a in old.assessments} if old else {}
    now = {a.review: a for a in new.assessments}
    for review in [*now, *(r for r in was if r not in now)]:
        before, after = was.get(review), now.get(review)
        if before == after:
            continue
        label = _stated_label(before, after, review)
        direction = rag_direction(
            config, before.rag if before else None, after.rag if after else None
        )
        yield Change(
            new.id,
            new.id,
            "stated",
            before.rag if before else None,
            after.rag if after else None,
            direction,
            label,
            review=review,
        )


def _stated_label(before: Assessment | None, after: Assessment | None, review: str) -> str:
    if before is None:
        return f"stated rating for {review} recorded"
    if after is None:
        return f"stated rating for {review} removed"
    if before.rag == after.rag:
        return f"stated rating for {review} reworded"
    return f"stated rating for {review} changed"


def _added(priority_id: str, action: Action) -> Change:
    return Change(priority_id, action.id, "action", None, count_label(action), label="added")


def _action_changes(
    priority_id: str, old: Action, new: Action, config: PlanConfig
) -> Iterator[Change]:
    def change(
        field: ChangeField, before: Value, after: Value, label: str, direction: Direction | None
    ) -> Change:
        return Change(priority_id, new.id, field, before, after, direction, label)

    if old.status != new.status:
        yield change("status", old.status, new.status, status_change_label(old, new), None)
    if old.parent != new.parent:
        label = f"moved under {new.parent}" if new.parent else "no longer a sub-action"
        yield change("parent", old.parent, new.parent, label, None)
    if old.rag != new.rag:
        direction = rag_direction(config, old.rag, new.rag)
        yield change("rag", old.rag, new.rag, f"RAG {direction or 'changed'}", direction)
    if sorted(old.owners) != sorted(new.owners):
        yield change("owners", list(old.owners), list(new.owners), "owners changed", None)
    if old.due != new.due:
        yield change("due", old.due, new.due, "due date changed", None)
    for before, after, label in _measure_changes(old.measures, new.measures):
        yield change("measure", before, after, label, None)
    for name in ("objective", "action"):
        was, now = getattr(old, name), getattr(new, name)
        if _words(was) != _words(now):
            yield change("wording", was, now, f"{name} reworded", None)


def status_change_label(old: Action, new: Action) -> str:
    """The board's words for a status change."""
    names = {"complete": "completed", "removed": "removed", "n/a": "marked N/A"}
    if new.status in names:
        return names[new.status]
    if old.status in TERMINAL_STATUSES:
        return "reinstated"
    return "now active" if new.status == "active" else f"now {new.status}"


def rag_direction(config: PlanConfig, before: str | None, after: str | None) -> Direction | None:
    """Improved or worsened by the scale's order (worst first); None when either is unrated."""
    if before is None or after is None:
        return None
    was, now = config.rank(before), config.rank(after)
    if was is None or now is None or was == now:
        return None
    return "improved" if now > was else "worsened"


def _words(text: str | None) -> str | None:
    """Text as read, not as wrapped: re-flowing a paragraph is not a change of wording."""
    return " ".join(text.split()) if text is not None else None


# --- measures -------------------------------------------------------------------------------


def _measure_changes(old: list[Measure], new: list[Measure]) -> Iterator[tuple[Value, Value, str]]:
    """Measures are matched by description; those left over are paired by position."""
    old_by_text = {_words(m.description): m for m in old}
    new_by_text = {_words(m.description): m for m in new}
    left_old = [m for m in old if _words(m.description) not in new_by_text]
    left_new = [m for m in new if _words(m.description) not in old_by_text]
    for measure in new:
        match = old_by_text.get(_words(measure.description))
        if match is not None:
            yield from _same_measure(match, measure)
    for was, now in zip(left_old, left_new, strict=False):
        yield was.description, now.description, "measure reworded"
        yield from _same_measure(was, now)
    for now in left_new[len(left_old) :]:
        yield None, now.description, "measure added"
    for was in left_old[len(left_new) :]:
        yield was.description, None, "measure dropped"


def _same_measure(old: Measure, new: Measure) -> Iterator[tuple[Value, Value, str]]:
    name = new.description
    if old.baseline != new.baseline:
        yield (
            _point_text(name, "baseline", old.baseline),
            _point_text(name, "baseline", new.baseline),
            "re-baselined",
        )
    if old.target != new.target:
        yield _target_text(name, old), _target_text(name, new), "target changed"
    before = _by_period(old.data)
    after = _by_period(new.data)
    for period, point in after.items():
        if period not in before:
            yield None, _point_text(name, "", point), "new data"
        elif before[period] != point:
            yield (
                _point_text(name, "", before[period]),
                _point_text(name, "", point),
                "data revised",
            )
    for period, point in before.items():
        if period not in after:
            yield _point_text(name, "", point), None, "data removed"


def _by_period(points: list[DataPoint]) -> dict[str | tuple[int], DataPoint]:
    """Points matched by period; those without one (a figure the source did not date) by
    their order among themselves, since nothing else tells them apart."""
    keyed: dict[str | tuple[int], DataPoint] = {}
    undated = 0
    for point in points:
        if point.period is None:
            keyed[(undated,)] = point
            undated += 1
        else:
            keyed[point.period] = point
    return keyed


def _point_text(name: str, what: str, point: DataPoint | None) -> str | None:
    if point is None:
        return None
    lead = f"{what} " if what else ""
    return f"{name}: {lead}{point.period_text} = {figure_text(point.value, point.of)}"


def _target_text(name: str, measure: Measure) -> str | None:
    target = measure.target
    if target is None:
        return None
    return f"{name}: target {target_text(target)}".rstrip()


# --- roll-ups -------------------------------------------------------------------------------


def _rollups(
    before: Plan | None, after: Plan, changed: set[str], include_unchanged: bool
) -> list[Rollup]:
    old = {p.id: p for p in before.priorities} if before else {}
    new = {p.id: p for p in after.priorities}
    order = [p.id for p in after.priorities] + [pid for pid in old if pid not in new]
    rollups = []
    for pid in order:
        was = priority_status(before.config, old[pid]) if before and pid in old else None
        now = priority_status(after.config, new[pid]) if pid in new else None
        lines = (was.line if was else None, now.line if now else None)
        computed = (was.summary if was else None, now.summary if now else None)
        # listed for a change in the priority (its actions or stated ratings) or its roll-up;
        # not merely because a new review is open and has no stated rating yet
        if pid in changed or computed[0] != computed[1] or include_unchanged:
            title = (new.get(pid) or old[pid]).title
            rollups.append(Rollup(pid, title, *lines, *computed))
    return rollups
