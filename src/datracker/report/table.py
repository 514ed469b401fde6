"""One table model for every listing, and its three renderings: terminal, Markdown and JSON.

A listing (`status`, `review list`, `chase`, `diff`, `history`, `check`) builds a `Table` of
typed cells once; `terminal` draws it with rich (every cell a `Text`, so a '[' in a plan is
never read as markup, and colour only where the console allows it: a terminal without
NO_COLOR), `markdown` writes a GitHub table whose every cell and title is escaped with the one
`md_escape`, and `records` gives the typed values for JSON, which `json_text` writes the one
way every command does. Plan text reaches a terminal only through here (`terminal`, `plain`,
`text_line`, `json_text`), so a control character or a bidirectional override in it is shown as
its escape once, in this module, and never run by the terminal that prints it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from datracker.core.text import json_safe, visible
from datracker.report.escape import md_escape

if TYPE_CHECKING:
    from rich.console import RenderableType

EMPTY = "—"  # how an empty cell reads, in every listing


@dataclass(frozen=True)
class Cell:
    """What a cell shows (`text`), the value behind it for JSON, and a terminal style."""

    text: str
    value: Any = None
    style: str | None = None


@dataclass(frozen=True)
class Column:
    title: str
    key: str = ""  # the JSON key; the title in lower case when not given

    @property
    def json_key(self) -> str:
        return self.key or self.title.lower().replace(" ", "_")


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    title: str | None = None

    def add(self, *cells: Cell | str | None) -> None:
        """A row; plain text and None (shown as —) are made cells whose value is the text."""
        self.rows.append([as_cell(c) for c in cells])


def as_cell(cell: Cell | str | None) -> Cell:
    if isinstance(cell, Cell):
        return cell
    return Cell(EMPTY, None) if cell is None else Cell(cell, cell)


def columns(*titles: str) -> list[Column]:
    return [Column(title) for title in titles]


def markdown(table: Table, heading: str = "") -> list[str]:
    """The table as GitHub Markdown lines, every cell escaped; `heading` is e.g. '## '."""
    lines = [f"{heading}{md_escape(table.title)}", ""] if table.title else []
    lines.append("| " + " | ".join(md_escape(c.title) for c in table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(md_escape(c.text) for c in row) + " |" for row in table.rows]
    return lines


def terminal(table: Table) -> RenderableType:
    """A rich table; colour and styles are dropped by the console when it is not a terminal."""
    from rich.table import Table as RichTable
    from rich.text import Text

    title = Text(visible(table.title)) if table.title else None
    drawn = RichTable(title=title, title_justify="left")
    for column in table.columns:
        drawn.add_column(column.title, overflow="fold")
    for row in table.rows:
        drawn.add_row(*(Text(visible(c.text), style=c.style or "") for c in row))
    return drawn


def text_line(text: str, style: str = "") -> RenderableType:
    """A line printed beside the tables (a title, a summary), escaped as their cells are."""
    from rich.text import Text

    return Text(visible(text), style=style)


def plain(table: Table) -> str:
    """Aligned columns without rules: a short listing that reads alike in a terminal and a log."""
    body = [
        [c.title for c in table.columns],
        *([visible(c.text) for c in row] for row in table.rows),
    ]
    widths = [max(len(line[i]) for line in body) for i in range(len(table.columns))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in body
    )


def records(table: Table) -> list[dict[str, Any]]:
    """The rows as JSON objects: each column's key with the cell's typed value."""
    keys = [c.json_key for c in table.columns]
    return [{k: c.value for k, c in zip(keys, row, strict=True)} for row in table.rows]


def json_text(payload: Any) -> str:
    """How every command writes JSON: indented, UTF-8 kept as it is, but no character a
    terminal would act on (the same JSON value, with those written as \\uXXXX escapes)."""
    return json_safe(json.dumps(payload, indent=2, ensure_ascii=False))


def print_all(renderables: Sequence[RenderableType]) -> None:
    """Print to standard output through one console: colour only on a terminal, never with
    NO_COLOR (rich checks both), and the width from COLUMNS when it is set."""
    from rich.console import Console

    console = Console()
    for renderable in renderables:
        console.print(renderable)
