"""The lead's Markdown narrative as Word paragraphs, in the reference document's styles.

markdown-it parses the text (CommonMark, plus tables and footnotes; raw HTML off, so a pasted
tag is only text) and each token maps to a Word construct: headings to Heading styles (the
narrative's `##` is the document's Heading 1, since `#` is the document's own title), lists to
List Bullet / List Number (each numbered list restarts at its own start), tables to Table
Grid tables, bold/italic/strike/code to run formatting, links to real hyperlinks. Footnotes
become numbered notes at the end of their section, numbered on through the whole document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docx.shared import Pt, RGBColor
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from datracker.render.docxkit import (
    add_cells,
    add_hyperlink,
    clean,
    repeat_header,
    restart_numbering,
    set_numbering,
)
from datracker.render.internals import paragraph_element, table_element

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

CODE_FONT = "Courier New"


def parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
    )


@dataclass
class _Lists:
    """The open lists, innermost last: (kind, numId for numbered lists)."""

    stack: list[tuple[str, int | None]] = field(default_factory=list)
    item_started: bool = False


class NarrativeWriter:
    """Writes narrative sections into one document; keeps the footnote count across sections."""

    def __init__(self, document: Document, styles: dict[str, str]) -> None:
        self.document = document
        self.styles = styles
        self.notes_done = 0
        self.md = parser()

    def write(self, markdown: str) -> None:
        env: dict[str, Any] = {}
        tokens = self.md.parse(markdown, env)
        offset = self.notes_done
        body, notes = _split_footnotes(tokens)
        self._blocks(body, offset)
        if notes:
            self._notes(notes, offset)
        self.notes_done += len(env.get("footnotes", {}).get("list", {}))

    def _para(self, style: str) -> Paragraph:
        paragraph = self.document.add_paragraph()
        paragraph_element(paragraph).style = style
        return paragraph

    # --- blocks ---------------------------------------------------------------------------

    def _blocks(self, tokens: list[Token], offset: int) -> None:
        lists = _Lists()
        paragraph: Paragraph | None = None
        quote = 0
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                level = min(3, max(1, int(token.tag[1]) - 1))
                paragraph = self._para(self.styles[f"Heading {level}"])
            elif kind == "paragraph_open":
                paragraph = self._paragraph(lists, quote)
            elif kind == "inline" and paragraph is not None:
                self.inline(paragraph, token.children or [], offset)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                lists.stack.append(self._open_list(kind, token, len(lists.stack)))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.stack.pop()
            elif kind == "list_item_open":
                lists.item_started = True
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind in ("fence", "code_block"):
                self._code(token.content)
            elif kind == "table_open":
                end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
                self._table(tokens[index:end], offset)
                index = end
            elif kind == "hr":
                self.document.add_paragraph()
            index += 1

    def _paragraph(self, lists: _Lists, quote: int) -> Paragraph:
        if lists.stack:
            kind, num_id = lists.stack[-1]
            depth = min(len(lists.stack), 3)
            suffix = "" if depth == 1 else f" {depth}"
            if not lists.item_started:
                return self._para(self.styles[f"List Continue{suffix}"])
            lists.item_started = False
            name = ("List Number" if kind == "ordered" else "List Bullet") + suffix
            paragraph = self._para(self.styles[name])
            if num_id is not None:
                set_numbering(paragraph, num_id)
            return paragraph
        return self._para(self.styles["Quote" if quote else "Normal"])

    def _open_list(self, kind: str, token: Token, depth: int) -> tuple[str, int | None]:
        if kind == "bullet_list_open":
            return ("bullet", None)
        start = int(token.attrGet("start") or 1)
        suffix = "" if depth == 0 else f" {min(depth + 1, 3)}"
        style = self.styles[f"List Number{suffix}"]
        return ("ordered", restart_numbering(self.document, style, start))

    def _code(self, content: str) -> None:
        paragraph = self._para(self.styles["Normal"])
        for number, line in enumerate(content.rstrip("\n").split("\n")):
            if number:
                paragraph.add_run().add_break()
            run = paragraph.add_run(clean(line))
            run.font.name = CODE_FONT
            run.font.size = Pt(9)

    def _table(self, tokens: list[Token], offset: int) -> None:
        rows: list[list[Token]] = []
        header_rows = 0
        for token in tokens:
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(token)
            elif token.type == "thead_close":
                header_rows = len(rows)
        if not rows:
            return
        table = self.document.add_table(rows=0, cols=max(len(r) for r in rows))
        if "Table Grid" in self.styles:
            table_element(table).tblPr.style = self.styles["Table Grid"]
        for number, row in enumerate(rows):
            cells = add_cells(table)
            for cell, inline in zip(cells, row, strict=False):
                paragraph = cell.paragraphs[0]
                paragraph_element(paragraph).style = self.styles["Table Text"]
                self.inline(paragraph, inline.children or [], offset, bold=number < header_rows)
        if header_rows:
            repeat_header(table)
        self._para(self.styles["Normal"])

    def _notes(self, tokens: list[Token], offset: int) -> None:
        """Each footnote as one small paragraph led by its superscript number."""
        heading = self._para(self.styles["Note Text"])
        heading.add_run("Notes").bold = True
        paragraph: Paragraph | None = None
        for token in tokens:
            if token.type == "footnote_open":
                paragraph = self._para(self.styles["Note Text"])
                mark = paragraph.add_run(f"{offset + int(token.meta['id']) + 1} ")
                mark.font.superscript = True
            elif token.type == "inline" and paragraph is not None:
                if len(paragraph.runs) > 1:
                    paragraph.add_run(" ")
                self.inline(paragraph, token.children or [], offset)

    # --- inline ---------------------------------------------------------------------------

    def inline(
        self, paragraph: Paragraph, children: list[Token], offset: int, bold: bool = False
    ) -> None:
        state = {"strong": bold, "em": False, "s": False}
        link: Any = None
        for token in children:
            kind = token.type
            if kind in ("strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"):
                state[kind.rsplit("_", 1)[0]] = kind.endswith("_open") or (
                    bold and kind.startswith("strong")
                )
            elif kind == "link_open":
                link = add_hyperlink(paragraph, str(token.attrGet("href") or ""))
            elif kind == "link_close":
                link = None
            elif kind in ("text", "code_inline", "image", "footnote_ref"):
                self._run(paragraph, token, state, link, offset)
            elif kind == "softbreak":
                self._append(paragraph, paragraph.add_run(" "), link)
            elif kind == "hardbreak":
                run = paragraph.add_run()
                run.add_break()
                self._append(paragraph, run, link)

    def _run(
        self, paragraph: Paragraph, token: Token, state: dict[str, bool], link: Any, offset: int
    ) -> None:
        if token.type == "footnote_ref":
            run = paragraph.add_run(str(offset + int(token.meta["id"]) + 1))
            run.font.superscript = True
            return
        text = token.content
        if token.type == "image":
            text = f"[image: {token.content or token.attrGet('src')}]"
        run = paragraph.add_run(clean(text))
        run.bold = state["strong"] or None
        run.italic = state["em"] or None
        if state["s"]:
            run.font.strike = True
        if token.type == "code_inline":
            run.font.name = CODE_FONT
        self._append(paragraph, run, link)

    def _append(self, paragraph: Paragraph, run: Any, link: Any) -> None:
        if link is None:
            return
        if self.styles.get("Hyperlink"):
            run.element.style = self.styles["Hyperlink"]
        else:
            run.font.underline = True
            run.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.append(run.element)


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            return tokens[:index], tokens[index + 1 :]
    return tokens, []
