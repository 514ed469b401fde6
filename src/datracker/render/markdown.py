"""The refresh document as GitHub-flavoured Markdown, from Jinja2 templates.

Templates are layout only: they receive the view model (`doc`, a RefreshView) and three
escaping filters, so no plan text can break a table or inject HTML. A plan overrides them file by
file in `<templates>/markdown/`; its templates then run in the immutable sandbox, within the
budgets of bounds.py (templating.py says why the packaged ones do not need it).
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment

from datracker.core.text import printable
from datracker.render import templating
from datracker.render.templating import run_template
from datracker.render.view import RefreshView
from datracker.report.escape import md_escape

MAIN_TEMPLATE = "refresh.md.j2"
_LEADING_MARK = re.compile(r"^([#>+=-])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# Written out rather than \n{3,}: a literal start lets the regex engine skip ahead, three times
# faster over a large plan's document
_BLANK_LINES = re.compile("\n\n\n+")


def md_text(value: object) -> str:
    """Prose safe in Markdown: one line, Markdown punctuation and HTML shown as typed."""
    text = " ".join(printable(str(value)).split()).replace("&", "&amp;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _LEADING_NUMBER.sub(r"\1\\\2", text)  # "1\." is text, not a numbered list
    return _LEADING_MARK.sub(r"\\\1", text)


def md_cell(value: object) -> str:
    return md_escape(printable(str(value)))


def md_cells(values: list[str]) -> str:
    """A list in one table cell, one item per line (GitHub tables allow <br>, nothing else)."""
    return "<br>".join(md_escape(printable(str(v))) for v in values)


def environment(override: Path | None) -> Environment:
    env = templating.environment("markdown", override, autoescape=False)
    env.filters.update(text=md_text, cell=md_cell, cells=md_cells)
    return env


def render_markdown(view: RefreshView, override: Path | None) -> str:
    env = environment(override)
    with templating.budget(env):
        return _tidy(run_template(env, MAIN_TEMPLATE, doc=view))


def _tidy(text: str) -> str:
    """At most one blank line in a row and one newline at the end: stable, reviewable diffs."""
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"
