"""The refresh document as GitHub-flavoured Markdown, from Jinja2 templates.

Templates are layout only: they receive the view model (`doc`, a RefreshView) and three
escaping filters, so no plan text can break a table or inject HTML. They run in Jinja's
immutable sandbox (a template from a plan repository is not trusted code: it can neither reach
Python nor change the view, which the Word writer reads after it), within the budgets of
render/bounds.py (time, ranges, output size), with StrictUndefined, so a typo fails loudly —
with the template's name, line and the missing name — instead of printing nothing into a
board paper.

A plan overrides templates file by file: `<dir>/markdown/<name>.md.j2` in the override
folder wins over the packaged file of the same name.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError

from datracker.core.problems import DatrackerError
from datracker.core.text import printable
from datracker.render.bounds import BUDGET_HINT, BoundedSandbox, OverBudget, time_limit
from datracker.render.view import RefreshView
from datracker.report.escape import md_escape

PACKAGED_TEMPLATES = Path(__file__).parent / "templates"
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


def environment(override: Path | None) -> BoundedSandbox:
    loaders = [FileSystemLoader(str(override / "markdown"))] if override else []
    loaders.append(FileSystemLoader(str(PACKAGED_TEMPLATES / "markdown")))
    env = BoundedSandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(text=md_text, cell=md_cell, cells=md_cells)
    return env


def render_markdown(view: RefreshView, override: Path | None) -> str:
    env = environment(override)
    try:
        with time_limit():
            text = env.render_bounded(env.get_template(MAIN_TEMPLATE), doc=view)
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}, line {error.lineno}"
        raise DatrackerError(
            f"template {where}: {error.message}", "fix the template's Jinja syntax"
        ) from None
    except TemplateNotFound as error:
        raise DatrackerError(
            f"template '{error.name}' not found",
            f"templates are looked up in {_searched(override)}",
        ) from None
    except OverBudget as error:
        raise DatrackerError(f"{_where(error)}: {error}", error.hint) from None
    except SecurityError as error:
        raise DatrackerError(
            f"{_where(error)}: not allowed in a template: {error}",
            "templates may read the document's fields (doc.…) only; they cannot change them",
        ) from None
    except RecursionError as error:
        raise DatrackerError(
            f"{_where(error)}: the template includes or calls itself without end",
            "remove the include or macro call that leads back to the same template",
        ) from None
    except MemoryError:
        raise DatrackerError(
            "a template needed more memory than this machine has", BUDGET_HINT
        ) from None
    except TemplateError as error:
        raise DatrackerError(
            f"{_where(error)}: {error}",
            "check the spelling against the fields listed in the packaged templates",
        ) from None
    return _tidy(text)


def _where(error: Exception) -> str:
    """The template frame closest to the failure: Jinja rewrites tracebacks to template lines."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"template {frame.filename}, line {frame.lineno}"
    return "template"


def _searched(override: Path | None) -> str:
    packaged = str(PACKAGED_TEMPLATES / "markdown")
    return f"{override / 'markdown'} and then {packaged}" if override else packaged


def _tidy(text: str) -> str:
    """At most one blank line in a row and one newline at the end: stable, reviewable diffs."""
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"
