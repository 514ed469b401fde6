"""`datracker export`: the plan flattened to one row per action, for Excel and Power BI.

Partners who live in spreadsheets need the plan as a table, not as YAML. The columns are the
ones `datracker import` reads back (owners joined with "; ", measures one per line, the latest
update's review id and label), so export → edit in Excel → import is a round trip.

JSON is a list of objects, one per action:
    {"priority", "priority_title", "id", "objective", "action", "measures": [..],
     "owners": [names], "due", "status", "rag", "qualifier", "note",
     "latest_update": {"review", "review_label", "date", "text"} or null}
"""

from __future__ import annotations

import csv
import io
from typing import Any

from datracker.core.problems import DatrackerError
from datracker.plan.models import Plan
from datracker.report.table import json_text

COLUMNS: list[tuple[str, str, int]] = [  # (key, header, width in characters)
    ("priority", "Priority", 9),
    ("priority_title", "Priority title", 30),
    ("id", "ID", 7),
    ("objective", "Objective", 45),
    ("action", "Action", 45),
    ("measures", "Measures", 40),
    ("owners", "Owners", 28),
    ("due", "Due", 11),
    ("status", "Status", 10),
    ("rag", "RAG", 12),
    ("qualifier", "Qualifier", 18),
    ("note", "Note", 24),
    ("review", "Review", 10),
    ("review_label", "Review label", 22),
    ("update_date", "Update date", 12),
    ("update", "Update", 60),
]


def export_rows(plan: Plan) -> list[dict[str, Any]]:
    """One JSON-ready object per action, in plan order."""
    names = {o.id: o.name for o in plan.config.owners}
    rows = []
    for priority, action in plan.actions():
        latest = action.updates[-1] if action.updates else None
        review = plan.config.review(latest.review) if latest else None
        rows.append(
            {
                "priority": priority.id,
                "priority_title": priority.title,
                "id": action.id,
                "objective": action.objective,
                "action": action.action,
                "measures": [m.description for m in action.measures],
                "owners": [names.get(o, o) for o in action.owners],
                "due": action.due,
                "status": action.status,
                "rag": action.rag,
                "qualifier": action.qualifier,
                "note": action.note,
                "latest_update": None
                if latest is None
                else {
                    "review": latest.review,
                    "review_label": review.label if review else None,
                    "date": latest.date,
                    "text": latest.text,
                },
            }
        )
    return rows


def flat(row: dict[str, Any]) -> dict[str, str]:
    """A row as spreadsheet cells: lists joined, the latest update spread over four columns."""
    latest = row["latest_update"] or {}
    cells = {
        **row,
        "measures": "\n".join(row["measures"]),
        "owners": "; ".join(row["owners"]),
        "review": latest.get("review"),
        "review_label": latest.get("review_label"),
        "update_date": latest.get("date"),
        "update": latest.get("text"),
    }
    return {key: "" if cells[key] is None else str(cells[key]) for key, _, _ in COLUMNS}


def export_json(rows: list[dict[str, Any]]) -> str:
    return json_text(rows) + "\n"


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): a cell such as
# =HYPERLINK(…) or =cmd|' /C calc'!A0 would run when the file is opened.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767  # the most characters an Excel cell holds; Excel cuts the rest


def neutralised(cell: str) -> str:
    """A CSV cell that no spreadsheet will run: one that starts like a formula gets a leading
    apostrophe, which Excel, LibreOffice and Google Sheets show as text and do not display.
    `datracker import` removes it again, so an export still imports back as it was."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def export_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _, header, _ in COLUMNS])
    for row in rows:
        cells = flat(row)
        writer.writerow([neutralised(cells[key]) for key, _, _ in COLUMNS])
    return buffer.getvalue()


def check_xlsx_cells(rows: list[dict[str, Any]]) -> None:
    """Refuse, before writing anything, a text too long for an Excel cell: Excel would cut it
    without a word, and the board would read half an update."""
    for row in rows:
        cells = flat(row)
        for key, header, _ in COLUMNS:
            if len(cells[key]) > XLSX_CELL_LIMIT:
                raise DatrackerError(
                    f"{row['id']}: the {header.lower()} is {len(cells[key]):,} characters, more "
                    f"than the {XLSX_CELL_LIMIT:,} an Excel cell holds; nothing was written",
                    "export as CSV or JSON, which hold any length, or shorten the text",
                )


def xlsx_bytes(plan: Plan, rows: list[dict[str, Any]]) -> bytes:
    """A workbook a board officer can filter: bold frozen header, RAG cells in scale colours.

    Every cell is written as text (never a formula, whatever it starts with) and marked with
    Excel's quote prefix, so editing it in Excel keeps it text too.
    """
    check_xlsx_cells(rows)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Plan"
    workbook.properties.title = plan.config.strategy.title
    sheet.append([header for _, header, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    colours = {level.id: level.colour.lstrip("#").upper() for level in plan.config.scale}
    rag_column = [key for key, _, _ in COLUMNS].index("rag") + 1
    for row in rows:
        cells = flat(row)
        sheet.append([cells[key] for key, _, _ in COLUMNS])
        for cell in sheet[sheet.max_row]:
            _as_text(cell)
        colour = colours.get(row["rag"] or "")
        if colour:
            cell = sheet.cell(row=sheet.max_row, column=rag_column)
            cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
            cell.font = Font(color="FFFFFF" if _dark(colour) else "000000", bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (_, _, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = wrap
    sheet.freeze_panes = "D2"  # header row and priority/title/id stay in view
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _as_text(cell: Any) -> None:
    """openpyxl stores a string starting with '=' as a formula: store it as text instead."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _dark(hex_colour: str) -> bool:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 140
