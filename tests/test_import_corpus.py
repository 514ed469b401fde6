"""`datracker import` on real delivery plans of other bodies (tests/fixtures/import-corpus).

Each test imports one published plan, as a new user would, and checks what a strategy lead
would check by hand: every action row is there with the id, rating, status and owners it
should have, the plan validates, and what was guessed is in the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datracker.plan.models import Action, Plan
from importhelp import import_ok, owner_names

CORPUS = Path(__file__).parent / "fixtures" / "import-corpus"


def summary(plan: Plan) -> list[tuple[str, str, str | None, str, list[str]]]:
    """(priority, id, RAG, status, owner names) for every action, in order."""
    return [(p.id, a.id, a.rag, a.status, owner_names(plan, a)) for p, a in plan.actions()]


def imported(run: Any, tmp_path: Path, name: str, *args: str) -> tuple[Plan, str]:
    source = next(p for p in (CORPUS / name).iterdir() if p.suffix in (".docx", ".xlsx", ".csv"))
    plan, out = import_ok(run, source, tmp_path / "plan", *args)
    assert "validate: plan is valid" in out
    return plan, out


def only(plan: Plan, action_id: str) -> Action:
    found = plan.find_action(action_id)
    assert found is not None
    return found[1]


def test_thames_valley_ids_inside_the_action_text_and_lead_officers(run, tmp_path) -> None:
    plan, out = imported(run, tmp_path, "thames-valley-opcc")
    assert [(p.id, p.title) for p in plan.priorities] == [
        ("1", "Cut crimes of most concern to the public and reduce reoffending")
    ]
    assert summary(plan) == [
        ("1", "1.1", None, "active", ["GE"]),
        ("1", "1.2", None, "active", ["AB"]),
    ]
    first = only(plan, "1.1")
    assert first.action == (
        "Monitor TVP's effectiveness in prioritising violent crime and domestic burglary"
    )
    assert first.due == "Ongoing"
    assert first.note == "Sponsor (SMG): PCC; Links to other actions: TVP 1.1"
    assert first.updates[0].text is not None and first.updates[0].text.startswith("Burglary")
    review = plan.config.reviews[0]
    assert (review.id, review.date) == ("2016-01", "2016-01-18")
    assert "column 'Sponsor (SMG)' is not a plan column" in out
    assert "table 1, row 2, column 7: 1.1: no RAG" in out


def test_hampshire_rows_without_ids_and_a_status_only_in_a_heading(run, tmp_path) -> None:
    plan, out = imported(run, tmp_path, "hampshire-opcc")
    rows = summary(plan)
    assert [r[1] for r in rows] == [f"1-{n}" for n in range(1, 12)]
    assert [r[3] for r in rows] == ["active"] * 4 + ["complete"] * 7
    assert all(r[2] is None and r[4] == [] for r in rows)
    assert only(plan, "1-1").action == "Estate Change Programme Phase 2"
    assert only(plan, "1-1").due == "2020-04"
    assert only(plan, "1-5").action == "Domestic Abuse service Isle of Wight"
    assert "table 1, row 2: the row has no id: given the id 1-1" in out
    assert "1-5: status complete taken from the heading 'Completed projects'" in out
    assert "1-1: due 'Apr-20' read as 2020-04" in out


def test_scottish_government_export_with_its_own_status_words(run, tmp_path) -> None:
    plan, out = imported(run, tmp_path, "scottish-gov-open-gov")
    bank = ["Scottish National Investment Bank"]
    assert summary(plan) == [
        ("1", "1", "COMPLETE", "complete", bank),
        ("1", "2", "ON-TRACK", "active", bank),
        ("1", "3", "ON-TRACK", "active", bank),
    ]
    assert [(level.id, level.label) for level in plan.config.scale] == [
        ("ON-TRACK", "On track"),
        ("COMPLETE", "Complete"),
    ]
    assert [(r.id, r.label) for r in plan.config.reviews] == [
        ("2021-02", "Final Progress Report February 2021")
    ]
    assert plan.priorities[0].title == "Provide financial and performance transparency"
    assert "worst first: On track, Complete; check this order" in out
    assert "1: RAG '✔ Complete' read as COMPLETE (status complete)" in out


def test_welsh_government_numbered_commitments_and_one_status_word(run, tmp_path) -> None:
    plan, out = imported(run, tmp_path, "welsh-gov-open-gov")
    assert summary(plan) == [("1", str(n), "ONGOING", "active", []) for n in range(1, 5)]
    assert only(plan, "1").action == "Digital & Data Collaboration"
    assert only(plan, "3").note == "Milestones completed: 0 of 2"
    assert "id '1.' read as 1" in out
    assert "column 'Milestones completed' is not a plan column" in out


def test_somerset_nhs_action_numbers_and_the_scale_given_with_the_option(run, tmp_path) -> None:
    scale = "Not met,Unlikely to be met,Ongoing,Achieved"
    plan, out = imported(run, tmp_path, "somerset-partnership-nhs", "--scale", scale)
    assert summary(plan) == [
        ("1", "1.11", "NOT-MET", "active", []),
        ("6", "6.11", None, "active", []),
    ]
    assert [level.id for level in plan.config.scale] == [
        "NOT-MET",
        "UNLIKELY-TO-BE-MET",
        "ONGOING",
        "ACHIEVED",
    ]
    assert [(r.id, r.date) for r in plan.config.reviews] == [("2015-12", "2015-12")]
    assert "its own words" not in out  # the scale was given, so not guessed


def test_active_gloucestershire_merged_key_areas_and_completed_deadlines(run, tmp_path) -> None:
    plan, out = imported(run, tmp_path, "active-gloucestershire")
    assert [(p.id, p.title) for p in plan.priorities] == [
        ("1", "The organisation demonstrates a clear commitment to Equality and diversity."),
        (
            "2",
            "The Organisation have policies for Equality and Diversity and these have been "
            "communicated.",
        ),
    ]
    assert summary(plan) == [
        ("1", "1-1", None, "complete", ["Deborah Potts"]),
        ("1", "1-2", None, "complete", ["Deborah Potts"]),
        ("1", "1-3", None, "active", ["Rowland Clark", "Kerry Dexter", "Candace Plouffe"]),
        ("2", "2-1", None, "active", ["Rowland Clark"]),
    ]
    third = only(plan, "1-3")
    assert third.objective == (
        "Equality and diversity workshops are delivered to staff and to the Board Champion."
    )
    assert third.due == "2018-03"
    assert "1-1: due 'completed' read as status complete" in out


def test_arb_areas_of_work_merged_down_and_an_empty_section(run, tmp_path) -> None:
    plan, out = imported(run, tmp_path, "arb-business-plan")
    assert [(p.id, p.title) for p in plan.priorities] == [
        ("1", "Integrating a newly appointed Board")
    ]
    assert [r[1] for r in summary(plan)] == ["1-1", "1-2", "1-3", "1-4"]
    assert only(plan, "1-4").updates[0].text is not None
    assert "priority A ('Organisational Excellence') has no action rows: left out" in out
    assert [(r.id, r.date) for r in plan.config.reviews] == [("2019", "2019")]


def test_epping_forest_numbered_item_and_a_dated_progress_column(run, tmp_path) -> None:
    plan, out = imported(run, tmp_path, "epping-forest-dc")
    assert summary(plan) == [("1", "6", None, "active", [])]
    item = only(plan, "6")
    assert item.action == (
        "Evaluate the submission received for North Weald Airfield marketing exercise"
    )
    assert [(u.review, u.text) for u in item.updates] == [
        ("2016-12", "Work on this project has now commenced.")
    ]
    assert "review 'Q3 2016/17 progress' dated 2016-12, the end of quarter 3" in out


def test_portsmouth_in_a_spreadsheet_reads_as_in_word(run, tmp_path) -> None:
    plan, out = imported(run, tmp_path, "portsmouth-priorities-b-c")
    assert summary(plan) == [
        ("B", "B1", "RED", "active", ["Chair - Domestic Abuse Steering Group", "Bruce Marr"]),
        ("B", "B2", "RED", "removed", []),
        ("B", "B3", None, "complete", []),
        ("B", "B4", None, "complete", []),
        ("B", "B5", None, "complete", []),
        ("B", "B6", None, "complete", []),
        ("B", "B7", None, "new", ["Amy Ford", "Kelly Pierce"]),
        ("C", "C1", None, "complete", []),
        ("C", "C3", "AMBER", "active", ["Bruce Marr", "Amy Ford"]),
    ]
    text = only(plan, "C3").updates[0].text or ""
    assert text.endswith("significantly lower numbers involved than victim services.")
    assert "no ID: read as the rest of C3's row" in out
