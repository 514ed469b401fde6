"""Checking option values as they are parsed, in datracker's words, with the valid choices.

Every option is declared as text and checked here rather than by Typer's own conversion, whose
wording ("Invalid value for '--format' / '-f': Value error, …") and codes change between
releases. A wrong value raises `InvalidValue`, which `outcomes` prints as `error: …` /
`hint: …` and exits 2, the same as a wrong value found later by the core (`--rag purple`).
"""

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import typer

from datracker.core.problems import InvalidValue

if TYPE_CHECKING:
    from datracker.core.dates import Span

Check = Callable[[typer.CallbackParam, str | None], str | None]


def option_name(param: typer.CallbackParam) -> str:
    """How the user typed the option (`--format`), or an argument's metavar (`ID`)."""
    long_names = [name for name in param.opts if name.startswith("--")]
    if long_names:
        return long_names[0]
    return (param.metavar or param.name or "value").strip("[]").upper()


def suggest(word: str, choices: Sequence[str]) -> str:
    """`did you mean X?` for a near miss, else the list to choose from."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]}?" if close else f"choose one of: {', '.join(choices)}"


def one_of(
    choices: Sequence[str],
    aliases: Mapping[str, str] | None = None,
    hints: Mapping[str, str] | None = None,
) -> Check:
    """A callback accepting one of `choices` in any case (or an old spelling in `aliases`);
    a wrong word with an entry in `hints` gets that hint, which says why it is not a choice."""

    def check(param: typer.CallbackParam, value: str | None) -> str | None:
        if value is None:
            return None
        word = " ".join(value.split()).lower()
        word = (aliases or {}).get(word, word)
        if word in choices:
            return word
        raise InvalidValue(
            f"{option_name(param)}: '{value}' is not one of {', '.join(choices)}",
            (hints or {}).get(word) or suggest(word, choices),
        )

    return check


def day(param: typer.CallbackParam, value: str | None) -> str | None:
    """A calendar day as YYYY-MM-DD that exists (2022-02-30 does not)."""
    import datetime as dt

    if value is None:
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            dt.date.fromisoformat(text)
            return text
    except ValueError:
        raise InvalidValue(
            f"{option_name(param)}: '{value}' is not a real date", "write it as YYYY-MM-DD"
        ) from None
    raise InvalidValue(f"{option_name(param)}: '{value}' is not a date", "write it as YYYY-MM-DD")


def partial_date(param: typer.CallbackParam, value: str | None) -> str | None:
    """A day or a month: YYYY-MM-DD or YYYY-MM."""
    from datracker.core.dates import parse_partial_date

    if value is None:
        return None
    _spanned(param, value, parse_partial_date, "write it as YYYY-MM-DD or YYYY-MM")
    return value.strip()


def last_day_of(param: typer.CallbackParam, value: str | None) -> str | None:
    """A day, month or year (YYYY-MM-DD, YYYY-MM, YYYY), given back as the last day it covers
    (YYYY-MM-DD): `--as-of 2022-01` judges as of 31 January 2022."""
    from datracker.core.dates import DATE_HINT, parse_partial_date

    if value is None:
        return None
    return _spanned(param, value, parse_partial_date, DATE_HINT).end.isoformat()


def period(param: typer.CallbackParam, value: str | None) -> str | None:
    """A measure's period in any form the plan accepts (2021-10, 2021-Q3, 2021/22)."""
    from datracker.core.dates import PERIOD_HINT, parse_period

    if value is None:
        return None
    _spanned(param, value, parse_period, PERIOD_HINT, "a period")
    return value.strip()


def _spanned(
    param: typer.CallbackParam,
    value: str,
    parse: "Callable[[str], Span | None]",
    hint: str,
    what: str = "a date",
) -> "Span":
    """The span `parse` reads in `value`; InvalidValue naming the option when it reads none,
    or says why the text cannot be one (month 13)."""
    try:
        known = parse(value.strip())
    except ValueError as error:
        raise InvalidValue(f"{option_name(param)}: {error}", hint) from None
    if known is None:
        raise InvalidValue(f"{option_name(param)}: '{value}' is not {what}", hint)
    return known


def number(param: typer.CallbackParam, value: str | None) -> str | None:
    """A figure as typed: a plain decimal number (core.figures says why nothing else is
    guessed); kept as text until it is used, so the command reads it with `parse_number`."""
    if value is None:
        return None
    parse_number(value, option_name(param))
    return value


def author(param: typer.CallbackParam, value: str | None) -> str | None:
    """A commit author: `Name <email>`, or an owner id looked up in the owners directory later.
    Nothing else is passed on: git's own `--author` would match any earlier author that fits."""
    from datracker.vcs.gitcommit import AUTHOR_HINT, author_form_ok

    if value is None:
        return None
    if not author_form_ok(value):
        raise InvalidValue(f"{option_name(param)}: '{value}' is not an author", AUTHOR_HINT)
    return value.strip()


def parse_number(value: str, option: str = "the figure") -> int | float:
    """The figure `value` writes: an int when it is whole, else a float; InvalidValue (exit 2)
    for anything but a plain decimal number."""
    from datracker.core.figures import parse_figure

    return parse_figure(value, option)


def column_map(param: typer.CallbackParam, value: str | None) -> str | None:
    """`import --columns "Header=field,…"`, checked by the importer's own rule as it is parsed."""
    if value is not None:
        from datracker.importing.columns import parse_column_option

        parse_column_option(value)
    return value


def scale_words(param: typer.CallbackParam, value: str | None) -> str | None:
    """`import --scale "Off Track,At Risk,…"`, checked by the importer's own rule."""
    if value is not None:
        from datracker.importing.scales import scale_from_option

        scale_from_option(value)
    return value
