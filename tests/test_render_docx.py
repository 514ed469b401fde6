"""The Word document, re-opened with python-docx and read as a board member's copy would be."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from datracker.plan.store import load_plan
from renderplan import SCALE_COLOURS, make_render_plan


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rendered once for the module: every test reads the same real file."""
    from datracker.render.build import RenderRequest, render

    root = tmp_path_factory.mktemp("docx")
    plan = make_render_plan(root)
    render(load_plan(plan), RenderRequest(("docx",), None, root / "build", None))
    return root / "build" / "refresh-r2.docx"


def _headings(path: Path) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in Document(str(path)).paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]


def test_headings_in_order(rendered: Path) -> None:
    assert _headings(rendered) == [
        ("Title", "Test Strategy 2022-2025"),
        ("Heading 1", "Introduction"),
        ("Heading 2", "What changed"),
        ("Heading 1", "The financial challenge"),
        ("Heading 1", "Delivery plan summary"),
        ("Heading 2", "RAG key"),
        ("Heading 1", "Changes since Update January 2022"),  # not listed: no git history
        ("Heading 1", "Delivery plan"),
        ("Heading 2", "Priority A: Promote healthy relationships"),
        ("Heading 2", "Priority B: Improve identification [focus]"),
        ("Heading 1", "Appendix: owners and their actions"),
    ]


def _plan_tables(path: Path, document=None) -> list:  # type: ignore[no-untyped-def,type-arg]
    document = document or Document(str(path))
    return [t for t in document.tables if t.rows[0].cells[0].text == "ID"]


def test_plan_table_rows_with_collapsed_terminal_actions(rendered: Path) -> None:
    table_a, table_b = _plan_tables(rendered)
    header = [c.text for c in table_a.rows[0].cells]
    assert header == ["ID", "Objective", "Action", "Measure", "By whom", "Update April 2022", "RAG"]
    first_cells = [row.cells[0].text for row in table_a.rows[1:]]
    assert first_cells == [
        "A1",
        "A2 COMPLETE",
        "A3 REMOVED - RAG RED",
        "A4 N/A - Marac IT",
        "A5",
        "A6",
    ]
    collapsed = table_a.rows[2]._tr
    assert len(collapsed.tc_lst) == 1 and collapsed.tc_lst[0].grid_span == 7
    a6 = [c.text for c in table_a.rows[6].cells]
    assert a6 == ["A6", "Hard one", "Try", "Done or not", "Bruce Marr / Amy Ford", "Stuck.", "RED"]
    assert [c.text for c in table_b.rows[1].cells][-1] == "NEW"


def _fill(cell) -> str | None:  # type: ignore[no-untyped-def]
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def test_rag_cells_shaded_with_scale_colour_and_written(rendered: Path) -> None:
    table_a, table_b = _plan_tables(rendered)
    rag = {row.cells[0].text: row.cells[-1] for row in table_a.rows[1:] if len(row.cells) == 7}
    assert rag["A1"].text == "AMBER (stalled by Covid)"
    assert _fill(rag["A1"]) == SCALE_COLOURS["AMBER"]
    assert _fill(rag["A5"]) == SCALE_COLOURS["GREEN"]
    assert _fill(rag["A6"]) == SCALE_COLOURS["RED"]
    assert _fill(table_b.rows[1].cells[-1]) is None  # NEW: unrated, unshaded, still in words
    key = next(t for t in Document(str(rendered)).tables if t.rows[0].cells[0].text == "RAG")
    assert {r.cells[0].text: _fill(r.cells[0]) for r in key.rows[1:]} == SCALE_COLOURS


def test_header_rows_repeat(rendered: Path) -> None:
    for table in Document(str(rendered)).tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def _kept_whole(row) -> bool:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None


def test_short_rows_are_kept_on_one_page(rendered: Path) -> None:
    """A split row shows its RAG in words on one page and only the shading on the next."""
    for table in _plan_tables(rendered):
        assert all(_kept_whole(row) for row in table.rows)


def test_a_row_too_tall_to_keep_whole_may_still_split(tmp_path: Path) -> None:
    """Word cuts off a row it may not split that outgrows the page: never hide an update."""
    from datracker.render.build import RenderRequest, render

    plan = make_render_plan(tmp_path)
    long_update = " ".join(["The partnership met again and agreed the next steps."] * 120)
    priority_a = plan / "priorities" / "a.yaml"
    priority_a.write_text(
        priority_a.read_text(encoding="utf-8").replace("text: Stuck.", f"text: {long_update}"),
        encoding="utf-8",
    )
    render(load_plan(plan), RenderRequest(("docx",), None, tmp_path / "build", None))
    table_a, _ = _plan_tables(tmp_path / "build" / "refresh-r2.docx")
    kept = {row.cells[0].text: _kept_whole(row) for row in table_a.rows[1:]}
    assert kept["A6"] is False
    assert kept["A5"] is True and table_a.rows[-1].cells[5].text == long_update


def test_plan_tables_in_a_landscape_section_that_fits(rendered: Path) -> None:
    document = Document(str(rendered))
    sections = document.sections
    assert [s.orientation for s in sections] == [
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.LANDSCAPE,
        WD_ORIENT.PORTRAIT,
    ]
    landscape = sections[1]
    assert landscape.page_width > landscape.page_height
    usable = landscape.page_width - landscape.left_margin - landscape.right_margin
    table = _plan_tables(rendered, document)[0]
    widths = [int(col.w) for col in table._tbl.tblGrid.gridCol_lst]
    assert sum(widths) <= usable
    body = document.element.body
    first_break = body.xpath("./w:p[w:pPr/w:sectPr]")[0]
    assert body.index(first_break) < body.index(table._tbl)


def test_core_properties(rendered: Path) -> None:
    core = Document(str(rendered)).core_properties
    assert core.title == "Test Strategy 2022-2025"
    assert core.subject == "Refresh — Update April 2022"
    assert core.author == "Health and Wellbeing Board"
    assert core.created is not None and core.created.date().isoformat() == "2022-04-01"


def test_special_characters_kept_as_text(rendered: Path) -> None:
    # a control character in plan text is now an error validate reports (issue 16), so the
    # plan is not rendered at all; Word's own stripping is tested on the writer's input below
    table_a = _plan_tables(rendered)[0]
    update = table_a.rows[1].cells[5].text
    assert update == "Pipes | here,\nnew line and <b>html</b> & a bell end"


def test_text_bound_for_word_has_control_characters_removed() -> None:
    from datracker.render.docxkit import clean

    assert clean("a bell \a end\x1b[2J") == "a bell  end[2J"


def test_narrative_constructs(rendered: Path) -> None:
    document = Document(str(rendered))
    paragraphs = document.paragraphs
    text = "\n".join(p.text for p in paragraphs)
    styles = {p.text: p.style.name for p in paragraphs if p.style is not None}
    assert styles["First bullet"] == "List Bullet"
    assert styles["A nested bullet"] == "List Bullet 2"
    assert styles["First step"] == "List Number"
    assert styles["A quotation from the board."] == "Quote"
    second = next(p for p in paragraphs if p.text.startswith("Fourth"))
    first = next(p for p in paragraphs if p.text == "First step")
    assert second._p.pPr.numPr.numId.val != first._p.pPr.numPr.numId.val  # restarts
    intro = next(p for p in paragraphs if p.text.startswith("A paragraph with"))
    runs = {r.text: r for r in intro.runs}
    assert runs["bold"].bold and runs["italic"].italic and runs["struck"].font.strike
    links = intro._p.findall(qn("w:hyperlink"))
    assert len(links) == 1
    assert intro.part.rels[links[0].get(qn("r:id"))].target_ref == "https://www.portsmouth.gov.uk/"
    assert '<script>alert("x")</script>' in text  # shown as text, never markup
    assert "1 The first note, with a link." in text
    assert "2 Numbered on from the first file's notes." in text
    money = next(t for t in document.tables if t.rows[0].cells[0].text == "Funding source")
    assert [c.text for c in money.rows[2].cells] == ["Total", "£2,087,728", "£3,169,171"]


def test_chart_inserted_with_alt_text(rendered: Path) -> None:
    document = Document(str(rendered))
    shapes = document.inline_shapes
    assert len(shapes) == 1
    descr = shapes[0]._inline.docPr.get("descr")
    assert descr == "Bar chart, A5: Requests each month (requests): 2021-01 8, 2021-02 2, 2021-03 4"


def test_header_shows_the_strategy_title(rendered: Path) -> None:
    header = Document(str(rendered)).sections[0].header
    assert "Test Strategy 2022-2025" in header._element.xml


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_it(rendered: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(rendered)],
        capture_output=True,
        text=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = tmp_path / "refresh-r2.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
