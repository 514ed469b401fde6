"""Problems are values with a location, so the core never prints and the CLI chooses the form.

Every check in datracker returns `Problem`s rather than raising, which lets `validate` report
every mistake in one run. `DatrackerError` is for the few cases where a command cannot go on
(no plan directory, an unknown action id); it carries the same fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from datracker.core.text import visible

Severity = Literal["error", "warning", "notice"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "notice": 2}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.line, self.column, SEVERITY_ORDER[self.severity], self.code)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class DatrackerError(Exception):
    """A user-facing failure: the CLI prints it without a traceback and exits 1."""

    def __init__(
        self, message: str, hint: str | None = None, problems: list[Problem] | None = None
    ):
        # messages are for people at a terminal: a control character quoted from a file or an
        # argument is shown as its escape, never sent raw (see core.text.visible)
        message = visible(message)
        super().__init__(message)
        self.message = message
        self.hint = visible(hint) if hint is not None else None
        self.problems = problems or []


class InvalidValue(DatrackerError):
    """An option or argument value that cannot be right (a date that does not exist, a RAG word
    not on the scale): the CLI exits 2, as for any other usage mistake, rather than 1."""


def has_errors(problems: list[Problem], strict: bool = False) -> bool:
    failing = ("error", "warning") if strict else ("error",)
    return any(p.severity in failing for p in problems)
