"""The plan as it is being imported, and its conversion to plan models once every row is read.

Drafts keep each action's cells as text with their source location until the end, because
some decisions need the whole document: a row split across a page break adds to the action
above it, and "SDA" can only be matched to "Stop Domestic Abuse (SDA)" once both are seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from datracker.core.dates import parse_partial_date
from datracker.core.problems import DatrackerError
from datracker.importing import cells as c
from datracker.importing.owners import OwnerDirectory, OwnerName, slug, split_owner_cell
from datracker.importing.report import ImportReport
from datracker.plan.models import Owner, PlanConfig, PriorityFile, Review, Strategy

if TYPE_CHECKING:
    from datracker.importing.importer import Columns, Heading
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
    written_id: str | None = None  # the id as typed, when it was corrected ("EI")
    id_cell: str = ""  # the ID cell as written ("A6 - No progress after 18 months - …")

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

    def priority(self, heading: Heading, where: str, guessed: bool = False) -> PriorityDraft:
        found = next((p for p in self.priorities if p.id == heading.id), None)
        if found:
            return found
        draft = PriorityDraft(heading.id, heading.title)
        if heading.new:
            draft.note = "Marked NEW in the imported document."
            draft.new = True
            message = f"priority {heading.id} is headed NEW: its actions get status new"
            self.report.add(where, "guess", message)
        self.priorities.append(draft)
        if guessed:
            message = f"no priority heading: actions {heading.id}… form priority {heading.id}"
            self.report.add(where, "guess", message + "; give it a title in its file")
        return draft

    def review(self, label: str, where: str, review_id: str | None = None) -> ReviewRef:
        parsed = c.review_from_label(label) or (
            c.review_from_label(review_id) if review_id else None
        )
        ident = review_id or (parsed[0] if parsed else slug(label))
        if ident in self.reviews:
            return self.reviews[ident]
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
        if parsed.id in self.actions:
            first = self.actions[parsed.id].where
            raise DatrackerError(
                f"action id '{parsed.id}' is used twice: {first} and {where}",
                "give each action its own id in the source file, then import again",
            )
        if parsed.rest:
            values[c.ID] = parsed.rest  # "A7 COMPLETE": the words after the id
        reviews = {f"{c.UPDATE}:{i}": ref for i, ref in columns.reviews.items()}
        reviews |= {f"{c.DUE_OR_UPDATE}:{i}": ref for i, ref in columns.reviews.items()}
        draft = ActionDraft(parsed.id, where, priority, values, reviews, table, row, columns)
        draft.id_cell = " ".join(table.rows[row][columns.fields.index(c.ID)].split())
        if parsed.typo:
            draft.written_id = parsed.typo
            message = f"'{parsed.typo}' read as {parsed.id} (a letter typed for a digit)"
            self.report.add(where, "warning", message)
        priority.actions.append(draft)
        self.actions[parsed.id] = draft
        return draft

    def to_models(self, title: str) -> tuple[PlanConfig, list[PriorityFile]]:
        from datracker.importing.actions import ActionBuilder

        directory = OwnerDirectory()
        owner_cells: dict[str, list[OwnerName]] = {
            d.id: split_owner_cell(d.values.get(c.OWNERS, "")) for d in self.actions.values()
        }
        directory.learn_aliases([o for names in owner_cells.values() for o in names])
        builder = ActionBuilder(self, directory)
        priorities = [
            PriorityFile(
                id=p.id,
                title=p.title,
                note=p.note,
                actions=[builder.build(d, owner_cells[d.id]) for d in p.actions],
            )
            for p in self.priorities
        ]
        config = PlanConfig(
            strategy=Strategy(title=title),
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
        return config, priorities

    def _review_models(self) -> list[Review]:
        def start(ref: ReviewRef) -> str:
            span = parse_partial_date(ref.date)
            return span.start.isoformat() if span else ref.date

        ordered = sorted(self.reviews.values(), key=start)
        return [Review(id=r.id, label=r.label, date=r.date, status="closed") for r in ordered]
