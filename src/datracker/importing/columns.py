"""Which column holds what: the header row of a table, read as people name their columns.

Headers vary from plan to plan ("By whom", "Lead officer", "Owner(s)", "owner"; "RAG",
"Overall RAG", "Status"), so each is read by `cells.read_header`, the user can name any
column with --columns "Header=field", and words that could mean two things ("Status",
"Progress") are settled by what the column holds: short repeated words are a rating, long
text is an update. A column that stays unknown is kept in each action's note and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from datracker.core.problems import InvalidValue
from datracker.importing import cells as c
from datracker.importing.drafts import ReviewRef
from datracker.importing.scales import level_for, rating_parts
from datracker.importing.tables import SourceTable

HEADER_SEARCH_ROWS = 12
SAMPLE_ROWS = 200  # enough body cells to tell a column of ratings from one of updates
# fields that may come from several columns, kept apart or joined
MULTI_COLUMN = (c.UPDATE, c.DUE_OR_UPDATE, c.MEASURES, c.NOTE)
# what --columns may name: the fields, plus "update" and "status"
COLUMN_FIELDS = tuple(f for f in c.FIELDS)


@dataclass
class Columns:
    """What each column of a table holds, found from its header row."""

    header_index: int
    fields: list[str | None]
    headers: list[str]
    reviews: dict[int, ReviewRef] = field(default_factory=dict)  # update column → review
    embedded_ids: int | None = None  # the column whose cells start with the action's id
    notes: dict[int, str] = field(default_factory=dict)  # column → why it was not used
    _squashed: list[str] = field(default_factory=list, repr=False)

    def looks_like_header(self, row: list[str]) -> bool:
        """The header repeated (after a page break); compared cell by cell, stopping at the
        first difference, since a big sheet asks this of every row."""
        if len(row) != len(self.headers):
            return False
        if not self._squashed:
            self._squashed = [c.squash(x) for x in self.headers]
        return all(c.squash(x) == h for x, h in zip(row, self._squashed, strict=True))

    @property
    def has_id_column(self) -> bool:
        return c.ID in self.fields


def parse_column_option(text: str) -> dict[str, str]:
    """--columns "Lead officer=owners,R/A/G=rag": squashed header → field."""
    overrides: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        header, sep, name = part.rpartition("=")
        name = name.strip().lower().replace(" ", "_")
        if not sep or not header.strip():
            raise InvalidValue(
                f"--columns: '{part.strip()}' is not Header=field",
                'e.g. --columns "Lead officer=owners,Progress=update"',
            )
        if name not in COLUMN_FIELDS:
            raise InvalidValue(
                f"--columns: '{name}' is not a plan field",
                f"the fields are: {', '.join(COLUMN_FIELDS)}",
            )
        overrides[c.squash(header)] = name
    return overrides


def find_columns(table: SourceTable, overrides: dict[str, str]) -> Columns | None:
    """The first row that names at least two plan columns and says where actions are."""
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        body = table.rows[index + 1 : index + 1 + SAMPLE_ROWS]
        columns = _read_header_row(index, row, body, overrides)
        if columns is not None:
            return columns
    return None


def _read_header_row(
    index: int, row: list[str], body: list[list[str]], overrides: dict[str, str]
) -> Columns | None:
    meanings: list[c.HeaderMeaning] = []
    for position, header in enumerate(row):
        key = c.squash(header)
        if key in overrides:
            meanings.append(c.HeaderMeaning(overrides[key], True))
        elif position > 0 and not header.strip():
            meanings.append(c.HeaderMeaning(None, False))
        else:
            meanings.append(c.read_header(header))
    fields, notes = _assign(meanings, row, body)
    if c.ID not in fields:
        _drop_id_lists(fields, body, notes)
    known = {f for f in fields if f not in (None, c.ID, c.NOTE)}
    where_actions = {c.ID, c.ACTION, c.OBJECTIVE} & set(fields)
    if len(known) < 2 or not where_actions:
        return None
    columns = Columns(index, fields, row, notes=notes)
    if not _column_has_text(body, fields.index(c.ID) if c.ID in fields else None):
        columns.embedded_ids = _embedded_id_column(fields, body)
    return columns


def _assign(
    meanings: list[c.HeaderMeaning], row: list[str], body: list[list[str]]
) -> tuple[list[str | None], dict[int, str]]:
    """Each column's field: the usual word first, then looser synonyms for fields still free;
    ambiguous words settled by the column's cells."""
    fields: list[str | None] = [None] * len(meanings)
    notes: dict[int, str] = {}
    strong_rag = any(m.field == c.RAG and m.strong for m in meanings)
    for position, meaning in enumerate(meanings):
        if meaning.strong:
            fields[position] = meaning.field
    for position, meaning in enumerate(meanings):
        if meaning.strong or meaning.field is None:
            continue
        cells = _cells(body, position)
        name: str | None = _settle(meaning.field, cells, strong_rag)
        if name == c.RAG and c.RAG in fields:
            name = c.STATUS if _all_status_words(cells) else c.UPDATE
        updates = {c.UPDATE, c.DUE_OR_UPDATE} & set(fields)
        if (name == c.UPDATE and updates) or (name in fields and name not in MULTI_COLUMN):
            notes[position] = f"it could be the {name}, which another column already gives"
            name = None
        fields[position] = name
    if c.ID not in fields:
        _id_column_by_content(fields, body, notes)
    _one_column_each(fields, row, notes)
    return fields, notes


def _id_column_by_content(
    fields: list[str | None], body: list[list[str]], notes: dict[int, str]
) -> None:
    """No header says "ID", but a column holds nothing but ids (1.1, 2.6.1, A5): it is the ID
    column, whatever its header ("Action", "Item")."""
    for position, name in enumerate(fields):
        if name not in (None, c.ACTION, c.OBJECTIVE):
            continue  # a date column ("Apr-20") or a priority column ("1", "2") holds no ids
        cells = _cells(body, position)
        ids = [t for t in cells if _bare_id(t.splitlines()[0]) and not c.looks_like_dates(t)]
        if cells and len(ids) >= 0.8 * len(cells):
            if fields[position] is not None:
                notes[position] = (
                    f"its cells are ids, so it is the ID column, not {fields[position]}"
                )
            fields[position] = c.ID
            return


def _one_column_each(fields: list[str | None], row: list[str], notes: dict[int, str]) -> None:
    """A second column for a one-column field (two "Objective" columns) goes to the note."""
    seen: dict[str, int] = {}
    for position, name in enumerate(fields):
        if name is None or name in MULTI_COLUMN:
            continue
        if name in seen:
            first = row[seen[name]].strip() or f"column {seen[name] + 1}"
            notes[position] = f"it reads as {name}, like the column '{first}' before it"
            fields[position] = None
        else:
            seen[name] = position


def _settle(name: str, cells: list[str], strong_rag: bool) -> str:
    """ "Status" is a rating unless its cells are long text; "Progress" or "Comments" is an
    update unless its cells are rating words (On track, Green, 60%). With a RAG column
    already, a Status column of status words (complete, removed) is the action's status."""
    if not cells:
        return name
    if name == c.UPDATE:
        ratings = not strong_rag and _mostly_rating_words(cells)
    else:
        ratings_only = [rating_parts(text)[0] for text in cells]  # "Stage: … 10%" → "10%"
        short = [text for text in ratings_only if len(text) <= 40 and len(text.split()) <= 6]
        ratings = len(short) >= 0.8 * len(cells)
    if ratings:
        return c.STATUS if strong_rag and _all_status_words(cells) else c.RAG
    return c.UPDATE


def _mostly_rating_words(cells: list[str]) -> bool:
    known = [text for text in cells if (found := level_for(text)) and found[0].known]
    return len(known) >= 0.8 * len(cells)


def _all_status_words(cells: list[str]) -> bool:
    return all(text.strip().lower() in c.STATUS_WORDS for text in cells)


def _cells(body: list[list[str]], position: int) -> list[str]:
    return [row[position].strip() for row in body if position < len(row) and row[position].strip()]


def _column_has_text(body: list[list[str]], position: int | None) -> bool:
    return position is not None and bool(_cells(body, position))


def _embedded_id_column(fields: list[str | None], body: list[list[str]]) -> int | None:
    """ "1.1 Monitor TVP's effectiveness…": a column whose cells mostly start with an id."""
    for name in (c.ACTION, c.OBJECTIVE):
        if name not in fields:
            continue
        position = fields.index(name)
        cells = _cells(body, position)
        with_ids = [text for text in cells if _strict_id(text)]
        if cells and len(with_ids) >= max(2, len(cells) // 2):
            return position
    return None


def _drop_id_lists(fields: list[str | None], body: list[list[str]], notes: dict[int, str]) -> None:
    """ "Actions: A1, A3, C2" in a table of owners lists actions, it does not hold them."""
    for name in (c.ACTION, c.OBJECTIVE):
        if name not in fields:
            continue
        position = fields.index(name)
        cells = _cells(body, position)
        lists = [t for t in cells if all(_bare_id(part) for part in re.split(r"[,;/]", t))]
        if cells and len(lists) * 2 >= len(cells):
            fields[position] = None
            notes[position] = "its cells list action ids rather than describe actions"


def _bare_id(text: str) -> bool:
    parsed = c.parse_id(text.strip())
    return parsed is not None and not parsed.rest


def _strict_id(text: str) -> bool:
    """An id that cannot be a plain number in a sentence: 1.1, 2.6.1, A5, WAP-1, "1." """
    parsed = c.parse_id(text)
    if parsed is None or not parsed.rest:
        return False
    return bool(parsed.stray) or not parsed.id.isdigit()
