"""`datracker import` on a Word document built from the seed's delivery-plan tables.

The document (tests/seeddoc.py) is a real .docx written with python-docx and read back
through the CLI, so every quirk of the Portsmouth tables is exercised end to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHIPPED_PLAN
from datracker.plan.models import Plan
from datracker.plan.store import load_plan
from importhelp import action, cli, import_ok, owner_names
from seeddoc import build_seed_docx


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seed_docx(tmp_path_factory.mktemp("seed") / "delivery-plan.docx")


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("imported") / "plan"


@pytest.fixture(scope="module")
def imported(seed: Path, out_dir: Path) -> tuple[Plan, str]:
    return import_ok(lambda *a: cli(*a), seed, out_dir)


def test_priorities_come_from_the_headings_before_each_table(imported) -> None:
    plan, _ = imported
    assert [(p.id, p.title) for p in plan.priorities] == [
        ("A", "Promote healthy relationships"),
        ("B", "Improve identification, assessment, and safety planning"),
        ("C", "Challenge and support those who use abusive or unhealthy behaviours"),
        ("D", "Hold to account those who use coercive control and/or violence"),
        ("E", "Improve performance measures, quality assurance and workforce development"),
        ("F", "Safe accommodation"),
    ]
    assert [a.id for a in plan.priorities[0].actions] == ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]
    assert [a.id for a in plan.priorities[5].actions] == ["G1", "G2", "G3", "G7"]


def test_new_priority_heading_makes_its_actions_new(imported) -> None:
    plan, out = imported
    assert plan.priorities[5].note == "Marked NEW in the imported document."
    assert {a.status for a in plan.priorities[5].actions} == {"new"}
    assert "priority F is headed NEW: its actions get status new" in out


def test_rows_split_across_a_page_break_continue_the_row_above(imported) -> None:
    plan, out = imported
    assert action(plan, "E2").objective == (
        "Develop new measures of success including the voice of the child"
    )
    assert action(plan, "G3").objective == (
        "To incorporate a standardised quality of service across housing providers in their "
        "response to domestic abuse"
    )
    assert action(plan, "C3").updates[0].text == (
        "The agreed measures provided are: Active referrals to Up2U\nFunded resource is limited."
    )
    assert "table 10, row 2: no ID: read as the rest of E2's row" in out


def test_nested_table_of_figures_is_kept_as_text(imported) -> None:
    plan, _ = imported
    assert action(plan, "A5").updates[0].text == (
        "Domestic Violence Disclosure Scheme: Training and education in the DVDS RTK for all "
        "staff.\nPORTSMOUTH RTA: Portsmouth: 28 RTK: Portsmouth 23\n2021 / January | 8 | 7\n"
        "2021 / February | 2 | 1\n2021 / March | 4 | 3"
    )
    assert action(plan, "A5").measures[0].data == []


def test_one_line_rows(imported) -> None:
    plan, out = imported
    a6, b2 = action(plan, "A6"), action(plan, "B2")
    assert (a6.status, a6.note, a6.rag) == ("removed", "No progress after 18 months", "RED")
    assert [(u.review, u.rag, u.text) for u in a6.updates] == [("2022-01", "RED", None)]
    assert (b2.status, b2.note, b2.rag) == ("removed", None, "RED")
    assert [action(plan, i).status for i in ("A2", "A7", "B3", "C1")] == ["complete"] * 4
    e4 = action(plan, "E4")
    assert (e4.status, e4.note, e4.updates) == ("n/a", "Marac IT", [])
    assert (
        "table 3, row 3: one-line row 'A6 - No progress after 18 months - removed - RAG RED' "
        "read as: status removed, RAG RED, note 'No progress after 18 months'" in out
    )


def test_letter_i_for_digit_one_is_corrected_with_a_warning(imported) -> None:
    plan, out = imported
    assert action(plan, "E1").status == "complete"
    assert plan.find_action("EI") is None
    assert "table 9, row 2: 'EI' read as E1 (a letter typed for a digit)" in out


def test_rag_normalisation(imported) -> None:
    plan, out = imported
    got = {i: (action(plan, i).rag, action(plan, i).qualifier) for i in ("A3", "A4", "C2", "C3")}
    assert got == {
        "A3": ("AMBER/RED", None),
        "A4": ("AMBER", "stalled by Covid"),
        "C2": ("AMBER", "police action"),
        "C3": ("AMBER", None),
    }
    assert "A4: RAG 'AMBER - stalled by Covid' read as AMBER with qualifier" in out
    assert "table 7, row 2, column 7: D1: no RAG" in out


def test_new_measure_in_the_objective(imported) -> None:
    plan, _ = imported
    b7 = action(plan, "B7")
    assert b7.status == "new"
    assert b7.objective == (
        "To raise awareness and develop skills for working with parents where there is "
        "parental conflict"
    )
    assert b7.rag is None


def test_owners_split_and_deduplicated_with_organisations_and_roles(imported) -> None:
    plan, _ = imported
    assert owner_names(plan, action(plan, "A3")) == ["Kelly Pierce", "Danni Honey", "Karen Davies"]
    assert action(plan, "A4").owners == ["alison-lawrence", "bruce-marr"]
    assert action(plan, "G1").owners == [
        "sayma-begum",
        "partner-services",
        "pcc-housing",
        "stop-domestic-abuse",
    ]
    assert action(plan, "G2").owners == ["stop-domestic-abuse", "sayma-begum"]  # "SDA"
    owners = {o.id: o for o in plan.config.owners}
    assert owners["alison-lawrence"].organisation == "Portsmouth Safeguarding Adults Board (PSAB)"
    assert owners["dee-hutchinson"].role == "Police Lead"
    assert (owners["lisa-allum"].name, owners["lisa-allum"].organisation) == ("Lisa Allum", "OPCC")
    assert owners["partner-services"].name == (
        "Partner services (Police, Health, Housing, DA providers)"
    )
    ids = [o.id for o in plan.config.owners]
    assert len(ids) == len(set(ids)) == 22


def test_numbers_in_text_stay_text(imported) -> None:
    plan, _ = imported
    a1 = action(plan, "A1")
    assert [m.description for m in a1.measures] == [
        "Evidence of influence in school policies",
        "75% (42 of 56 schools) have policy available on website",
    ]
    assert all(m.data == [] and m.baseline is None for _, a in plan.actions() for m in a.measures)


def test_by_when_update_dates_become_the_latest_due_date(imported) -> None:
    plan, _ = imported
    assert [action(plan, i).due for i in ("G1", "G2", "G3", "G7")] == [
        "2022-04",
        "2022-09",
        "TBC",
        "2022-04",
    ]
    assert action(plan, "G1").updates == []


def test_review_and_title_from_the_document(imported) -> None:
    plan, out = imported
    assert [(r.id, r.label, r.date, r.status) for r in plan.config.reviews] == [
        ("2022-01", "Update January 2022", "2022-01", "closed")
    ]
    assert plan.config.strategy.title == "Portsmouth Domestic Abuse Strategy"
    assert out.splitlines()[0].endswith("6 priorities, 26 actions, 22 owners, 1 review")


def test_import_agrees_with_the_hand_encoded_shipped_plan(imported) -> None:
    """Ids, priorities, statuses, RAGs and qualifiers match the plan encoded by hand."""
    plan, _ = imported
    shipped = load_plan(SHIPPED_PLAN).plan
    assert shipped is not None
    for priority, act in plan.actions():
        found = shipped.find_action(act.id)
        assert found is not None, act.id
        expected_priority, expected = found
        got = (priority.id, act.status, act.rag, act.qualifier)
        assert got == (expected_priority.id, expected.status, expected.rag, expected.qualifier)


def test_files_are_hand_formatted_yaml(imported, out_dir: Path) -> None:
    text = (out_dir / "priorities" / "a-promote-healthy-relationships.yaml").read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../../schema/priority.schema.json\nid: A\n"
    )
    assert (
        "  - id: A6\n    status: removed\n    note: No progress after 18 months\n    updates:\n"
        "      - review: 2022-01\n        rag: RED\n" in text
    )
    assert "    objective: >-\n      Improve identification in early help services" in text
    plan_yaml = (out_dir / "plan.yaml").read_text()
    assert plan_yaml.startswith("# yaml-language-server: $schema=../schema/plan.schema.json\n")


def test_validate_accepts_the_import(run, imported, out_dir: Path) -> None:
    result = run("validate", "--plan", out_dir)
    assert result.code == 0, result.out
    assert "plan is valid (7 files, 26 actions)" in result.out


def test_review_label_option_overrides_the_header(run, seed: Path, tmp_path: Path) -> None:
    plan, _ = import_ok(run, seed, tmp_path / "p", "--review-label", "Progress report March 2022")
    assert [(r.id, r.label) for r in plan.config.reviews] == [
        ("2022-03", "Progress report March 2022")
    ]
    assert action(plan, "A1").updates[0].review == "2022-03"
