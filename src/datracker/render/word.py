"""The refresh document as Word (.docx), built on the reference document's house style.

The reference document supplies every style, the page set-up, header and footer; its body is
replaced. Layout follows the seed's refresh: title block, narrative, delivery-plan summary
and RAG key, changes since the last review, then the delivery-plan tables in a landscape
section (header rows repeat on every page; RAG cells shaded with the scale's colour and the
RAG written in words, since colour must never be the only signal), each priority's charts
below its table (a chart squeezed into a table cell is unreadable), and the owners appendix
back in portrait. Tables are written as OOXML in one go (docxkit.append_table) and charts
added through docxkit.Pictures: python-docx's per-row, per-run and per-picture bookkeeping
took about 6 s of a 1,000-action plan's 10 s (and its `table.cell(r, c)` is quadratic).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document as open_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Cm, Length, Pt, RGBColor

from datracker.core.dates import parse_partial_date
from datracker.core.problems import DatrackerError
from datracker.render.docxkit import (
    Cell,
    KeepShortRows,
    Pictures,
    add_body_paragraph,
    append_blocks,
    append_table,
    clean,
    fill_title_fields,
    paragraph_xml,
    run_xml,
    save_package,
    text_language,
)
from datracker.render.view import Chart, PriorityTable, RefreshView, Row

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

# A4 landscape is 29.7 cm wide; with 1.5 cm margins 26.7 cm is left for the plan's 7 columns.
PLAN_WIDTHS_CM = (1.3, 3.9, 4.1, 4.1, 3.0, 7.6, 2.7)
LANDSCAPE_MARGIN_CM = 1.5
HEADER_FILL = "#D9E2F3"
CHART_WIDTH_CM = 16.0
PICTURE_IDS_FROM = 1000  # above any drawing id a reference document's header may hold
LANGUAGE = "en-GB"  # the text's language when the reference document names none
STYLE_FALLBACKS = {
    "Normal": None,
    "Title": "Normal",
    "Subtitle": "Normal",
    "Heading 1": "Normal",
    "Heading 2": "Normal",
    "Heading 3": "Normal",
    "List Bullet": "Normal",
    "List Bullet 2": "List Bullet",
    "List Bullet 3": "List Bullet 2",
    "List Number": "Normal",
    "List Number 2": "List Number",
    "List Number 3": "List Number 2",
    "List Continue": "Normal",
    "List Continue 2": "List Continue",
    "List Continue 3": "List Continue 2",
    "Quote": "Normal",
    "Caption": "Normal",
    "Table Grid": None,
    "Table Text": "Normal",
    "Note Text": "Normal",
    "Hyperlink": None,
}


def open_reference(path: Path) -> Document:
    """The reference document with its body emptied; a clear error if it is missing or broken."""
    if not path.is_file():
        raise DatrackerError(
            f"the reference document {path} is missing",
            "restore templates/reference.docx (python scripts/make_reference_docx.py writes the "
            "default), or remove the templates folder to use datracker's own",
        )
    try:
        document = open_document(str(path))
    except Exception as error:  # a broken package raises many kinds: zip, XML, missing parts
        raise DatrackerError(
            f"the reference document {path} cannot be read as a Word file ({error})",
            "open it in Word and save it again as 'Word Document (.docx)', or restore the default",
        ) from None
    document.element.body.clear_content()
    return document


def resolve_styles(document: Document) -> dict[str, str]:
    """The style id of each style the writer uses, or of the nearest the reference has.

    Ids, not names: python-docx looks a name up by scanning every style, and setting styles
    by name took over a second for a 40-action plan.
    """
    ids = {style.name: style.style_id for style in document.styles}
    resolved: dict[str, str] = {}
    for name, fallback in STYLE_FALLBACKS.items():
        if name in ids:
            resolved[name] = ids[name]
        elif fallback is not None:
            resolved[name] = resolved[fallback]
    return resolved


def _para(document: Document, style: str, text: str = "") -> Paragraph:
    return add_body_paragraph(document, style, text)


def write_docx(view: RefreshView, reference: Path, images: Mapping[str, bytes]) -> bytes:
    document = open_reference(reference)
    styles = resolve_styles(document)
    _title_block(document, view, styles)
    _narrative(document, view, styles)
    _summary(document, view, styles)
    _changes(document, view, styles)
    _landscape(document)
    _para(document, styles["Heading 1"], "Delivery plan")
    ids = {path: PICTURE_IDS_FROM + n for path, n in view.charts_index.items()}
    pictures = Pictures(document)
    for priority in view.priorities:
        _priority(document, view, priority, styles, _Charts(images, ids, pictures))
    _portrait(document)
    _appendix(document, view, styles)
    when = _when(view.review_date)
    _properties(document, view, when)
    fill_title_fields(document, view.title.title)
    return save_package(document, when)


def _narrative(document: Document, view: RefreshView, styles: dict[str, str]) -> None:
    """The lead's sections; the Markdown parser is imported only when there are some."""
    if not view.narrative:
        return
    from datracker.render.docxmd import NarrativeWriter

    writer = NarrativeWriter(document, styles)
    for section in view.narrative:
        writer.write(section.markdown)


def _when(review_date: str) -> dt.datetime:
    span = parse_partial_date(review_date)
    day = span.start if span else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _properties(document: Document, view: RefreshView, when: dt.datetime) -> None:
    core = document.core_properties
    body = view.title.approving_body or ""
    core.title = clean(view.title.title)
    core.language = text_language(document, LANGUAGE)
    core.subject = clean(view.title.subtitle)
    core.author = core.last_modified_by = clean(body)
    core.keywords = core.comments = core.category = ""
    core.created = core.modified = when
    core.revision = 1


def _title_block(document: Document, view: RefreshView, styles: dict[str, str]) -> None:
    title = view.title
    _para(document, styles["Title"], clean(title.title))
    _para(document, styles["Subtitle"], clean(title.subtitle))
    if title.approving_body:
        _para(document, styles["Normal"], f"Approving body: {title.approving_body}")
    status = _para(document, styles["Normal"]).add_run(clean(title.status_line))
    status.bold = True
    status.font.size = Pt(13)
    if not title.approved:
        status.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _summary(document: Document, view: RefreshView, styles: dict[str, str]) -> None:
    _para(document, styles["Heading 1"], "Delivery plan summary")
    focus = any(line.focus for line in view.summary)
    _para(
        document,
        styles["Normal"],
        f"RAG ratings at the {view.review_label} review, one line per priority"
        + (" (priorities marked [focus] are the focus for the coming year). " if focus else ". ")
        + view.summary_note,
    )
    for line in view.summary:
        paragraph = _para(document, styles["List Bullet"])
        paragraph.add_run(clean(f"{line.priority_id}. {line.title} — "))
        if line.stated:
            paragraph.add_run(clean(line.stated)).bold = True
            paragraph.add_run("; ")
        paragraph.add_run(clean(line.computed))
        if line.focus:
            paragraph.add_run(" [focus]").bold = True
        if line.draft:
            paragraph.add_run(" [draft for approval]").bold = True
    _para(document, styles["Heading 2"], "RAG key")
    rows = ((Cell(level.label, True, level.colour), Cell(level.meaning)) for level in view.rag_key)
    _table(document, styles, ["RAG", "Meaning"], (3.5, 13.5), rows)


def _changes(document: Document, view: RefreshView, styles: dict[str, str]) -> None:
    if view.changes is None:
        if view.changes_heading is not None:
            _para(document, styles["Heading 1"], view.changes_heading)
        note = _para(document, styles["Normal"])
        note.paragraph_format.space_before = Pt(12)
        note.add_run(clean(view.changes_note)).italic = True
        return
    _para(document, styles["Heading 1"], f"Changes since {view.changes.previous_label}")
    if not view.changes.lines:
        _para(document, styles["Normal"], "No RAG changes, completions, removals or new actions.")
    for change in view.changes.lines:
        paragraph = _para(document, styles["List Bullet"])
        paragraph.add_run(clean(change.subject)).bold = True
        within = f" ({change.within})" if change.within else ""
        paragraph.add_run(clean(f"{within}: {change.text} — {change.marker}"))


@dataclass(frozen=True)
class _Charts:
    """What placing a priority's charts needs: the PNGs, their shape ids, the picture adder."""

    images: Mapping[str, bytes]
    shape_ids: dict[str, int]
    pictures: Pictures


def _priority(
    document: Document,
    view: RefreshView,
    priority: PriorityTable,
    styles: dict[str, str],
    charts: _Charts,
) -> None:
    marks = " [focus]" if priority.focus else ""
    marks += " [draft for approval]" if priority.draft else ""
    _para(document, styles["Heading 2"], clean(priority.heading + marks))
    rows = (_plan_row(row) for row in priority.rows)
    _table(document, styles, view.columns, PLAN_WIDTHS_CM, rows)
    for chart in priority.charts:
        if chart.path in charts.images:
            _chart(document, styles, chart, charts)


def _chart(document: Document, styles: dict[str, str], chart: Chart, charts: _Charts) -> None:
    """The picture in a paragraph kept with its caption, both parsed from one string."""
    drawing = charts.pictures.drawing_xml(
        charts.images[chart.path],
        Cm(CHART_WIDTH_CM),
        charts.shape_ids[chart.path],
        chart.alt_text,
    )
    append_blocks(
        document,
        paragraph_xml(
            styles["Normal"], f"<w:r>{drawing}</w:r>", keep_with_next=True, space_before=Pt(12)
        ),
        paragraph_xml(styles["Caption"], run_xml(chart.caption)),
    )


def _plan_row(row: Row) -> tuple[Cell, ...]:
    """One action: its seven cells, or one cell across the row for a collapsed action."""
    if row.collapsed:
        return (Cell(row.collapsed, bold=True, span=len(PLAN_WIDTHS_CM)),)
    return (
        Cell(row.label, bold=True),
        Cell(row.objective + (f"\nNote: {row.note}" if row.note else "")),
        Cell(row.action),
        Cell("\n".join(row.measures)),
        Cell(row.owners),
        Cell(row.update),
        Cell(row.rag, bold=True, fill=row.colour or None),
    )


def _appendix(document: Document, view: RefreshView, styles: dict[str, str]) -> None:
    _para(document, styles["Heading 1"], "Appendix: owners and their actions")
    rows = (
        (Cell(owner.name), Cell(owner.detail), Cell(", ".join(owner.actions)))
        for owner in view.owners
    )
    _table(document, styles, ["Owner", "Role or organisation", "Actions"], (5, 7, 5), rows)


def _table(
    document: Document,
    styles: dict[str, str],
    headings: Sequence[str],
    widths: tuple[float, ...],
    rows: Iterator[Sequence[Cell]],
) -> None:
    """A table with a shaded header row that repeats on every page, and fixed column widths.

    Rows short enough are kept on one page; see docxkit.KeepShortRows.
    """
    header = [Cell(heading, bold=True, fill=HEADER_FILL) for heading in headings]
    section = document.sections[-1]
    page = (section.page_height or 0) - (section.top_margin or 0) - (section.bottom_margin or 0)
    keep = KeepShortRows(
        Length(page).twips * 3 // 4, _font_size(document, styles["Table Text"]).twips
    )
    append_table(
        document,
        styles.get("Table Grid"),
        styles["Table Text"],
        [Cm(width) for width in widths],
        itertools.chain([header], rows),
        keep,
    )


def _font_size(document: Document, style_id: str) -> Length:
    """The style's font size, from it or the style it is based on; 12 pt when none says.

    12 pt is larger than Word's usual defaults, so a guess from it keeps fewer rows whole.
    """
    style = next((s for s in document.styles if s.style_id == style_id), None)
    while style is not None:
        size = getattr(style.font, "size", None)
        if size is not None:
            return Length(size)
        style = style.base_style
    return Pt(12)


def _landscape(document: Document) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    width, height = section.page_width, section.page_height
    if width is not None and height is not None and width < height:
        section.page_width, section.page_height = height, width
    margin = Cm(LANDSCAPE_MARGIN_CM)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin


def _portrait(document: Document) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    width, height = section.page_width, section.page_height
    if width is not None and height is not None and width > height:
        section.page_width, section.page_height = height, width
    first = document.sections[0]
    section.left_margin, section.right_margin = first.left_margin, first.right_margin
    section.top_margin, section.bottom_margin = first.top_margin, first.bottom_margin
