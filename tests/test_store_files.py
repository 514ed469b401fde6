"""A plan built from file bytes (as read from git) is checked exactly as one read from disk."""

from __future__ import annotations

from pathlib import Path

from conftest import PRIORITY_A, SHIPPED_PLAN, write_plan
from datracker.store import load_plan, load_plan_from_files, priority_file_names


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.y*ml")}


def test_shipped_plan_from_bytes_matches_disk() -> None:
    from_disk = load_plan(SHIPPED_PLAN)
    from_bytes = load_plan_from_files(SHIPPED_PLAN, _files(SHIPPED_PLAN))
    assert from_bytes.plan == from_disk.plan
    assert from_bytes.problems == from_disk.problems


def test_problems_from_bytes_have_positions(tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=PRIORITY_A.replace("owners:", "ownerz:"))
    from_bytes = load_plan_from_files(root, _files(root))
    assert from_bytes.problems == load_plan(root).problems
    assert [(p.path, p.code) for p in from_bytes.problems][0] == (
        "priorities/a.yaml",
        "unknown-field",
    )


def test_priority_file_names_ignores_other_files() -> None:
    names = ["plan.yaml", "priorities/b.yml", "priorities/a.yaml", "priorities/x/c.yaml", "README"]
    assert priority_file_names(names) == ["priorities/a.yaml", "priorities/b.yml"]
