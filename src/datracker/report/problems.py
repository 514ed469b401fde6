"""How `Problem`s read: `file:line:col: severity: message` for people, JSON, CI annotations."""

from __future__ import annotations

import os
import posixpath
from collections import Counter
from typing import Any

from datracker.core.problems import Problem
from datracker.core.text import visible
from datracker.report.table import json_text

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "notice": "\033[36m"}
_RESET = "\033[0m"


def use_colour(stream_is_tty: bool) -> bool:
    return stream_is_tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def problems_text(problems: list[Problem], prefix: str, colour: bool = False) -> str:
    lines = []
    for p in problems:
        severity = f"{_COLOURS[p.severity]}{p.severity}{_RESET}" if colour else p.severity
        where = visible(join_path(prefix, p.path))
        lines.append(f"{where}:{p.line}:{p.column}: {severity}: {visible(p.message)}")
        if p.hint:
            lines.append(f"    hint: {visible(p.hint)}")
    return "\n".join(lines)


def problems_summary(problems: list[Problem], files: int, actions: int) -> str:
    tally = Counter(p.severity for p in problems)
    counted = ", ".join(plural(tally[s], s) for s in ("error", "warning", "notice") if tally[s])
    scope = f"{plural(files, 'file')}, {plural(actions, 'action')}"
    if not tally["error"]:
        return f"plan is valid ({scope})" + (f": {counted}" if counted else "")
    return f"plan has problems ({scope}): {counted}"


def problems_json(problems: list[Problem], prefix: str, valid: bool) -> str:
    return json_text(problems_payload(problems, prefix, valid))


def problems_payload(problems: list[Problem], prefix: str, valid: bool) -> dict[str, Any]:
    """`validate --format json`'s object: also part of `import --format json`'s."""
    tally = Counter(p.severity for p in problems)
    return {
        "valid": valid,
        "counts": {s: tally[s] for s in ("error", "warning", "notice")},
        "problems": [{**p.as_dict(), "path": join_path(prefix, p.path)} for p in problems],
    }


def problems_github(problems: list[Problem], prefix: str) -> str:
    """GitHub workflow commands, so problems appear on the changed lines of a pull request."""
    kinds = {"error": "error", "warning": "warning", "notice": "notice"}
    lines = []
    for p in problems:
        message = p.message + (f" (hint: {p.hint})" if p.hint else "")
        where = f"file={gh_escape(join_path(prefix, p.path), True)},line={p.line},col={p.column}"
        props = f"{where},title={gh_escape(p.code, True)}"
        lines.append(f"::{kinds[p.severity]} {props}::{gh_escape(message, False)}")
    return "\n".join(lines)


def gh_escape(text: str, is_property: bool) -> str:
    """A workflow command's text: its own escapes, and no control character raw (a CI log is
    read on a terminal too)."""
    text = visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def join_path(prefix: str, path: str) -> str:
    """A plan file as the user names it; `plan/../templates/x` as `templates/x`."""
    joined = path if prefix in ("", ".") else f"{prefix.rstrip('/')}/{path}"
    return posixpath.normpath(joined) if "../" in path else joined
