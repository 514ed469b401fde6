"""The one way a figure is written for people: whole numbers without ".0", others as typed.

Figures reach every output (terminal, Markdown, Word, charts, the site, diffs), and four copies
of this rule had grown in four modules; one function keeps them from drifting apart.
"""

from __future__ import annotations


def format_number(value: int | float) -> str:
    """42 -> "42", 42.0 -> "42", 3.5 -> "3.5". Integers are written exactly, however long."""
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"
