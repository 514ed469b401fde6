"""`datracker check` on real repositories with commits by different authors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import PLAN_YAML, PRIORITY_A, write_plan
from gitutil import commit_all, git, init_repo

AMY = ("Amy Ford", "amy@example.org")
BRUCE = ("Bruce Marr", "bruce@example.org")
LEAD = ("Strategy Lead", "lead@example.org")
STRANGER = ("Someone Else", "someone@example.net")

OWNERS = """\
owners:
  - id: amy-ford
    name: Amy Ford
    git_emails: [" AMY@Example.org "]
  - id: bruce-marr
    name: Bruce Marr
    git_emails: [bruce@example.org]
    handles: [brucem]
  - id: lead
    name: Strategy Lead
    git_emails: [lead@example.org]
maintainers:
  - lead
"""

PRIORITY_B = """\
id: B
title: Improve identification
actions:
  - id: B1
    objective: Audit health services
    measures:
      - description: Referrals from health services
    owners:
      - bruce-marr
    updates:
      - review: r2
        date: 2022-04-11
        rag: RED
        text: Not started.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    plan_yaml = PLAN_YAML.split("owners:")[0] + OWNERS
    write_plan(root / "plan", plan_yaml, a=PRIORITY_A, b=PRIORITY_B)
    commit_all(root, "plan", author=LEAD)
    git(root, "branch", "base")
    return root


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / "plan" / "priorities" / f"{name}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def check(run, repo: Path, *extra: str):  # type: ignore[no-untyped-def]
    result = run("check", "--base", "base", "--plan", "plan", "--format", "json", *extra, cwd=repo)
    return result, (json.loads(result.out) if result.out.startswith("{") else None)


def test_owner_updating_their_own_action_passes(run, repo: Path) -> None:
    edit(repo, "a", "rag: AMBER", "rag: GREEN")
    commit_all(repo, "A1: AMBER -> GREEN", author=AMY)
    result, data = check(run, repo)
    assert result.code == 0, result.out + result.err
    assert data["valid"] and data["permitted"]
    assert data["rag_changes"] == [
        {"priority": "A", "id": "A1", "before": "AMBER", "after": "GREEN", "direction": "improved"}
    ]
    assert [(a["owner"], a["role"], a["permitted"]) for a in data["authors"]] == [
        ("amy-ford", "owner", True)
    ]


def test_owner_editing_someone_elses_action_fails_and_is_named(run, repo: Path) -> None:
    edit(repo, "b", "rag: RED", "rag: GREEN")
    commit_all(repo, "B1 looks fine to me", author=AMY)
    result, data = check(run, repo)
    assert result.code == 1
    (amy,) = data["authors"]
    assert amy["permitted"] is False
    assert [(v["target"], v["reason"]) for v in amy["violations"]] == [
        ("B1", "updates: B1 is owned by Bruce Marr")
    ]
    md = run("check", "--base", "base", "--plan", "plan", "--format", "md", cwd=repo).out
    assert (
        "| Amy Ford &lt;amy@example.org&gt; (amy-ford) | owner | 1 | ❌ not permitted | B1 |" in md
    )
    text = run("check", "--base", "base", "--plan", "plan", cwd=repo).out
    assert "  Amy Ford <amy@example.org> (amy-ford): owner, 1 commit, not permitted (B1)" in text
    assert "&lt;" not in text


def test_owner_may_not_change_wording_of_their_own_action(run, repo: Path) -> None:
    edit(repo, "a", "objective: Raise awareness", "objective: Raise some awareness")
    commit_all(repo, "reword", author=AMY)
    _, data = check(run, repo)
    assert data["authors"][0]["violations"][0]["reason"] == (
        "changed the wording: only a maintainer may do this"
    )


def test_maintainer_adding_an_action_passes(run, repo: Path) -> None:
    new = PRIORITY_B + (
        "  - id: B2\n    objective: New work\n    measures:\n      - description: Something\n"
        "    owners:\n      - amy-ford\n    status: new\n"
    )
    (repo / "plan" / "priorities" / "b.yaml").write_text(new)
    commit_all(repo, "add B2", author=LEAD)
    result, data = check(run, repo)
    assert result.code == 0, result.out
    assert data["authors"][0]["role"] == "maintainer"


def test_unknown_author_is_reported(run, repo: Path) -> None:
    edit(repo, "a", "Training planned.", "Training delivered.")
    commit_all(repo, "update", author=STRANGER)
    result, data = check(run, repo)
    assert result.code == 1
    (author,) = data["authors"]
    assert (author["role"], author["owner"]) == ("unknown", None)
    assert author["violations"][0]["reason"] == "updates: the author is not in the owners directory"


def test_github_noreply_address_matches_a_handle(run, repo: Path) -> None:
    edit(repo, "b", "Not started.", "Started.")
    commit_all(repo, "B1", author=("Bruce", "1234+BruceM@users.noreply.github.com"))
    result, data = check(run, repo)
    assert result.code == 0, result.out
    assert data["authors"][0]["owner"] == "bruce-marr"


def test_a_pull_request_that_breaks_validation(run, repo: Path) -> None:
    edit(repo, "a", "rag: AMBER", "rag: AMBERISH")
    commit_all(repo, "typo", author=AMY)
    result, data = check(run, repo)
    assert result.code == 1
    assert data["valid"] is False and data["permitted"] is True
    assert data["problems"][0]["code"] == "unknown-rag"
    md = run("check", "--base", "base", "--plan", "plan", "--format", "md", cwd=repo).out
    assert "❌ The plan has 1 error:" in md
    assert "plan/priorities/a.yaml:13:14" in md


def test_merge_commit_is_charged_only_with_its_own_changes(run, repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "amy")
    edit(repo, "a", "rag: AMBER", "rag: GREEN")
    commit_all(repo, "A1", author=AMY)
    git(repo, "checkout", "-q", "main")
    edit(repo, "b", "Not started.", "Started.")
    commit_all(repo, "B1", author=BRUCE)
    git(repo, "merge", "-q", "--no-ff", "amy", "-m", "merge amy", author=("Someone Else", "x@y.z"))
    result, data = check(run, repo)
    assert result.code == 0, result.out
    assert sorted(a["owner"] or a["email"] for a in data["authors"] if a["commits"]) == [
        "amy-ford",
        "bruce-marr",
    ]


def test_base_that_does_not_exist_or_is_not_an_ancestor(run, repo: Path) -> None:
    result = run("check", "--base", "nope", "--plan", "plan", cwd=repo)
    assert result.code == 1 and "'nope' is not a commit" in result.err
    git(repo, "checkout", "-q", "-b", "side", "base")
    edit(repo, "a", "rag: AMBER", "rag: RED")
    commit_all(repo, "side", author=AMY)
    git(repo, "checkout", "-q", "main")
    edit(repo, "b", "rag: RED", "rag: AMBER")
    commit_all(repo, "main", author=BRUCE)
    result = run("check", "--base", "side", "--plan", "plan", cwd=repo)
    assert result.code == 1 and "is not an ancestor" in result.err
    assert "-" not in run("check", "--base", "--evil", "--plan", "plan", cwd=repo).out


def test_shallow_clone_without_the_base_says_how_to_fetch(run, repo: Path, tmp_path: Path) -> None:
    edit(repo, "a", "rag: AMBER", "rag: GREEN")
    commit_all(repo, "A1", author=AMY)
    base = git(repo, "rev-parse", "base").strip()
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    result = run("check", "--base", base, "--plan", "plan", cwd=clone)
    assert result.code == 1
    assert "shallow clone" in result.err and "fetch" in result.err
