"""The git module on real repositories: a plan in a subdirectory, partial commits, tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_plan
from datracker.vcs.gitcommit import (
    Identity,
    PathState,
    commit_and_tag,
    path_states,
    prepare_commit,
)
from datracker.vcs.gitrepo import (
    GitError,
    check_revision,
    git_place,
    open_plan_repo,
    require_plan_repo,
)
from datracker.vcs.reviewcommits import tagged_commit
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
    assert path_states(found, [target]) == [
        PathState("plan/priorities/a.yaml", staged=False, unstaged=True, untracked=False)
    ]
    amy = Identity("Amy Ford", "amy@example.org")
    commit_and_tag(prepare_commit(found, [target], "A1: update", amy))
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
    commit_all(repo, "plan")
    found = require_plan_repo(plan)
    (plan / "plan.yaml").write_text((plan / "plan.yaml").read_text() + "# closed\n")
    done = commit_and_tag(
        prepare_commit(found, [plan / "plan.yaml"], "Close r2", None, "review/r2", "r2 closed")
    )
    assert git(repo, "rev-parse", "review/r2^{commit}").strip() == done.commit
    assert git(repo, "cat-file", "-t", "review/r2").strip() == "tag"
    with pytest.raises(GitError, match="the tag review/r2 already exists"):
        prepare_commit(found, [plan / "plan.yaml"], "again", None, "review/r2")
    with pytest.raises(GitError, match="cannot be a git tag"):
        prepare_commit(found, [plan / "plan.yaml"], "again", None, "review/a..b")


@pytest.mark.parametrize("rev", ["--output=/tmp/x", "-n", ""])
def test_option_like_revisions_are_refused(rev: str) -> None:
    with pytest.raises(GitError):
        check_revision(rev)


def test_tags_are_asked_of_git_without_gitpython(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "strategy" / "plan")
    head = commit_all(repo, "plan")
    place = git_place(plan)
    assert place is not None and place.plan_prefix == "strategy/plan"
    assert tagged_commit(place, "r1") is None
    git(repo, "tag", "-a", "review/r1", "-m", "r1")
    assert tagged_commit(place, "r1") == head  # the commit, not the tag object
    assert tagged_commit(place, "r2") is None
    assert git_place(write_plan(tmp_path / "loose")) is None  # not in git
