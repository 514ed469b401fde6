"""`datracker review open|list|close`: one open review at a time, and a tag in git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PLAN_YAML, write_plan
from gitutil import commit_all, git, init_repo

CLOSED = PLAN_YAML.replace("status: open", "status: closed")


def test_open_list_close_without_git(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", CLOSED)
    before = (root / "plan.yaml").read_text()
    result = run("review", "open", "Update July 2022", "--date", "2022-07-28", "--plan", root)
    assert result.code == 0, result.err
    assert result.out.startswith("opened review 2022-07: Update July 2022 (2022-07-28) in ")
    entry = "  - id: 2022-07\n    label: Update July 2022\n    date: 2022-07-28\n    status: open\n"
    assert (root / "plan.yaml").read_text() == before.replace("owners:\n", entry + "owners:\n")
    listed = run("review", "list", "--plan", root)
    assert "2022-07  Update July 2022" in listed.out
    assert "open" in listed.out.splitlines()[-1]
    result = run("review", "close", "--plan", root)
    assert result.code == 0, result.err
    assert "closed review 2022-07" in result.out
    assert "not in git, so no tag" in result.out
    assert "status: open" not in (root / "plan.yaml").read_text()


def test_only_one_open_review(run, plan_dir: Path) -> None:
    before = (plan_dir / "plan.yaml").read_bytes()
    result = run("review", "open", "Another", "--plan", plan_dir)
    assert result.code == 1
    assert "review 'r2' (Update April 2022) is still open" in result.err
    assert "datracker review close" in result.err
    assert (plan_dir / "plan.yaml").read_bytes() == before


def test_duplicate_id_and_bad_date_are_refused(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", CLOSED)
    before = (root / "plan.yaml").read_bytes()
    assert (
        "already a review with id 'r1'"
        in run("review", "open", "X", "--id", "r1", "--plan", root).err
    )
    assert "is not a date" in run("review", "open", "X", "--date", "April", "--plan", root).err
    assert (root / "plan.yaml").read_bytes() == before


def test_list_formats(run, plan_dir: Path) -> None:
    data = json.loads(run("review", "list", "--plan", plan_dir, "--format", "json").out)
    assert data["reviews"][1] == {
        "id": "r2", "label": "Update April 2022", "date": "2022-04",
        "status": "open", "approved": None, "approved_by": None, "updates": 1,
    }  # fmt: skip
    md = run("review", "list", "--plan", plan_dir, "--format", "md").out
    assert md.splitlines()[0] == "| ID | Label | Date | Status | Approved | Approved by | Updates |"
    assert "| r2 | Update April 2022 | 2022-04 | open | — | — | 1 |" in md


def test_close_when_none_is_open(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", CLOSED)
    result = run("review", "close", "--plan", root)
    assert result.code == 1
    assert "no review is open" in result.err


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    repo = init_repo(tmp_path / "repo")
    root = write_plan(repo / "docs" / "plan")
    commit_all(repo, "plan")
    return repo, root


def test_close_commits_and_tags_in_git(run, repo) -> None:
    repo, root = repo
    result = run("review", "close", "--plan", root, "--author", "Sam Lead <sam@example.org>")
    assert result.code == 0, result.err
    assert "tagged review/r2 on " in result.out
    assert git(repo, "cat-file", "-t", "review/r2").strip() == "tag"
    assert git(repo, "rev-parse", "review/r2^{commit}") == git(repo, "rev-parse", "HEAD")
    log = git(repo, "log", "-1", "--format=%an|%s").strip()
    assert log == "Sam Lead|Close review r2 (Update April 2022)"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["docs/plan/plan.yaml"]
    assert git(repo, "status", "--porcelain").strip() == ""


def test_close_refused_with_uncommitted_changes(run, repo) -> None:
    repo, root = repo
    target = root / "priorities" / "a.yaml"
    target.write_text(target.read_text() + "# not committed\n")
    before = (root / "plan.yaml").read_bytes()
    result = run("review", "close", "--plan", root)
    assert result.code == 1
    assert "uncommitted changes: docs/plan/priorities/a.yaml (unstaged changes)" in result.err
    assert "see them with: git diff -- docs/plan/priorities/a.yaml" in result.err
    assert (root / "plan.yaml").read_bytes() == before
    git(repo, "add", "docs/plan/priorities/a.yaml")
    result = run("review", "close", "--plan", root)
    assert "docs/plan/priorities/a.yaml (staged changes)" in result.err
    assert "see them with: git diff --staged -- docs/plan/priorities/a.yaml" in result.err
    assert (root / "plan.yaml").read_bytes() == before
    assert git(repo, "tag").strip() == ""


def test_close_refused_when_the_tag_exists(run, repo) -> None:
    repo, root = repo
    git(repo, "tag", "review/r2")
    before = (root / "plan.yaml").read_bytes()
    result = run("review", "close", "--plan", root)
    assert result.code == 1
    assert "the tag review/r2 already exists" in result.err
    assert (root / "plan.yaml").read_bytes() == before


# One review chooser (plan/lookup.py): every command that takes a review says the same thing
# about an id the plan does not have, and changes nothing.
NAMING_A_REVIEW = [
    ("update", "A1", "--text", "x", "--review", "r22"),
    ("review", "assess", "A", "--rag", "red", "--review", "r22"),
    ("review", "close", "r22"),
    ("review", "approve", "r22", "--date", "2022-05-01"),
    ("chase", "--review", "r22"),
    ("render", "--review", "r22", "--output", "out"),
]


@pytest.mark.parametrize("args", NAMING_A_REVIEW, ids=lambda a: " ".join(a[:2]))
def test_every_command_names_a_missing_review_alike(
    run, plan_dir: Path, args: tuple[str, ...]
) -> None:
    before = {p: p.read_bytes() for p in sorted(plan_dir.rglob("*")) if p.is_file()}
    result = run(*args, "--plan", plan_dir, cwd=plan_dir.parent)
    assert result.code == 2, result.err
    assert result.err.splitlines() == [
        "error: no review 'r22' in plan.yaml",
        "hint: did you mean 'r2'? reviews are: r1, r2",
    ]
    assert {p: p.read_bytes() for p in sorted(plan_dir.rglob("*")) if p.is_file()} == before
    assert not (plan_dir.parent / "out").exists()


def test_without_a_review_each_command_says_what_it_cannot_do(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", CLOSED)
    chased = run("chase", "--plan", root)
    assert chased.code == 1
    assert "no review is open, so there is nothing to chase" in chased.err
    assert "datracker review open 'Update April 2022', or name one with --review" in chased.err
    updated = run("update", "A1", "--text", "x", "--plan", root)
    assert "no review is open, so there is nothing to record an update for" in updated.err
    assert "--review" not in updated.err  # a closed review cannot take an update
    closed = run("review", "close", "--plan", root)
    assert "no review is open, so there is nothing to close" in closed.err
