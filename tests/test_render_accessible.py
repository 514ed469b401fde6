"""The shipped plan's paper, as a council must publish it: an accessible Word file and a tagged
PDF. Read back from the real files: the Word package's XML, LibreOffice's PDF, poppler's text
and page images."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import SHIPPED_PLAN

NEEDS_LIBREOFFICE = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice and poppler-utils are not installed and could not be "
    "(`make system-deps` installs them with apt-get, as root)",
)


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datracker.plan.store import load_plan
    from datracker.render.build import RenderRequest, render

    out = tmp_path_factory.mktemp("paper")
    render(load_plan(SHIPPED_PLAN), RenderRequest(("docx",), None, out, None))
    return out / "refresh-2022-01.docx"


def test_title_and_language_are_set(paper: Path) -> None:
    document = Document(str(paper))
    assert document.core_properties.title == "Portsmouth Domestic Abuse Strategy 2020-2023"
    assert document.core_properties.language == "en-GB"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    langs = [lang.get(qn("w:val")) for lang in defaults.iter(qn("w:lang"))]
    assert langs == ["en-GB"]


def test_headings_go_down_one_level_at_a_time(paper: Path) -> None:
    levels = []
    for paragraph in Document(str(paper)).paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name == "Title":
            levels.append(0)
        elif re.fullmatch(r"Heading \d", name):
            levels.append(int(name.split()[1]))
    assert levels[0] == 0 and levels.count(0) == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False))
    assert levels.count(2) >= 6  # a heading for every priority


def test_every_table_has_a_marked_header_row(paper: Path) -> None:
    tables = Document(str(paper)).tables
    assert len(tables) >= 8
    for table in tables:
        first = table.rows[0]._tr
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(
            row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for row in table.rows[1:]
        )


def test_every_chart_has_alternative_text_with_its_figures(paper: Path) -> None:
    shapes = Document(str(paper)).inline_shapes
    assert len(shapes) == 2  # A5's two monthly series
    descriptions = [shape._inline.docPr.get("descr") for shape in shapes]
    assert descriptions[0].startswith("Bar chart, A5: Right to Ask (RTA) applications")
    assert "2021-01 8" in descriptions[0] and "2021-09 0" in descriptions[1]


def test_rag_is_never_shown_by_colour_alone(paper: Path) -> None:
    """Every shaded cell says its rating in words; the summary writes every rating out."""
    document = Document(str(paper))
    shaded = 0
    for table in document.tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                fill = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
                if fill is not None and fill.get(qn("w:fill")) not in (None, "auto"):
                    shaded += 1
                    assert cell.text.strip(), "a coloured cell with no words"
    assert shaded == 5 + 11  # the RAG key, and the eleven rated open actions
    text = "\n".join(p.text for p in document.paragraphs)
    assert "A. Promote healthy relationships — AMBER (stated: retained from" in text
    assert "computed: AMBER/RED (7 actions" in text
    f_line = "F. Safe accommodation — computed: NOT RATED (8 actions: 8 NEW)"
    assert f"{f_line} [focus] [draft for approval]" in text


@NEEDS_LIBREOFFICE
def test_pdf_is_tagged_titled_and_in_english(run, tmp_path: Path) -> None:
    result = run(
        "render", "--plan", SHIPPED_PLAN, "--format", "pdf", "--output", "out", cwd=tmp_path
    )
    assert result.code == 0, result.err
    assert result.out.split() == ["out/refresh-2022-01.pdf"]  # the Word file is not kept
    tmp_path = tmp_path / "out"
    pdf = tmp_path / "refresh-2022-01.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/StructTreeRoot" in data and b"/MarkInfo" in data  # a tagged PDF
    assert set(re.findall(rb"/Lang\s*\(([^)]*)\)", data)) == {b"en-GB"}
    assert data.count(b"/Alt") == 2  # the two charts' alternative text
    assert b"/DisplayDocTitle true" in data
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Portsmouth Domestic Abuse Strategy 2020-2023" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Priority F: Safe accommodation [focus] [draft for approval]" in text
    assert "Note: The Domestic" in text  # D1's footnote
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages > 10


def test_pdf_without_libreoffice_says_how_to_install_it(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(
        "render",
        "--plan",
        SHIPPED_PLAN,
        "--format",
        "pdf",
        "--output",
        out,
        env={"PATH": str(tmp_path / "empty")},
    )
    assert result.code == 1
    assert (
        "--format pdf needs LibreOffice, which is not installed; nothing was written" in result.err
    )
    assert "apt-get install libreoffice-writer" in result.err
    assert not out.exists()
