"""The shipped plan is Portsmouth's delivery plan of the February 2022 refresh: check its facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SHIPPED_PLAN
from datracker.plan.models import Plan
from datracker.plan.status import plan_status, rollup_rag
from datracker.plan.store import load_plan
from datracker.plan.validation import validate_plan

# The seed's passage on the priority ratings, verbatim (checked against the seed below, where
# the seed is available: it is not part of this repository).
SEED_EXCERPT = Path(__file__).parent / "fixtures" / "seed-002-priority-ratings.txt"
SEEDS = Path("/work/shared/seeds")
RATING_LINE = re.compile(r"^- ([A-Z])\. .+? - \*\*([A-Z/]+)\*\* -? ?\((.+)\)$", re.M)
COUNT = re.compile(r"(\d+) (COMPLETE|N/A|REMOVED|[A-Z]+(?:/[A-Z]+)?)")


def seed_ratings() -> dict[str, tuple[str, str]]:
    """Priority letter -> (the rating, the counts line) as the seed prints them."""
    text = SEED_EXCERPT.read_text(encoding="utf-8")
    return {m[1]: (m[2], m[3]) for m in RATING_LINE.finditer(text)}


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
    assert (schools.value, schools.of, schools.period) == (42, 56, None)  # no date in the seed
    repeat = action["C2"].measures[1].data
    assert [(p.period, p.value) for p in repeat] == [("2020/21-Q2", 263), ("2021/22-Q2", 326)]
    places = action["E6"].measures[1].data[0]
    assert (places.value, places.of) == (51, 80)
    maternity = action["A3"].measures[0]
    assert (maternity.baseline.value, maternity.data[0].value) == (77, 190)  # type: ignore[union-attr]
    assert maternity.baseline.period == "2019/20"  # type: ignore[union-attr]  # "up from 77 in 19/20"


def test_no_figure_carries_a_fact_the_seed_does_not_state() -> None:
    """The seed dates neither A1's 42 of 56 nor A3's 190 and 486, and lists five training
    dates from a register without saying only five training days ran."""
    action = {a.id: a for _, a in shipped().actions()}
    assert [p.period for m in action["A3"].measures for p in m.data] == [None, None]
    assert "January 2022" not in (action["A1"].measures[1].data[0].note or "")
    training_days = action["E6"].measures[0]
    assert (training_days.description, training_days.data) == ("Training days per year", [])
    assert training_days.target is not None and training_days.target.value == 8


def test_priority_f_is_a_draft_and_d1_keeps_its_footnote() -> None:
    plan = shipped()
    assert [p.id for p in plan.priorities if p.draft] == ["F"]
    d1 = plan.find_action("D1")[1]  # type: ignore[index]
    assert d1.note is not None and d1.note.startswith("The Domestic Violence Protection Notice")


def test_owners_joined_by_slash_are_split() -> None:
    plan = shipped()
    action = {a.id: a for _, a in plan.actions()}
    assert action["A3"].owners == ["kelly-pierce", "danni-honey", "karen-davies"]
    assert action["E3"].owners == ["rachael-roberts", "alison-lawrence", "lw"]


def test_the_seed_excerpt_is_verbatim() -> None:
    seeds = sorted(SEEDS.glob("002_*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip("the seed documents are not on this machine")
    excerpt = SEED_EXCERPT.read_text(encoding="utf-8").strip()
    assert excerpt in seeds[0].read_text(encoding="utf-8")


def test_stated_priority_ratings_are_the_seeds() -> None:
    """October 2021: the rating and counts line exactly as printed; January 2022: the same
    rating, recorded as retained from October ("retain the RAG rating above")."""
    printed = seed_ratings()
    assert sorted(printed) == ["A", "B", "C", "D", "E"]
    plan = shipped()
    for priority in plan.priorities:
        october = priority.assessment_for("2021-10")
        january = priority.assessment_for("2022-01")
        if priority.id not in printed:
            assert priority.assessments == []  # F: new, a draft, no rating stated
            continue
        rag, counts = printed[priority.id]
        assert october is not None and (october.rag, october.text) == (rag, counts)
        assert january is not None
        assert (january.rag, january.retained, january.text) == (rag, "2021-10", None)
    assert "retain the RAG rating above" in SEED_EXCERPT.read_text(encoding="utf-8")


def test_status_shows_the_stated_rating_beside_the_computed_one() -> None:
    lines = {s.priority.id: s.line for s in plan_status(shipped())}
    assert lines["A"] == (
        "AMBER (stated: retained from Progress report October 2021); "
        "computed: AMBER/RED (7 actions: 2 COMPLETE, 1 REMOVED, 1 AMBER/RED, 3 AMBER)"
    )
    assert lines["F"] == "computed: NOT RATED (8 actions: 8 NEW)"
    october = plan_status(shipped(), review=shipped().config.review("2021-10"))
    assert october[0].stated is not None
    assert (
        october[0].stated.line == "AMBER (stated: 7 actions - 1 COMPLETE, 3 AMBER, 2 RED, 1 GREEN)"
    )


def test_validate_names_both_ratings_where_they_differ() -> None:
    problems = validate_plan(load_plan(SHIPPED_PLAN))
    differ = {p.message.split(":")[0]: p.message for p in problems if p.code == "stated-differs"}
    assert sorted(differ) == ["priority A", "priority B", "priority D", "priority E"]
    assert differ["priority D"] == (
        "priority D: the rating stated for Update January 2022 is RED, "
        "the roll-up computed by the 'worst' rule is NOT RATED"
    )


def test_shipped_plan_has_no_warnings_from_the_clock() -> None:
    """Judged as of its own latest review (January 2022), nothing was overdue; judged as of
    a later day, the G actions due in 2022 are."""
    problems = validate_plan(load_plan(SHIPPED_PLAN))
    assert [p for p in problems if p.code in ("overdue", "future-date")] == []
    import datetime as dt

    later = validate_plan(load_plan(SHIPPED_PLAN), as_of=dt.date(2022, 10, 1))
    assert sorted(p.message.split()[0] for p in later if p.code == "overdue") == [
        "G1",
        "G2",
        "G4",
        "G5",
        "G6",
        "G7",
        "G8",
    ]


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


def test_what_each_rule_gives_on_the_shipped_plan() -> None:
    """January 2022, from the actions' ratings: neither rule gives the ratings the plan retains
    (A AMBER, B AMBER, C RED, D RED, E AMBER); `worst` agrees on C, `median` on A and E."""
    plan = shipped()
    stated = {s.priority.id: s.rating for s in plan_status(plan)}
    by_rule = {}
    for rule in ("worst", "median"):
        ruled = Plan(plan.config.model_copy(update={"rollup": rule}), plan.priorities)
        by_rule[rule] = {s.priority.id: s.rag for s in plan_status(ruled)}
    assert by_rule["worst"] == {
        "A": "AMBER/RED",
        "B": "RED",
        "C": "RED",
        "D": None,
        "E": "RED",
        "F": None,
    }
    assert by_rule["median"] == {
        "A": "AMBER",
        "B": "RED",
        "C": "AMBER",
        "D": None,
        "E": "AMBER",
        "F": None,
    }
    agree = {
        rule: sorted(p for p, r in rags.items() if r == stated[p]) for rule, rags in by_rule.items()
    }
    assert agree == {"worst": ["C"], "median": ["A", "E"]}


def test_median_of_the_printed_october_counts_gives_each_printed_rating() -> None:
    """The October 2021 report printed its counts: `median` over them gives all five stated
    ratings; `worst` gives RED for all five (right for C and D only)."""
    config = shipped().config
    results: dict[str, dict[str, str | None]] = {"worst": {}, "median": {}}
    for letter, (_, counts) in seed_ratings().items():
        rags = [
            label
            for number, label in COUNT.findall(counts)
            if label not in ("COMPLETE", "N/A", "REMOVED")
            for _ in range(int(number))
        ]
        for rule in results:
            results[rule][letter] = rollup_rag(config.model_copy(update={"rollup": rule}), rags)  # type: ignore[arg-type]
    printed = {letter: rag for letter, (rag, _) in seed_ratings().items()}
    assert results["median"] == printed
    assert results["worst"] == dict.fromkeys(printed, "RED")
