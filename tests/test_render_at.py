"""`render --at REV`: a past paper rebuilt from git, exactly, with the work tree left alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, SHIPPED_PLAN
from gitutil import commit_all, git, init_repo


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def history(run, tmp_path: Path) -> Path:
    """The shipped plan in git: January 2022 tagged, then an April review recorded and closed
    with datracker's own commands, then later work, part of it uncommitted."""
    repo = init_repo(tmp_path / "repo")
    shutil.copytree(SHIPPED_PLAN, repo / "plan")
    shutil.copytree(REPO / "templates", repo / "templates")
    commit_all(repo, "The January 2022 refresh")
    git(repo, "tag", "-a", "review/2022-01", "-m", "Update January 2022 closed")
    plan = repo / "plan"
    steps = [
        ("review", "open", "Update April 2022", "--id", "2022-04", "--date", "2022-04-28"),
        ("update", "A5", "--rag", "green", "--text", "Two workshops.", "--date", "2022-04-20"),
        ("review", "assess", "A", "--rag", "AMBER", "--text", "5 open actions, 1 GREEN"),
    ]
    for step in steps:
        result = run(*step, "--plan", plan)
        assert result.code == 0, result.err
    commit_all(repo, "April 2022 updates")
    closed = run("review", "close", "--plan", plan)
    assert closed.code == 0, closed.err
    for step in [
        ("review", "open", "Update July 2022", "--id", "2022-07", "--date", "2022-07-28"),
        ("update", "A5", "--rag", "red", "--text", "Workshops stopped.", "--date", "2022-07-02"),
    ]:
        assert run(*step, "--plan", plan).code == 0
    commit_all(repo, "July work")
    narrative = plan / "narrative" / "01-introduction.md"
    narrative.write_text("## Introduction\n\nRewritten since, not yet committed.\n")
    return repo


def test_a_closed_review_renders_twice_to_identical_bytes(run, history: Path) -> None:
    plan, out = history / "plan", history.parent
    status_before = git(history, "status", "--porcelain")
    head_before = git(history, "rev-parse", "HEAD")
    first = run("render", "--plan", plan, "--at", "2022-04", "--output", out / "first")
    second = run("render", "--plan", plan, "--at", "review/2022-04", "--output", out / "second")
    assert first.code == 0 and second.code == 0, first.err + second.err
    assert [Path(p).name for p in first.out.split()] == [
        "refresh-2022-04.md",
        "refresh-2022-04.docx",
    ]
    assert _files(out / "first") == _files(out / "second")
    assert git(history, "status", "--porcelain") == status_before  # the work tree untouched
    assert git(history, "rev-parse", "HEAD") == head_before


def test_the_paper_is_the_one_a_checkout_of_that_commit_renders(run, history: Path) -> None:
    """Byte for byte what rendering a checkout of the tag gives: plan, narrative, templates
    and the changes since January, all as they were."""
    out = history.parent
    checkout = out / "checkout"
    git(history, "worktree", "add", "-q", "--detach", str(checkout), "review/2022-04")
    old = run("render", "--plan", checkout / "plan", "--output", out / "old")
    at = run("render", "--plan", history / "plan", "--at", "2022-04", "--output", out / "at")
    assert old.code == 0 and at.code == 0, old.err + at.err
    assert _files(out / "old") == _files(out / "at")
    md = (out / "at" / "refresh-2022-04.md").read_text(encoding="utf-8")
    assert "Rewritten since" not in md and "Workshops stopped" not in md
    assert "| A5 |" in md and "Two workshops." in md
    assert "- **A5** (A): AMBER → GREEN — ▲ improved" in md  # since review/2022-01
    assert "**AMBER (stated: 5 open actions, 1 GREEN)**" in md


def test_a_commit_renders_its_latest_review_and_the_disk_is_not_read(run, history: Path) -> None:
    plan, out = history / "plan", history.parent
    (plan / "plan.yaml").write_text("broken: [\n")  # what is on disk does not matter
    result = run("render", "--plan", plan, "--at", "HEAD", "--format", "md", "-o", out / "h")
    assert result.code == 0, result.err
    md = (out / "h" / "refresh-2022-07.md").read_text(encoding="utf-8")
    assert "Workshops stopped." in md and "Rewritten since" not in md


def test_unknown_revision_and_worktree_are_refused(run, history: Path) -> None:
    plan, out = history / "plan", history.parent
    unknown = run("render", "--plan", plan, "--at", "no-such-tag", "--output", out / "x")
    assert unknown.code == 1 and "'no-such-tag' is not a commit" in unknown.err
    worktree = run("render", "--plan", plan, "--at", "WORKTREE", "--output", out / "x")
    assert worktree.code == 2 and "not a revision in git" in worktree.err
    option = run("render", "--plan", plan, "--at", "--output", "--output", out / "x")
    assert option.code != 0 and "Traceback" not in option.err
    assert not (out / "x").exists()


def test_a_link_at_the_revision_is_refused_not_followed(run, history: Path) -> None:
    """A narrative file committed as a link out of the plan: the render stops and names it,
    as it does on disk, and what the link points at reaches no document."""
    plan, out = history / "plan", history.parent
    secret = out / "secret.txt"
    secret.write_text("the council's payroll\n")
    (plan / "narrative" / "07-more.md").symlink_to(secret)
    git(history, "add", "plan/narrative/07-more.md")
    git(history, "commit", "-q", "-m", "A narrative file that is a link")
    result = run("render", "--plan", plan, "--at", "HEAD", "--output", out / "linked")
    assert result.code == 1
    assert "plan/narrative/07-more.md is a symbolic link" in result.err
    assert "hint: put the file itself" in result.err
    assert not (out / "linked").exists()


def test_a_plan_file_over_the_size_cap_at_the_revision_is_refused(run, history: Path) -> None:
    """The work tree's size cap holds for a file read from git, checked before it is read."""
    plan, out = history / "plan", history.parent
    result = run(
        "render",
        "--plan",
        plan,
        "--at",
        "review/2022-04",
        "--output",
        out / "big",
        env={"DATRACKER_MAX_FILE_MB": "0.005"},
    )
    assert result.code == 1, result.err
    assert "at review/2022-04: the file is" in result.err and "over the limit" in result.err
    assert "DATRACKER_MAX_FILE_MB" in result.err
    assert not (out / "big").exists()
