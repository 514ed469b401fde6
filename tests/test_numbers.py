"""The one number formatter: what every output prints for a figure."""

from __future__ import annotations

import pytest

from datracker.core.numbers import format_number


@pytest.mark.parametrize(
    ("value", "shown"),
    [(42, "42"), (42.0, "42"), (3.5, "3.5"), (0.25, "0.25"), (-4, "-4"), (1e-7, "1e-07")],
)
def test_figures_are_written_as_people_write_them(value: float, shown: str) -> None:
    assert format_number(value) == shown


def test_a_whole_number_too_long_for_a_float_is_written_exactly() -> None:
    huge = int("9" * 401)
    assert format_number(huge) == "9" * 401
