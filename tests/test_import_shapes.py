"""`datracker import` on the shapes plans take: ids, columns, scales and layouts as people
make them, each on a small real file written here (Word, Excel or CSV)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import docx

from importhelp import action, import_ok, owner_names
from test_import_files import make_xlsx

PROGRESS_HEADER = ["Ref", "Strategic action", "Lead", "Progress update", "Overall RAG"]


def make_docx(path: Path, blocks: list[Any]) -> Path:
    """Paragraphs (str) and tables (lists of rows) in order."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for col, text in enumerate(row):
                    table.cell(r, col).text = text
    document.save(str(path))
    return path


def make_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def progress_report(path: Path) -> Path:
    """A Word progress report in the shape councils publish: priorities 1 and 2, dotted ids
    of two and three levels, one with a stray dot, and a non-colour rating scale."""
    return make_docx(
        path,
        [
            "Delivery progress report 3 - February 2025",
            "Priority 1: Safer streets",
            [
                PROGRESS_HEADER,
                ["1.1", "Street lighting review", "Amy Ford", "Survey done.", "On Track"],
                ["1.2", "CCTV upgrade", "Bruce Marr", "Supplier late.", "At Risk"],
            ],
            "Priority 2: Safer homes",
            [
                PROGRESS_HEADER,
                ["2.6", "Home safety visits", "Amy Ford", "Visits under way.", "On Track"],
                ["2.6.1", "Visits in the north", "Cara Lee", "Behind plan.", "Off Track"],
                ["2.7.", "Sanctuary scheme", "Cara Lee", "Finished in January.", "Delivered"],
            ],
        ],
    )


def test_a_progress_report_with_dotted_ids_sub_actions_and_its_own_scale(run, tmp_path) -> None:
    plan, out = import_ok(run, progress_report(tmp_path / "report.docx"), tmp_path / "out")
    rows = [(p.id, a.id, a.parent, a.rag, a.status) for p, a in plan.actions()]
    assert rows == [
        ("1", "1.1", None, "ON-TRACK", "active"),
        ("1", "1.2", None, "AT-RISK", "active"),
        ("2", "2.6", None, "ON-TRACK", "active"),
        ("2", "2.6.1", "2.6", "OFF-TRACK", "active"),
        ("2", "2.7", None, "DELIVERED", "complete"),
    ]
    assert [level.id for level in plan.config.scale] == [
        "OFF-TRACK",
        "AT-RISK",
        "ON-TRACK",
        "DELIVERED",
    ]
    assert owner_names(plan, action(plan, "2.6.1")) == ["Cara Lee"]
    review = plan.config.reviews[0]
    assert (review.id, review.label) == ("2025-02", "Delivery progress report 3 - February 2025")
    assert "2.6.1 is a sub-action of 2.6" in out
    assert "id '2.7.' read as 2.7" in out
    assert "worst first: Off Track, At Risk, On Track, Delivered; check this order" in out
    # the plan reads back with the sub-action under its parent
    status = run("status", "--plan", tmp_path / "out", "--format", "md")
    assert "| ↳ 2.6.1 |" in status.out


def test_export_columns_in_snake_case_with_quarter_review_labels(run, tmp_path) -> None:
    header = "priority_id,priority_title,action_id,objective,action,measure,owner,due,update_text,rag,review_label"  # noqa: E501
    rows = [
        header.split(","),
        ["1", "Housing", "1.1", "More homes", "Build", "Homes built", "Amy Ford", "2021-03",
         "40 built", "Green", "Quarter 3 2020 to 2021"],
        ["1", "Housing", "1.2", "Fewer empty homes", "Bring back", "Homes", "Bruce Marr", "",
         "Slow", "Amber", "Quarter 3 2020 to 2021"],
        ["2", "", "2.1", "Jobs", "Apprenticeships", "Starts", "Cara Lee; Amy Ford", "TBC",
         "", "Red", "Quarter 3 2020 to 2021"],
    ]  # fmt: skip
    plan, out = import_ok(run, make_csv(tmp_path / "plan.csv", rows), tmp_path / "out")
    assert [(p.id, p.title) for p in plan.priorities] == [("1", "Housing"), ("2", "Priority 2")]
    assert [(a.id, a.rag, a.owners) for _, a in plan.actions()] == [
        ("1.1", "GREEN", ["amy-ford"]),
        ("1.2", "AMBER", ["bruce-marr"]),
        ("2.1", "RED", ["cara-lee", "amy-ford"]),
    ]
    assert [(r.id, r.label, r.date) for r in plan.config.reviews] == [
        ("2020-12", "Quarter 3 2020 to 2021", "2020-12")
    ]
    assert "dated 2020-12, the end of quarter 3 of the financial year 2020/21" in out
    assert "priority 2 has no title: called 'Priority 2'" in out


def test_two_plans_in_one_document_are_kept_apart(run, tmp_path) -> None:
    header = ["ID", "Action", "Owner", "RAG"]
    source = make_docx(
        tmp_path / "two.docx",
        [
            "Priority 1: Children",
            [header, ["1.1", "Early help", "Amy Ford", "Green"]],
            "Priority 2: Adults",
            [header, ["2.1", "Carers", "Bruce Marr", "Amber"]],
            "Priority 1: Children (Year 2 plan)",
            [header, ["1.1", "Family hubs", "Cara Lee", "Red"]],
        ],
    )
    plan, out = import_ok(run, source, tmp_path / "out")
    assert [(p.id, [a.id for a in p.actions]) for p in plan.priorities] == [
        ("1", ["1.1"]),
        ("2", ["2.1"]),
        ("plan2-1", ["plan2-1.1"]),
    ]
    assert action(plan, "1.1").action == "Early help"
    assert action(plan, "plan2-1.1").action == "Family hubs"
    assert "read as a second plan in the same file" in out


def test_the_same_id_twice_in_one_table_is_still_refused(run, tmp_path) -> None:
    header = ["ID", "Action", "Owner", "RAG"]
    rows = [header, ["1.1", "A", "Amy Ford", "Green"], ["1.1", "B", "Amy Ford", "Red"]]
    result = run("import", make_docx(tmp_path / "d.docx", [rows]), "--output", tmp_path / "o")
    assert result.code == 1
    assert "action id '1.1' is used twice: table 1, row 2 and table 1, row 3" in result.err
    assert not (tmp_path / "o").exists()


def test_tables_but_no_action_is_a_failure_with_the_reason_per_table(run, tmp_path) -> None:
    rows = [["ID", "Objective", "Action", "RAG"], ["Item one", "", "", "Green"]]
    result = run("import", make_docx(tmp_path / "d.docx", [rows]), "--output", tmp_path / "o")
    assert result.code == 1, result.out
    assert "no row could be read as an action; nothing was written" in result.err
    assert "table 1: 1 row(s) left out, e.g. 'Item one' is not an action id" in result.err
    assert "--columns" in result.err
    assert not (tmp_path / "o").exists()


def test_columns_option_names_a_column_and_unknown_columns_are_kept(run, tmp_path) -> None:
    rows = [
        ["Ref", "What", "Who", "Where we are", "Colour", "Budget"],
        ["WAP-1", "Recruit", "Amy Ford", "Advert out", "Amber", "£10k"],
        ["WAP-2", "Train", "Bruce Marr", "Booked", "Green", "£2k"],
    ]
    source = make_xlsx(tmp_path / "p.xlsx", {"Plan": rows})  # type: ignore[arg-type]
    columns = "What=action,Who=owners,Where we are=update,Colour=rag"
    plan, out = import_ok(
        run, source, tmp_path / "out", "--columns", columns, "--review-label", "Update May 2023"
    )
    wap1 = action(plan, "WAP-1")
    assert (wap1.action, wap1.rag, wap1.note) == ("Recruit", "AMBER", "Budget: £10k")
    assert owner_names(plan, wap1) == ["Amy Ford"]
    assert plan.priorities[0].id == "WAP"
    assert "column 'Budget' is not a plan column; its cells are kept in each action's note" in out
    bad = run("import", source, "--output", tmp_path / "o2", "--columns", "What=actoin")
    assert bad.code == 2
    assert "'actoin' is not a plan field" in bad.err
    assert not (tmp_path / "o2").exists()


def test_status_in_a_heading_applies_to_the_rows_under_it(run, tmp_path) -> None:
    header = ["No.", "Action", "Lead officer", "Target date"]
    source = make_docx(
        tmp_path / "h.docx",
        [
            "Theme 1: Green spaces",
            "Actions completed",
            [header, ["A5", "Plant trees", "Amy Ford", "March 2022"]],
            "Actions at risk",
            [header, ["G1", "New park", "Bruce Marr", "Deadline: TBC"]],
        ],
    )
    plan, out = import_ok(run, source, tmp_path / "out", "--review-label", "Update April 2022")
    assert (action(plan, "A5").status, action(plan, "A5").rag) == ("complete", None)
    assert (action(plan, "G1").status, action(plan, "G1").rag) == ("active", "AT-RISK")
    assert "A5: status complete taken from the heading 'Actions completed'" in out
    assert "G1: rating 'at risk' taken from the heading 'Actions at risk'" in out


def test_percentages_and_stages_become_the_scale(run, tmp_path) -> None:
    rows = [
        ["ID", "Action", "Owner", "Status"],
        ["P1", "Plan", "Amy Ford", "Stage: Planning | Percentage complete: 10%"],
        ["P2", "Build", "Amy Ford", "Stage: Delivery | Percentage complete: 60%"],
        ["P3", "Open", "Amy Ford", "Stage: Complete | Percentage complete: 100%"],
    ]
    source = make_csv(tmp_path / "p.csv", rows)
    plan, out = import_ok(run, source, tmp_path / "out", "--review-label", "Update May 2024")
    assert [level.id for level in plan.config.scale] == ["10%", "60%", "100%"]
    p1, p3 = action(plan, "P1"), action(plan, "P3")
    assert (p1.rag, p1.qualifier, p1.status) == ("10%", "Stage: Planning", "active")
    assert (p3.rag, p3.status) == ("100%", "complete")


def test_rows_without_ids_get_the_same_ids_every_time(run, tmp_path) -> None:
    rows = [
        ["Action", "Owner", "RAG"],
        ["Recruit", "Amy Ford", "Green"],
        ["Train", "Amy Ford", "Red"],
    ]
    source = make_csv(tmp_path / "p.csv", rows)
    first, out = import_ok(run, source, tmp_path / "a", "--review-label", "Update May 2024")
    second, _ = import_ok(run, source, tmp_path / "b", "--review-label", "Update May 2024")
    ids = [a.id for _, a in first.actions()]
    assert ids == [a.id for _, a in second.actions()] == ["1-1", "1-2"]
    assert "the row has no id: given the id 1-1" in out


def test_a_heading_repeated_on_each_page_is_one_priority(run, tmp_path) -> None:
    header = ["ID", "Action", "Owner", "RAG"]
    source = make_docx(
        tmp_path / "pages.docx",
        [
            "Priority A: Safety",
            [header, ["A1", "Patrols", "Amy Ford", "Green"]],
            "Priority A: Safety",
            [header, ["A2", "Lighting", "Amy Ford", "Amber"]],
        ],
    )
    plan, out = import_ok(run, source, tmp_path / "out", "--review-label", "Update May 2024")
    assert [(p.id, [a.id for a in p.actions]) for p in plan.priorities] == [("A", ["A1", "A2"])]
    assert "second plan" not in out


def test_not_rated_is_no_rating_and_a_list_of_ids_is_not_a_plan_table(run, tmp_path) -> None:
    source = make_docx(
        tmp_path / "d.docx",
        [
            [
                ["ID", "Action", "Owner", "RAG"],
                ["A1", "Patrols", "Amy Ford", "Amber / Red"],
                ["A2", "Lighting", "Amy Ford", "NOT RATED"],
            ],
            [["Owner", "Actions"], ["Amy Ford", "A1, A2"]],
        ],
    )
    plan, out = import_ok(run, source, tmp_path / "out", "--review-label", "Update May 2024")
    assert [(a.id, a.rag) for _, a in plan.actions()] == [("A1", "AMBER/RED"), ("A2", None)]
    assert [level.id for level in plan.config.scale][0] == "RED"  # the default scale
    assert "table 2, row 1: no header row with plan columns" in out


def test_ids_in_a_column_headed_action_and_numbered_headings_as_titles(run, tmp_path) -> None:
    header = ["Action", "Strategic action", "Responsible", "Commentary", "Overall RAG"]
    source = make_docx(
        tmp_path / "r.docx",
        [
            "1. Safer streets",
            [header, ["1.1", "Lighting", "Amy Ford", "Done", "On Track"]],
            "2. Safer homes",
            [
                header,
                ["2.6", "Visits", "Amy Ford", "Going", "At Risk"],
                ["2.6.1", "North visits", "Amy Ford", "Late", "Off Track"],
            ],
        ],
    )
    plan, out = import_ok(run, source, tmp_path / "out", "--review-label", "Update May 2024")
    assert [(p.id, p.title) for p in plan.priorities] == [
        ("1", "Safer streets"),
        ("2", "Safer homes"),
    ]
    assert [(a.id, a.action, a.parent) for _, a in plan.actions()] == [
        ("1.1", "Lighting", None),
        ("2.6", "Visits", None),
        ("2.6.1", "North visits", "2.6"),
    ]
    assert "priority 2 takes its title from the heading '2. Safer homes'" in out


def test_a_priority_named_only_in_words_and_a_bad_scale_option(run, tmp_path) -> None:
    rows = [
        ["Theme", "Ref", "Action", "Owner", "RAG"],
        ["Economy and jobs", "E1", "Apprenticeships", "Amy Ford", "Green"],
        ["Economy and jobs", "E2", "Markets", "Amy Ford", "Red"],
        ["Housing", "H1", "New homes", "Bruce Marr", "Amber"],
    ]
    source = make_csv(tmp_path / "p.csv", rows)
    plan, out = import_ok(run, source, tmp_path / "out", "--review-label", "Update May 2024")
    assert [(p.id, p.title) for p in plan.priorities] == [
        ("P1", "Economy and jobs"),
        ("P2", "Housing"),
    ]
    assert "priority 'Economy and jobs' has no number: given the id P1" in out
    for bad, words in ((",", "at least one level"), ("Red,red", "RED twice")):
        result = run("import", source, "--output", tmp_path / "o", "--scale", bad)
        assert result.code == 2, result.err
        assert words in result.err
    assert not (tmp_path / "o").exists()
