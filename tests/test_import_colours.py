"""A RAG shown only by a cell's colour, in real Word and Excel files made here: read by hue,
each reading reported as a guess; colours that are not a rating's are never read as one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color

from datracker.importing.colours import rating_from_colour
from importhelp import action, import_ok

HEADER = ["Ref", "What we will do", "Lead", "By when", "Progress", "RAG"]
ROWS = [
    ("1.1", "Train night-time economy staff", "Licensing Team", "Mar 2024", "120 trained"),
    ("1.2", "Review street lighting in hotspots", "Highways", "Sep 2024", "Survey done"),
    ("1.3", "Commission a perpetrator programme", "Commissioning", "Apr 2024", "Paused"),
    ("1.4", "Publish the strategy", "Policy Team", "Jun 2023", "Published"),
    ("1.5", "Recruit two outreach workers", "Outreach Team", "Jan 2025", "Advertised"),
]


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def word_plan(path: Path, fills: list[str | None]) -> Path:
    document = Document()
    document.add_paragraph("Community Safety Delivery Plan 2023-26", style="Title")
    document.add_heading("Priority 1: Reduce violence against women and girls", 1)
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
        _shade(cell, "D9D9D9")  # a grey header: never a rating
    for values, fill in zip(ROWS, fills, strict=True):
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=False):
            cell.text = text
        if fill is not None:
            _shade(cells[-1], fill)
    document.save(str(path))
    return path


def test_a_word_plan_rated_by_colour_alone(run, tmp_path: Path) -> None:
    source = word_plan(tmp_path / "plan.docx", ["00B050", "FFC000", "C00000", "0070C0", "FFFFFF"])
    plan, out = import_ok(run, source, tmp_path / "plan")
    assert [action(plan, f"1.{n}").rag for n in (1, 2, 3)] == ["GREEN", "AMBER", "RED"]
    assert action(plan, "1.4").status == "complete"  # the blue of a BRAG scale
    assert action(plan, "1.5").rag is None  # white is no rating
    assert "table 1, row 4, column 6: the rating cell has no words, only the colour " in out
    assert "#C00000: read as RED" in out
    assert "#FFFFFF" not in out and "#D9D9D9" not in out
    assert "1.5: no RAG" in out
    assert plan.config.strategy.title == "Community Safety Delivery Plan 2023-26"


def test_words_in_the_cell_win_over_its_colour(run, tmp_path: Path) -> None:
    source = word_plan(tmp_path / "plan.docx", [None, None, None, None, None])
    document = Document(str(source))
    cell = document.tables[0].rows[1].cells[-1]
    cell.text = "Amber"
    _shade(cell, "FF0000")
    document.save(str(source))
    plan, out = import_ok(run, source, tmp_path / "plan")
    assert action(plan, "1.1").rag == "AMBER"
    assert "only the colour" not in out


def test_an_excel_plan_rated_by_colour_alone(run, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Plan"
    sheet.append(HEADER)
    fills: list[PatternFill | None] = [
        PatternFill("solid", fgColor="FF92D050"),
        PatternFill("solid", fgColor=Color(theme=5)),  # depends on the theme: not read
        PatternFill("solid", fgColor="FFFF0000"),
        None,
        PatternFill("solid", fgColor="FFED7D31"),
    ]
    for number, (values, fill) in enumerate(zip(ROWS, fills, strict=True), start=2):
        sheet.append(list(values))
        if fill is not None:
            sheet.cell(row=number, column=len(HEADER)).fill = fill
    book.save(tmp_path / "plan.xlsx")
    plan, out = import_ok(run, tmp_path / "plan.xlsx", tmp_path / "plan")
    rags = [action(plan, f"1.{n}").rag for n in range(1, 6)]
    assert rags == ["GREEN", None, "RED", None, "AMBER"]
    assert "sheet Plan, cell F2: the rating cell has no words, only the colour #92D050" in out
    assert "sheet Plan, cell F6: the rating cell has no words, only the colour #ED7D31" in out
    assert "1.2: no RAG" in out


@pytest.mark.parametrize(
    ("colour", "word"),
    [
        ("FF0000", "RED"),
        ("C00000", "RED"),
        ("E6194B", "RED"),  # a crimson past 330°
        ("FFC000", "AMBER"),
        ("FF9900", "AMBER"),
        ("FFFF00", "AMBER"),
        ("00B050", "GREEN"),
        ("92D050", "GREEN"),
        ("FF00B050", "GREEN"),  # Excel's ARGB
        ("0070C0", "Complete"),
        ("FFFFFF", None),
        ("F2F2F2", None),
        ("000000", None),
        ("7030A0", None),  # purple: no rating's colour
        ("auto", None),
        ("", None),
    ],
)
def test_each_colour_reads_as_its_hue_band(colour: str, word: str | None) -> None:
    assert rating_from_colour(colour) == word


def test_prose_above_the_tables_is_not_taken_for_a_title(run, tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph(
        "This plan sets out how the partnership will reduce harm over the next three years."
    )
    document.add_heading("Priority 1: Reduce violence against women and girls", 1)
    table = document.add_table(rows=2, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, [*ROWS[0], "Green"], strict=True):
        cell.text = text
    document.save(str(tmp_path / "southtown-plan.docx"))
    plan, out = import_ok(run, tmp_path / "southtown-plan.docx", tmp_path / "plan")
    assert plan.config.strategy.title == "southtown plan"
    assert "strategy title 'southtown plan' taken from the file name" in out
