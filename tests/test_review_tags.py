"""History without tags: a fresh clone finds each review by the commit that closed it, and
`review tag` makes the missing tags, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from conftest import PLAN_YAML, PRIORITY_A, write_plan
from datracker.vcs.gitrepo import git_place
from datracker.vcs.reviewcommits import closing_commits
from gitutil import commit_all, git, init_repo

R2_CLOSED = PLAN_YAML.replace("status: open", "status: closed")
R2_APPROVED = R2_CLOSED.replace(
    "    date: 2022-04\n    status: closed\n",
    "    date: 2022-04\n    status: closed\n    approved: 2022-05-03\n",
)


def _plan_with(text: str) -> str:
    """plan.yaml with a review r3 appended to the reviews (before owners)."""
    return text.replace(
        "owners:\n", "  - id: r3\n    label: Update July 2022\n    date: 2022-07\nowners:\n", 1
    )


@pytest.fixture
def origin(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository whose reviews were closed by hand (no datracker, so no tags ever)."""
    repo = init_repo(tmp_path / "origin")
    plan = write_plan(repo / "plan")  # r1 closed from the start (as imported), r2 open
    commits = {"import": commit_all(repo, "import the plan")}
    (plan / "priorities" / "a.yaml").write_text(PRIORITY_A.replace("rag: AMBER", "rag: RED"))
    commits["a1 red"] = commit_all(repo, "A1 red")
    (plan / "plan.yaml").write_text(R2_CLOSED)
    commits["close r2"] = commit_all(repo, "close r2 by hand")
    (plan / "plan.yaml").write_text(R2_APPROVED)
    commits["approve r2"] = commit_all(repo, "r2 approved")
    (plan / "plan.yaml").write_text(_plan_with(R2_APPROVED))
    (plan / "priorities" / "a.yaml").write_text(PRIORITY_A.replace("rag: AMBER", "rag: GREEN"))
    commits["r3"] = commit_all(repo, "open r3, A1 green")
    assert git(repo, "tag") == ""
    return repo, commits


@pytest.fixture
def clone(origin, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo, commits = origin
    git(tmp_path, "clone", "-q", str(repo), str(tmp_path / "clone"))
    clone = tmp_path / "clone"
    git(clone, "config", "user.name", "Lee Lead")
    git(clone, "config", "user.email", "lee@example.org")
    assert git(clone, "tag") == ""
    return clone, commits


def test_the_closing_commit_rule(origin) -> None:
    repo, commits = origin
    place = git_place(repo / "plan")
    assert place is not None
    found = closing_commits(place, ["r1", "r2", "r3"])
    # r1: imported closed; r2: closed by hand, the approval after it does not move it
    assert found == {"r1": commits["import"], "r2": commits["close r2"]}


def test_a_review_closed_reopened_and_closed_again_is_found_at_its_last_closing(
    origin,
) -> None:
    repo, _ = origin
    plan = repo / "plan"
    reopened = _plan_with(R2_APPROVED).replace("status: closed", "status: open")
    (plan / "plan.yaml").write_text(reopened)
    commit_all(repo, "reopen r1 and r2")
    (plan / "plan.yaml").write_text(_plan_with(R2_APPROVED))
    again = commit_all(repo, "close them again")
    place = git_place(plan)
    assert place is not None
    assert closing_commits(place, ["r1", "r2"]) == {"r1": again, "r2": again}


def test_diff_from_a_fresh_clone_uses_the_closing_commit_and_says_so(run, clone) -> None:
    clone, commits = clone
    result = run("diff", "r2", "WORKTREE", "--plan", "plan", cwd=clone)
    assert result.code == 0, result.err
    short = commits["close r2"][:7]
    assert result.err == (
        f"note: there is no tag review/r2 here; using {short}, the commit that closed review r2 "
        "in plan.yaml (datracker review tag makes the missing tags)\n"
    )
    assert f"Changes from r2 ({short}) to WORKTREE" in result.out
    assert "RAG improved" in result.out and "RED" in result.out and "GREEN" in result.out
    between = run("diff", "r1", "r2", "--plan", "plan", "--format", "json", cwd=clone)
    assert between.code == 0, between.err
    assert '"after": "RED"' in between.out and '"before": "AMBER"' in between.out


def test_history_since_a_review_from_a_fresh_clone(run, clone) -> None:
    clone, commits = clone
    result = run("history", "A1", "--since", "r2", "--plan", "plan", "--format", "md", cwd=clone)
    assert result.code == 0, result.err
    assert f"using {commits['close r2'][:7]}, the commit that closed review r2" in result.err
    assert commits["r3"][:7] in result.out
    assert commits["a1 red"][:7] not in result.out


def test_render_from_a_fresh_clone_has_its_changes_section(run, clone, tmp_path: Path) -> None:
    clone, commits = clone
    out = tmp_path / "out"
    result = run("render", "--review", "r2", "--plan", "plan", "--output", out, cwd=clone)
    assert result.code == 0, result.err
    assert f"using {commits['import'][:7]}, the commit that closed review r1" in result.err
    md = (out / "refresh-r2.md").read_text()
    assert "## Changes since Update January 2022" in md
    assert "- **A1** (A): AMBER → RED" in md


def test_two_reviews_closed_in_one_commit_are_not_called_unchanged(run, tmp_path: Path) -> None:
    """An imported plan arrives with its reviews closed at once: git cannot tell what changed
    between them, and the paper must say so rather than "no changes"."""
    repo = init_repo(tmp_path / "repo")
    write_plan(repo / "plan", R2_CLOSED)
    closing = commit_all(repo, "import the plan, both reviews closed")
    out = tmp_path / "out"
    result = run("render", "--review", "r2", "--plan", "plan", "--output", out, cwd=repo)
    assert result.code == 0, result.err
    md = (out / "refresh-r2.md").read_text()
    assert "No RAG changes" not in md
    assert (
        "## Changes since Update January 2022 *Not shown: the plan's git history records "
        f"Update January 2022 and this review in one commit ({closing[:7]}), so it cannot "
        "tell what changed between them." in " ".join(md.split())
    )
    docx = Document(out / "refresh-r2.docx")
    assert any("in one commit" in p.text for p in docx.paragraphs)


def test_review_tag_makes_the_missing_tags_on_the_closing_commits(run, clone) -> None:
    clone, commits = clone
    dry = run("review", "tag", "--dry-run", "--plan", "plan", cwd=clone)
    assert dry.code == 0, dry.err
    assert dry.out.startswith(f"would tag review/r1 on {commits['import'][:7]}")
    assert git(clone, "tag") == ""
    result = run("review", "tag", "--plan", "plan", cwd=clone)
    assert result.code == 0, result.err
    assert result.out == (
        f"tagged review/r1 on {commits['import'][:7]}, the commit that closed it\n"
        f"tagged review/r2 on {commits['close r2'][:7]}, the commit that closed it\n"
    )
    assert git(clone, "rev-parse", "review/r2^{commit}").strip() == commits["close r2"]
    assert git(clone, "cat-file", "-t", "review/r2").strip() == "tag"  # annotated
    assert git(clone, "status", "--porcelain") == ""
    again = run("review", "tag", "--plan", "plan", cwd=clone)
    assert again.out == "every closed review already has its tag: review/r1, review/r2\n"
    diff = run("diff", "r2", "WORKTREE", "--plan", "plan", cwd=clone)
    assert diff.code == 0 and diff.err == ""  # the tag now answers, no note


def test_review_tag_as_json(run, clone) -> None:
    clone, commits = clone
    dry = json.loads(
        run("review", "tag", "--dry-run", "-f", "json", "--plan", "plan", cwd=clone).out
    )
    assert dry == {
        "dry_run": True,
        "made": [
            {"review": "r1", "tag": "review/r1", "commit": commits["import"]},
            {"review": "r2", "tag": "review/r2", "commit": commits["close r2"]},
        ],
        "already": [],
    }
    assert git(clone, "tag") == ""
    assert run("review", "tag", "--plan", "plan", cwd=clone).code == 0
    again = json.loads(run("review", "tag", "--format", "json", "--plan", "plan", cwd=clone).out)
    assert again == {"dry_run": False, "made": [], "already": ["review/r1", "review/r2"]}


def test_review_tag_is_all_or_nothing(run, clone) -> None:
    clone, _ = clone
    hook = clone / ".git" / "hooks" / "reference-transaction"
    hook.write_text(
        '#!/bin/sh\n[ "$1" = prepared ] || exit 0\n'
        'if grep -q "refs/tags/review/r2"; then echo "not r2 (test hook)" >&2; exit 1; fi\n'
    )
    hook.chmod(0o755)
    result = run("review", "tag", "--plan", "plan", cwd=clone)
    assert result.code == 1
    assert "git could not make the tag review/r2" in result.err
    assert "nothing was tagged" in result.err
    assert git(clone, "tag") == ""  # review/r1, made first, was deleted again
    hook.unlink()
    assert run("review", "tag", "--plan", "plan", cwd=clone).code == 0
    assert git(clone, "tag").split() == ["review/r1", "review/r2"]


def test_review_tag_refuses_a_review_closed_only_on_disk(run, clone) -> None:
    clone, _ = clone
    plan_yaml = clone / "plan" / "plan.yaml"
    closed = plan_yaml.read_text().replace("date: 2022-07\n", "date: 2022-07\n    status: closed\n")
    plan_yaml.write_text(closed)
    result = run("review", "tag", "--plan", "plan", cwd=clone)
    assert result.code == 1
    assert "review r3 is closed in plan.yaml on disk, but no commit records it closed" in (
        result.err
    )
    assert "nothing was tagged" in result.err
    assert git(clone, "tag") == ""


def test_review_tag_without_an_identity_says_so(run, clone, tmp_path: Path) -> None:
    clone, _ = clone
    git(clone, "config", "--unset", "user.name")
    git(clone, "config", "--unset", "user.email")
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    result = run("review", "tag", "--plan", "plan", cwd=clone, env=env)
    assert result.code == 1
    assert "git does not know your name and e-mail" in result.err
    assert git(clone, "tag") == ""
    author = "Amy Ford <amy@example.org>"
    result = run("review", "tag", "--author", author, "--plan", "plan", cwd=clone, env=env)
    assert result.code == 0, result.err
    tagger = git(clone, "for-each-ref", "--format=%(taggername)", "refs/tags/review/r1").strip()
    assert tagger == "Amy Ford"


def test_review_tag_outside_git(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan")
    result = run("review", "tag", "--plan", root)
    assert result.code == 1
    assert "not in a git repository" in result.err
