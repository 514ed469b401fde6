"""The single-cell readers behind `datracker import`, on the seed's exact wordings."""

from __future__ import annotations

import pytest

from datracker.importing.cells import (
    Rag,
    parse_due,
    parse_id,
    parse_one_line,
    parse_rag,
    read_header,
    review_from_label,
)
from datracker.importing.owners import OwnerName, split_owner_cell
from datracker.plan.models import default_scale

SCALE = [level.id for level in default_scale()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AMBER/ RED", Rag("AMBER/RED", None, changed=True)),
        ("AMBER - stalled by Covid", Rag("AMBER", "stalled by Covid", changed=True)),
        ("POLICE ACTION AMBER", Rag("AMBER", "police action", changed=True)),
        ("Green", Rag("GREEN", None, changed=True)),
        ("AMBER", Rag("AMBER", None, changed=False)),
        ("Amber / Green", Rag("AMBER/GREEN", None, changed=True)),
        ("COMPLETE", Rag(None, status="complete", changed=True)),
        ("PINK", Rag(None, "PINK", changed=True)),
        ("", Rag(None)),
    ],
)
def test_parse_rag(text: str, expected: Rag) -> None:
    assert parse_rag(text, SCALE) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A7 COMPLETE", ("A7", "COMPLETE", None)),
        ("EI - COMPLETE", ("E1", "COMPLETE", "EI")),
        ("G12", ("G12", "", None)),
        ("E4 - N/A (Marac IT)", ("E4", "N/A (Marac IT)", None)),
    ],
)
def test_parse_id(text: str, expected: tuple[str, str, str | None]) -> None:
    parsed = parse_id(text)
    assert parsed is not None
    assert (parsed.id, parsed.rest, parsed.typo) == expected


@pytest.mark.parametrize("text", ["Objective", "Priority A", "", "Update January 2022"])
def test_not_an_id(text: str) -> None:
    assert parse_id(text) is None


def test_parse_one_line() -> None:
    a6 = parse_one_line("No progress after 18 months - removed - RAG RED")
    assert (a6.status, a6.rag_text, a6.notes) == ("removed", "RED", ["No progress after 18 months"])
    b2 = parse_one_line("REMOVED - RAG RED")
    assert (b2.status, b2.rag_text, b2.notes) == ("removed", "RED", [])
    e4 = parse_one_line("N/A (Marac IT)")
    assert (e4.status, e4.rag_text, e4.notes) == ("n/a", None, ["Marac IT"])


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("", "id"),
        ("Suggested Measures", "measures"),
        ("BY WHOM", "owners"),
        ("By When / Update", "due_or_update"),
        ("Updated January 2022", "update"),
        ("R.A.G.", "rag"),
        ("RAG", "rag"),
        ("Status", "rag"),
        ("Lead", "owners"),
        ("Comments", "update"),
        ("Sponsor (SMG)", None),
    ],
)
def test_read_header(header: str, field: str | None) -> None:
    assert read_header(header).field == field


def test_review_from_label_and_due() -> None:
    assert review_from_label("Update January 2022") == ("2022-01", "2022-01")
    assert review_from_label("Updated Sept 2021") == ("2021-09", "2021-09")
    assert review_from_label("By When/Update") is None
    assert parse_due("April 2022\nApril 2022\nJan 2022") == ("2022-04", True)
    assert parse_due("31/03/2023") == ("2023-03-31", True)
    assert parse_due("TBC") == ("TBC", False)


def test_split_owner_cell() -> None:
    assert split_owner_cell(
        "Alison Lawrence (Portsmouth Safeguarding Adults Board - PSAB) and Bruce Marr"
    ) == [
        OwnerName("Alison Lawrence", organisation="Portsmouth Safeguarding Adults Board (PSAB)"),
        OwnerName("Bruce Marr"),
    ]
    assert split_owner_cell("Dee Hutchinson (Police Lead)") == [
        OwnerName("Dee Hutchinson", role="Police Lead")
    ]
    # "and" always splits, even inside a body's name; the report lists the split to check
    assert split_owner_cell("Stop Domestic Abuse (SDA)\nSayma Begum, Health and Care") == [
        OwnerName("Stop Domestic Abuse", alias="SDA"),
        OwnerName("Sayma Begum"),
        OwnerName("Health"),
        OwnerName("Care"),
    ]
    assert split_owner_cell("Chair, Domestic Abuse Steering Group; Bruce Marr") == [
        OwnerName("Chair, Domestic Abuse Steering Group"),
        OwnerName("Bruce Marr"),
    ]


def test_a_slash_makes_commas_part_of_names() -> None:
    names = [o.name for o in split_owner_cell("Chair, Domestic Abuse Steering Group / Bruce Marr")]
    assert names == ["Chair, Domestic Abuse Steering Group", "Bruce Marr"]
    assert [o.name for o in split_owner_cell("Social Housing service, PCC Housing")] == [
        "Social Housing service",
        "PCC Housing",
    ]


def test_a_plans_own_rating_words_make_one_level_each_worst_first() -> None:
    from datracker.importing.scales import infer_scale

    choice = infer_scale(["On track", "on-track", "Delivered", "Off Track", "Not rated", "Red"])
    assert [level.id for level in choice.scale.levels] == [
        "OFF-TRACK",
        "RED",
        "ON-TRACK",
        "DELIVERED",
    ]
    assert choice.scale.read("ON TRACK - minor slippage").qualifier == "minor slippage"
    assert choice.scale.read("Delivered").status == "complete"
    assert infer_scale(["Green", "amber/ red", "COMPLETE", "NOT RATED"]).message is None
