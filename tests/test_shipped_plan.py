"""The shipped plan is Portsmouth's delivery plan of the February 2022 refresh: check its facts."""

from __future__ import annotations

from conftest import SHIPPED_PLAN
from datracker.plan.models import Plan
from datracker.plan.status import plan_status
from datracker.plan.store import load_plan


def shipped() -> Plan:
    loaded = load_plan(SHIPPED_PLAN)
    assert loaded.problems == []
    return loaded.require_plan()


def test_priorities_and_action_ids_as_the_document_numbers_them() -> None:
    plan = shipped()
    ids = {p.id: [a.id for a in p.actions] for p in plan.priorities}
    assert ids == {
        "A": ["A1", "A2", "A3", "A4", "A5", "A6", "A7"],
        "B": ["B1", "B2", "B3", "B4", "B5", "B6", "B7"],
        "C": ["C1", "C2", "C3", "C4", "C5"],
        "D": ["D1", "D3", "D4", "D5", "D6"],  # the document has no D2
        "E": ["E1", "E2", "E3", "E4", "E5", "E6"],
        "F": [f"G{n}" for n in range(1, 9)],  # priority F's actions are numbered G1–G8
    }
    assert [p.id for p in plan.priorities if p.focus] == ["C", "D", "F"]


def test_one_line_rows() -> None:
    plan = shipped()
    status = {a.id: a.status for _, a in plan.actions()}
    assert [i for i, s in status.items() if s == "complete"] == [
        "A2",
        "A7",
        "B3",
        "B4",
        "B5",
        "B6",
        "C1",
        "E1",
        "E5",
    ]
    assert [i for i, s in status.items() if s == "removed"] == ["A6", "B2"]
    assert [i for i, s in status.items() if s == "n/a"] == ["E4"]
    assert plan.find_action("B2")[1].rag == "RED"  # type: ignore[index]


def test_rag_quirks() -> None:
    plan = shipped()
    action = {a.id: a for _, a in plan.actions()}
    assert (action["A3"].rag, action["A3"].qualifier) == ("AMBER/RED", None)
    assert (action["A4"].rag, action["A4"].qualifier) == ("AMBER", "stalled by Covid")
    assert (action["C2"].rag, action["C2"].qualifier) == ("AMBER", "police action")
    assert action["B7"].status == action["C5"].status == "new"


def test_measures_carry_the_documents_figures() -> None:
    plan = shipped()
    action = {a.id: a for _, a in plan.actions()}
    rta, rtk = action["A5"].measures[1], action["A5"].measures[2]
    assert [p.period for p in rta.data] == [f"2021-{m:02d}" for m in range(1, 10)]
    assert sum(p.value for p in rta.data) == 28  # "RTA: Portsmouth: 28"
    assert sum(p.value for p in rtk.data) == 23  # "RTK: Portsmouth 23"
    schools = action["A1"].measures[1].data[0]
    assert (schools.value, schools.of) == (42, 56)
    repeat = action["C2"].measures[1].data
    assert [(p.period, p.value) for p in repeat] == [("2020/21-Q2", 263), ("2021/22-Q2", 326)]
    places = action["E6"].measures[1].data[0]
    assert (places.value, places.of) == (51, 80)
    maternity = action["A3"].measures[0]
    assert (maternity.baseline.value, maternity.data[0].value) == (77, 190)  # type: ignore[union-attr]


def test_owners_joined_by_slash_are_split() -> None:
    plan = shipped()
    action = {a.id: a for _, a in plan.actions()}
    assert action["A3"].owners == ["kelly-pierce", "danni-honey", "karen-davies"]
    assert action["E3"].owners == ["rachael-roberts", "alison-lawrence", "lw"]


def test_rollups_by_the_default_worst_rule() -> None:
    plan = shipped()
    summaries = {s.priority.id: s.summary for s in plan_status(plan)}
    assert summaries == {
        "A": "AMBER/RED (7 actions: 2 COMPLETE, 1 REMOVED, 1 AMBER/RED, 3 AMBER)",
        "B": "RED (7 actions: 4 COMPLETE, 1 REMOVED, 1 RED, 1 NEW)",
        "C": "RED (5 actions: 1 COMPLETE, 1 RED, 2 AMBER, 1 NEW)",
        "D": "NOT RATED (5 actions: 5 NOT RATED)",
        "E": "RED (6 actions: 2 COMPLETE, 1 N/A, 1 RED, 2 AMBER)",
        "F": "NOT RATED (8 actions: 8 NEW)",
    }


def test_median_rule_weighs_a_mixed_picture() -> None:
    plan = shipped()
    median = Plan(plan.config.model_copy(update={"rollup": "median"}), plan.priorities)
    rags = {s.priority.id: s.rag for s in plan_status(median)}
    assert (rags["A"], rags["C"], rags["E"]) == ("AMBER", "AMBER", "AMBER")
