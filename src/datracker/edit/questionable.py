"""Input that is questionable: refused when it cannot be right, warned about when it can.

The one rule (docs/commands.md, "Questionable input"):

- **Refused** (`InvalidValue`: exit 2, nothing written) when the value cannot be true of the
  plan: an update dated in the future, an empty text, a negative figure for a measure that
  counts things, an update to an action that is no longer being delivered (complete, removed
  or n/a), unless the same command reopens it with --status.
- **Warned** (written, with `warning:` on stderr) when it can be true but is often a slip: an
  update with a RAG and no text (the board reads the words beside the rating), a review dated
  more than three months ahead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from datracker.core.dates import parse_partial_date
from datracker.core.problems import InvalidValue
from datracker.plan.models import Action, Measure, Review

FAR_AHEAD = dt.timedelta(days=92)  # a quarter: reviews come round about every three months
SIGNED_UNITS = re.compile(r"%|percent|per ?cent|change|difference|net|score|rate|£|\$|€", re.I)


def check_action_takes_updates(
    action: Action, new_status: str | None, review: Review | None
) -> None:
    """An action no longer being delivered takes no new update, unless this reopens it (a
    correction of the update it already has for the review is still taken)."""
    reopened = new_status in ("active", "new")
    correcting = review is not None and action.update_for(review.id) is not None
    if review is not None and not action.is_open and not reopened and not correcting:
        raise InvalidValue(
            f"{action.id} is {action.status}, so it takes no more updates; nothing was written",
            f"if it is being delivered again, add --status active (datracker update {action.id} "
            "--status active …)",
        )


def update_warnings(
    action_id: str, updating: bool, raw_action: dict[str, Any], review: Review | None
) -> tuple[str, ...]:
    """A recorded update with no text: the board reads only a rating."""
    if not updating or review is None:
        return ()
    entry: dict[str, Any] = next(
        (u for u in raw_action.get("updates") or [] if str(u.get("review")) == review.id), {}
    )
    if entry.get("text"):
        return ()
    return (
        f"{action_id}'s update for {review.label} has no text, so the board will read only "
        f'its RAG; add it with: datracker update {action_id} --text "…"',
    )


def counts_things(measure: Measure) -> bool:
    """A measure of things counted (requests, schools, training days), which cannot be below
    zero; not a percentage, a change, money or a score, which can."""
    return bool(measure.unit) and not SIGNED_UNITS.search(measure.unit or "")


def check_figure(action_id: str, measure: Measure, value: float, of: float | None) -> None:
    if of is not None and of < 0:
        raise InvalidValue(f"--of: {of:g} is below zero", "give how many there were in all")
    if value < 0 and (counts_things(measure) or of is not None):
        what = f"{measure.unit} counted" if measure.unit else "a part of a whole"
        raise InvalidValue(
            f"{value:g} is below zero, but '{measure.description}' of {action_id} is {what}; "
            "nothing was written",
            "give the count (0 or more); a fall is the difference between two periods' figures",
        )


def review_date_warnings(review_id: str, date: str, today: dt.date) -> tuple[str, ...]:
    """A review dated far ahead: opening the next one early is normal, a year out is a typo."""
    span = parse_partial_date(date)
    if span is None or span.start <= today + FAR_AHEAD:
        return ()
    return (
        f"review {review_id} is dated {date}, more than three months from today; "
        "if that is a slip, correct the date in plan.yaml",
    )
