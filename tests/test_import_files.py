"""`datracker import` on hand-made Excel and CSV files, and on bad input of every kind."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import openpyxl

from importhelp import action, import_ok

HEADER = ["ID", "Objective", "Action", "Measures", "Owner", "Updated January 2022", "Status"]


def make_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def make_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


PLAN_ROWS: list[list[object]] = [
    ["Domestic Abuse Delivery Plan 2022"],
    [],
    ["Priority A: Promote healthy relationships"],
    [*HEADER, "Comments"],
    ["A1", "Raise awareness", "Talk", "Requests\nDisclosures", "Amy Ford", "Done", "Green"],
    ["A2", "Train staff", "Train", "Sessions", "Bruce Marr, Amy Ford", "", "Amber/ red", "ask HR"],
    ["Priority B: Improve identification"],
    ["B1", "Audit", "Audit GPs", "Audits", "Lead Nurse", "Not started", ""],
]  # fmt: skip


def test_xlsx_headings_in_rows_statuses_and_unmapped_columns(run, tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "plan.xlsx", {"Plan": PLAN_ROWS})
    plan, out = import_ok(run, source, tmp_path / "out")
    assert [(p.id, [a.id for a in p.actions]) for p in plan.priorities] == [
        ("A", ["A1", "A2"]),
        ("B", ["B1"]),
    ]
    a1, a2 = action(plan, "A1"), action(plan, "A2")
    assert [m.description for m in a1.measures] == ["Requests", "Disclosures"]
    assert (a1.rag, a1.updates[0].text, a1.updates[0].review) == ("GREEN", "Done", "2022-01")
    assert (a2.rag, a2.owners, a2.note) == (
        "AMBER/RED",
        ["bruce-marr", "amy-ford"],
        "Comments: ask HR",
    )
    assert action(plan, "B1").rag is None
    assert "sheet Plan, cell G6: A2: RAG 'Amber/ red' read as AMBER/RED" in out
    assert "sheet Plan, cell H4: column 'Comments' is not a plan column" in out
    assert "sheet Plan, cell G8: B1: no RAG" in out
    assert plan.config.reviews[0].label == "Updated January 2022"
    assert (
        "strategy title 'Domestic Abuse Delivery Plan 2022' taken from the first line above "
        "the tables" in out
    )
    assert plan.config.strategy.title == "Domestic Abuse Delivery Plan 2022"


def test_xlsx_sheet_option_picks_one_sheet(run, tmp_path: Path) -> None:
    other = [HEADER, ["Z1", "Other", "Other", "M", "Amy Ford", "x", "RED"]]
    source = make_xlsx(tmp_path / "two.xlsx", {"Notes": other, "Plan": PLAN_ROWS})
    plan, _ = import_ok(run, source, tmp_path / "out", "--sheet", "Plan")
    assert [a.id for _, a in plan.actions()] == ["A1", "A2", "B1"]
    result = run("import", source, "--output", tmp_path / "o2", "--sheet", "Nope")
    assert result.code == 1
    assert "has no sheet named 'Nope'" in result.err
    assert "its sheets are: Notes, Plan" in result.err


def test_csv_with_bom_due_dates_and_priority_from_ids(run, tmp_path: Path) -> None:
    rows = [
        ["Ref", "Objective", "Action", "Suggested Measures", "Lead", "By when", "RAG", "Update"],
        ["C1", "Engage", "Meet partners", "Meetings", "Amy Ford and Bruce Marr", "Sept 2022",
         "POLICE ACTION AMBER", "Met twice; 3 more planned"],
    ]  # fmt: skip
    source = make_csv(tmp_path / "plan.csv", rows, encoding="utf-8-sig")
    plan, out = import_ok(run, source, tmp_path / "out", "--review-label", "Update April 2022")
    c1 = action(plan, "C1")
    assert (c1.due, c1.rag, c1.qualifier) == ("2022-09", "AMBER", "police action")
    assert c1.owners == ["amy-ford", "bruce-marr"]
    assert c1.updates[0].text == "Met twice; 3 more planned"
    assert [(p.id, p.title) for p in plan.priorities] == [("C", "Priority C")]
    assert "C1: due 'Sept 2022' read as 2022-09" in out
    assert "no priority heading: actions C… form priority C" in out


def test_report_file_is_markdown(run, tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "plan.xlsx", {"Plan": PLAN_ROWS})
    report = tmp_path / "report.md"
    import_ok(run, source, tmp_path / "out", "--report", str(report))
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Import report: plan.xlsx\n\nWritten to `")
    assert "| sheet Plan, cell G6 | A2: RAG 'Amber/ red' read as AMBER/RED |" in text


def test_refuses_a_non_empty_output_unless_forced(run, tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "plan.xlsx", {"Plan": PLAN_ROWS})
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.md").write_text("mine")
    result = run("import", source, "--output", out)
    assert result.code == 1
    assert f"error: {out} is not empty" in result.err
    assert sorted(p.name for p in out.iterdir()) == ["keep.md"]
    plan, _ = import_ok(run, source, out, "--force")
    assert sorted(p.name for p in out.iterdir()) == ["keep.md", "plan.yaml", "priorities"]


def _fails(run, source: Path, out: Path, *args: str) -> str:
    result = run("import", source, "--output", out, *args)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".datracker")] == []
    return result.err


def test_windows_1252_csv_is_refused(run, tmp_path: Path) -> None:
    rows = [HEADER, ["A1", "Objective – with a dash", "Act", "M", "Amy Ford", "x", "RED"]]
    source = make_csv(tmp_path / "plan.csv", rows, encoding="cp1252")
    err = _fails(run, source, tmp_path / "out")
    assert "it is not UTF-8 (byte 0x96 on line 2; probably Windows-1252" in err
    assert "save as 'CSV UTF-8 (Comma delimited)'" in err


def test_corrupt_and_password_protected_files(run, tmp_path: Path) -> None:
    corrupt = tmp_path / "broken.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    assert "broken.docx: it is not a Word document, or it is corrupt" in _fails(
        run, corrupt, tmp_path / "out"
    )
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    err = _fails(run, locked, tmp_path / "out")
    assert "locked.xlsx: it is password-protected" in err


def test_a_document_without_a_plan_table(run, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Minutes of the meeting")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Name", "Apologies"
    document.save(str(tmp_path / "minutes.docx"))
    err = _fails(run, tmp_path / "minutes.docx", tmp_path / "out")
    assert (
        "no table in" in err and "looks like a delivery plan (table 1, row 1: no header row" in err
    )


def test_duplicate_ids_name_both_rows(run, tmp_path: Path) -> None:
    rows = [HEADER, ["A1", "One", "", "", "", "", ""], ["A1", "Two", "", "", "", "", ""]]
    source = make_xlsx(tmp_path / "dup.xlsx", {"Plan": rows})
    err = _fails(run, source, tmp_path / "out")
    assert "action id 'A1' is used twice: sheet Plan, row 2 and sheet Plan, row 3" in err


def test_an_empty_sheet(run, tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "empty.xlsx", {"Empty": []})
    err = _fails(run, source, tmp_path / "out", "--sheet", "Empty")
    assert "no sheet in" in err and "(sheet Empty: it is empty)" in err


def test_unsupported_file_types(run, tmp_path: Path) -> None:
    old = tmp_path / "plan.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "it is an old-style .doc file" in _fails(run, old, tmp_path / "out")
    assert "no such file" in _fails(run, tmp_path / "missing.xlsx", tmp_path / "out")


def test_piped_output_has_no_progress_bar(run, tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADER]
    rows += [[f"A{i}", f"Objective {i}", "", "", "Amy Ford", "", "GREEN"] for i in range(1, 600)]
    source = make_xlsx(tmp_path / "big.xlsx", {"Plan": rows})
    plan, out = import_ok(run, source, tmp_path / "out")
    assert len(plan.priorities[0].actions) == 599
    assert "importing rows" not in out and "\r" not in out and "\x1b" not in out


def test_the_report_is_in_source_order_by_the_places_it_carries() -> None:
    """Each place carries its table's and row's position (importing/report.py's Place): the
    report is sorted by them, never by reading numbers back out of its own words."""
    from datracker.importing.report import ImportReport, Place, report_text

    report = ImportReport("plan.xlsx")
    report.add(Place("sheet Alpha, row 2", 1, 2), "warning", "second sheet")
    report.add(Place("sheet Zeta, cell B10", 0, 10), "warning", "first sheet, lower")
    report.add(Place("sheet Zeta, row 9", 0, 9), "warning", "first sheet")
    report.add("plan.xlsx", "warning", "the whole file")
    lines = report_text(report, "out").splitlines()[2:]
    assert [line.split(": ", 1)[1] for line in lines] == [
        "the whole file",
        "first sheet",
        "first sheet, lower",
        "second sheet",
    ]
