"""The progress site as plain data: the refresh document's view, plus a page per action.

The site shows what the board paper shows (its `RefreshView`: title, summary, RAG key, changes,
each priority's rows) and what a paper has no room for: a page per action with every review's
update and RAG, each measure's figures as a table beside its chart, and an owners page. It is
built from the same view, so the site and the paper cannot disagree about a rating.

Pages are named by id (`actions/A5.html`); every link is relative, so the site works opened
from disk (`file://`) and from any sub-path of a web host.
"""

from __future__ import annotations

from dataclasses import dataclass

from datracker.core.numbers import format_number
from datracker.plan.models import TERMINAL_LABELS, Action, Measure, Plan, PriorityFile, Update
from datracker.plan.status import NOT_RATED_LABEL as NOT_RATED
from datracker.plan.status import label_for
from datracker.render.view import (
    MIN_CHART_POINTS,
    Chart,
    PriorityTable,
    RefreshView,
    SummaryLine,
    chart_for,
    long_date,
    measure_text,
    plan_at,
)
from datracker.report.status import owner_names
from datracker.vcs.records import ReviewRecord


@dataclass(frozen=True)
class UpdateEntry:
    """One review's update of an action, newest first on the page."""

    review_id: str
    review_label: str
    date: str  # in words ("20 April 2022"), "" when not given
    rag: str  # in words, NOT RATED when the update gave none
    colour: str | None
    text: str
    recorded: str  # where git keeps the record the board saw ("tag review/2022-01, commit
    # 313caa9"), or "" when git has none (an open review, a plan outside git)
    # how the update differs from that record now: "" (it does not), or in words, e.g.
    # "the RAG was AMBER", "the text was edited", "it was added after the review"
    corrected: str


@dataclass(frozen=True)
class FigureRow:
    period: str
    value: str  # formatted once, by the one number formatter
    of: str
    note: str


@dataclass(frozen=True)
class MeasureBlock:
    summary: str  # the measure in words, as the paper prints it
    unit: str
    figures: tuple[FigureRow, ...]
    chart: Chart | None
    anchor: str  # "figures-2": the id of its figures table
    has_of: bool  # some figure is "x of y": the table needs an Of column
    has_notes: bool  # some figure has a note: the table needs a Note column


@dataclass(frozen=True)
class OwnerRef:
    name: str
    page_anchor: str  # the owner's id, the anchor on the owners page


@dataclass(frozen=True)
class ActionPage:
    id: str
    page: str  # "A5.html", under actions/
    priority_id: str
    priority_title: str
    priority_page: str  # "A.html", under priorities/
    objective: str
    action: str
    status: str  # "active", "new", "COMPLETE" …, in words
    rag: str
    colour: str | None
    owners: tuple[OwnerRef, ...]
    due: str
    note: str
    measures: tuple[MeasureBlock, ...]
    updates: tuple[UpdateEntry, ...]


@dataclass(frozen=True)
class PriorityPage:
    id: str
    page: str  # "A.html", under priorities/
    table: PriorityTable
    summary: SummaryLine
    action_pages: dict[str, str]  # action id -> page, for the rows' links


@dataclass(frozen=True)
class OwnerPage:
    id: str
    name: str
    detail: str
    actions: tuple[tuple[str, str], ...]  # (action id, page)


@dataclass(frozen=True)
class SiteView:
    """The whole site: `doc` is the refresh document's view, the rest its extra pages."""

    doc: RefreshView
    priorities: tuple[PriorityPage, ...]
    actions: tuple[ActionPage, ...]
    owners: tuple[OwnerPage, ...]

    @property
    def action_pages(self) -> dict[str, str]:
        """Each action's page by id, for links from anywhere (the changes list, owners)."""
        return {action.id: action.page for action in self.actions}


def page_name(identifier: str) -> str:
    """A page's file name from an id. Ids are letters, digits, '.', '_' and '-', starting with
    a letter or digit (the plan model's rule), so they are safe file names as they are."""
    return f"{identifier}.html"


def build_site(
    plan: Plan, doc: RefreshView, records: dict[str, ReviewRecord] | None = None
) -> SiteView:
    """The site of `plan` at `doc`'s review; `records` are git's records of closed reviews
    (vcs/records.py), so each past update can say where the board's copy is kept."""
    review = plan.config.review(doc.review_id)
    assert review is not None  # the document was built for one of the plan's reviews
    plan = plan_at(plan, review)
    summaries = {line.priority_id: line for line in doc.summary}
    tables = {table.id: table for table in doc.priorities}
    colours = {level.id: level.colour for level in plan.config.scale}
    labels = {r.id: r.label for r in plan.config.reviews}
    priorities: list[PriorityPage] = []
    actions: list[ActionPage] = []
    for priority in plan.priorities:
        pages = {a.id: page_name(a.id) for a in priority.actions}
        priorities.append(
            PriorityPage(
                priority.id,
                page_name(priority.id),
                tables[priority.id],
                summaries[priority.id],
                pages,
            )
        )
        actions.extend(
            _action_page(plan, priority, action, colours, labels, records or {})
            for action in priority.actions
        )
    return SiteView(doc, tuple(priorities), tuple(actions), _owner_pages(plan))


def _action_page(
    plan: Plan,
    priority: PriorityFile,
    action: Action,
    colours: dict[str, str],
    labels: dict[str, str],
    records: dict[str, ReviewRecord],
) -> ActionPage:
    rated = action.latest_rated_update
    rag = label_for(action.status, rated.rag if rated is not None else None)
    owners = tuple(OwnerRef(owner_names(plan, [owner_id]), owner_id) for owner_id in action.owners)
    return ActionPage(
        id=action.id,
        page=page_name(action.id),
        priority_id=priority.id,
        priority_title=priority.title,
        priority_page=page_name(priority.id),
        objective=action.objective or "",
        action=action.action or "",
        status=TERMINAL_LABELS.get(action.status, action.status),
        rag=rag,
        colour=colours.get(rated.rag or "") if rated is not None and action.is_open else None,
        owners=owners,
        due=long_date(action.due) if action.due else "",
        note=action.note or "",
        measures=tuple(
            _measure_block(action.id, number, measure)
            for number, measure in enumerate(action.measures, start=1)
        ),
        updates=tuple(
            _update_entry(action.id, update, labels, colours, records.get(update.review))
            for update in reversed(action.updates)
        ),
    )


def _update_entry(
    action_id: str,
    update: Update,
    labels: dict[str, str],
    colours: dict[str, str],
    record: ReviewRecord | None,
) -> UpdateEntry:
    recorded, corrected = "", ""
    if record is not None and action_id in record.updates:
        short = record.commit[:7]
        recorded = (
            f"tag {record.tag}, commit {short}"
            if record.tagged
            else f"commit {short}, which closed the review"
        )
        corrected = _correction(record.updates[action_id], update)
    return UpdateEntry(
        update.review,
        labels.get(update.review, update.review),
        long_date(update.date) if update.date else "",
        update.rag or NOT_RATED,
        colours.get(update.rag or ""),
        update.text or "",
        recorded,
        corrected,
    )


def _correction(then: Update | None, now: Update) -> str:
    """How an update differs from the board's record of it, in words; "" when it does not."""
    if then is None:
        return "it was added after the review"
    if then.rag != now.rag:
        return f"the RAG was {then.rag or NOT_RATED}"
    if then.text != now.text:
        return "the text was edited"
    return ""


def _measure_block(action_id: str, number: int, measure: Measure) -> MeasureBlock:
    figures = tuple(
        FigureRow(
            point.period_text,
            format_number(point.value),
            format_number(point.of) if point.of is not None else "",
            point.note or "",
        )
        for point in measure.data
    )
    chart = chart_for(action_id, number, measure) if len(measure.data) >= MIN_CHART_POINTS else None
    return MeasureBlock(
        measure_text(measure),
        measure.unit or "",
        figures,
        chart,
        f"figures-{number}",
        any(row.of for row in figures),
        any(row.note for row in figures),
    )


def _owner_pages(plan: Plan) -> tuple[OwnerPage, ...]:
    owned: dict[str, list[str]] = {}
    for _, action in plan.actions():
        for owner_id in action.owners:
            owned.setdefault(owner_id, []).append(action.id)
    pages = []
    for owner in plan.config.owners:
        if owner.id in owned:
            detail = ", ".join(part for part in (owner.role, owner.organisation) if part)
            actions = tuple((a, page_name(a)) for a in owned[owner.id])
            pages.append(OwnerPage(owner.id, owner.name, detail, actions))
    return tuple(pages)
