"""`datracker measure`: a data point added or replaced, the measure chosen by name or number."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_plan

PRIORITY = """\
id: A
title: T
actions:
  - id: A5
    measures:
      - description: Right to Ask (RTA) applications
        unit: requests
        data:
          - period: 2021-01
            value: 8
          - period: 2021-03
            value: 4
      - description: Right to Know (RTK) disclosures
    owners:
      - amy-ford
    updates:
      - review: r2
        rag: AMBER
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plan", a=PRIORITY)


def text(plan: Path) -> str:
    return (plan / "priorities" / "a.yaml").read_text()


def test_adds_a_point_in_period_order(run, plan: Path) -> None:
    result = run("measure", "a5", "right to ask", "--period", "2021-02", "--value", "2",
                 "--of", "10", "--note", "half-month", "--plan", plan)  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.startswith(
        "A5: recorded 2021-02 = 2 of 10 requests for 'Right to Ask (RTA) applications' in "
    )
    new = "          - period: 2021-02\n            value: 2\n            of: 10\n"
    new += "            note: half-month\n"
    anchor = "          - period: 2021-03\n"
    assert text(plan) == PRIORITY.replace(anchor, new + anchor)


def test_replaces_the_same_period_by_number(run, plan: Path) -> None:
    result = run("measure", "A5", "1", "--period", "2021-03", "--value", "4.5", "--plan", plan)
    assert result.code == 0, result.err
    assert "replaced the data point" in result.out
    assert text(plan) == PRIORITY.replace("value: 4\n", "value: 4.5\n")


def test_first_point_of_a_measure(run, plan: Path) -> None:
    assert run("measure", "A5", "right to know", "--period", "2021/22-Q1", "--value", "3",
               "--plan", plan).code == 0  # fmt: skip
    anchor = "      - description: Right to Know (RTK) disclosures\n"
    new = "        data:\n          - period: 2021/22-Q1\n            value: 3\n"
    assert text(plan) == PRIORITY.replace(anchor, anchor + new)


def test_dry_run(run, plan: Path) -> None:
    result = run("measure", "A5", "2", "--period", "2021-10", "--value", "1", "--dry-run",
                 "--plan", plan)  # fmt: skip
    assert result.code == 0
    assert "+          - period: 2021-10\n" in result.out
    assert text(plan) == PRIORITY


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["A5", "right to", "--period", "2021-10", "--value", "1"], 2, "matches more than one"),
        (["A5", "budget", "--period", "2021-10", "--value", "1"], 2, "1. Right to Ask"),
        (["A5", "3", "--period", "2021-10", "--value", "1"], 2, "no measure 3"),
        (["A5", "1", "--period", "Oct 2021", "--value", "1"], 2, "is not a period"),
        (["A5", "1", "--period", "2021-13", "--value", "1"], 2, "month 13"),
        (["A5", "1", "--period", "2021-10", "--value", "lots"], 2, "is not a number"),
        (["A6", "1", "--period", "2021-10", "--value", "1"], 2, "did you mean A5?"),
    ],
)
def test_bad_input(run, plan: Path, args: list[str], code: int, message: str) -> None:
    result = run("measure", *args, "--plan", plan)
    assert result.code == code, result.err
    assert message in result.err
    assert text(plan) == PRIORITY


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("3,5", "is ambiguous"),  # a European 3.5, or 35 with the comma dropped
        ("1,000.5", "is ambiguous"),
        ("1e3", "is not written as a plain decimal number"),
        (".5", "is not written as a plain decimal number"),
        ("12 345", "is not written as a plain decimal number"),
        ("0x10", "is not written as a plain decimal number"),
        ("nan", "is not a number"),
        ("1234567890123456", "has more than 15 digits"),
    ],
)
def test_a_figure_is_never_guessed(run, plan: Path, typed: str, why: str) -> None:
    result = run("measure", "A5", "1", "--period", "2021-10", "--value", typed, "--plan", plan)
    assert result.code == 2, result.err
    assert f"--value '{typed}' {why}" in result.err
    if "digits" not in why:
        assert "write a plain decimal number" in result.err and "e.g. 3.5" in result.err
    assert text(plan) == PRIORITY


# (a negative figure is refused for this measure, which counts requests: test_questionable.py)
@pytest.mark.parametrize(("typed", "written"), [("4.50", "4.5"), ("0.25", "0.25"), ("007", "7")])
def test_a_plain_decimal_figure_is_written_as_its_number(
    run, plan: Path, typed: str, written: str
) -> None:
    result = run("measure", "A5", "1", "--period", "2021-03", "--value", typed, "--plan", plan)
    assert result.code == 0, result.err
    assert text(plan) == PRIORITY.replace("value: 4\n", f"value: {written}\n")


def test_of_is_checked_the_same_way(run, plan: Path) -> None:
    result = run("measure", "A5", "1", "--period", "2021-10", "--value", "3", "--of", "1,5",
                 "--plan", plan)  # fmt: skip
    assert result.code == 2
    assert "--of '1,5' is ambiguous" in result.err


@pytest.mark.parametrize(("typed", "meant"), [("-2", -2), ("-0.5", -0.5), ("0", 0), ("12", 12)])
def test_a_signed_plain_decimal_is_read_as_typed(typed: str, meant: float) -> None:
    from datracker.core.figures import parse_figure

    assert parse_figure(typed) == meant
    assert type(parse_figure(typed)) is type(meant)
