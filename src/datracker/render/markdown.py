"""The refresh document as GitHub-flavoured Markdown, from Jinja2 templates.

Templates are layout only: they receive the view model (`doc`, a RefreshView) and three
escaping filters, so no plan text can break a table or inject HTML. They run in the sandbox
every template output shares (templating.py), and a plan overrides them file by file in
`<templates>/markdown/`.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from datracker.core.text import printable
from datracker.render import view as renderview
from datracker.render.templating import run_template, sandbox
from datracker.render.view import RefreshView
from datracker.report.formats import md_escape

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


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with a quick answer for the fields of the view model.

    A large plan's template reads the view's fields about a hundred thousand times, and the
    sandbox's full checks on each took about a third of the render. For the view's own frozen
    dataclasses the answer is known in advance: their fields and properties are plain data.
    Anything else (another attribute, another type) still gets the full checks.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if attribute in _VIEW_FIELDS.get(type(obj), ()):
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)


def _public_fields(cls: type) -> frozenset[str]:
    properties = {name for name, value in vars(cls).items() if isinstance(value, property)}
    return frozenset({f.name for f in dataclasses.fields(cls)} | properties)


_VIEW_FIELDS: dict[type, frozenset[str]] = {
    cls: _public_fields(cls)
    for cls in vars(renderview).values()
    if isinstance(cls, type)
    and dataclasses.is_dataclass(cls)
    and cls.__module__ == renderview.__name__
}


def environment(override: Path | None) -> SandboxedEnvironment:
    env = sandbox("markdown", override, autoescape=False, environment=_Sandbox)
    env.filters.update(text=md_text, cell=md_cell, cells=md_cells)
    return env


def render_markdown(view: RefreshView, override: Path | None) -> str:
    return _tidy(run_template(environment(override), MAIN_TEMPLATE, doc=view))


def _tidy(text: str) -> str:
    """At most one blank line in a row and one newline at the end: stable, reviewable diffs."""
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"
