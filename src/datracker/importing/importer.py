"""From tables of text to a plan: find the header row, walk the rows, keep every guess.

Pure: it takes `SourceTable`s (already read from a file) and returns plan models plus an
ImportReport, so every quirk is tested on hand-written rows as well as on real files.
The walk keeps a "current priority" and a "current action" across tables, because Word plans
continue a priority's table after a page break (header repeated, no new heading) and split a
row across the break (the second half has an empty ID cell).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from datracker.core.problems import DatrackerError
from datracker.core.text import CONTROL, printable
from datracker.importing import cells as c
from datracker.importing.drafts import ActionDraft, PlanDraft, PriorityDraft, ReviewRef
from datracker.importing.report import ReportItem
from datracker.importing.tables import SourceDocument, SourceTable

HEADER_SEARCH_ROWS = 12
_HEADING = re.compile(
    r"^(?P<new>NEW\s*[:\-–]?\s*)?(?:priority|section|theme|outcome)\s+(?P<id>[A-Z0-9]{1,3})"
    r"(?:\s*[:.\-–]\s*(?P<title>.+))?$",
    re.IGNORECASE,
)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Heading:
    id: str
    title: str
    new: bool


def parse_heading(text: str) -> Heading | None:
    """ "NEW: Priority F - Safe accommodation" → F, "Safe accommodation", new."""
    match = _HEADING.match(" ".join(text.split()))
    if not match:
        return None
    ident = match["id"].upper()
    return Heading(ident, (match["title"] or f"Priority {ident}").strip(), bool(match["new"]))


@dataclass
class Columns:
    """What each column of a table holds, found from its header row."""

    header_index: int
    fields: list[str | None]
    headers: list[str]
    reviews: dict[int, ReviewRef] = field(default_factory=dict)  # update column → review

    def looks_like_header(self, row: list[str]) -> bool:
        return [c.squash(x) for x in row] == [c.squash(x) for x in self.headers]


def find_columns(table: SourceTable) -> Columns | None:
    """The first row that names at least two plan columns besides the id."""
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        has_rag = any(c.squash(h) in ("rag", "rag status", "rag rating") for h in row)
        fields = [
            c.map_header(h, has_rag) if i == 0 or h.strip() else None for i, h in enumerate(row)
        ]
        known = {f for f in fields if f not in (None, c.ID)}
        if len(known) >= 2 and (c.ID in fields):
            return Columns(index, fields, row)
    return None


class Importer:
    """One import: walks every table of a source document into a PlanDraft."""

    def __init__(self, review_label: str | None, today_month: str, progress: Progress | None):
        self.draft = PlanDraft(today_month=today_month)
        self.review_label = review_label
        self.progress = progress
        self.priority: PriorityDraft | None = None
        self.last: ActionDraft | None = None
        self.last_review: ReviewRef | None = None

    def run(self, source: SourceDocument) -> PlanDraft:
        used = 0
        for table in source.tables:
            if not table.rows:
                self.draft.report.add(table.label, "skipped", "it is empty")
                continue
            columns = find_columns(table)
            if columns is None:
                self.draft.report.add(
                    table.where(0),
                    "skipped",
                    "no header row with plan columns (Objective, Action, By whom, RAG …)",
                )
                continue
            used += 1
            self._table(self._printable(table), columns)
        if used == 0:
            raise _no_plan(source, self.draft.report.of_kind("skipped"))
        return self.draft

    def _printable(self, table: SourceTable) -> SourceTable:
        """Cells with invisible control characters removed, each removal reported."""
        rows = []
        for index, row in enumerate(table.rows):
            for column, cell in enumerate(row):
                if CONTROL.search(cell):
                    message = "removed invisible control characters"
                    self.draft.report.add(table.where(index, column), "warning", message)
            rows.append([printable(cell) for cell in row])
        headings = [printable(h) for h in table.headings]
        return SourceTable(table.label, table.kind, rows, table.row_numbers, headings)

    def _table(self, table: SourceTable, columns: Columns) -> None:
        for text in table.headings + [r[0] for r in table.rows[: columns.header_index] if r]:
            heading = parse_heading(text)
            if heading:
                self.priority = self.draft.priority(heading, f"{table.label}, heading")
                self.last = None
        self._map_reviews(table, columns)
        self._report_unmapped(table, columns)
        for index in range(columns.header_index + 1, len(table.rows)):
            self._row(table, columns, index)
            if self.progress:
                self.progress(1)

    def _map_reviews(self, table: SourceTable, columns: Columns) -> None:
        if c.REVIEW in columns.fields:
            return  # a Review column (as our export writes) names each row's review
        for index, name in enumerate(columns.fields):
            if name == c.UPDATE or name == c.DUE_OR_UPDATE:
                ref = self._review_for_header(table, columns, index)
                columns.reviews[index] = ref
                self.last_review = ref

    def _review_for_header(self, table: SourceTable, columns: Columns, column: int) -> ReviewRef:
        where = table.where(columns.header_index, column)
        if self.review_label:
            return self.draft.review(self.review_label, where)
        label = " ".join(columns.headers[column].split())
        if c.review_from_label(label):
            return self.draft.review(label, where)
        if self.last_review is not None:
            self.draft.report.add(
                where,
                "guess",
                f"column '{label}' names no month; its updates are filed under "
                f"'{self.last_review.label}' like the tables before it",
            )
            return self.last_review
        return self.draft.fallback_review(where)

    def _report_unmapped(self, table: SourceTable, columns: Columns) -> None:
        for index, name in enumerate(columns.fields):
            body = table.rows[columns.header_index + 1 :]
            if name is None and any(index < len(r) and r[index] for r in body):
                header = columns.headers[index].strip() or f"column {index + 1} (no header)"
                self.draft.report.add(
                    table.where(columns.header_index, index),
                    "unplaced",
                    f"column '{header}' is not a plan column; its cells are kept in each "
                    "action's note",
                )

    def _row(self, table: SourceTable, columns: Columns, index: int) -> None:
        row = table.rows[index]
        if columns.looks_like_header(row):
            return  # the header repeated after a page break
        filled = [x for x in row if x.strip()]
        heading = parse_heading(filled[0]) if len(filled) == 1 else None
        if heading:
            self.priority = self.draft.priority(heading, table.where(index))
            self.last = None
            return
        values = _by_field(row, columns)
        id_text = values.pop(c.ID, "")
        if not id_text:
            self._continuation(table, index, values)
            return
        parsed = c.parse_id(id_text.splitlines()[0])
        if parsed is None:
            message = f"'{id_text}' is not an action id; row left out: {' | '.join(filled)}"
            self.draft.report.add(table.where(index), "unplaced", message)
            return
        priority = self._priority_for(table, index, parsed.id, values)
        self.last = self.draft.action(parsed, priority, table, index, columns, values)

    def _continuation(self, table: SourceTable, index: int, values: dict[str, str]) -> None:
        if not any(values.values()):
            return
        if self.last is None:
            text = " | ".join(v for v in values.values() if v)
            self.draft.report.add(
                table.where(index), "unplaced", f"a row with no ID and no action above it: {text}"
            )
            return
        self.last.extend(values)
        self.draft.report.add(
            table.where(index),
            "guess",
            f"no ID: read as the rest of {self.last.id}'s row (split across a page break)",
        )

    def _priority_for(
        self, table: SourceTable, index: int, action_id: str, values: dict[str, str]
    ) -> PriorityDraft:
        column_id = values.pop(c.PRIORITY, "")
        title = values.pop(c.PRIORITY_TITLE, "")
        if column_id:
            heading = parse_heading(column_id) or Heading(column_id, title or column_id, False)
            self.priority = self.draft.priority(heading, table.where(index))
        elif self.priority is None:
            letter = re.match(r"[A-Z]+", action_id)
            ident = letter[0] if letter else "A"
            self.priority = self.draft.priority(
                Heading(ident, f"Priority {ident}", False), table.where(index), guessed=True
            )
        return self.priority


def _by_field(row: list[str], columns: Columns) -> dict[str, str]:
    """Cell text per field; several columns of one kind (two update columns) are kept apart."""
    values: dict[str, str] = {}
    for index, name in enumerate(columns.fields):
        text = row[index].strip() if index < len(row) else ""
        if name in (c.UPDATE, c.DUE_OR_UPDATE):
            values[f"{name}:{index}"] = text
        elif name is None:
            if text:
                header = columns.headers[index].strip() or f"column {index + 1}"
                values[f"{c.NOTE}:{index}"] = f"{header}: {text}"
        elif text:
            values[name] = f"{values[name]}\n{text}" if name in values else text
    return values


def _no_plan(source: SourceDocument, skipped: list[ReportItem]) -> DatrackerError:
    what = "table" if source.path.suffix.lower() == ".docx" else "sheet"
    found = "; ".join(f"{item.where}: {item.message}" for item in skipped)
    return DatrackerError(
        f"no {what} in {source.path} looks like a delivery plan"
        + (f" ({found})" if found else f" (it has no {what}s)"),
        "a plan table needs a header row naming its columns, such as: ID | Objective | Action "
        "| Suggested measure | By whom | Update January 2022 | RAG",
    )
