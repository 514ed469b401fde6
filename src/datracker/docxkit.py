"""Small Word (OOXML) operations python-docx has no API for, and the deterministic save.

Kept apart from the writer so each is a few lines with its reason: cell shading, repeating
header rows, fixed table layout, hyperlinks, numbered lists that restart, filling the header's
TITLE field, and re-zipping the package so the same plan always gives the same bytes.
Imported only by the Word writer (python-docx is not loaded by `validate`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length

from datracker.text import printable

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run


def clean(text: str) -> str:
    """Text Word can store: control characters removed, never an exception."""
    return printable(text)


def shade(cell: _Cell, colour: str) -> None:
    """Fill a cell with `#RRGGBB`."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#").upper())
    tc_pr.append(shd)


def is_dark(colour: str) -> bool:
    """Whether white text reads better than black on this fill (WCAG relative luminance)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return luminance < 0.18


def repeat_header(table: Table) -> None:
    """Mark the first row as a header row, which Word repeats at the top of every page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def keep_row_together(row_tr: object) -> None:
    """Do not split a short row across pages (long update text may still flow on)."""
    tr_pr = row_tr.get_or_add_trPr()  # type: ignore[attr-defined]
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    tr_pr.append(cant)


def fixed_layout(table: Table) -> None:
    """Widths as given, not as the text suggests: the delivery plan must fit A4 landscape."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def add_cells(table: Table) -> tuple[_Cell, ...]:
    """A new row's cells; `add_row` is linear, where `table.cell(r, c)` in a loop is quadratic."""
    return tuple(table.add_row().cells)  # type: ignore[no-untyped-call]


def span_row(cells: tuple[_Cell, ...]) -> _Cell:
    """Merge a whole row into its first cell in O(1) (python-docx's merge walks the grid)."""
    first = cells[0]._tc
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), str(len(cells)))
    first.get_or_add_tcPr().append(span)
    total = sum(int(cell.width or 0) for cell in cells)
    cells[0].width = Length(total)
    for cell in cells[1:]:
        cell._tc.getparent().remove(cell._tc)
    return cells[0]


def add_picture(run: Run, image: bytes, width: Length, shape_id: int, descr: str) -> None:
    """An inline picture with a caller-chosen shape id and alt text.

    python-docx's `add_picture` finds the next id by scanning every id in the document (XPath
    `//@id`), once per picture: with a 10,000-row plan and thousands of charts that is
    quadratic and took minutes. The writer numbers its own pictures instead.
    """
    from docx.oxml.shape import CT_Inline

    part = run.part
    r_id, picture = part.get_or_add_image(io.BytesIO(image))
    cx, cy = picture.scaled_dimensions(width, None)
    inline = CT_Inline.new_pic_inline(shape_id, r_id, picture.filename, cx, cy)
    inline.docPr.set("descr", clean(descr))
    run._r.add_drawing(inline)


def add_hyperlink(paragraph: Paragraph, url: str) -> object:
    """An empty external hyperlink appended to the paragraph; move runs into it."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    paragraph._p.append(link)
    return link


def restart_numbering(document: Document, style_id: str, start: int) -> int | None:
    """A new list instance for a numbered-list style, so each list counts from `start`.

    Word numbers every paragraph of "List Number" as one list; a second list in the narrative
    would go on from 4. Returns the new numId, or None if the style has no numbering.
    """
    style = document.styles.element.get_by_id(style_id)
    if style is None or style.pPr is None or style.pPr.numPr is None:
        return None
    num_id = style.pPr.numPr.numId
    if num_id is None:
        return None
    numbering = document.part.numbering_part.element
    try:
        abstract = numbering.num_having_numId(num_id.val).abstractNumId.val
    except KeyError:
        return None
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return int(num.numId)


def set_numbering(paragraph: Paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def fill_title_fields(document: Document, title: str) -> None:
    """Headers and footers show the strategy title through a TITLE field; set its shown text.

    Word refreshes fields itself, but viewers that do not (LibreOffice's preview, phones) show
    the cached text, which in the reference document is a placeholder.
    """
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            if part.is_linked_to_previous:
                continue
            for field in part._element.iter(qn("w:fldSimple")):
                if field.get(qn("w:instr"), "").split()[:1] == ["TITLE"]:
                    texts = list(field.iter(qn("w:t")))
                    for index, node in enumerate(texts):
                        node.text = clean(title) if index == 0 else ""


def deterministic_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same package with sorted entries and fixed timestamps: identical bytes every run."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()
