"""The git module on real repositories: a plan in a subdirectory, partial commits, tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_plan
from datracker.vcs.gitrepo import (
    GitError,
    check_revision,
    commit_paths,
    create_tag,
    open_plan_repo,
    require_plan_repo,
    tag_beside,
    uncommitted,
)
from gitutil import commit_all, git, init_repo


def test_plan_outside_git(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan")
    assert open_plan_repo(plan) is None
    with pytest.raises(GitError, match="not in a git repository"):
        require_plan_repo(plan)


def test_plan_in_a_subdirectory(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "strategy" / "plan")
    commit_all(repo, "plan")
    found = open_plan_repo(plan)
    assert found is not None
    assert found.plan_prefix == "strategy/plan"
    assert found.relative(plan / "plan.yaml") == "strategy/plan/plan.yaml"


def test_commit_only_the_named_file(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan")
    commit_all(repo, "plan")
    target = plan / "priorities" / "a.yaml"
    target.write_text(target.read_text() + "# edited\n")
    (plan / "plan.yaml").write_text((plan / "plan.yaml").read_text() + "# staged elsewhere\n")
    git(repo, "add", "plan/plan.yaml")
    found = require_plan_repo(plan)
    assert uncommitted(found, [target]) == ["plan/priorities/a.yaml"]
    commit_paths(found, [target], "A1: update", "Amy Ford <amy@example.org>")
    assert (
        git(repo, "log", "-1", "--format=%an <%ae>|%s").strip()
        == "Amy Ford <amy@example.org>|A1: update"
    )
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "plan/priorities/a.yaml"
    ]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["plan/plan.yaml"]


def test_annotated_tag_and_refusing_a_second(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan")
    head = commit_all(repo, "plan")
    found = require_plan_repo(plan)
    assert create_tag(found, "review/r2", "Update April 2022 closed") == head
    assert git(repo, "cat-file", "-t", "review/r2").strip() == "tag"
    with pytest.raises(GitError, match="already exists"):
        create_tag(found, "review/r2", "again")


@pytest.mark.parametrize("rev", ["--output=/tmp/x", "-n", ""])
def test_option_like_revisions_are_refused(rev: str) -> None:
    with pytest.raises(GitError):
        check_revision(rev)


def test_tag_beside_asks_git_for_the_tag(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "strategy" / "plan")
    commit_all(repo, "plan")
    assert not tag_beside(plan, "review/r1")
    git(repo, "tag", "review/r1")
    assert tag_beside(plan, "review/r1")
    assert not tag_beside(plan, "review/r2")
    assert not tag_beside(write_plan(tmp_path / "loose"), "review/r1")  # not in git
    with pytest.raises(GitError, match="is not a revision"):
        tag_beside(plan, "--output=x")
