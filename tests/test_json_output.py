"""`--format json` on `import` and `init`: one object a script can read, with nothing else on
standard output, checked against what the commands really wrote (issue 18, point 2).
`render` is the documented exception: its `--format` names the document.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from datracker.edit.installsource import parse_source
from datracker.plan.store import load_plan
from gitutil import commit_all, git, init_repo
from test_init_repository import PINNED, identity
from test_update import _finish, _spawn

CORPUS = Path(__file__).parent / "fixtures" / "import-corpus"
THAMES = CORPUS / "thames-valley-opcc" / "strategic-delivery-plan-2015-16.docx"
SCOTTISH = CORPUS / "scottish-gov-open-gov" / "commitment-1-final-progress-report.csv"
REPORT_LISTS = ("guesses", "warnings", "cells_not_placed", "tables_skipped")
IMPORT_KEYS = {"source", "output", "imported", "scale", *REPORT_LISTS}
IMPORT_KEYS |= {"validate", "written", "next"}
INIT_KEYS = {"written", "repository", "commit", "datracker", "next"}


def import_json(run: Any, cwd: Path, source: Path, *args: str) -> dict[str, Any]:
    result = run("import", source, "--output", "plan", "--format", "json", *args, cwd=cwd)
    assert result.code == 0, result.err
    assert result.err == ""
    payload = json.loads(result.out)  # the whole of standard output is the one object
    assert isinstance(payload, dict)
    return payload


def files_under(folder: Path, base: Path) -> set[str]:
    return {p.relative_to(base).as_posix() for p in folder.rglob("*") if p.is_file()}


def text_report_lists(out: str) -> dict[str, list[dict[str, str]]]:
    """The text report's lists, read back item by item, to compare with the JSON's."""
    headings = {
        "Guesses and normalisations": "guesses",
        "Warnings": "warnings",
        "Cells not placed": "cells_not_placed",
        "Tables skipped": "tables_skipped",
    }
    lists: dict[str, list[dict[str, str]]] = {key: [] for key in REPORT_LISTS}
    current = None
    for line in out.splitlines():
        heading = re.fullmatch(r"(.+) \(\d+\):", line)
        if heading:
            current = headings[heading[1]]
        elif line.startswith("  ") and current is not None:
            # the messages of these fixtures hold no ": " before the place ends
            where, _, message = line[2:].partition(": ")
            lists[current].append({"where": where, "message": message})
        else:
            current = None
    return lists


# --- import ----------------------------------------------------------------------------------


def test_import_json_says_what_was_imported_and_written(run, tmp_path: Path) -> None:
    payload = import_json(run, tmp_path, THAMES)
    assert set(payload) == IMPORT_KEYS
    plan = load_plan(tmp_path / "plan").plan
    assert plan is not None
    assert payload["source"] == THAMES.name and payload["output"] == "plan"
    assert payload["imported"] == {
        "priorities": len(plan.priorities),
        "actions": len(list(plan.actions())),
        "owners": len(plan.config.owners),
        "reviews": len(plan.config.reviews),
    }
    assert payload["imported"]["actions"] == 2  # 1.1 and 1.2 in the source
    assert payload["scale"] is None  # no rating words of its own: RED…GREEN
    assert {"where": "table 1, row 2, column 7", "message": "1.1: no RAG"} in payload["warnings"]
    assert payload["cells_not_placed"] == [
        {
            "where": "table 1, row 1, column 3",
            "message": "column 'Sponsor (SMG)' is not a plan column; its cells are kept in "
            "each action's note",
        },
        {
            "where": "table 1, row 1, column 6",
            "message": "column 'Links to other actions' is not a plan column; its cells are "
            "kept in each action's note",
        },
    ]
    assert payload["tables_skipped"] == []
    assert sorted(payload["written"]) == sorted(files_under(tmp_path / "plan", tmp_path))
    assert payload["next"] == "datracker validate --plan plan"
    # what it says of the written plan is what `validate --format json` says of it
    validated = run("validate", "--plan", "plan", "--format", "json", cwd=tmp_path)
    again = json.loads(validated.out)
    checked = payload["validate"]
    assert {key: checked[key] for key in ("valid", "counts", "problems")} == again
    assert checked["valid"] is True and checked["counts"]["warning"] == 2
    assert checked["summary"] == "plan is valid (2 files, 2 actions): 2 warnings"


def test_import_json_lists_what_the_text_report_lists(run, tmp_path: Path) -> None:
    (tmp_path / "as-json").mkdir()
    (tmp_path / "as-text").mkdir()
    payload = import_json(run, tmp_path / "as-json", THAMES)
    text = run("import", THAMES, "--output", "plan", cwd=tmp_path / "as-text")
    assert text.code == 0, text.err
    lists = text_report_lists(text.out)
    assert sum(len(items) for items in lists.values()) == 5
    assert {key: payload[key] for key in REPORT_LISTS} == lists
    assert f"validate: {payload['validate']['summary']}\n" in text.out
    assert text.out.endswith(f"next: {payload['next']}\n")


def test_import_json_gives_the_scale_it_made_and_the_report_it_wrote(run, tmp_path) -> None:
    payload = import_json(run, tmp_path, SCOTTISH, "--report", "report.md")
    config = load_plan(tmp_path / "plan").plan
    assert config is not None
    assert payload["scale"] == [
        {"id": level.id, "label": level.display, "colour": level.colour}
        for level in config.config.scale
    ]
    assert [level["id"] for level in payload["scale"]] == ["ON-TRACK", "COMPLETE"]
    assert payload["written"][-1] == "report.md" and (tmp_path / "report.md").is_file()
    assert set(payload["written"][:-1]) == files_under(tmp_path / "plan", tmp_path)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    for item in payload["guesses"]:
        assert f"| {item['where']} |" in report  # the same items as the Markdown report


def test_import_json_gives_a_scale_set_with_the_option(run, tmp_path: Path) -> None:
    payload = import_json(run, tmp_path, SCOTTISH, "--scale", "Off track,On track,Complete")
    assert [level["label"] for level in payload["scale"]] == ["Off track", "On track", "Complete"]


def test_a_failed_import_prints_no_json(run, tmp_path: Path) -> None:
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "mine.txt").write_text("kept\n")
    result = run("import", THAMES, "--output", "plan", "--format", "json", cwd=tmp_path)
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("error: ") and "is not empty" in result.err


def big_csv(path: Path, rows: int = 600) -> Path:
    lines = ["ID,Objective,Action,By whom,RAG"]
    lines += [f"A{i},Objective {i},Action {i},Amy Ford,GREEN" for i in range(1, rows + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_at_a_terminal(source: Path, output: Path, *args: str) -> str:
    """A real process whose standard output is a terminal, where a progress bar would show."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "DATRACKER_PLAN")}
    pid, fd = _spawn(["import", str(source), "--output", str(output), *args], env)
    code, out = _finish(pid, fd)
    assert code == 0, out
    return out.replace("\r\n", "\n")  # the terminal's line endings


def test_json_at_a_terminal_has_no_progress_bar_even_on_a_big_import(tmp_path: Path) -> None:
    source = big_csv(tmp_path / "big.csv")
    shown = import_at_a_terminal(source, tmp_path / "as-text")
    assert "importing rows" in shown or "\x1b" in shown  # the bar a terminal gets in text
    out = import_at_a_terminal(source, tmp_path / "as-json", "--format", "json")
    assert "\x1b" not in out and "\r" not in out and "importing rows" not in out
    payload = json.loads(out)  # nothing but the object: no bar, no stray line
    assert payload["imported"]["actions"] == 600
    assert out == json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --- init ------------------------------------------------------------------------------------


def init_json(run: Any, target: Path, home: Path, *args: str) -> dict[str, Any]:
    result = run("init", target, *args, "--format", "json", env=identity(home))
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert isinstance(payload, dict) and set(payload) == INIT_KEYS
    return payload


def test_init_json_in_a_new_repository(run, tmp_path: Path) -> None:
    target = tmp_path / "my strategy"
    payload = init_json(run, target, tmp_path, "--datracker", PINNED)
    committed = git(target, "ls-files").split()
    assert sorted(Path(p).relative_to(target).as_posix() for p in payload["written"]) == sorted(
        committed
    )
    assert ".github/workflows/datracker.yml" in committed
    assert payload["repository"] == "new"
    assert payload["commit"] == git(target, "rev-parse", "HEAD").strip()
    assert payload["datracker"] == parse_source(PINNED).requirement
    assert payload["datracker"] in (target / ".pre-commit-config.yaml").read_text()
    assert payload["next"] == f"cd '{target}' && datracker validate"
    # the same files again: nothing to commit, said as null
    again = init_json(run, target, tmp_path, "--datracker", PINNED, "--force")
    assert again["repository"] == "existing" and again["commit"] is None
    assert again["written"] == payload["written"]


def test_init_json_inside_a_repository_without_ci(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "notes.txt").write_text("mine\n")
    commit_all(repo, "notes")
    payload = init_json(run, repo / "strategy", tmp_path, "--no-ci")
    assert payload["repository"] == "existing" and payload["datracker"] is None
    assert payload["commit"] == git(repo, "rev-parse", "HEAD").strip()
    shown = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(Path(p).relative_to(repo).as_posix() for p in payload["written"]) == sorted(shown)
    assert not any("workflows" in path for path in payload["written"])


# --- the documented exception and the wrong values -------------------------------------------


@pytest.mark.parametrize("words", [["import", str(THAMES), "--output", "out"], ["init", "new"]])
def test_a_wrong_format_exits_2_and_writes_nothing(run, tmp_path: Path, words) -> None:
    result = run(*words, "--format", "xml", cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err == "error: --format: 'xml' is not one of text, json\n" + (
        "hint: choose one of: text, json\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_table_is_read_as_text_for_import(run, tmp_path: Path) -> None:
    result = run("import", THAMES, "--output", "plan", "--format", "table", cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out.startswith(f"Imported {THAMES.name} into plan: ")


def test_render_says_why_it_has_no_json(run, tmp_path: Path) -> None:
    result = run("render", "--format", "json", cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith("error: --format: 'json' is not one of docx, md, all, pdf, html")
    assert "hint: render's --format names the document to write" in result.err
    helped = " ".join(run("render", "--help").out.split())
    assert "Not json: the output is one written path per line" in helped
