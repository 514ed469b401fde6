"""Every private python-docx and Pillow call datracker makes, on the installed release.

Each call sits behind one function (render/internals.py, importing/tables.py's
`cell_element`). When a release renames or removes what it reaches, the test names the library,
its version and the attribute, so the failure says where to look rather than surfacing as an
AttributeError deep inside a render. `make test-latest` runs these on the newest releases.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image, ImageDraw

from datracker.importing.tables import cell_element
from datracker.render import internals
from datracker.render.docxkit import PackageEntries, add_body_paragraph, save_package


def _reached(library: str, attribute: str, call: Callable[[], Any]) -> Any:
    """`call()`, or a failure naming the library, its installed version and the attribute."""
    try:
        return call()
    except (AttributeError, TypeError) as error:
        pytest.fail(
            f"{library} {version(library)} no longer offers {attribute} ({error}); "
            "datracker's fence for it needs another way (see render/internals.py)"
        )


def _table() -> Any:
    return Document().add_table(rows=2, cols=2)


DOCX_ELEMENTS = [
    ("Paragraph._p", lambda: internals.paragraph_element(Document().add_paragraph("x")), "w:p"),
    ("Table._tbl", lambda: internals.table_element(_table()), "w:tbl"),
    ("_Row._tr", lambda: internals.row_element(_table().rows[0]), "w:tr"),
    ("_Cell._tc", lambda: cell_element(_table().rows[0].cells[0]), "w:tc"),
]


@pytest.mark.parametrize(
    ("attribute", "call", "tag"), DOCX_ELEMENTS, ids=[a for a, _, _ in DOCX_ELEMENTS]
)
def test_python_docx_elements_are_reached(
    attribute: str, call: Callable[[], Any], tag: str
) -> None:
    element = _reached("python-docx", attribute, call)
    assert element.tag == qn(tag), f"python-docx: {attribute} is no longer a <{tag}>"


def test_python_docx_body_is_the_parent_of_its_own_paragraphs() -> None:
    document = Document()
    body = _reached("python-docx", "Document._body", lambda: internals.body_container(document))
    made = document.add_paragraph("x")
    assert made._parent is body, "python-docx: Document._body is no longer its paragraphs' parent"
    ours = add_body_paragraph(document, "Normal", "y")
    assert ours.part is made.part and ours.text == "y"


def test_python_docx_package_writer_writes_each_member() -> None:
    document = Document()
    document.add_paragraph("x")
    package = document.part.package
    assert package is not None
    entries = PackageEntries()
    parts = list(package.iter_parts())
    _reached(
        "python-docx",
        "PackageWriter._write_content_types_stream, _write_pkg_rels and _write_parts",
        lambda: internals.write_package_parts(entries, package, parts),
    )
    saved = io.BytesIO()
    document.save(saved)
    names = set(zipfile.ZipFile(saved).namelist())
    assert set(entries.blobs) == names, "python-docx: PackageWriter writes other members now"
    assert save_package(document, dt.datetime(2022, 2, 9)).startswith(b"PK")


def test_pillow_masks_blend_as_draw_text_draws() -> None:
    from PIL import ImageFont

    font = ImageFont.load_default(size=16)
    assert isinstance(font, ImageFont.FreeTypeFont)
    drawn = Image.new("L", (120, 40), 255)
    ImageDraw.Draw(drawn).text((10.5, 8.25), "2021-10", 32, font, "la")
    ours = Image.new("L", (120, 40), 255)
    mask, (dx, dy) = _reached(
        "Pillow",
        "FreeTypeFont.getmask2",
        lambda: internals.text_mask(font, "2021-10", "la", (0.5, 0.25)),
    )
    _reached(
        "Pillow",
        "ImageDraw.draw.draw_bitmap and draw_ink",
        lambda: internals.blend_mask(ImageDraw.Draw(ours), (10 + dx, 8 + dy), mask, 32),
    )
    assert ours.tobytes() == drawn.tobytes(), "Pillow: a blended mask is not what draw.text draws"
    assert ours.getextrema() == (32, 255)
