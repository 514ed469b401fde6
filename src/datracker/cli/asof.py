"""`--as-of DATE`: the day a command judges due dates against, for commands that judge them.

By default a plan is judged as of its own review (plan/chase.py, `judged_as_of`), so the
answer does not change with the machine's clock; this option names another day. Its value is
checked as it is parsed (options.last_day_of: exit 2 for a date that is not one).
"""

import datetime as dt
from typing import Annotated

import typer

from datracker.cli.options import last_day_of

AS_OF_HELP = (
    "Judge due dates as of this day: YYYY-MM-DD, or YYYY-MM / YYYY for the last day of that "
    "month or year (default: the date of the plan's open review, else its latest)."
)

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help=AS_OF_HELP, show_default=False, callback=last_day_of
    ),
]


def as_of_day(value: str | None) -> dt.date | None:
    """The day `--as-of` names, as its callback left it (YYYY-MM-DD); None when not given."""
    return None if value is None else dt.date.fromisoformat(value)
