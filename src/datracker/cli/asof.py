"""`--as-of DATE`: the day a command judges due dates against, for commands that judge them.

By default a plan is judged as of its own review (see plan/validation.py), so the answer does
not change with the machine's clock; this option names another day.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from datracker.core.problems import InvalidValue

AS_OF_HELP = (
    "Judge due dates as of this day: YYYY-MM-DD, or YYYY-MM / YYYY for the last day of that "
    "month or year (default: the date of the plan's open review, else its latest)."
)

AsOf = Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP, show_default=False)]


def parse_as_of(value: str | None) -> dt.date | None:
    """The day `--as-of` names (the last day of a month or year); None when not given."""
    from datracker.core.dates import DATE_HINT, parse_partial_date

    if value is None:
        return None
    try:
        span = parse_partial_date(value.strip())
    except ValueError as error:
        raise InvalidValue(f"--as-of: {error}", DATE_HINT) from None
    if span is None:
        raise InvalidValue(f"--as-of: '{value}' is not a date", DATE_HINT)
    return span.end
