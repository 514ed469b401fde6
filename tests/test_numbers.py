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


# One formatter per kind of value: a target and a figure read the same in `show`, `diff` and
# the board paper (plan/figuretext.py).


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"value": 8, "text": "8 training days per year"}, "8 training days per year"),
        ({"value": 6, "by": "2024"}, "6 by 2024"),
        ({"value": 6.0}, "6"),
        ({"text": "All staff trained", "by": "2023-03"}, "All staff trained by 2023-03"),
        ({}, ""),
    ],
)
def test_a_target_is_written_one_way(fields: dict[str, object], shown: str) -> None:
    from datracker.plan.figuretext import target_text
    from datracker.plan.models import Target

    assert target_text(Target.model_validate(fields)) == shown


def test_show_diff_and_the_paper_write_the_shipped_target_alike(run) -> None:
    from conftest import SHIPPED_PLAN
    from datracker.plan.diff import compare
    from datracker.plan.models import Plan
    from datracker.plan.store import load_plan
    from datracker.render.view import measure_text

    plan = load_plan(SHIPPED_PLAN).require_plan()
    found = plan.find_action("E6")
    assert found is not None
    priority, action = found
    days, places = action.measures
    words = "8 training days per year"
    assert f"target: {words}\n" in run("show", "E6", "--plan", SHIPPED_PLAN).out
    assert measure_text(days) == f"Training days per year: target {words}"
    assert measure_text(places) == "Training places taken up: 51 of 80 (2021)"
    untargeted = [days.model_copy(update={"target": None}), places]
    edited = action.model_copy(update={"measures": untargeted})
    before, after = (
        Plan(plan.config, [priority.model_copy(update={"actions": [a]})]) for a in (action, edited)
    )
    changes = compare(before, after).changes
    assert [(c.label, c.before) for c in changes] == [
        ("target changed", f"Training days per year: target {words}")
    ]
