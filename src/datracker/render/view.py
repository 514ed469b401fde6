"""The refresh document as plain data: the one view model both writers (Word, Markdown) read.

Everything a board paper needs is decided here — which rows collapse, what a RAG cell says,
which colour shades it, what the status line reads — so the Word and Markdown outputs cannot
disagree, and a Markdown template author sees documented fields rather than raw YAML.
Templates receive a `RefreshView` as `doc`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from datracker.core.dates import parse_partial_date
from datracker.core.numbers import format_number
from datracker.plan.diff import Change, PlanDiff
from datracker.plan.figuretext import dated_figure, target_text
from datracker.plan.lookup import choose_review
from datracker.plan.models import TERMINAL_LABELS, Action, Measure, Plan, PriorityFile, Review
from datracker.plan.status import NOT_RATED_LABEL, label_for, plan_status
from datracker.plan.tree import indented_id, ordered
from datracker.report.status import owner_names

Direction = Literal["up", "down", "complete", "removed", "new", "other"]
MIN_CHART_POINTS = 3
MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True)
class TitleBlock:
    title: str  # "Portsmouth Domestic Abuse Strategy 2020-2023"
    subtitle: str  # "Refresh — Update January 2022"
    approving_body: str | None
    status_line: str  # "DRAFT FOR APPROVAL" or "Approved 9 February 2022"
    approved: bool


@dataclass(frozen=True)
class NarrativeSection:
    """One `narrative/*.md` file: its name and its Markdown (raw HTML already neutralised)."""

    name: str
    markdown: str


@dataclass(frozen=True)
class SummaryLine:
    """One priority's rating for the review: the board's stated rating, when there is one,
    and beside it the roll-up datracker computed, labelled as computed."""

    priority_id: str
    title: str
    rag: str  # the priority's rating: the stated one, else the computed roll-up or NOT RATED
    stated: str | None  # "AMBER (stated: 7 actions - 1 COMPLETE, …)", or None
    computed: str  # "computed: RED (5 actions: 1 COMPLETE, 1 RED, 2 AMBER, 1 NEW)"
    focus: bool
    draft: bool
    colour: str | None  # the scale colour of `rag`, "#RRGGBB"

    @property
    def summary(self) -> str:
        """The stated rating and the computed roll-up, as `datracker status` prints them."""
        return f"{self.stated}; {self.computed}" if self.stated else self.computed

    @property
    def text(self) -> str:
        return f"{self.priority_id}. {self.title} — {self.summary}"


@dataclass(frozen=True)
class RagKeyEntry:
    id: str
    label: str  # the level's label, or its id
    meaning: str
    colour: str


@dataclass(frozen=True)
class ChangeLine:
    """One change since the previous review, e.g. A3 AMBER ▼ AMBER/RED."""

    priority: str
    id: str
    text: str
    direction: Direction

    @property
    def subject(self) -> str:
        """What changed, in words: "Priority A" for a priority's own rating, else the action."""
        return f"Priority {self.priority}" if self.id == self.priority else self.id

    @property
    def within(self) -> str:
        """The priority an action belongs to, "" for a priority's own line."""
        return "" if self.id == self.priority else self.priority

    @property
    def marker(self) -> str:
        """Direction in words as well as an arrow: colour and symbols are never the only signal."""
        return {
            "up": "▲ improved",
            "down": "▼ worse",
            "complete": "completed",
            "removed": "removed",
            "new": "new",
            "other": "changed",
        }[self.direction]


@dataclass(frozen=True)
class Changes:
    previous_label: str
    lines: list[ChangeLine]


@dataclass(frozen=True)
class ChangesUnknown:
    """Why the changes since the last review cannot be listed, in the paper's words."""

    why: str


@dataclass(frozen=True)
class Row:
    """One action in a delivery-plan table; `collapsed` is set for complete/removed/N/A."""

    id: str
    collapsed: str | None
    objective: str
    action: str
    measures: list[str]
    owners: str
    update: str
    rag: str  # what the RAG cell says, always in words
    colour: str | None  # fill for the RAG cell, "#RRGGBB", or None when unrated
    depth: int = 0  # 1 for a sub-action (listed straight after its parent), 2 below that
    note: str | None = None  # the action's note (a footnote in the source), under its objective

    @property
    def label(self) -> str:
        """The ID cell: "↳ 2.6.1" for a sub-action, so it reads as part of the row above."""
        return indented_id(self.id, self.depth)


@dataclass(frozen=True)
class Chart:
    """A measure with enough figures to draw; `path` is relative to the Markdown file."""

    action_id: str
    number: int  # the measure's position in the action, from 1
    title: str
    unit: str | None
    periods: list[str]
    values: list[float]

    @property
    def path(self) -> str:
        """Where the Markdown links it (SVG); the Word file embeds a PNG of the same chart."""
        return f"charts/{self.action_id}-{self.number}.svg"

    @property
    def caption(self) -> str:
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.action_id}: {self.title}{unit}"

    @property
    def alt_text(self) -> str:
        """The figures in words, for screen readers: a chart must not be the only record."""
        values = ", ".join(
            f"{p} {format_number(v)}" for p, v in zip(self.periods, self.values, strict=True)
        )
        return f"Bar chart, {self.caption}: {values}"


@dataclass(frozen=True)
class PriorityTable:
    id: str
    title: str
    heading: str  # "Priority A: Promote healthy relationships"
    focus: bool
    rows: list[Row]
    charts: list[Chart]
    draft: bool = False  # the priority is a draft for approval (shown as such)


@dataclass(frozen=True)
class OwnerEntry:
    name: str
    detail: str  # organisation and/or role, or ""
    actions: list[str]


@dataclass(frozen=True)
class RefreshView:
    """The whole document. `changes` is None when there is no earlier review to compare with."""

    title: TitleBlock
    review_id: str
    review_label: str
    review_date: str
    update_heading: str  # "Update January 2022"
    columns: list[str]
    narrative: list[NarrativeSection]
    summary: list[SummaryLine]
    summary_note: str  # how to read the summary lines: stated and computed ratings
    rag_key: list[RagKeyEntry]
    changes: Changes | None
    changes_note: str
    # the section's heading when the changes cannot be listed; None for the plan's first review
    changes_heading: str | None
    priorities: list[PriorityTable]
    owners: list[OwnerEntry]
    charts: list[Chart] = field(default_factory=list)

    @property
    def charts_index(self) -> dict[str, int]:
        """Each chart's position by path: a stable number for the Word picture's id."""
        return {chart.path: index for index, chart in enumerate(self.charts)}


def plan_at(plan: Plan, review: Review) -> Plan:
    """The plan as it stood at `review`: later updates dropped, so RAGs and roll-ups are of then.

    Statuses (complete, removed) are not dated in the plan, so they are today's.
    """
    ids = [r.id for r in plan.config.reviews]
    later = set(ids[ids.index(review.id) + 1 :])
    if not later:
        return plan
    priorities = [
        p.model_copy(
            update={
                "actions": [
                    a.model_copy(
                        update={"updates": [u for u in a.updates if u.review not in later]}
                    )
                    for a in p.actions
                ]
            }
        )
        for p in plan.priorities
    ]
    return Plan(plan.config, priorities)


def build_view(
    plan: Plan,
    review_id: str | None = None,
    narrative: list[NarrativeSection] | None = None,
    changes: Changes | ChangesUnknown | None = None,
) -> RefreshView:
    review = choose_review(plan.config, review_id, "latest", "render")
    plan = plan_at(plan, review)
    earlier = plan.config.reviews[: [r.id for r in plan.config.reviews].index(review.id)]
    note = _changes_note(changes, earlier)
    listed = changes if isinstance(changes, Changes) else None
    update_heading = (
        review.label if review.label.lower().startswith("update") else (f"Update {review.label}")
    )
    tables = [_priority_table(plan, p, review) for p in plan.priorities]
    return RefreshView(
        title=_title_block(plan, review),
        review_id=review.id,
        review_label=review.label,
        review_date=review.date,
        update_heading=update_heading,
        columns=["ID", "Objective", "Action", "Measure", "By whom", update_heading, "RAG"],
        narrative=narrative or [],
        summary=_summary(plan, review),
        summary_note=_summary_note(plan, review),
        rag_key=[
            RagKeyEntry(level.id, level.display, level.meaning or "", level.colour)
            for level in plan.config.scale
        ],
        changes=listed,
        changes_note=note,
        changes_heading=f"Changes since {earlier[-1].label}" if earlier else None,
        priorities=tables,
        owners=_owners(plan),
        charts=[chart for table in tables for chart in table.charts],
    )


def _changes_note(found: Changes | ChangesUnknown | None, earlier: list[Review]) -> str:
    """What the paper says in place of the changes when it cannot list them, and why."""
    if isinstance(found, ChangesUnknown):
        return found.why
    if found is not None:
        return f"Changes since {found.previous_label}."
    if not earlier:
        return "Changes since the last review are omitted: no earlier review in the plan's history."
    return (
        f"Not shown: the plan's git history has no record of {earlier[-1].label} (no tag "
        f"review/{earlier[-1].id}, and no commit of plan.yaml with it closed)."
    )


def _title_block(plan: Plan, review: Review) -> TitleBlock:
    strategy = plan.config.strategy
    title = f"{strategy.title} {strategy.period}" if strategy.period else strategy.title
    approved = review.status == "closed" and review.approved is not None
    by = review.approved_by or strategy.approving_body
    status = (
        f"Approved {long_date(review.approved)}" + (f" by {by}" if by else "")
        if approved and review.approved
        else ("DRAFT FOR APPROVAL")
    )
    return TitleBlock(title, f"Refresh — {review.label}", strategy.approving_body, status, approved)


def long_date(text: str) -> str:
    """2022-02-09 → 9 February 2022; 2022-02 → February 2022; words stay as written."""
    parts = text.split("-")
    if parse_partial_date(text) is None or not all(p.isdigit() for p in parts):
        return text
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def _summary(plan: Plan, review: Review) -> list[SummaryLine]:
    colours = {level.id: level.colour for level in plan.config.scale}
    lines = []
    for status in plan_status(plan, review=review):
        p = status.priority
        stated = status.stated.line if status.stated else None
        rag = status.rating
        lines.append(
            SummaryLine(
                p.id, p.title, rag, stated, status.computed, p.focus, p.draft, colours.get(rag)
            )
        )
    return lines


def _summary_note(plan: Plan, review: Review) -> str:
    rule = plan.config.rollup
    computed = f"the roll-up of its actions' ratings by the '{rule}' rule, marked \"computed\""
    if any(p.assessment_for(review.id) for p in plan.priorities):
        return (
            'A priority\'s rating is the one its board or steering group stated, marked "stated"; '
            f"beside it is {computed}."
        )
    return f"No priority has a rating stated for this review: each line gives {computed}."


def _priority_table(plan: Plan, p: PriorityFile, review: Review) -> PriorityTable:
    colours = {level.id: level.colour for level in plan.config.scale}
    rows = [_nested(_row(plan, a, review, colours), depth) for a, depth in ordered(p.actions)]
    charts = [
        chart_for(a.id, n, m)
        for a in p.actions
        if a.is_open
        for n, m in enumerate(a.measures, start=1)
        if len(m.data) >= MIN_CHART_POINTS
    ]
    heading = f"Priority {p.id}: {p.title}"
    return PriorityTable(p.id, p.title, heading, p.focus, rows, charts, p.draft)


def _nested(row: Row, depth: int) -> Row:
    """A sub-action's row: its depth set, and its one-line text (if collapsed) marked too."""
    if not depth:
        return row
    collapsed = indented_id(row.collapsed, depth) if row.collapsed else None
    return replace(row, depth=depth, collapsed=collapsed)


def collapsed_label(action: Action) -> str:
    """A finished action in one line, as the board papers print it: "B2 REMOVED - RAG RED"."""
    label = f"{action.id} {TERMINAL_LABELS[action.status]}"
    if action.note:
        label += f" - {action.note}"
    if action.status == "removed" and action.rag:
        label += f" - RAG {action.rag}"
    return label


def _row(plan: Plan, action: Action, review: Review, colours: dict[str, str]) -> Row:
    owners = owner_names(plan, action.owners)
    if not action.is_open:
        text = collapsed_label(action)
        return Row(action.id, text, "", "", [], owners, "", TERMINAL_LABELS[action.status], None)
    update = action.update_for(review.id)
    rated = action.latest_rated_update
    rag = label_for(action.status, rated.rag if rated is not None else None)
    if rated is not None and rated.qualifier:
        rag = f"{rag} ({rated.qualifier})"
    objective = action.objective or ""
    if action.status == "new":
        objective = f"NEW: {objective}" if objective else "NEW"
    return Row(
        id=action.id,
        collapsed=None,
        objective=objective,
        action=action.action or "",
        measures=[measure_text(m) for m in action.measures],
        owners=owners,
        update=(update.text or "") if update else "",
        rag=rag,
        colour=colours.get(rated.rag or "") if rated is not None else None,
        note=action.note,
    )


def measure_text(measure: Measure) -> str:
    """The measure and its figures in words: "Schools with … : 42 of 56 (2022-01)"."""
    text = measure.description
    figures = []
    if measure.data and len(measure.data) < MIN_CHART_POINTS:
        figures.append(dated_figure(measure.data[-1]))
    elif measure.data:
        figures.append(f"{len(measure.data)} figures, charted below")
    if measure.baseline:
        figures.append(f"baseline {dated_figure(measure.baseline)}")
    if measure.target and (wanted := target_text(measure.target)):
        figures.append(f"target {wanted}")
    return f"{text}: {'; '.join(figures)}" if figures else text


def chart_for(action_id: str, number: int, measure: Measure) -> Chart:
    return Chart(
        action_id,
        number,
        measure.description,
        measure.unit,
        [point.period_text for point in measure.data],
        [float(point.value) for point in measure.data],
    )


def _owners(plan: Plan) -> list[OwnerEntry]:
    """Each owner with the actions they are named on, in the directory's order."""
    owned: dict[str, list[str]] = {}
    for _, action in plan.actions():
        for owner_id in action.owners:
            owned.setdefault(owner_id, []).append(action.id)
    entries = []
    for owner in plan.config.owners:
        if owner.id in owned:
            detail = ", ".join(part for part in (owner.role, owner.organisation) if part)
            entries.append(OwnerEntry(owner.name, detail, owned[owner.id]))
    return entries


def changes_from_diff(previous_label: str, diff: PlanDiff, review_id: str) -> Changes:
    """The changes a board reads: RAG moves with their direction, completions, removals and
    new actions, and the rating stated for this review. Wording, owners and dates stay in
    `datracker diff`, not in the paper; so do ratings recorded, since, for earlier reviews
    (a correction of the record, not a change in delivery)."""
    lines: list[ChangeLine] = []
    for change in diff.changes:
        if change.field == "stated" and change.review != review_id:
            continue
        line = _change_line(change)
        if line is not None:
            lines.append(line)
    return Changes(previous_label, lines)


_RAG_DIRECTION: dict[str | None, Direction] = {"improved": "up", "worsened": "down"}


def _change_line(change: Change) -> ChangeLine | None:
    if change.field == "stated":
        text = f"stated rating: {change.before or 'none'} → {change.after or 'none'}"
        return ChangeLine(
            change.priority, change.id, text, _RAG_DIRECTION.get(change.direction, "other")
        )
    if change.field == "rag":
        text = f"{change.before or NOT_RATED_LABEL} → {change.after or NOT_RATED_LABEL}"
        return ChangeLine(
            change.priority, change.id, text, _RAG_DIRECTION.get(change.direction, "other")
        )
    if change.field == "action":
        if change.before is None:
            return ChangeLine(change.priority, change.id, "added to the plan", "new")
        return ChangeLine(change.priority, change.id, "deleted from the plan", "removed")
    if change.field == "status" and change.after in ("complete", "removed"):
        kind: Direction = "complete" if change.after == "complete" else "removed"
        return ChangeLine(change.priority, change.id, f"{change.before} → {change.after}", kind)
    return None
