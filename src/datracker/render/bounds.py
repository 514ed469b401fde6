"""Budgets for a template's run, so a template from a plan repository cannot hang `render`.

A plan repository's `templates/` folder is written by whoever can open a pull request. Jinja's
immutable sandbox already keeps a template from reaching Python or changing the view; these
budgets keep it from spending the machine:

- **ranges**: one `range()` may hold at most MAX_RANGE numbers, and all the ranges of one
  render together at most MAX_RANGE_TOTAL, so nested `range(99999)` loops are refused at once
  instead of running 10 billion times;
- **repetition**: `'x' * n`, `[…] * n` and `a ** b` are checked before they are computed;
- **output**: at most MAX_OUTPUT_CHARS characters of Markdown;
- **time**: at most DATRACKER_TEMPLATE_SECONDS (default 60) of wall-clock time, by a timer
  signal when rendering on the main thread (the command line always does), and by a check as
  each piece of output is produced everywhere else.

Recursion (a template including itself) is bounded by Python's own limit; templating.py turns
the RecursionError into a message with the template's name and line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

from jinja2 import Template
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_RANGE = 100_000
MAX_RANGE_TOTAL = 1_000_000
MAX_REPEAT_CHARS = 1_000_000
MAX_EXPONENT = 1_000
MAX_OUTPUT_CHARS = 100 * 2**20
DEFAULT_SECONDS = 60.0
BUDGET_HINT = (
    "a refresh-document template only needs to loop over the document's own lists (doc.…); "
    "simplify the template"
)


class OverBudget(Exception):
    """A template went over one of its budgets; the message says which and by how much."""

    hint = BUDGET_HINT


def time_budget() -> float:
    try:
        seconds = float(os.environ.get("DATRACKER_TEMPLATE_SECONDS", DEFAULT_SECONDS))
    except ValueError:
        return DEFAULT_SECONDS
    return seconds if seconds > 0 else DEFAULT_SECONDS


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the budgets above."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = self.bounded_range
        self.numbers_used = 0
        self.deadline = float("inf")

    def bounded_range(self, *args: int) -> range:
        numbers = range(*args)
        try:
            count = len(numbers)
        except OverflowError:  # longer than the machine can count
            count = MAX_RANGE_TOTAL + 1
        if count > MAX_RANGE:
            raise OverBudget(f"range() of {count:,} numbers; a template may use {MAX_RANGE:,}")
        self.numbers_used += count
        if self.numbers_used > MAX_RANGE_TOTAL:
            raise OverBudget(
                f"the template's loops over range() reach {self.numbers_used:,} numbers in all; "
                f"a template may use {MAX_RANGE_TOTAL:,}"
            )
        return numbers

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _is_number(right) and abs(right) > MAX_EXPONENT:
            raise OverBudget(f"a power of {right}; a template may raise to at most {MAX_EXPONENT}")
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        return super().call_binop(context, operator, left, right)

    def start_budget(self) -> None:
        """Start one budget of time and range() numbers for everything rendered until the
        next start: a whole document, or a whole site of many pages."""
        self.numbers_used = 0
        self.deadline = time.monotonic() + time_budget()

    def render_bounded(self, template: Template, **values: Any) -> str:
        """Render, counting the output and watching the clock as each piece is produced."""
        pieces: list[str] = []
        size = 0
        for count, piece in enumerate(template.generate(**values)):
            pieces.append(piece)
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise OverBudget(
                    f"the template's output passes {MAX_OUTPUT_CHARS:,} characters, "
                    "far more than any refresh document"
                )
            if not count % 1024 and time.monotonic() > self.deadline:
                raise _timed_out()
        return "".join(pieces)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_repeat(sequence: Any, times: Any) -> None:
    if isinstance(sequence, str | list | tuple) and isinstance(times, int):
        if len(sequence) * times > MAX_REPEAT_CHARS:
            raise OverBudget(
                f"repeating a text or list {times:,} times; a template may build at most "
                f"{MAX_REPEAT_CHARS:,} items that way"
            )


def _timed_out() -> OverBudget:
    return OverBudget(f"the template ran for more than {time_budget():g} seconds and was stopped")


@contextlib.contextmanager
def time_limit() -> Iterator[None]:
    """Stop the template after the time budget, wherever it is (main thread only: Python
    delivers signals there). A loop that produces no output is stopped this way."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        raise _timed_out()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, time_budget())
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
