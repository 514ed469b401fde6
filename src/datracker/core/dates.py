"""Dates as delivery plans write them: a day, a month, a year, or words such as "TBC".

Plans rarely know the day an update was given ("Update January 2022"), so a date may be
partial. Periods of measure data add quarters and financial years ("2020/21", "2021/22-Q2").
Everything is kept as the text the user wrote; these helpers only check it and give sort keys.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})(?:-Q([1-4]))?$")

DATE_HINT = "write a date as YYYY-MM-DD, a month as YYYY-MM, or a year as YYYY"
PERIOD_HINT = (
    "write a period as YYYY-MM-DD, YYYY-MM, YYYY, a quarter YYYY-Qn, "
    "a financial year YYYY/YY or a financial quarter YYYY/YY-Qn"
)


@dataclass(frozen=True, order=True)
class Span:
    """The first and last day a partial date or period covers."""

    start: dt.date
    end: dt.date


# A plan repeats the same few dates thousands of times. Measured (issue 19, callgrind, 1,000
# actions, PYTHONHASHSEED=0): without this cache `validate` does 9.2% more instructions
# (2,538 million against 2,324) and `status --format json` 6.1% more; parse_period's own
# cache saved 0.6% and was removed.
@lru_cache(maxsize=4096)
def parse_partial_date(text: str) -> Span | None:
    """The span of "2022", "2022-01" or "2022-01-15"; None when the text is no date at all.

    Raises ValueError for text shaped like a date but impossible (month 13, 30 February).
    """
    match = _DATE.match(text.strip())
    if not match:
        return None
    year = int(match[1])
    if match[2] is None:
        return Span(dt.date(year, 1, 1), dt.date(year, 12, 31))
    month = int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' has month {month}; months run from 01 to 12")
    last_day = calendar.monthrange(year, month)[1]
    if match[3] is None:
        return Span(dt.date(year, month, 1), dt.date(year, month, last_day))
    day = int(match[3])
    if not 1 <= day <= last_day:
        raise ValueError(f"'{text}' has day {day}, but that month has {last_day} days")
    day_date = dt.date(year, month, day)
    return Span(day_date, day_date)


def parse_period(text: str) -> Span | None:
    """The span of a measure period; None when the text is in no known form."""
    text = text.strip()
    quarter = _QUARTER.match(text)
    if quarter:
        year, q = int(quarter[1]), int(quarter[2])
        return _quarter_span(year, 3 * (q - 1) + 1)
    financial = _FINANCIAL_YEAR.match(text)
    if financial:
        return _financial_span(text, financial)
    return parse_partial_date(text)


def _financial_span(text: str, match: re.Match[str]) -> Span:
    """UK financial years run April to March; "2020/21-Q1" is April–June 2020."""
    start_year, end_short = int(match[1]), int(match[2])
    if (start_year + 1) % 100 != end_short:
        raise ValueError(
            f"'{text}' is not a financial year: {start_year} is followed by {end_short:02d}"
        )
    if match[3] is None:
        return Span(dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31))
    first_month = 4 + 3 * (int(match[3]) - 1)
    year = start_year + (first_month - 1) // 12
    return _quarter_span(year, (first_month - 1) % 12 + 1)


def _quarter_span(year: int, first_month: int) -> Span:
    last_month = first_month + 2
    last_day = calendar.monthrange(year, last_month)[1]
    return Span(dt.date(year, first_month, 1), dt.date(year, last_month, last_day))


def check_partial_date(text: str) -> str:
    """Accept a partial date, or raise ValueError saying what is wrong with it."""
    if parse_partial_date(text) is None:
        raise ValueError(f"'{text}' is not a date; {DATE_HINT}")
    return text


def check_period(text: str) -> str:
    if parse_period(text) is None:
        raise ValueError(f"'{text}' is not a period; {PERIOD_HINT}")
    return text


def due_span(text: str) -> Span | None:
    """A due date ("by when") may be free text such as "TBC": only dates get a span."""
    try:
        return parse_partial_date(text)
    except ValueError:
        return None
