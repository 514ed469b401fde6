"""Reading a plan's files: from disk, from bytes (as read from git), or only those that matter.

A plan built from file bytes is checked exactly as one read from disk, and a load limited to
the files naming an action sees that action exactly as a full load does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import PRIORITY_A, SHIPPED_PLAN, write_plan
from datracker.plan.store import files_naming, load_plan, load_plan_from_files, priority_file_names


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


PRIORITY_Z = """\
id: Z
title: Others
actions:
  - id: A10
    objective: Starts like the first, but is not it
  - id: XA1
    objective: Nor this one
"""


def test_files_naming_matches_whole_ids_in_any_case(tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=PRIORITY_A, z=PRIORITY_Z)
    assert files_naming(root, "a1") == ["priorities/a.yaml"]
    assert files_naming(root, " A10 ") == ["priorities/z.yaml"]
    assert files_naming(root, "A2") == []


def test_files_naming_gives_up_on_ids_it_cannot_search_for(tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan")
    assert files_naming(root, "A 1") is None
    assert files_naming(root, "") is None
    assert files_naming(root, "A1|.*") is None


def test_files_naming_names_files_it_cannot_search_safely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(PRIORITY_Z)
    root = write_plan(tmp_path / "plan", a=PRIORITY_A, big="id: B\n# " + "x" * 2**20 + "\n")
    os.symlink(outside, root / "priorities" / "linked.yaml")
    monkeypatch.setenv("DATRACKER_MAX_FILE_MB", "1")
    # the link and the oversized file are named so that reading them reports the problem
    assert files_naming(root, "Q9") == ["priorities/big.yaml", "priorities/linked.yaml"]


def test_limited_load_reads_only_the_named_files(tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=PRIORITY_A, c="id: C\ntitle: [broken\n")
    full, limited = load_plan(root), load_plan(root, only=["priorities/a.yaml"])
    assert [p.path for p in full.problems] == ["priorities/c.yaml"]
    assert limited.problems == []
    assert limited.only == frozenset({"priorities/a.yaml"})
    assert limited.plan is not None and full.plan is not None
    assert limited.plan.config == full.plan.config
    assert limited.plan.priorities == [p for p in full.plan.priorities if p.id == "A"]
    # a reload checking one changed file keeps the limit rather than reading the rest
    again = load_plan(root, overrides={"priorities/a.yaml": PRIORITY_A}, reuse=limited)
    assert again.only == limited.only and again.problems == []
