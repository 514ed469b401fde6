"""Small Word (OOXML) operations python-docx has no API for, and the deterministic save.

Kept apart from the writer so each is a few lines with its reason: whole tables and
paragraphs written as OOXML and parsed in one go (shaded cells, repeating header rows, fixed
layout), pictures added without python-docx's rescans, hyperlinks, numbered lists that
restart, filling the header's TITLE field, and zipping the package so the same plan always
gives the same bytes.
Imported only by the Word writer (python-docx is not loaded by `validate`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length

from datracker.core.text import printable
from datracker.render.internals import (
    body_container,
    paragraph_element,
    row_element,
    write_package_parts,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.parts.image import ImagePart
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# python-docx's own new-table look (first row and column emphasised, no banded columns).
TABLE_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
    'w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)
RUN_BREAKS = re.compile(r"([\t\r\n])")
SECTION_PROPERTIES = qn("w:sectPr")
PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def clean(text: str) -> str:
    """Text Word can store: control characters removed, never an exception."""
    return printable(text)


def is_dark(colour: str) -> bool:
    """Whether white text reads better than black on this fill (WCAG relative luminance)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return luminance < 0.18


def repeat_header(table: Table) -> None:
    """Mark the first row as a header row, which Word repeats at the top of every page."""
    tr_pr = row_element(table.rows[0]).get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def add_cells(table: Table) -> tuple[_Cell, ...]:
    """A new row's cells; `add_row` is linear, where `table.cell(r, c)` in a loop is quadratic."""
    return tuple(table.add_row().cells)  # type: ignore[no-untyped-call]  # python-docx's


@dataclass(frozen=True)
class KeepShortRows:
    """Which rows to keep on one page (`w:cantSplit`): those sure to be well under a page.

    A row split over a page break leaves its RAG in words on one page and only the shading on
    the next. But Word cuts off, rather than splits, a row it may not split that is taller than
    the page, which would hide part of an update from the board. So the height is guessed from
    the text generously (characters 0.6 em wide, lines 1.4 em tall: for the shipped plan in
    Arial 9 pt, half as tall again as LibreOffice lays the rows out) and only rows guessed
    under `limit` twips are kept whole. The writer passes three quarters of the page, which
    leaves room for a wider font and the repeated header row.
    """

    limit: int  # twips
    font_size: int  # the table text's size, in twips (20 to the point)

    def keeps(self, row: Sequence[Cell], widths: Sequence[int]) -> bool:
        return self.height(row, widths) < self.limit

    def height(self, row: Sequence[Cell], widths: Sequence[int]) -> int:
        character = self.font_size * 0.6
        tallest = 0
        for cell, width in zip(row, widths, strict=True):
            per_line = max(1, int((width - CELL_MARGINS) / character))
            lines = sum(-(-max(len(line), 1) // per_line) for line in cell.text.split("\n"))
            tallest = max(tallest, lines)
        return tallest * self.font_size * 7 // 5  # lines 1.4 em tall


# Word's default cell margins: 0.19 cm (108 twips) on the left and on the right.
CELL_MARGINS = 2 * 108


@dataclass(frozen=True)
class Cell:
    """A table cell as the writer means it; `append_table` turns it into OOXML."""

    text: str  # one paragraph per line; control characters are removed on the way
    bold: bool = False
    fill: str | None = None  # "#RRGGBB"; the text turns white when the fill is dark
    span: int = 1  # grid columns this cell covers (a collapsed plan row covers all)


def append_table(
    document: Document,
    table_style: str | None,
    text_style: str,
    widths: Sequence[Length],
    rows: Iterable[Sequence[Cell]],
    keep: KeepShortRows | None = None,
) -> None:
    """Append a table, its first row a header that repeats on every page, in one XML parse.

    Building a 1,000-row table through python-docx (`add_row`, `cell.paragraphs`,
    `add_run`, `get_or_add_tcPr`) cost about 4 s in per-element bookkeeping; writing the same
    elements as one string and parsing it once costs a few tens of milliseconds. The markup
    is what python-docx wrote: a `w:tcW` on every cell and the gridCol widths (fixed layout,
    so the plan fits A4 landscape), `w:shd` fills, bold and white runs, and the paragraph
    style on every paragraph.
    """
    twips = [int(width.twips) for width in widths]
    parts = [f"<w:tbl {nsdecls('w')}><w:tblPr>"]
    if table_style is not None:
        parts.append(f'<w:tblStyle w:val="{_attribute(table_style)}"/>')
    parts.append(f'<w:tblW w:type="auto" w:w="0"/><w:tblLayout w:type="fixed"/>{TABLE_LOOK}')
    parts.append("</w:tblPr><w:tblGrid>")
    parts.extend(f'<w:gridCol w:w="{width}"/>' for width in twips)
    parts.append("</w:tblGrid>")
    paragraph_open = f'<w:p><w:pPr><w:pStyle w:val="{_attribute(text_style)}"/></w:pPr><w:r>'
    for number, row in enumerate(rows):
        cell_widths = []
        column = 0
        for cell in row:
            cell_widths.append(sum(twips[column : column + cell.span]))
            column += cell.span
        properties = '<w:cantSplit w:val="true"/>' if keep and keep.keeps(row, cell_widths) else ""
        if number == 0:
            properties += '<w:tblHeader w:val="true"/>'
        parts.append(f"<w:tr><w:trPr>{properties}</w:trPr>" if properties else "<w:tr>")
        parts.extend(
            _cell_xml(cell, width, paragraph_open)
            for cell, width in zip(row, cell_widths, strict=True)
        )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    append_to_body(document, parse_xml("".join(parts)))


def append_to_body(document: Document, block: BaseOxmlElement) -> None:
    """Put a paragraph or table at the end of the body, before its closing section properties.

    python-docx finds that place by searching the body's children for `w:sectPr`, once per
    paragraph or table added: quadratic, about 0.2 s for a 1,000-action plan's 700 blocks.
    The section properties, when present, are always the body's last child.
    """
    body = document.element.body
    if len(body) and body[-1].tag == SECTION_PROPERTIES:
        body[-1].addprevious(block)
    else:
        body.append(block)


def add_body_paragraph(document: Document, style_id: str, text: str = "") -> Paragraph:
    """`document.add_paragraph(text)` in the style with this id, parsed from one string.

    python-docx adds the paragraph, its properties, style and run element by element, each
    placed by a search through the names of every element that may follow it: about 0.4 s
    for a 1,000-action plan's 700 paragraphs.
    """
    from docx.text.paragraph import Paragraph

    (element,) = append_blocks(document, paragraph_xml(style_id, run_xml(text)))
    return Paragraph(element, body_container(document))


def paragraph_xml(
    style_id: str,
    content: str = "",
    *,
    keep_with_next: bool = False,
    space_before: Length | None = None,
) -> str:
    """A paragraph's markup as python-docx writes it: style, then `keep_with_next`, then
    `space_before`, in the schema's order."""
    properties = f'<w:pStyle w:val="{_attribute(style_id)}"/>'
    if keep_with_next:
        properties += "<w:keepNext/>"
    if space_before is not None:
        properties += f'<w:spacing w:before="{space_before.twips}"/>'
    return f"<w:p><w:pPr>{properties}</w:pPr>{content}</w:p>"


def run_xml(text: str) -> str:
    """A run holding `text` as python-docx's `add_run(text)` writes it; nothing for no text."""
    return f"<w:r>{_run_content(clean(text))}</w:r>" if text else ""


def append_blocks(document: Document, *blocks: str) -> list[BaseOxmlElement]:
    """Parse paragraphs' or tables' markup (w, wp and r prefixes declared) onto the body."""
    holder = parse_xml(f"<w:body {nsdecls('w', 'wp', 'r')}>{''.join(blocks)}</w:body>")
    elements = list(holder)
    for element in elements:
        append_to_body(document, element)
    return elements


def _cell_xml(cell: Cell, width: int, paragraph_open: str) -> str:
    properties = f'<w:tcW w:type="dxa" w:w="{width}"/>'
    if cell.span > 1:
        properties += f'<w:gridSpan w:val="{cell.span}"/>'
    white = False
    if cell.fill is not None:
        fill = _attribute(cell.fill.lstrip("#").upper())
        properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
        white = is_dark(cell.fill)
    run_properties = ("<w:b/>" if cell.bold else "") + (
        '<w:color w:val="FFFFFF"/>' if white else ""
    )
    if run_properties:
        run_properties = f"<w:rPr>{run_properties}</w:rPr>"
    paragraphs = "".join(
        f"{paragraph_open}{run_properties}{_run_content(line)}</w:r></w:p>"
        for line in clean(cell.text).split("\n")
    )
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraphs}</w:tc>"


def _run_content(text: str) -> str:
    """A run's content as python-docx's `add_run(text)` writes it: a tab is `w:tab`, a carriage
    return `w:br`, and text with outer spaces keeps them (`xml:space="preserve"`)."""
    content = []
    for piece in RUN_BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            content.append(f"<w:t{space}>{_escape(piece)}</w:t>")
    return "".join(content)


def _attribute(value: str) -> str:
    """An attribute value that parses back to exactly `value` (a raw tab or newline would be
    read as a space)."""
    return (
        _escape(value)
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _escape(text: str) -> str:
    """Text safe between tags. Not `xml.sax.saxutils.escape`: importing it imports
    urllib.request, http.client and ssl, about 15 ms of every render."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Pictures:
    """Adds inline pictures to the document body, each image stored once.

    python-docx's `add_picture` costs grow with every picture already added: it finds the
    next shape id by scanning every id in the document (XPath `//@id`), looks for an equal
    image by re-hashing every image part, and scans all relationships for the next rId and
    for an existing one. With 314 charts that was about 1.7 s. This keeps the hashes, the
    used part numbers and rIds in dicts, and the writer numbers its own shapes. Part names
    (`/word/media/imageN.png`), rIds and dedup by SHA-1 follow python-docx's rules, so the
    package is the one python-docx would write.
    """

    def __init__(self, document: Document) -> None:

        self._part = document.part
        package = self._part.package
        assert package is not None
        self._images = package.image_parts
        self._by_sha1: dict[str, ImagePart] = {p.sha1: p for p in self._images}
        self._numbers = {p.partname.idx for p in self._images}
        self._rids: dict[Part, str] = {
            rel.target_part: r_id
            for r_id, rel in self._part.rels.items()
            if not rel.is_external and rel.reltype == RT.IMAGE
        }
        self._next_rid = 1  # every rId below this one is taken (relationships are only added)
        self._next_number = 1  # likewise for the image part numbers

    def add(self, run: Run, image: bytes, width: Length, shape_id: int, descr: str) -> None:
        """An inline picture at `width` (height to scale) with a caller-chosen id and alt text."""
        drawing = self.drawing_xml(image, width, shape_id, descr)
        run.element.append(parse_xml(f"<w:r {nsdecls('w', 'wp', 'r')}>{drawing}</w:r>")[0])

    def drawing_xml(self, image: bytes, width: Length, shape_id: int, descr: str) -> str:
        """The `w:drawing` markup of an inline picture, the image added to the package.

        The elements and attributes python-docx's `CT_Inline.new_pic_inline` builds, written
        as text so that a chart's paragraphs are parsed once (building them element by element
        was about 0.25 s for 314 charts). Needs the w, wp and r prefixes declared around it.
        """
        part = self._image_part(image)
        r_id = self._rids.get(part) or self._relate(part)
        cx, cy = part.image.scaled_dimensions(width, None)
        name, alt = _attribute(part.image.filename), _attribute(clean(descr))
        return (
            f'<w:drawing><wp:inline {nsdecls("a", "pic")}><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{shape_id}" name="Picture {shape_id}" descr="{alt}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'<a:graphic><a:graphicData uri="{PICTURE_URI}"><pic:pic><pic:nvPicPr>'
            f'<pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch>'
            f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
            '</a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing>"
        )

    def _image_part(self, blob: bytes) -> ImagePart:
        from docx.image.image import Image
        from docx.opc.packuri import PackURI
        from docx.parts.image import ImagePart

        sha1 = hashlib.sha1(blob).hexdigest()
        if sha1 in self._by_sha1:
            return self._by_sha1[sha1]
        image = Image.from_blob(blob)
        while self._next_number in self._numbers:  # the lowest free number, as python-docx
            self._next_number += 1
        self._numbers.add(self._next_number)
        name = PackURI(f"/word/media/image{self._next_number}.{image.ext}")
        part: ImagePart = ImagePart.from_image(image, name)
        self._images.append(part)
        self._by_sha1[sha1] = part
        return part

    def _relate(self, part: ImagePart) -> str:
        rels = self._part.rels
        while f"rId{self._next_rid}" in rels:
            self._next_rid += 1
        r_id = f"rId{self._next_rid}"
        rels.add_relationship(RT.IMAGE, part, r_id)
        self._rids[part] = r_id
        return r_id


def add_hyperlink(paragraph: Paragraph, url: str) -> object:
    """An empty external hyperlink appended to the paragraph; move runs into it."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    paragraph_element(paragraph).append(link)
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
    num_pr = paragraph_element(paragraph).get_or_add_pPr().get_or_add_numPr()
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
            for field in part.part.element.iter(qn("w:fldSimple")):
                if field.get(qn("w:instr"), "").split()[:1] == ["TITLE"]:
                    texts = list(field.iter(qn("w:t")))
                    for index, node in enumerate(texts):
                        node.text = clean(title) if index == 0 else ""


def text_language(document: Document, fallback: str) -> str:
    """The language the document's text is in: the reference's default run language
    (docDefaults' w:lang), set to `fallback` where the reference names none.

    Screen readers choose their voice by it, and LibreOffice writes it as a tagged PDF's /Lang.
    """
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)  # w:lang is the last child of w:rPr in the schema's order
    if not lang.get(qn("w:val")):
        lang.set(qn("w:val"), fallback)
    return str(lang.get(qn("w:val")))


def save_package(document: Document, when: dt.datetime) -> bytes:
    """The document's package as python-docx would save it, zipped once, deterministically.

    python-docx's `save` deflates every part into a zip that `deterministic_zip` then inflated
    and deflated again to fix the order and timestamps: with 314 chart PNGs that second pass
    was about 0.2 s. Here python-docx's package writer writes its parts into a dict instead.
    """
    package = document.part.package
    assert package is not None
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    entries = PackageEntries()
    write_package_parts(entries, package, parts)
    return _zip(entries.blobs, when)


class PackageEntries:
    """Stands in for python-docx's zip writer: keeps each member's bytes by name."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.blobs[pack_uri.membername] = blob


def deterministic_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same package with sorted entries and fixed timestamps: identical bytes every run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return _zip({name: source.read(name) for name in source.namelist()}, when)


def _zip(entries: dict[str, bytes], when: dt.datetime) -> bytes:
    """Entries sorted ([Content_Types].xml first, as Word writes it), every timestamp `when`."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    names = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
