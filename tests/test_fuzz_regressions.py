"""Inputs the fuzzers found, and escaping gaps found beside them, kept as regression tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from datracker.importing.output import import_file
from datracker.importing.tables import SourceDocument, SourceTable
from datracker.plan.store import load_plan
from datracker.plan.validation import validate_plan

TODAY = dt.date(2022, 2, 9)


def _import(tmp_path: Path, rows: list[list[str]]) -> Path:
    table = SourceTable("table 1", "docx", rows, list(range(1, len(rows) + 1)), ["Priority A: X"])
    document = SourceDocument(Path("found.docx"), "Found by fuzzing", [table])
    output = tmp_path / "plan"
    import_file(document.path, output, today=TODAY, source=document)
    return output


def test_a_table_without_an_update_column_still_gives_a_valid_plan(tmp_path: Path) -> None:
    """fuzz_importer: no update column meant no reviews, written as an empty `reviews:`."""
    output = _import(tmp_path, [["ID", "Objective", "Action"], ["A1", "Raise awareness", "Talk"]])
    assert "reviews: []\n" in (output / "plan.yaml").read_text()
    errors = [p for p in validate_plan(load_plan(output), TODAY) if p.severity == "error"]
    assert errors == []


def test_control_characters_in_cells_are_removed_and_reported(tmp_path: Path) -> None:
    """fuzz_importer: a U+0004 in a cell was written into the YAML, which refuses it."""
    rows = [
        ["ID", "Objective", "Update January 2022", "RAG"],
        ["A1", "Raise\x04 awareness", "Done\x07.", "GREEN"],
    ]
    output = _import(tmp_path, rows)
    plan = load_plan(output).require_plan()
    action = plan.actions().__next__()[1]
    assert (action.objective, action.updates[0].text) == ("Raise awareness", "Done.")


def test_import_report_markdown_neutralises_html_from_cells() -> None:
    """A cell's text quoted in the Markdown report must not become live HTML."""
    from datracker.importing.report import ImportReport, report_markdown

    report = ImportReport("plan.docx")
    report.add("table 1, row 2", "warning", "kept '<img src=x onerror=alert(1)> | A7' as text")
    markdown = report_markdown(report, "plan")
    assert "<img" not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt; \\| A7" in markdown


def test_a_rating_cell_of_symbols_only_keeps_the_default_scale(tmp_path: Path) -> None:
    """fuzz_importer: a RAG cell of symbols was not a colour, so a scale of the plan's own
    words was made, but no word was left in it: an empty scale, which the model refuses."""
    output = _import(tmp_path, [["ID", "Objective", "RAG"], ["A1", "Raise awareness", "¤¤"]])
    plan = load_plan(output).require_plan()
    assert [level.id for level in plan.config.scale][0] == "RED"
    assert plan.actions().__next__()[1].rag is None
