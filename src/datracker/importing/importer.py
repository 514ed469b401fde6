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
from dataclasses import dataclass

from datracker.core.problems import DatrackerError
from datracker.core.text import CONTROL, printable
from datracker.importing import cells as c
from datracker.importing.colours import rating_from_colour
from datracker.importing.columns import Columns, find_columns
from datracker.importing.drafts import ActionDraft, PlanDraft, PriorityDraft, ReviewRef
from datracker.importing.headings import (
    Heading,
    HeadingStatus,
    heading_status,
    parse_heading,
    parse_numbered_heading,
    priority_from_cell,
)
from datracker.importing.report import Place
from datracker.importing.tables import SourceDocument, SourceTable

Progress = Callable[[int], None]
# "Action 1.11", "Commitment 3", "Ref: 2.1": a word before the id in an ID column
_ID_LABEL = re.compile(
    r"^\s*(?:action|actions|item|ref|reference|no|number|commitment|objective|milestone|task)"
    r"\b\.?\s*:?\s*(?=[A-Za-z]{0,6}[-_]?\d)",
    re.IGNORECASE,
)
_REVIEW_WORDS = re.compile(r"\b(update|progress|report|review|quarter|q[1-4]|as at)\b", re.I)

__all__ = ["Heading", "Importer", "Progress", "parse_heading"]


@dataclass
class _Part:
    """One plan in the file. A second plan whose ids collide with the first is kept apart by
    a prefix on its priorities' and actions' ids ("plan2-1.1"), never merged into the first."""

    number: int = 1

    @property
    def prefix(self) -> str:
        return "" if self.number == 1 else f"plan{self.number}-"


class Importer:
    """One import: walks every table of a source document into a PlanDraft."""

    def __init__(
        self,
        review_label: str | None,
        today_month: str,
        progress: Progress | None,
        columns: dict[str, str] | None = None,
    ):
        self.draft = PlanDraft(today_month=today_month)
        self.review_label = review_label
        self.progress = progress
        self.overrides = columns or {}
        self.priority: PriorityDraft | None = None
        self.last: ActionDraft | None = None
        self.last_review: ReviewRef | None = None
        self.heading_review: str | None = None  # "… Progress Update January 2019" above
        self.left_out: dict[int, list[str]] = {}  # rows left out, by their table's position
        self.section: HeadingStatus | None = None
        self.first_heading: str | None = None
        self.part = _Part()
        self.after_header = False  # the next row is the first after a (repeated) header
        self.numbered_titles: dict[str, str] = {}  # "2" → "Safer homes", from "2. Safer homes"

    def run(self, source: SourceDocument) -> PlanDraft:
        title = source.title or ""
        if _REVIEW_WORDS.search(title) and c.read_review_label(title):
            self._note_review_heading(title)
        used: list[SourceTable] = []
        for table in source.tables:
            if not table.rows:
                self.draft.report.add(table.place, "skipped", "it is empty")
                continue
            columns = find_columns(table, self.overrides)
            if columns is None:
                self.draft.report.add(
                    table.where(0),
                    "skipped",
                    "no header row with plan columns (ID, Objective, Action, By whom, RAG …)",
                )
                continue
            used.append(table)
            self._table(self._printable(table), columns)
        if not used:
            raise _no_plan(source, self.draft)
        if not self.draft.actions:
            raise _no_actions(source, used, self.left_out)
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
        return SourceTable(
            table.label, table.kind, rows, table.row_numbers, headings, table.position, table.fills
        )

    # --- headings -----------------------------------------------------------------------

    def _table(self, table: SourceTable, columns: Columns) -> None:
        before = table.headings + [r[0] for r in table.rows[: columns.header_index] if r]
        if any(text.strip() for text in before):
            self.section = None  # a new heading block: an earlier status heading no longer applies
        for text in before:
            self._heading_text(text, Place(f"{table.label}, heading", table.position))
        self._map_reviews(table, columns)
        self._report_unmapped(table, columns)
        self.after_header = True
        for index in range(columns.header_index + 1, len(table.rows)):
            self._row(table, columns, index)
            if self.progress:
                self.progress(1)

    def _heading_text(self, text: str, where: str) -> bool:
        """Read a heading; True if it was one (a priority, a status or a review)."""
        line = " ".join(text.split())
        if not line:
            return False
        heading = parse_heading(line)
        if heading:
            self._start_priority(heading, where)
            return True
        status = heading_status(line)
        if status:
            self.section = status
            return True
        review = bool(_REVIEW_WORDS.search(line) and c.read_review_label(line))
        if review:
            self._note_review_heading(line)
        numbered = parse_numbered_heading(line)
        if numbered and len(line.split()) <= 12:
            self.numbered_titles[numbered.id] = numbered.title  # "2. Safer homes"
        elif not review and self.draft.title_line is None and not self.draft.actions:
            if len(line.split()) <= 15 and not line.endswith("."):  # a title, not prose
                self.draft.title_line = line  # "Safer Southtown Partnership - Action Plan 2024/25"
        self.first_heading = self.first_heading or line
        return False

    def _note_review_heading(self, line: str) -> None:
        self.heading_review = self.heading_review or line
        self.draft.heading_review = self.heading_review

    def _start_priority(
        self, heading: Heading, where: str, guessed: bool = False, restart: bool = True
    ) -> None:
        ident = self.part.prefix + heading.id
        existing = next((p for p in self.draft.priorities if p.id == ident), None)
        again = existing is not None and bool(existing.actions) and existing is not self.priority
        if restart and again:
            if self.priority is not None and self.priority.actions:
                self._new_part(where, f"priority {heading.id} is headed again")
                ident = self.part.prefix + heading.id
        named = Heading(ident, heading.title, heading.new)
        self.priority = self.draft.priority(named, where, guessed=guessed)
        self.last = None
        self.section = None

    def _new_part(self, where: str, why: str) -> None:
        self.part.number += 1
        message = (
            f"{why} after other priorities: read as a second plan in the same file. Its "
            f"priorities and actions are kept apart, with ids starting '{self.part.prefix}' "
            "(rename them, or import the two plans separately)"
        )
        self.draft.report.add(where, "guess", message)

    # --- reviews ------------------------------------------------------------------------

    def _map_reviews(self, table: SourceTable, columns: Columns) -> None:
        if c.REVIEW in columns.fields or c.REVIEW_LABEL in columns.fields:
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
        if self.heading_review:
            self.draft.report.add(
                where,
                "guess",
                f"column '{label}' names no month; its updates are filed under "
                f"'{self.heading_review}', the review named above the table",
            )
            return self.draft.review(self.heading_review, where)
        return self.draft.fallback_review(where)

    def _report_unmapped(self, table: SourceTable, columns: Columns) -> None:
        for index, name in enumerate(columns.fields):
            body = table.rows[columns.header_index + 1 :]
            if name is None and any(index < len(r) and r[index] for r in body):
                header = columns.headers[index].strip() or f"column {index + 1} (no header)"
                why = f" ({columns.notes[index]})" if index in columns.notes else ""
                self.draft.report.add(
                    table.where(columns.header_index, index),
                    "unplaced",
                    f"column '{header}' is not a plan column{why}; its cells are kept in each "
                    "action's note",
                )

    # --- rows ---------------------------------------------------------------------------

    def _row(self, table: SourceTable, columns: Columns, index: int) -> None:
        row = table.rows[index]
        if columns.looks_like_header(row):
            self.after_header = True
            return  # the header repeated after a page break
        first_after_header, self.after_header = self.after_header, False
        filled = [x for x in row if x.strip()]
        if not filled:
            return
        if len(filled) == 1 and self._heading_row(table, index, filled[0]):
            self.after_header = first_after_header
            return
        values = _by_field(row, columns)
        self._rating_by_colour(table, index, columns, values)
        id_text = values.pop(c.ID, "")
        parsed = self._row_id(id_text, values, columns)
        if parsed is None and id_text:
            if not (values.get(c.ACTION) or values.get(c.OBJECTIVE)):
                message = f"'{id_text}' is not an action id; row left out: {' | '.join(filled)}"
                self.draft.report.add(table.where(index), "unplaced", message)
                self.left_out.setdefault(table.position, []).append(message)
                return
            values[f"{c.NOTE}:id"] = (
                f"{columns.headers[columns.fields.index(c.ID)] or 'ID'}: {id_text}"
            )
        if parsed is None:
            if self._continues(columns, values, first_after_header):
                self._continuation(table, index, values)
                return
        priority = self._priority_for(table, index, parsed.id if parsed else "", values)
        generated = parsed is None
        if parsed is None:
            parsed = self._generated_id(priority, table.where(index))
        self._add_action(parsed, generated, priority, table, index, columns, values)

    def _rating_by_colour(
        self, table: SourceTable, index: int, columns: Columns, values: dict[str, str]
    ) -> None:
        """A RAG cell with no words but a colour: read as the rating the colour shows."""
        if c.RAG in values or c.RAG not in columns.fields:
            return
        column = columns.fields.index(c.RAG)
        fill = table.fills.get((index, column))
        word = rating_from_colour(fill) if fill else None
        if fill is None or word is None:
            return
        values[c.RAG] = word
        message = f"the rating cell has no words, only the colour #{fill}: read as {word}"
        self.draft.report.add(table.where(index, column), "guess", message)

    def _heading_row(self, table: SourceTable, index: int, text: str) -> bool:
        """A row with one filled cell: a priority or status heading (not "A7 COMPLETE")."""
        row, where = table.rows[index], table.where(index)
        if not row or row[0].strip() != text:
            return False  # only a later column filled: the rest of a row, not a heading
        numbered = parse_numbered_heading(text)
        if numbered:
            self._start_priority(numbered, where)
            return True
        parsed = c.parse_id(text)
        if parsed is not None and not parse_heading(text):
            return False  # a one-line action row
        if self._heading_text(text, where):
            return True
        if (
            len(row) >= 3
            and len(text.split()) <= 10
            and not text.rstrip().endswith(".")
            and _next_row_is_full(table, index)
        ):
            heading = Heading(self._priority_number(text), text, False)
            message = f"a row with only '{text}' read as a heading: priority {heading.id}"
            self.draft.report.add(where, "guess", message)
            self._start_priority(heading, where)
            return True
        return False

    def _row_id(self, id_text: str, values: dict[str, str], columns: Columns) -> c.ParsedId | None:
        if id_text:
            first_line = _ID_LABEL.sub("", id_text.splitlines()[0])
            return c.parse_id(first_line)
        if columns.embedded_ids is None:
            return None
        name = columns.fields[columns.embedded_ids]
        assert name is not None
        parsed = c.parse_id(values.get(name, ""))
        if parsed is not None and parsed.rest and (parsed.stray or not parsed.id.isdigit()):
            values[name] = parsed.rest  # "1.1 Monitor …": the id comes off the action's text
            return parsed
        return None

    def _continues(self, columns: Columns, values: dict[str, str], first: bool) -> bool:
        """A row without an id continues the action above when it is the second half of a row
        split across a page break (first after the header), or adds no action of its own."""
        if self.last is None or not columns.has_id_column:
            return False
        return first or not (values.get(c.ACTION) or values.get(c.OBJECTIVE))

    def _continuation(self, table: SourceTable, index: int, values: dict[str, str]) -> None:
        if not any(values.values()):
            return
        assert self.last is not None
        self.last.extend(values)
        self.draft.report.add(
            table.where(index),
            "guess",
            f"no ID: read as the rest of {self.last.id}'s row (split across a page break)",
        )

    def _generated_id(self, priority: PriorityDraft, where: str) -> c.ParsedId:
        """A stable id for a row that has none: its priority's id and its place among them."""
        while True:
            priority.generated += 1
            ident = f"{priority.id}-{priority.generated}"
            if ident not in self.draft.actions:
                break
        message = f"the row has no id: given the id {ident} (change it in its file if you like)"
        self.draft.report.add(where, "guess", message)
        return c.ParsedId(ident, "")

    def _add_action(
        self,
        parsed: c.ParsedId,
        generated: bool,
        priority: PriorityDraft,
        table: SourceTable,
        index: int,
        columns: Columns,
        values: dict[str, str],
    ) -> None:
        ident = parsed.id if generated else self.part.prefix + parsed.id
        if ident in self.draft.actions:
            first = self.draft.actions[ident]
            where = table.where(index)
            if first.priority is priority or first.table is table:
                raise DatrackerError(
                    f"action id '{parsed.id}' is used twice: {first.where} and {where}",
                    "give each action its own id in the source file, then import again",
                )
            old_prefix = self.part.prefix
            self._new_part(where, f"action id '{parsed.id}' is used again (first at {first.where})")
            plain = priority.id.removeprefix(old_prefix)
            self._start_priority(Heading(plain, priority.title, priority.new), where)
            assert self.priority is not None
            priority = self.priority
            ident = self.part.prefix + parsed.id
        named = c.ParsedId(ident, parsed.rest, parsed.typo, parsed.stray)
        draft = self.draft.action(named, priority, table, index, columns, values)
        draft.heading_status = self.section
        self.last = draft

    def _priority_for(
        self, table: SourceTable, index: int, action_id: str, values: dict[str, str]
    ) -> PriorityDraft:
        column_id = values.pop(c.PRIORITY, "")
        title = " ".join(values.pop(c.PRIORITY_TITLE, "").split())
        where = table.where(index)
        if column_id:
            heading = priority_from_cell(column_id, title)
            if not heading.id:
                heading = Heading(self._priority_number(heading.title), heading.title, False)
                if not any(p.title == heading.title for p in self.draft.priorities):
                    message = f"priority '{heading.title}' has no number: given the id {heading.id}"
                    self.draft.report.add(where, "guess", message)
            if self.priority is None or self.priority.id != self.part.prefix + heading.id:
                self._start_priority(heading, where, restart=False)
        elif self.priority is None or (self.priority.guessed and action_id):
            guess = _priority_from_id(action_id)
            if guess is None and self.priority is not None:
                return self.priority
            if guess is None:
                title = self.first_heading or "Imported actions"
                message = f"no priority heading or column: the actions form priority 1, '{title}'"
                self.draft.report.add(where, "guess", message)
                self._start_priority(Heading("1", title, False), where, guessed=False)
            elif self.priority is None or self.priority.id != self.part.prefix + guess:
                title = self.numbered_titles.get(guess, "")
                if title:
                    message = (
                        f"priority {guess} takes its title from the heading '{guess}. {title}'"
                    )
                    self.draft.report.add(where, "guess", message)
                self._start_priority(
                    Heading(guess, title or f"Priority {guess}", False), where, True
                )
        assert self.priority is not None
        return self.priority

    def _priority_number(self, title: str) -> str:
        """An id for a priority named only in words ("Economy and jobs"): P1, P2 … in order."""
        for priority in self.draft.priorities:
            if priority.title == title:
                return priority.id.removeprefix(self.part.prefix)
        return f"P{len(self.draft.priorities) + 1}"


def _next_row_is_full(table: SourceTable, index: int) -> bool:
    """A one-cell row is a heading when a row with several cells (an action) follows it; a
    run of one-cell rows is a list of actions with little said about each."""
    for row in table.rows[index + 1 :]:
        filled = [x for x in row if x.strip()]
        if filled:
            return len(filled) >= 2
    return False


def _priority_from_id(action_id: str) -> str | None:
    """ "A5" → A, "2.6.1" → 2, "WAP-1" → WAP; None for ids made up by the import."""
    if not action_id:
        return None
    if "." in action_id:
        return action_id.split(".")[0]
    letters = re.match(r"[A-Za-z]+", action_id)
    return letters[0].upper() if letters else None


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


def _no_plan(source: SourceDocument, draft: PlanDraft) -> DatrackerError:
    skipped = draft.report.of_kind("skipped")
    what = "table" if source.path.suffix.lower() == ".docx" else "sheet"
    found = "; ".join(f"{item.where}: {item.message}" for item in skipped)
    return DatrackerError(
        f"no {what} in {source.path} looks like a delivery plan"
        + (f" ({found})" if found else f" (it has no {what}s)"),
        "a plan table needs a header row naming its columns, such as: ID | Objective | Action "
        '| By whom | Update January 2022 | RAG; name others with --columns "Header=field"',
    )


def _no_actions(
    source: SourceDocument, used: list[SourceTable], left_out: dict[int, list[str]]
) -> DatrackerError:
    """Tables were found but no row became an action: say why, table by table."""
    reasons = []
    for table in used:
        unplaced = left_out.get(table.position, [])
        if unplaced:
            reasons.append(f"{table.label}: {len(unplaced)} row(s) left out, e.g. {unplaced[0]}")
        else:
            reasons.append(f"{table.label}: no row below its header has an action")
    return DatrackerError(
        f"{source.path} has plan tables, but no row could be read as an action; nothing was "
        f"written ({'; '.join(reasons)})",
        'name the id column with --columns "Header=id" (or the action column, "Header=action"),'
        " then import again",
    )
