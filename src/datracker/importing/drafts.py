"""The plan as it is being imported, and its conversion to plan models once every row is read.

Drafts keep each action's cells as text with their source location until the end, because
some decisions need the whole document: a row split across a page break adds to the action
above it, and "SDA" can only be matched to "Stop Domestic Abuse (SDA)" once both are seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from datracker.core.dates import parse_partial_date
from datracker.importing import cells as c
from datracker.importing.owners import OwnerDirectory, OwnerName, slug, split_owner_cell
from datracker.importing.report import ImportReport
from datracker.plan.models import Owner, PlanConfig, PriorityFile, Review, Strategy

if TYPE_CHECKING:
    from datracker.importing.columns import Columns
    from datracker.importing.headings import Heading, HeadingStatus
    from datracker.importing.scales import ImportScale
    from datracker.importing.tables import SourceTable


@dataclass(frozen=True)
class ReviewRef:
    id: str
    label: str
    date: str


@dataclass
class PriorityDraft:
    id: str
    title: str
    note: str | None = None
    new: bool = False
    actions: list[ActionDraft] = field(default_factory=list)
    guessed: bool = False  # made up from the actions' ids, with no heading to name it
    where: str = ""  # where its heading (or first row) is
    generated: int = 0  # ids given so far to rows that had none


@dataclass
class ActionDraft:
    id: str
    where: str
    priority: PriorityDraft
    values: dict[str, str]
    reviews: dict[str, ReviewRef]  # "update:<column>" -> the review that column reports for
    table: SourceTable
    row: int
    columns: Columns
    id_cell: str = ""  # the ID cell as written ("A6 - No progress after 18 months - …")
    heading_status: HeadingStatus | None = None  # a status stated only in a heading above
    parent: str | None = None

    def rating_text(self) -> str:
        """What the row says its rating is: its RAG cell, or a heading's rating above it."""
        text = self.values.get(c.RAG, "")
        if not text.strip() and self.heading_status and self.heading_status.rating:
            return self.heading_status.rating
        return text

    def extend(self, values: dict[str, str]) -> None:
        """Add a continuation row's text (a row split across a page break) to this action."""
        for key, text in values.items():
            if text:
                old = self.values.get(key)
                self.values[key] = f"{old}\n{text}" if old else text

    def cell(self, name: str) -> str:
        """Where a field's cell is, for the report ("table 3, row 5, column 7")."""
        index = next((i for i, f in enumerate(self.columns.fields) if f == name), None)
        return self.table.where(self.row, index)


@dataclass
class PlanDraft:
    today_month: str
    report: ImportReport = field(default_factory=lambda: ImportReport(""))
    priorities: list[PriorityDraft] = field(default_factory=list)
    reviews: dict[str, ReviewRef] = field(default_factory=dict)
    actions: dict[str, ActionDraft] = field(default_factory=dict)
    heading_review: str | None = None  # a review named above the tables ("… January 2019")
    # the first line above the tables that is neither a priority, a status nor a review: the
    # plan's own title, as its first page or the top of its sheet shows it
    title_line: str | None = None

    def priority(self, heading: Heading, where: str, guessed: bool = False) -> PriorityDraft:
        found = next((p for p in self.priorities if p.id == heading.id), None)
        if found:
            if not found.actions and heading.title:  # "Section 1 …" then "Objective 1 Cut …"
                found.title = heading.title
            return found
        title = heading.title
        if not title:
            title = f"Priority {heading.id}"
            message = f"priority {heading.id} has no title: called '{title}' (edit it in its file)"
            self.report.add(where, "guess", message)
        draft = PriorityDraft(heading.id, title, guessed=guessed, where=where)
        if heading.new:
            draft.note = "Marked NEW in the imported document."
            draft.new = True
            message = f"priority {heading.id} is headed NEW: its actions get status new"
            self.report.add(where, "guess", message)
        self.priorities.append(draft)
        if guessed and title == f"Priority {heading.id}":
            message = f"no priority heading: actions {heading.id}… form priority {heading.id}"
            self.report.add(where, "guess", message + "; give it a title in its file")
        return draft

    def review(self, label: str, where: str, review_id: str | None = None) -> ReviewRef:
        found = c.read_review_label(label) or (
            c.read_review_label(review_id) if review_id else None
        )
        parsed = (found.id, found.date) if found else None
        ident = review_id or (parsed[0] if parsed else slug(label))
        if ident in self.reviews:
            return self.reviews[ident]
        if found is not None and found.how:
            message = f"review '{label}' dated {found.date}, {found.how} (correct it in plan.yaml)"
            self.report.add(where, "guess", message)
        if parsed is None:
            self.report.add(
                where,
                "warning",
                f"review '{label}' names no month; dated {self.today_month} "
                "(correct it in plan.yaml)",
            )
        ref = ReviewRef(ident, label, parsed[1] if parsed else self.today_month)
        self.reviews[ident] = ref
        return ref

    def fallback_review(self, where: str) -> ReviewRef:
        if self.heading_review:
            if self.heading_review not in {r.label for r in self.reviews.values()}:
                message = f"updates and ratings filed under '{self.heading_review}', named above"
                self.report.add(where, "guess", message)
            return self.review(self.heading_review, where)
        if "imported" in self.reviews:
            return self.reviews["imported"]
        self.report.add(
            where,
            "warning",
            "no column names the review its updates belong to; filed under 'Imported update' "
            '(pass --review-label "Update January 2022" to name it)',
        )
        return self.review("Imported update", where, "imported")

    def action(
        self,
        parsed: c.ParsedId,
        priority: PriorityDraft,
        table: SourceTable,
        row: int,
        columns: Columns,
        values: dict[str, str],
    ) -> ActionDraft:
        where = table.where(row)
        if parsed.rest and columns.has_id_column:
            values[c.ID] = parsed.rest  # "A7 COMPLETE": the words after the id
        reviews = {f"{c.UPDATE}:{i}": ref for i, ref in columns.reviews.items()}
        reviews |= {f"{c.DUE_OR_UPDATE}:{i}": ref for i, ref in columns.reviews.items()}
        draft = ActionDraft(parsed.id, where, priority, values, reviews, table, row, columns)
        if columns.has_id_column:
            draft.id_cell = " ".join(table.rows[row][columns.fields.index(c.ID)].split())
        if parsed.stray:
            message = (
                f"id '{parsed.stray}' read as {parsed.id} (the last character is not part of it)"
            )
            self.report.add(where, "guess", message)
        if parsed.typo:
            message = f"'{parsed.typo}' read as {parsed.id} (a letter typed for a digit)"
            self.report.add(where, "warning", message)
        priority.actions.append(draft)
        self.actions[parsed.id] = draft
        return draft

    def place_sub_actions(self) -> None:
        """2.6.1 under 2.6: an id one level deeper than another action of its priority."""
        for draft in self.actions.values():
            head, dot, _ = draft.id.rpartition(".")
            if not dot or not head:
                continue
            parent = self.actions.get(head)
            if parent is None:
                if draft.id.count(".") >= 2:
                    message = (
                        f"{draft.id} is numbered as a step of {head}, but there is no action "
                        f"{head}: kept as an action of its own"
                    )
                    self.report.add(draft.where, "guess", message)
                continue
            if parent.priority is not draft.priority:
                message = f"{draft.id} is numbered under {head}, which is in another priority"
                self.report.add(draft.where, "warning", message + ": not made its sub-action")
                continue
            draft.parent = head
            self.report.add(draft.where, "guess", f"{draft.id} is a sub-action of {head}")

    def to_models(
        self, title: str, scale: ImportScale | None = None
    ) -> tuple[PlanConfig, list[PriorityFile]]:
        from datracker.importing.actions import ActionBuilder
        from datracker.importing.scales import infer_scale

        self.place_sub_actions()
        if scale is None:
            choice = infer_scale([d.rating_text() for d in self.actions.values()])
            scale = choice.scale
            if choice.message:
                self.report.add(self._rating_place(), "guess", choice.message)
        directory = OwnerDirectory()
        owner_cells: dict[str, list[OwnerName]] = {
            d.id: split_owner_cell(d.values.get(c.OWNERS, "")) for d in self.actions.values()
        }
        directory.learn_aliases([o for names in owner_cells.values() for o in names])
        builder = ActionBuilder(self, directory, scale)
        for empty in [p for p in self.priorities if not p.actions]:
            message = f"priority {empty.id} ('{empty.title}') has no action rows: left out"
            self.report.add(empty.where, "guess", message)
        priorities = [
            PriorityFile(
                id=p.id,
                title=p.title,
                note=p.note,
                actions=[builder.build(d, owner_cells[d.id]) for d in p.actions],
            )
            for p in self.priorities
            if p.actions
        ]
        config = PlanConfig(
            strategy=Strategy(title=title),
            scale=scale.levels,
            reviews=self._review_models(),
            owners=[
                Owner(id=e.id, name=e.name, organisation=e.organisation, role=e.role)
                for e in directory.entries
            ],
        )
        self.report.priorities = len(priorities)
        self.report.actions = len(self.actions)
        self.report.owners = len(directory.entries)
        self.report.reviews = len(config.reviews)
        self.report.scale = scale.levels if scale.custom else None
        return config, priorities

    def _rating_place(self) -> str:
        first = next((d for d in self.actions.values() if d.rating_text().strip()), None)
        return first.cell(c.RAG) if first else "ratings"

    def _review_models(self) -> list[Review]:
        def start(ref: ReviewRef) -> str:
            span = parse_partial_date(ref.date)
            return span.start.isoformat() if span else ref.date

        ordered = sorted(self.reviews.values(), key=start)
        return [Review(id=r.id, label=r.label, date=r.date, status="closed") for r in ordered]
