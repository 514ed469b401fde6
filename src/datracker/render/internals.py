"""The only calls datracker makes into python-docx's and Pillow's private internals, fenced.

Each function below reaches one attribute that the library does not document, because its
public API has no way to do what the refresh document needs (or none fast enough for a
1,000-action plan: benchmarks/README.md, "Word render"). Nothing else in datracker touches
them. The pins in pyproject.toml keep each library below its next major release, and
tests/test_internals.py calls every function here on the installed release and fails with
the library's name and the attribute when one has gone or changed: `make test-latest` runs
it on the newest releases before a cap is lifted.

python-docx and Pillow are imported lazily by the callers; this module imports neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from docx.document import Document, _Body
    from docx.opc.package import OpcPackage
    from docx.opc.part import Part
    from docx.oxml.table import CT_Row, CT_Tbl
    from docx.oxml.text.paragraph import CT_P
    from docx.table import Table, _Row
    from docx.text.paragraph import Paragraph
    from PIL import ImageDraw
    from PIL._imaging import ImagingCore
    from PIL.ImageFont import FreeTypeFont

    from datracker.render.docxkit import PackageEntries

# --- python-docx -----------------------------------------------------------------------------


def paragraph_element(paragraph: Paragraph) -> CT_P:
    """A paragraph's `<w:p>` (python-docx: `Paragraph._p`).

    Needed for what python-docx has no API for: appending a hyperlink or a field, numbering
    properties, and setting a style by id without the style lookup `paragraph.style = name`
    does for every paragraph.
    """
    return paragraph._p


def table_element(table: Table) -> CT_Tbl:
    """A table's `<w:tbl>` (python-docx: `Table._tbl`), to set its style by id."""
    return table._tbl


def row_element(row: _Row) -> CT_Row:
    """A table row's `<w:tr>` (python-docx: `_Row._tr`): marking the header row, which Word
    repeats on every page, has no python-docx API."""
    return row._tr


def body_container(document: Document) -> _Body:
    """The body python-docx gives its own paragraphs as their parent (`Document._body`).

    A paragraph written as XML (docxkit.add_body_paragraph, about 0.4 s faster for a
    1,000-action plan than `add_paragraph`) is wrapped in a `Paragraph` with the same parent,
    so it behaves as one python-docx made.
    """
    return document._body


def write_package_parts(
    entries: PackageEntries, package: OpcPackage, parts: Sequence[Part]
) -> None:
    """python-docx's package writer, writing each member into `entries` rather than a zip
    (`PackageWriter._write_content_types_stream`, `_write_pkg_rels`, `_write_parts`).

    `Document.save` zips the parts itself, in its own order and with the time of day; the
    document must be the same bytes every run, and re-zipping python-docx's zip cost about
    0.2 s with 314 chart pictures (docxkit.save_package).
    """
    from docx.opc.pkgwriter import PackageWriter

    # private, so python-docx leaves them unannotated (and `_write_parts` takes a zip writer,
    # where PackageEntries stands in for one): the ignores are the fence's own
    PackageWriter._write_content_types_stream(entries, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(entries, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(entries, parts)  # type: ignore[arg-type]


# --- Pillow ----------------------------------------------------------------------------------


def text_mask(
    font: FreeTypeFont, text: str, anchor: str, start: tuple[float, float]
) -> tuple[ImagingCore, tuple[int, int]]:
    """One line of text rendered as Pillow's `ImageDraw.text` renders it, and its offset
    (`FreeTypeFont.getmask2`, documented, but giving an internal image).

    Rendered once and kept (charts.py): period labels repeat from chart to chart, and
    FreeType rendering was most of a chart's text time.
    """
    return font.getmask2(text, "L", anchor=anchor, start=start)


def blend_mask(
    draw: ImageDraw.ImageDraw, corner: tuple[int, int], mask: ImagingCore, fill: object
) -> None:
    """Blend a rendered mask into the image at `corner` in `fill`, as the last step of
    `ImageDraw.text` does (`ImageDraw.draw.draw_bitmap`, `draw_ink`: Pillow's drawing core).

    `ImageDraw` has no public way to draw an already rendered mask; this is how the cached
    masks of `text_mask` reach the image, pixel for pixel what `draw.text` draws.
    """
    core = draw.draw
    core.draw_bitmap(corner, mask, core.draw_ink(fill))
