"""Sub-actions (`parent`): validated, and shown under their parent by status, render and diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write_plan
from datracker.plan.diff import compare
from datracker.plan.store import load_plan
from datracker.plan.validation import validate_plan
from gitutil import commit_all, init_repo

PRIORITY_2 = """\
id: "2"
title: Keep people safe
actions:
  - id: "2.6"
    objective: Safer streets
    measures:
      - description: Patrols
    owners:
      - amy-ford
    updates:
      - review: r2
        rag: AMBER
        text: Started.
  - id: "2.7"
    objective: Safer homes
    measures:
      - description: Visits
    owners:
      - amy-ford
    updates:
      - review: r2
        rag: GREEN
        text: Going well.
  - id: 2.6.1
    parent: "2.6"
    objective: Lighting
    measures:
      - description: Lamps fixed
    owners:
      - bruce-marr
    updates:
      - review: r2
        rag: RED
        text: Delayed.
"""


def codes(root: Path) -> list[tuple[str, int, str]]:
    problems = validate_plan(load_plan(root), today=dt.date(2022, 5, 1))
    return [(p.code, p.line, p.message) for p in problems if p.severity == "error"]


def test_a_valid_parent_passes(tmp_path: Path) -> None:
    assert codes(write_plan(tmp_path, a=PRIORITY_2)) == []


def test_unknown_parent_other_priority_and_cycle_are_errors(tmp_path: Path) -> None:
    unknown = PRIORITY_2.replace('parent: "2.6"', 'parent: "2.9"')
    assert codes(write_plan(tmp_path / "u", a=unknown)) == [
        ("unknown-parent", 25, "2.6.1: parent '2.9' is not an action in the plan")
    ]
    other = PRIORITY_2.replace('parent: "2.6"', "parent: A1")
    a1 = "id: A\ntitle: Other\nactions:\n  - id: A1\n    status: complete\n"
    assert codes(write_plan(tmp_path / "o", a=a1, b=other)) == [
        ("parent-priority", 25, "2.6.1: parent 'A1' is in priority A, not 2")
    ]
    looped = PRIORITY_2.replace('  - id: "2.6"\n', '  - id: "2.6"\n    parent: 2.6.1\n')
    found = codes(write_plan(tmp_path / "c", a=looped))
    assert [code for code, _, _ in found] == ["parent-cycle", "parent-cycle"]
    assert "2.6 → 2.6.1 → 2.6" in found[0][2]


def test_status_lists_a_sub_action_under_its_parent(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=PRIORITY_2)
    result = run("status", "--plan", root, "--format", "md")
    assert result.code == 0, result.err
    rows = [line.split(" | ")[0] for line in result.out.splitlines() if line.startswith("| ")]
    assert rows[1:] == ["| 2.6", "| ↳ 2.6.1", "| 2.7"]
    as_json = run("status", "--plan", root, "--format", "json")
    assert '"parent": "2.6"' in as_json.out


def test_render_puts_the_sub_action_row_under_its_parent(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=PRIORITY_2)
    result = run("render", "--plan", root, "--format", "md", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    text = (tmp_path / "out" / "refresh-r2.md").read_text(encoding="utf-8")
    assert text.index("| 2.6 |") < text.index("| ↳ 2.6.1 |") < text.index("| 2.7 |")
    import docx

    result = run("render", "--plan", root, "--format", "docx", "--output", tmp_path / "w")
    assert result.code == 0, result.err
    document = docx.Document(str(tmp_path / "w" / "refresh-r2.docx"))
    cells = [t.rows[i].cells[0].text for t in document.tables for i in range(len(t.rows))]
    assert cells.index("2.6") < cells.index("↳ 2.6.1") < cells.index("2.7")


def test_diff_shows_sub_actions_under_their_parent_and_a_new_parent(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    root = write_plan(repo / "plan", a=PRIORITY_2)
    commit_all(repo, "plan")
    changed = PRIORITY_2.replace("rag: RED", "rag: AMBER").replace(
        "rag: AMBER\n        text: St", "rag: RED\n        text: St"
    )
    (root / "priorities" / "a.yaml").write_text(changed, encoding="utf-8")
    result = run("diff", "HEAD", "WORKTREE", "--plan", root, "--format", "md")
    assert result.code == 0, result.err
    rows = [line.split(" | ")[0] for line in result.out.splitlines() if line.startswith("| ")]
    assert rows[1:] == ["| 2.6", "| ↳ 2.6.1"]
    before = load_plan(write_plan(tmp_path / "b", a=PRIORITY_2)).plan
    moved = PRIORITY_2.replace('parent: "2.6"', 'parent: "2.7"')
    after = load_plan(write_plan(tmp_path / "m", a=moved)).plan
    assert before is not None and after is not None
    parent_changes = [c for c in compare(before, after).changes if c.field == "parent"]
    assert [(c.id, c.before, c.after, c.label) for c in parent_changes] == [
        ("2.6.1", "2.6", "2.7", "moved under 2.7")
    ]
