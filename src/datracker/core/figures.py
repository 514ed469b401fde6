"""Figures as people type them: a plain decimal number, and nothing guessed.

`3,5` is 3.5 to a European and 35 to a spreadsheet that drops thousands separators, and
`1,000.5` reverses the roles of the two marks somewhere else: a figure recorded for a board
must not depend on which was meant, so anything but a plain decimal number is refused with
the form that is accepted. Exponents (`1e3`) and other spellings are refused for the same
reason: a plan's figures are counts, percentages and amounts, written as people read them.
"""

from __future__ import annotations

import re

from datracker.core.problems import InvalidValue

_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
MAX_DIGITS = 15  # what a double (and so every JSON and YAML reader) holds exactly
FIGURE_HINT = (
    "write a plain decimal number: digits, a point for decimals, a minus sign if negative, "
    "and no thousands separators or spaces, e.g. 3.5, 1000 or -2"
)


def parse_figure(text: str, what: str = "the figure") -> int | float:
    """A whole number as an int, one with a decimal point as a float; else InvalidValue."""
    value = text.strip()
    if "," in value:
        raise InvalidValue(
            f"{what} '{text}' is ambiguous: a comma can be a decimal point or separate "
            "thousands, so datracker does not guess",
            FIGURE_HINT,
        )
    if not _PLAIN_DECIMAL.fullmatch(value):
        has_digits = re.search("[0-9]", value)
        wrong = "is not written as a plain decimal number" if has_digits else "is not a number"
        raise InvalidValue(f"{what} '{text}' {wrong}", FIGURE_HINT)
    digits = value.lstrip("-").replace(".", "").lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise InvalidValue(
            f"{what} '{text}' has more than {MAX_DIGITS} digits, more than can be kept exactly",
            "round it to fewer digits",
        )
    return float(value) if "." in value else int(value)
