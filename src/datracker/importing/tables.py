"""Reading files into plain tables of text, whatever they were written in.

Word (.docx), Excel (.xlsx) and CSV all become `SourceTable`s: rows of cell text, the
paragraphs just before the table (where Word plans put "Priority A: …"), and a way to name a
row or cell in the user's terms ("table 3, row 5", "sheet Plan, cell C7"). Nothing here
interprets the text; that is the importer's job, so it can be tested without files.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datracker.core.problems import DatrackerError
from datracker.importing.limits import check_file_size, check_package, check_rows
from datracker.importing.report import Place
from datracker.report.export import FORMULA_START

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # encrypted Office files and old .doc/.xls are OLE containers


@dataclass
class SourceTable:
    """One table of the source file, as text."""

    label: str  # "table 3", "sheet Plan" or the CSV file's name
    kind: str  # "docx", "xlsx" or "csv"
    rows: list[list[str]]
    row_numbers: list[int]  # the number the user sees for each row
    headings: list[str] = field(default_factory=list)  # paragraphs before it, in order
    position: int = 0  # its place among the source's tables, from 0
    # (row, column) -> RRGGBB: the solid fill of a cell with no words (a RAG shown by colour)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def place(self) -> Place:
        """The whole table, for the report: "table 3"."""
        return Place(self.label, self.position)

    def where(self, index: int, column: int | None = None) -> Place:
        """A location a person can find: "table 3, row 5" or "sheet Plan, cell C7"."""
        number = self.row_numbers[index]
        if self.kind == "xlsx":
            if column is None:
                return Place(f"{self.label}, row {number}", self.position, number)
            return cell_place(self.label, self.position, column, number)
        where = f"{self.label}, row {number}"
        text = where if column is None else f"{where}, column {column + 1}"
        return Place(text, self.position, number)


def cell_place(label: str, position: int, column: int, number: int) -> Place:
    """A spreadsheet cell as Excel names it: "sheet Plan, cell C7"."""
    return Place(f"{label}, cell {column_letter(column)}{number}", position, number)


@dataclass
class SourceDocument:
    path: Path
    title: str | None
    tables: list[SourceTable]
    # what reading had to change and the user should check, as (where, message): a formula
    # cell imported as its text rather than dropped
    notes: list[tuple[Place, str]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_source(path: Path, sheet: str | None = None) -> SourceDocument:
    """Every table in the file; raises DatrackerError with a plain reason when it cannot."""
    if not path.is_file():
        raise DatrackerError(
            f"cannot read {path}: no such file", "check the file's name and where it is"
        )
    suffix = path.suffix.lower()
    if suffix in (".doc", ".xls"):
        raise DatrackerError(
            f"cannot read {path}: it is an old-style {suffix} file",
            f"open it in Word or Excel and save it as {suffix}x, then import that",
        )
    if sheet is not None and suffix != ".xlsx":
        raise DatrackerError(
            "--sheet only applies to Excel (.xlsx) files", "leave --sheet out for this file"
        )
    if suffix == ".docx":
        return _read_docx(path)
    if suffix == ".xlsx":
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    raise DatrackerError(
        f"cannot read {path}: datracker imports .docx, .xlsx and .csv files",
        "save the plan from Word as .docx, or from Excel as .xlsx or CSV UTF-8",
    )


def _unreadable(path: Path, what: str) -> DatrackerError:
    with path.open("rb") as handle:
        encrypted = handle.read(4) == OLE_MAGIC
    reason = "it is password-protected" if encrypted else f"it is not {what}, or it is corrupt"
    hint = (
        "remove the password (File > Info > Protect) and save it again"
        if encrypted
        else "open it in the program that made it and save it again"
    )
    return DatrackerError(f"cannot read {path}: {reason}", hint)


def _read_docx(path: Path) -> SourceDocument:
    import docx
    from docx.table import Table

    check_package(path, "a Word document")
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many kinds (zip, XML, package) on bad files
        raise _unreadable(path, "a Word document") from error
    tables: list[SourceTable] = []
    paragraphs: list[str] = []
    titled: str | None = None  # the first paragraph in Word's Title style
    rows = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables.append(_docx_table(block, len(tables) + 1, paragraphs))
            paragraphs = []
            rows += len(tables[-1].rows)
            check_rows(path, rows)
        elif block.text.strip():
            text = " ".join(block.text.split())
            paragraphs.append(text)
            if titled is None and block.style is not None and block.style.name == "Title":
                titled = text
    # the document's own title, as File > Info states it, else as its first page shows it
    title = document.core_properties.title or titled
    return SourceDocument(path, title, tables)


def _docx_table(table: Any, number: int, headings: list[str]) -> SourceTable:
    """Cells as text; a merged cell's text appears once, in its first row and column."""
    seen: dict[int, object] = {}  # holds each <w:tc> so its id() cannot be reused
    rows: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            element = cell_element(cell)
            text = "" if id(element) in seen else _docx_cell_text(cell)
            fill = None if text or id(element) in seen else _docx_fill(element)
            if fill is not None:
                fills[(len(rows), len(cells))] = fill
            cells.append(text)
            seen[id(element)] = element
        rows.append(cells)
    numbers = list(range(1, len(rows) + 1))
    return SourceTable(f"table {number}", "docx", rows, numbers, headings, number - 1, fills)


_SHADING = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_fill(element: Any) -> str | None:
    """A cell's shading colour (`<w:tcPr><w:shd w:fill="FF0000"/>`), RRGGBB, or None."""
    shading = element.find(f"{_SHADING}tcPr/{_SHADING}shd")
    fill = shading.get(f"{_SHADING}fill") if shading is not None else None
    return fill.upper() if isinstance(fill, str) and len(fill) == 6 else None


def cell_element(cell: Any) -> object:
    """A Word table cell's `<w:tc>` (python-docx: `_Cell._tc`), the one private python-docx
    attribute the importer reads; tests/test_internals.py fails loudly if a release drops it.

    python-docx gives a merged cell once per grid column it spans, each time as a new `_Cell`
    around the same `<w:tc>`: only the element tells that two are one merged cell, whose text
    must be read once.
    """
    return cell._tc


def _docx_cell_text(cell: Any) -> str:
    # a line break inside a paragraph (Shift+Enter) separates owners or measures as a new
    # paragraph does, so it is kept as a new line rather than joined with a space
    lines = [" ".join(line.split()) for p in cell.paragraphs for line in p.text.split("\n")]
    for nested in cell.tables:  # e.g. a small table of monthly figures inside an update
        for row in nested.rows:
            lines.append(" | ".join(" ".join(c.text.split()) for c in row.cells))
    return "\n".join(line for line in lines if line)


def _read_xlsx(path: Path, wanted: str | None) -> SourceDocument:
    import openpyxl

    check_package(path, "an Excel workbook")
    try:
        # formulas as written (data_only=False): a formula cell is imported as its text and
        # reported, never run and never silently dropped (its cached value may be missing)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # zipfile, KeyError, InvalidFileException … on bad files
        raise _unreadable(path, "an Excel workbook") from error
    names = list(workbook.sheetnames)
    if wanted is not None and wanted not in names:
        raise DatrackerError(
            f"{path} has no sheet named '{wanted}'", f"its sheets are: {', '.join(names)}"
        )
    document = SourceDocument(path, workbook.properties.title or None, [])
    try:
        for name in [wanted] if wanted else names:
            sheet = _xlsx_sheet(path, workbook[name], name, len(document.tables), document.notes)
            document.tables.append(sheet)
    except DatrackerError:
        raise
    except Exception as error:  # the sheet's XML is read lazily, row by row: bad XML shows here
        raise _unreadable(path, "an Excel workbook") from error
    finally:
        workbook.close()
    return document


def _xlsx_sheet(
    path: Path, sheet: Any, name: str, position: int, notes: list[tuple[Place, str]]
) -> SourceTable:
    """One sheet's rows as text; refused at once if its stated size is over the row cap."""
    stated = getattr(sheet, "max_row", None)
    if isinstance(stated, int):
        check_rows(path, stated)
    table = SourceTable(f"sheet {name}", "xlsx", [], [], position=position)
    for number, row in enumerate(sheet.iter_rows(), start=1):
        check_rows(path, number)
        cells = []
        fills: dict[int, str] = {}
        for index, cell in enumerate(row):
            text = _xlsx_text(cell.value)
            if getattr(cell, "data_type", None) == "f":
                text = _formula_text(cell.value)
                where = cell_place(table.label, position, index, number)
                notes.append((where, f"holds a formula, imported as its text: {text[:60]}"))
            elif not text and (fill := _xlsx_fill(cell)) is not None:
                fills[index] = fill
            cells.append(text)
        if any(cells):
            table.fills |= {(len(table.rows), index): fill for index, fill in fills.items()}
            table.rows.append(cells)
            table.row_numbers.append(number)
    return table


def _xlsx_fill(cell: Any) -> str | None:
    """A cell's solid fill as RRGGBB, or None: a theme or indexed colour is not read (it
    depends on the workbook's theme), and the import then says the cell has no rating."""
    fill = getattr(cell, "fill", None)  # an empty cell in a read-only sheet has none
    if fill is None or fill.patternType != "solid" or fill.fgColor.type != "rgb":
        return None
    rgb = fill.fgColor.rgb
    return rgb[-6:].upper() if isinstance(rgb, str) and len(rgb) in (6, 8) else None


def _formula_text(value: object) -> str:
    """A formula as written; array formulas keep theirs in `.text`."""
    text = getattr(value, "text", None)
    return str(text if isinstance(text, str) else value).strip()


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# The most characters read from one CSV cell: the csv module's own default, said in the
# message rather than raised as "field larger than field limit" (Excel's cells hold 32,767).
CSV_FIELD_LIMIT = 131_072


def _read_csv(path: Path) -> SourceDocument:
    check_file_size(path, path.stat().st_size)
    data = path.read_bytes()
    text = _decode_csv(path, data)
    header = text.split("\n", 1)[0]
    # Excel writes ';' where ',' is the decimal mark; the header line tells which. (csv.Sniffer
    # guesses from the whole sample and misreads quoted update texts.)
    delimiter = max(",;\t", key=header.count)
    rows, numbers = [], []
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            check_rows(path, number)
            cells = [_unquoted(cell.strip()) for cell in record]
            if any(cells):
                rows.append(cells)
                numbers.append(number)
    except csv.Error as error:
        raise _bad_csv(path, reader.line_num, error) from None
    return SourceDocument(path, None, [SourceTable(path.name, "csv", rows, numbers)])


def _unquoted(cell: str) -> str:
    """Undo export's guard against spreadsheet formulas: "'=x" was written for "=x"."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_START else cell


def _bad_csv(path: Path, line: int, error: csv.Error) -> DatrackerError:
    if "field larger than field limit" in str(error):
        return DatrackerError(
            f"cannot read {path}: a cell ending on line {line} is longer than "
            f"{CSV_FIELD_LIMIT:,} characters, the most datracker reads from one CSV cell",
            "check the file's quotes (an unclosed quote runs on to the end of the file), "
            "or shorten the cell",
        )
    return DatrackerError(
        f"cannot read {path}: line {line} is not valid CSV ({error})",
        "open it in Excel and save it again as 'CSV UTF-8 (Comma delimited)'",
    )


def _decode_csv(path: Path, data: bytes) -> str:
    """UTF-8, with or without a BOM. Anything else is refused rather than guessed.

    Excel's plain "CSV" saves Windows-1252, where "–" and "’" are single bytes that are not
    UTF-8. Decoding it anyway would usually work but silently garble other code pages, so we
    stop and say how to save the file properly.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise DatrackerError(
            f"cannot read {path}: it is not UTF-8 (byte 0x{byte:02X} on line {line}; "
            "probably Windows-1252, as Excel's plain 'CSV' format saves)",
            "in Excel, save as 'CSV UTF-8 (Comma delimited)', or save as .xlsx and import that",
        ) from error
