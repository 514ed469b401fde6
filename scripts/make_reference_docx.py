"""Write templates/reference.docx: the house style that `datracker render` builds Word files in.

The reference document is what a strategy lead restyles in Word — fonts, colours, heading
styles, the header (a logo can go there) and footer — without touching code: datracker keeps
its styles, section layout, header and footer and replaces its body. This script makes the
default one, so its content is reviewable as code; the binary is committed twice, at the
repository's top (templates/reference.docx, the plan's override folder) and inside the package
(src/datracker/render/templates/reference.docx, used when a plan has none).

Usage: python scripts/make_reference_docx.py
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import CharacterStyle
from docx.text.paragraph import Paragraph

from datracker.render.docxkit import deterministic_zip
from datracker.render.internals import paragraph_element

REPO = Path(__file__).resolve().parents[1]
TARGETS = [
    REPO / "templates" / "reference.docx",
    REPO / "src/datracker/render/templates/reference.docx",
]
FONT = "Arial"
LANGUAGE = "en-GB"  # the text's language, for spelling and screen readers (a tagged PDF's /Lang)
NAVY = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)


def field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A simple field (PAGE, NUMPAGES, TITLE) with the text shown until Word updates it."""
    element = OxmlElement("w:fldSimple")
    element.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    element.append(run)
    paragraph_element(paragraph).append(element)


def plain_font(style: CharacterStyle, name: str) -> None:
    """Set the font by name and drop theme fonts, which Word would otherwise use instead."""
    style.font.name = name
    fonts = style.element.rPr.rFonts
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)


def styles(document: WordDocument) -> None:
    normal = document.styles["Normal"]
    plain_font(normal, FONT)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        heading = document.styles[f"Heading {level}"]
        plain_font(heading, FONT)
        heading.font.size = Pt(size)
        heading.font.color.rgb = NAVY
        heading.font.bold = True
        heading.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
    title = document.styles["Title"]
    plain_font(title, FONT)
    title.font.size = Pt(24)
    title.font.color.rgb = NAVY
    subtitle = document.styles["Subtitle"]
    plain_font(subtitle, FONT)
    subtitle.font.size = Pt(15)
    subtitle.font.italic = False
    subtitle.font.color.rgb = GREY
    table_text = document.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(2)
    note = document.styles.add_style("Note Text", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(9)
    note.paragraph_format.space_after = Pt(2)
    link = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    caption = document.styles["Caption"]
    caption.font.color.rgb = GREY
    caption.font.italic = True
    caption.font.bold = False


def language(document: WordDocument) -> None:
    """Every run's default language (docDefaults), and the package's: python-docx's template
    says en-US; a UK public body's papers are en-GB. A lead restyling in Word may change it."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for lang in defaults.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    document.core_properties.language = LANGUAGE


def page(document: WordDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.style = document.styles["Header"]
    field(header, "TITLE", "Strategy title")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    field(footer, "PAGE", "1")
    footer.add_run(" of ")
    field(footer, "NUMPAGES", "1")


def drop_thumbnail(document: WordDocument) -> None:
    """python-docx's template carries a Word thumbnail of some other document: remove it."""
    rels = document.part.package.rels
    for r_id, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(r_id)


def build() -> bytes:
    document = Document()
    styles(document)
    language(document)
    page(document)
    drop_thumbnail(document)
    core = document.core_properties
    when = dt.datetime(2022, 1, 1)
    core.author = core.last_modified_by = "datracker"
    core.title = "Reference document for datracker render"
    core.created = core.modified = when
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue(), when)


def main() -> None:
    data = build()
    for target in TARGETS:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
