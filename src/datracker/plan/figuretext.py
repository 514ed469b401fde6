"""A measure's figures in words: the one way `show`, `diff` and the board paper write a figure
and a target, so the three cannot drift apart (each lays the words out its own way).

Numbers go through `core.numbers.format_number`, the one number formatter.
"""

from __future__ import annotations

from datracker.core.numbers import format_number
from datracker.plan.models import DataPoint, Target


def figure_text(value: int | float, of: int | float | None = None) -> str:
    """ "42", or "42 of 56" for a figure out of a total."""
    total = f" of {format_number(of)}" if of is not None else ""
    return f"{format_number(value)}{total}"


def dated_figure(point: DataPoint) -> str:
    """ "42 of 56 (2022-01)"; a figure the source did not date has no brackets."""
    when = f" ({point.period})" if point.period is not None else ""
    return f"{figure_text(point.value, point.of)}{when}"


def target_text(target: Target) -> str:
    """The target in the plan's words, else its figure, and "by" its date when it has one:
    "8 training days per year", "6 by 2024". Empty for a target that says nothing."""
    wanted = target.text or (format_number(target.value) if target.value is not None else "")
    by = f" by {target.by}" if target.by else ""
    return f"{wanted}{by}".strip()
