"""docxkit's fast paths write what python-docx's own API writes, so the document looks the same.

The tables are written as one OOXML string and the pictures added without python-docx's
rescans; these tests build the same content through python-docx's public API and compare.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from lxml import etree
from PIL import Image

from datracker.core.text import unify_line_ends
from datracker.render.docxkit import (
    Cell,
    KeepShortRows,
    Pictures,
    add_body_paragraph,
    append_table,
    deterministic_zip,
    save_package,
)

REFERENCE = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "datracker"
    / "render"
    / "templates"
    / "reference.docx"
)
TEXTS = [
    "plain",
    "",
    "  outer spaces kept  ",
    "a\ttab and a\rcarriage return",
    "<b>markup</b> & ampersand",
    "two\nlines",
    "\u00a0non-breaking edge\u00a0",
    "   ",
    "bell \a and \x1b escape",
]


def _python_docx_cell(document, text: str, bold: bool, fill: str | None):  # type: ignore[no-untyped-def]
    """The cell as the writer built it before: `add_run` per line, `w:shd`, white on dark."""
    table = document.add_table(rows=1, cols=1)
    cell = table.rows[0].cells[0]
    cell.width = Cm(4.1)
    text = unify_line_ends(text)  # a carriage return ends a line, as everywhere in datracker
    lines = "".join(c for c in text if c in "\t\n" or c >= " ").split("\n")
    for number, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        paragraph._p.style = "TableText"
        run = paragraph.add_run(line)
        if bold:
            run.bold = True
    if fill is not None:
        shd = OxmlElement("w:shd")
        for name, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill[1:])):
            shd.set(qn(name), value)
        cell._tc.get_or_add_tcPr().append(shd)
        if fill == "#C00000":
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return cell._tc


def _fast_cell(document, text: str, bold: bool, fill: str | None):  # type: ignore[no-untyped-def]
    append_table(document, None, "TableText", [Cm(4.1)], [[Cell(text, bold, fill)]])
    return document.element.body.xpath("./w:tbl")[-1].xpath("./w:tr/w:tc")[0]


def test_cells_are_written_as_python_docx_writes_them() -> None:
    document = Document(str(REFERENCE))
    for text in TEXTS:
        for bold, fill in ((False, None), (True, "#FFC000"), (True, "#C00000")):
            expected = etree.tostring(_python_docx_cell(document, text, bold, fill))
            actual = etree.tostring(_fast_cell(document, text, bold, fill))
            assert actual == expected, (text, bold, fill)


def test_table_header_repeats_and_a_spanning_cell_covers_the_grid() -> None:
    document = Document(str(REFERENCE))
    rows = [[Cell("ID", True, "#D9E2F3"), Cell("Action", True, "#D9E2F3")], [Cell("A2", span=2)]]
    append_table(document, "TableGrid", "TableText", [Cm(1.3), Cm(4.1)], rows)
    table = document.tables[-1]
    assert table._tbl.tblPr.find(qn("w:tblStyle")).get(qn("w:val")) == "TableGrid"
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert [col.w.twips for col in table._tbl.tblGrid.gridCol_lst] == [737, 2324]  # 1.3, 4.1 cm
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr is None
    (spanning,) = table.rows[1]._tr.tc_lst
    assert spanning.grid_span == 2
    assert spanning.width.twips == 737 + 2324
    assert [c.text for c in table.rows[0].cells] == ["ID", "Action"]


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 40), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pictures_share_equal_images_and_number_parts_and_rids_like_python_docx(
    tmp_path: Path,
) -> None:
    document = Document(str(REFERENCE))
    document.add_picture(io.BytesIO(_png("red")))  # one already there, as a logo would be
    pictures = Pictures(document)
    for shape_id, colour in enumerate(("red", "blue", "blue", "green"), start=1000):
        run = document.add_paragraph().add_run()
        pictures.add(run, _png(colour), Cm(8), shape_id, f"a {colour} box")
    path = tmp_path / "pictures.docx"
    document.save(str(path))

    reopened = Document(str(path))
    shapes = list(reopened.inline_shapes)
    assert [s._inline.docPr.get("descr") for s in shapes][1:] == [
        "a red box",
        "a blue box",
        "a blue box",
        "a green box",
    ]
    assert [s._inline.docPr.get("id") for s in shapes][1:] == ["1000", "1001", "1002", "1003"]
    assert shapes[1].width == Cm(8) and shapes[1].height == Cm(8) * 40 // 96
    rels = reopened.part.rels
    embeds = [s._inline.graphic.graphicData.pic.blipFill.blip.embed for s in shapes]
    assert embeds[0] == embeds[1] and embeds[2] == embeds[3] and len(set(embeds)) == 3
    names = sorted(rels[r_id].target_part.partname for r_id in set(embeds))
    assert names == ["/word/media/image1.png", "/word/media/image2.png", "/word/media/image3.png"]
    for shape, colour in zip(shapes[1:], ("red", "blue", "blue", "green"), strict=True):
        blob = rels[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].target_part.blob
        assert blob == _png(colour)


def _canonical(element) -> bytes:  # type: ignore[no-untyped-def]
    """The element's markup with each namespace declared where it is first used (exclusive
    canonical XML), however the element was built."""
    return etree.tostring(element, method="c14n", exclusive=True)


def test_paragraphs_are_written_as_python_docx_writes_them() -> None:
    document = Document(str(REFERENCE))
    for text in TEXTS:
        expected = document.add_paragraph(text.replace("\a", "").replace("\x1b", ""))
        expected._p.style = "Caption"
        actual = add_body_paragraph(document, "Caption", text)
        assert etree.tostring(actual._p) == etree.tostring(expected._p), text
        assert actual.text == expected.text


def test_body_blocks_go_before_the_closing_section_properties(tmp_path: Path) -> None:
    document = Document(str(REFERENCE))
    document.element.body.clear_content()
    add_body_paragraph(document, "Normal", "first")
    append_table(document, None, "TableText", [Cm(4)], [[Cell("cell")]])
    add_body_paragraph(document, "Normal", "last")
    body = document.element.body
    assert [child.tag for child in body] == [qn("w:p"), qn("w:tbl"), qn("w:p"), qn("w:sectPr")]
    path = tmp_path / "blocks.docx"
    document.save(str(path))
    reopened = Document(str(path))
    assert [p.text for p in reopened.paragraphs] == ["first", "last"]
    assert reopened.tables[0].cell(0, 0).text == "cell"


def test_picture_markup_is_what_python_docx_builds() -> None:
    from docx.oxml.shape import CT_Inline

    document = Document(str(REFERENCE))
    pictures = Pictures(document)
    alt = 'Bar chart, A1: "a" & <b>\ttab\nline'
    run = document.add_paragraph().add_run()
    pictures.add(run, _png("red"), Cm(8), 1000, alt)
    r_id = run._r.xpath(".//a:blip/@r:embed")[0]
    part = document.part.related_parts[r_id]
    cx, cy = part.image.scaled_dimensions(Cm(8), None)
    expected = CT_Inline.new_pic_inline(1000, r_id, "image.png", cx, cy)
    expected.docPr.set("descr", alt)
    (inline,) = run._r.xpath("./w:drawing/wp:inline")
    assert _canonical(inline) == _canonical(expected)
    assert inline.docPr.get("descr") == alt


def test_saved_package_is_python_docx_save_rezipped(tmp_path: Path) -> None:
    when = dt.datetime(2022, 4, 1)
    document = Document(str(REFERENCE))
    Pictures(document).add(document.add_paragraph().add_run(), _png("blue"), Cm(8), 1000, "box")
    data = save_package(document, when)
    buffer = io.BytesIO()
    document.save(buffer)
    assert data == deterministic_zip(buffer.getvalue(), when)
    assert data == save_package(document, when)
    path = tmp_path / "saved.docx"
    path.write_bytes(data)
    assert Document(str(path)).inline_shapes[0]._inline.docPr.get("descr") == "box"


def test_row_height_guess_grows_with_text_and_with_narrower_columns() -> None:
    keep = KeepShortRows(limit=4000, font_size=180)  # half a page of 9 pt text
    short = [Cell("A1"), Cell("On track.")]
    long = [Cell("A1"), Cell("The board agreed the next steps. " * 60)]
    assert keep.keeps(short, [1000, 4000])
    assert keep.height(long, [1000, 2000]) > keep.height(long, [1000, 4000])
    assert keep.height(long, [1000, 4000]) > keep.height(short, [1000, 4000])
    assert not keep.keeps(long, [1000, 2000])
    assert keep.height([Cell("a\nb\nc")], [4000]) == 3 * keep.height([Cell("a")], [4000])
