"""Where a YAML syntax error really is, and what to do about it, in plain words.

libyaml reports where it gave up. For the mistakes people make most in a web editor that is
often not where they have to look: an unclosed quote is reported at the end of the file, a
missing space after a colon on the line below, an unclosed bracket on the next line. The error
also carries where the construct it was reading began (`context_mark`); each explainer below
recognises one mistake from libyaml's own words and both marks, and says where to look.
Explainers only read the error and the text: they never guess when they do not recognise it
(then the caller reports libyaml's words at its position).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml


class Explained(NamedTuple):
    line: int  # 1-based
    column: int  # 1-based
    code: str
    message: str
    hint: str


class _Error(NamedTuple):
    lines: list[str]
    problem: str
    context: str
    problem_at: tuple[int, int] | None  # 0-based line and column
    context_at: tuple[int, int] | None


def explain_syntax_error(text: str, error: yaml.YAMLError) -> Explained | None:
    """The place to look and plain words for a libyaml error, or None if not recognised."""
    found = _Error(
        text.splitlines(),
        str(getattr(error, "problem", None) or ""),
        str(getattr(error, "context", None) or ""),
        _at(getattr(error, "problem_mark", None)),
        _at(getattr(error, "context_mark", None)),
    )
    for explain in _EXPLAINERS:
        explained = explain(found)
        if explained is not None:
            return explained
    return None


def _at(mark: Any) -> tuple[int, int] | None:
    return (int(mark.line), int(mark.column)) if mark is not None else None


def _line(error: _Error, number: int) -> str:
    return error.lines[number] if 0 <= number < len(error.lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _previous_content(error: _Error, number: int) -> int | None:
    """The nearest line above `number` that holds more than spaces or a comment."""
    for before in range(min(number, len(error.lines)) - 1, -1, -1):
        stripped = error.lines[before].strip()
        if stripped and not stripped.startswith("#"):
            return before
    return None


_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"\[\]{},-][^:#]*?):(?=\s|$)")
_GLUED = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):(\S+)")


def _tab(error: _Error) -> Explained | None:
    if error.problem_at is None:
        return None
    line_no, column = error.problem_at
    line = _line(error, line_no)
    indent = line[: _indent(line)]
    if "\t" not in indent and "tab" not in error.problem and "'\\t'" not in error.problem:
        return None
    where = indent.find("\t") + 1 if "\t" in indent else column + 1
    hint = "YAML indents with spaces only; replace the tab with spaces"
    return Explained(line_no + 1, where, "tab", "a tab is used here", hint)


def _unclosed_quote(error: _Error) -> Explained | None:
    ends = ("end of stream", "document indicator")
    if "quoted scalar" not in error.context or not any(e in error.problem for e in ends):
        return None
    if error.context_at is None:
        return None
    line_no, column = error.context_at
    quote = _line(error, line_no)[column : column + 1] or '"'
    message = (
        f"the {quote} opened here is never closed, so YAML reads the rest of the file "
        "as part of this text"
    )
    inner = "written twice, as in 'it''s'" if quote == "'" else 'written \\", as in "say \\"hi\\""'
    hint = f"add the closing {quote} at the end of the text; a {quote} inside the text is {inner}"
    return Explained(line_no + 1, column + 1, "yaml-syntax", message, hint)


def _unknown_escape(error: _Error) -> Explained | None:
    if "unknown escape" not in error.problem or error.problem_at is None:
        return None
    line_no, column = error.problem_at
    escape = _line(error, line_no)[column : column + 2]
    message = f"'{escape}' is not an escape YAML knows inside double quotes"
    hint = 'inside "…" write a backslash as \\\\, or put the text in single quotes instead'
    return Explained(line_no + 1, column + 1, "yaml-syntax", message, hint)


def _unclosed_bracket(error: _Error) -> Explained | None:
    if "flow" not in error.context or not error.problem.startswith("did not find expected ','"):
        return None
    if error.context_at is None:
        return None
    line_no, column = error.context_at
    opener = _line(error, line_no)[column : column + 1] or "["
    closer = {"[": "]", "{": "}"}.get(opener, "]")
    message = f"the '{opener}' opened here is never closed"
    example = "[a, b]" if opener == "[" else "{key: value}"
    hint = f"close it with '{closer}' (on one line: {example}), or write the list as '- ' lines"
    return Explained(line_no + 1, column + 1, "yaml-syntax", message, hint)


def _missing_colon(error: _Error) -> Explained | None:
    if "simple key" not in error.context or error.context_at is None:
        return None
    line_no = error.context_at[0]
    return _glued(error, line_no) or Explained(
        line_no + 1,
        _indent(_line(error, line_no)) + 1,
        "yaml-syntax",
        "this line has no ':' after its first word, so YAML cannot read it as 'key: value'",
        "write it as 'key: value'; a text that runs on over several lines is indented "
        "further than its key",
    )


def _glued(error: _Error, line_no: int) -> Explained | None:
    """`title:Promote`: a key and its value with no space after the colon."""
    match = _GLUED.match(_line(error, line_no))
    if match is None:
        return None
    lead, key, value = match.groups()
    message = f"'{key}:{value}' needs a space after the colon to be read as a key and its value"
    hint = f"write it as '{key}: {value}'"
    return Explained(line_no + 1, len(lead) + len(key) + 1, "yaml-syntax", message, hint)


def _mapping_value(error: _Error) -> Explained | None:
    """`mapping values are not allowed`: a stray ': ', or a key indented under a text."""
    if not error.problem.startswith("mapping values") or error.problem_at is None:
        return None
    line_no, column = error.problem_at
    previous = _previous_content(error, line_no)
    if previous is not None and (glued := _glued(error, previous)) is not None:
        return glued
    line = _line(error, line_no)
    key = _KEY.match(line)
    if key is None or len(key.group(0)) - 1 != column:  # the ': ' is inside a value
        message = "': ' inside a value: YAML reads what follows as a new key"
        hint = 'a text containing ": " must be quoted, e.g. text: "Update: done"'
        return Explained(line_no + 1, column + 1, "yaml-syntax", message, hint)
    where = f"line {previous + 1}" if previous is not None else "the line above"
    message = (
        f"this line is indented more than {where}, so YAML reads '{key.group(2)}:' "
        "as more of the text above it"
    )
    return Explained(
        line_no + 1, _indent(line) + 1, "yaml-syntax", message, _line_up(error, line_no)
    )


def _misaligned(error: _Error) -> Explained | None:
    """A key indented less than its neighbours, or more, inside a list item or mapping."""
    indentation = "expected '-' indicator" in error.problem or "expected <block end>" in (
        error.problem
    )
    if not indentation or error.problem_at is None:
        return None
    line_no = error.problem_at[0]
    line = _line(error, line_no)
    message = "this line is not lined up with the lines above it"
    return Explained(
        line_no + 1, _indent(line) + 1, "yaml-syntax", message, _line_up(error, line_no)
    )


def _unexpected(error: _Error) -> Explained | None:
    """`did not find expected key`: a list item, a stray bracket or text after a quote."""
    if "expected key" not in error.problem or error.problem_at is None:
        return None
    line_no, column = error.problem_at
    line = _line(error, line_no)
    char = line[column : column + 1]
    if char == "-":
        message = "a list item ('- …') where YAML expects 'key: value'"
        hint = (
            "a list belongs under a key ending in ':' (such as 'actions:' or 'updates:') and "
            "is indented under it; check this line's indentation"
        )
        return Explained(line_no + 1, column + 1, "yaml-syntax", message, hint)
    if char in ("]", "}"):
        message = f"a '{char}' with no opening bracket before it"
        hint = "remove it, or add the opening bracket where the list starts"
        return Explained(line_no + 1, column + 1, "yaml-syntax", message, hint)
    before = line[:column].rstrip()
    if before.endswith(("'", '"')) and column > 0:
        quote = before[-1]
        message = f"the text goes on after its closing {quote}"
        hint = (
            "a ' inside '…' is written twice, as in 'it''s', and a \" inside \"…\" as \\\"; "
            "or leave the quotes off"
        )
        return Explained(line_no + 1, len(before), "yaml-syntax", message, hint)
    message = "this line is not lined up with the lines above it"
    return Explained(
        line_no + 1, _indent(line) + 1, "yaml-syntax", message, _line_up(error, line_no)
    )


def _line_up(error: _Error, line_no: int) -> str:
    """Name the key above to line up with: the keys of one entry start in one column."""
    previous = _previous_content(error, line_no)
    key = _KEY.match(_line(error, previous)) if previous is not None else None
    if previous is None or key is None:
        return "keys of one entry start in the same column; indent with spaces to match"
    return (
        f"keys of one entry start in the same column: line it up with '{key.group(2)}:' "
        f"on line {previous + 1} (or, if this line is part of that text, quote the text)"
    )


_EXPLAINERS: list[Callable[[_Error], Explained | None]] = [
    _tab,
    _unclosed_quote,
    _unknown_escape,
    _unclosed_bracket,
    _missing_colon,
    _mapping_value,
    _misaligned,
    _unexpected,
]
