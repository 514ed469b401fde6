"""diff and history on real git repositories, with commits by different authors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PLAN_YAML, PRIORITY_A, write_plan
from datracker.vcs.gitrepo import GitError
from datracker.vcs.history import changes_since_previous_review, diff_revisions
from datracker.vcs.timeline import action_history
from gitutil import commit_all, git, init_repo

AMY = ("Amy Ford", "amy@example.org")
BRUCE = ("Bruce Marr", "bruce@example.org")

PRIORITY_B = """\
id: B
title: Identify and assess
actions:
  - id: B1
    objective: Screen earlier
    owners:
      - bruce-marr
    updates:
      - review: r2
        rag: GREEN
        text: On track.
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose plan has priorities A and B, committed once by the lead."""
    root = init_repo(tmp_path / "repo")
    write_plan(root / "plan", a=PRIORITY_A, b=PRIORITY_B)
    commit_all(root, "the plan")
    return root


def a_file(repo: Path) -> Path:
    return repo / "plan" / "priorities" / "a.yaml"


def changes(result: object) -> list[tuple[str, str, object, object]]:
    diff = result.diff  # type: ignore[attr-defined]
    return [(c.id, c.field, c.before, c.after) for c in diff.changes]


# --- diff -----------------------------------------------------------------------------------


def test_rag_worsened_between_commits_json_shape(run, repo: Path) -> None:
    edit(a_file(repo), "rag: AMBER", "rag: RED")
    commit_all(repo, "A1 is red", author=AMY)
    result = run("diff", "HEAD~1", "HEAD", "--plan", repo / "plan", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data) == ["from", "to", "changes", "rollups"]
    assert list(data["from"]) == ["rev", "commit", "review"]
    assert data["from"]["rev"] == "HEAD~1" and len(data["from"]["commit"]) == 40
    assert data["changes"] == [
        {
            "priority": "A",
            "id": "A1",
            "field": "rag",
            "before": "AMBER",
            "after": "RED",
            "direction": "worsened",
            "review": None,
        }
    ]
    assert data["rollups"] == [
        {
            "priority": "A",
            "before": "computed: AMBER (1 action: 1 AMBER)",
            "after": "computed: RED (1 action: 1 RED)",
            "computed_before": "AMBER (1 action: 1 AMBER)",
            "computed_after": "RED (1 action: 1 RED)",
        }
    ]


def test_worktree_with_uncommitted_edits_is_the_default_to(repo: Path) -> None:
    edit(a_file(repo), "rag: AMBER", "rag: GREEN")
    result = diff_revisions(repo / "plan", None, None)
    assert (result.after.rev, result.after.commit) == ("WORKTREE", None)
    # r1 has no tag: the commit that closed it in plan.yaml stands in, and the note says so
    head = git(repo, "rev-parse", "HEAD").strip()
    assert (result.before.rev, result.before.commit, result.before.review) == ("r1", head, "r1")
    assert result.notes == [
        f"there is no tag review/r1 here; using {head[:7]}, the commit that closed review r1 "
        "in plan.yaml (datracker review tag makes the missing tags)"
    ]
    assert [(c.id, c.direction) for c in result.diff.changes] == [("A1", "improved")]


def test_default_from_is_the_latest_closed_reviews_tag(repo: Path) -> None:
    git(repo, "tag", "-a", "review/r1", "-m", "r1 closed")
    edit(a_file(repo), "rag: AMBER", "rag: RED")
    commit_all(repo, "A1 red", author=AMY)
    result = diff_revisions(repo / "plan", None, None)
    assert (result.before.rev, result.before.review) == ("review/r1", "r1")
    assert changes(result) == [("A1", "rag", "AMBER", "RED")]


def test_review_id_resolves_to_its_tag(repo: Path) -> None:
    tagged = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "tag", "-a", "review/r1", "-m", "r1 closed")
    edit(a_file(repo), "rag: AMBER", "rag: RED")
    commit_all(repo, "A1 red")
    result = diff_revisions(repo / "plan", "r1", "HEAD")
    assert (result.before.commit, result.before.review) == (tagged, "r1")
    with pytest.raises(GitError, match="review r2 has no tag review/r2"):
        diff_revisions(repo / "plan", "r2", "HEAD")


def test_added_removed_completed_owners_due_and_target(repo: Path) -> None:
    plan = repo / "plan"
    edit(a_file(repo), "  - id: A1\n", "  - id: A1\n    status: complete\n    due: 2023-03\n")
    edit(a_file(repo), "      - amy-ford", "      - bruce-marr")
    edit(
        a_file(repo),
        "      - description: Number of requests\n",
        "      - description: Number of requests\n        target:\n          value: 40\n",
    )
    (plan / "priorities" / "b.yaml").write_text(PRIORITY_B.replace("B1", "B2"), encoding="utf-8")
    commit_all(repo, "review changes", author=BRUCE)
    result = diff_revisions(plan, "HEAD~1", "HEAD")
    assert changes(result) == [
        ("A1", "status", "active", "complete"),
        ("A1", "owners", ["amy-ford"], ["bruce-marr"]),
        ("A1", "due", None, "2023-03"),
        ("A1", "measure", None, "Number of requests: target 40"),
        ("B2", "action", None, "GREEN"),
        ("B1", "action", "GREEN", None),
    ]
    assert [c.label for c in result.diff.changes][0] == "completed"


def test_moved_actions_and_renamed_files_are_not_changes(repo: Path) -> None:
    plan = repo / "plan"
    a1 = PRIORITY_A.split("actions:\n")[1]
    (plan / "priorities" / "a.yaml").write_text(
        PRIORITY_A.split("actions:\n")[0] + "actions: []\n", encoding="utf-8"
    )
    git(repo, "mv", "plan/priorities/b.yaml", "plan/priorities/b-renamed.yaml")
    (plan / "priorities" / "b-renamed.yaml").write_text(PRIORITY_B + a1, encoding="utf-8")
    commit_all(repo, "reorganise")
    result = diff_revisions(plan, "HEAD~1", "HEAD")
    assert result.diff.is_empty
    # A1 now counts in B's roll-up: the roll-ups show the move
    assert [(r.priority, r.computed_after) for r in result.diff.rollups] == [
        ("A", "NOT RATED (0 actions)"),
        ("B", "AMBER (2 actions: 1 AMBER, 1 GREEN)"),
    ]


def test_same_revision_twice_says_no_changes(run, repo: Path) -> None:
    for output in ("table", "md"):
        result = run("diff", "HEAD", "HEAD", "--plan", repo / "plan", "--format", output)
        assert result.code == 0, result.err
        assert "No changes between HEAD" in result.out


def test_unknown_revision_and_option_like_revision(run, repo: Path) -> None:
    result = run("diff", "no-such-branch", "--plan", repo / "plan")
    assert result.code == 1
    assert "error: 'no-such-branch' is not a commit, branch, tag or review" in result.err
    assert "hint:" in result.err and "Traceback" not in result.err
    result = run("diff", "--plan", repo / "plan", "--", "--output=/tmp/x")
    assert result.code == 1
    assert "cannot start with '-'" in result.err


def test_plan_not_in_git(run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan")
    result = run("diff", "--plan", plan)
    assert result.code == 1
    assert "not in a git repository" in result.err and "git init" in result.err


def test_revision_before_the_plan_existed_shows_everything_added(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "repo")
    (root / "README").write_text("strategy papers\n")
    commit_all(root, "start")
    write_plan(root / "strategy" / "plan", a=PRIORITY_A, b=PRIORITY_B)
    commit_all(root, "plan")
    result = diff_revisions(root / "strategy" / "plan", "HEAD~1", "HEAD")
    assert [(c.id, c.label) for c in result.diff.changes] == [("A1", "added"), ("B1", "added")]
    assert all(r.before is None for r in result.diff.rollups)


def test_broken_historical_revision_is_left_out_with_a_warning_and_exit_1(run, repo: Path) -> None:
    b = repo / "plan" / "priorities" / "b.yaml"
    good = b.read_text()
    b.write_text("id: B\ntitle: [unclosed\n")
    commit_all(repo, "broken")
    b.write_text(good.replace("rag: GREEN", "rag: AMBER"))
    edit(a_file(repo), "rag: AMBER", "rag: RED")
    commit_all(repo, "fixed")
    result = run("diff", "HEAD~1", "HEAD", "--plan", repo / "plan", "--format", "json")
    # a partial answer (issue 16): stderr says exactly what is left out, and the exit is 1
    assert result.code == 1, result.err
    assert (
        "warning: revision HEAD~1, priorities/b.yaml:2:8: the '[' opened here is never closed"
        in result.err
    )
    assert "left out: the whole file" in result.err
    assert [c["id"] for c in json.loads(result.out)["changes"]] == ["A1"]


def test_markdown_is_escaped(run, repo: Path) -> None:
    edit(a_file(repo), "objective: Raise awareness", "objective: Raise <b>awareness</b> | now")
    result = run("diff", "--plan", repo / "plan", "--format", "md")
    assert result.code == 0, result.err
    assert (
        "| A1 | objective reworded | Raise awareness | Raise &lt;b&gt;awareness&lt;/b&gt; \\| now |"
        in result.out
    )


def test_changes_since_previous_review(repo: Path, tmp_path: Path) -> None:
    edit(a_file(repo), "rag: AMBER", "rag: RED")
    untagged = changes_since_previous_review(repo / "plan", "r2")  # r1 found by its closing
    assert untagged is not None and [c.id for c in untagged.diff.changes] == ["A1"]
    assert "there is no tag review/r1 here" in untagged.notes[0]
    git(repo, "tag", "-a", "review/r1", "-m", "r1")
    found = changes_since_previous_review(repo / "plan", "r2")
    assert found is not None and [c.id for c in found.diff.changes] == ["A1"]
    assert found.notes == []
    assert changes_since_previous_review(write_plan(tmp_path / "loose"), "r2") is None


# --- history --------------------------------------------------------------------------------


def test_history_newest_first_with_author_and_review(run, repo: Path) -> None:
    edit(a_file(repo), "rag: AMBER", "rag: RED")
    edit(a_file(repo), "text: Training planned.", "text: Trainer left.\n        date: 2022-04-11")
    commit_all(repo, "A1 red", author=AMY)
    edit(repo / "plan" / "priorities" / "b.yaml", "rag: GREEN", "rag: AMBER")
    commit_all(repo, "B1 only", author=BRUCE)
    result = run("history", "a1", "--plan", repo / "plan", "--format", "json")
    assert result.code == 0, result.err
    entries = json.loads(result.out)["entries"]
    assert [(e["author"], e["rag"], e["review"], e["text"]) for e in entries] == [
        ("Amy Ford", "RED", "r2", "Trainer left."),
        ("Test Lead", "AMBER", "r2", "Training planned."),
    ]
    assert list(entries[0]) == [
        "date",
        "commit",
        "author",
        "priority",
        "review",
        "rag",
        "status",
        "text",
    ]
    since = run("history", "A1", "--since", "HEAD~2", "--plan", repo / "plan", "--format", "md")
    assert "| Amy Ford |" in since.out and "Test Lead" not in since.out
    assert "1 commit changed A1 since HEAD~2." in since.out


def test_history_follows_an_action_moved_between_files(repo: Path) -> None:
    plan = repo / "plan"
    a1 = PRIORITY_A.split("actions:\n")[1]
    (plan / "priorities" / "a.yaml").write_text(
        PRIORITY_A.split("actions:\n")[0] + "actions: []\n", encoding="utf-8"
    )
    (plan / "priorities" / "b.yaml").write_text(PRIORITY_B + a1, encoding="utf-8")
    commit_all(repo, "move A1 to B")
    edit(plan / "priorities" / "b.yaml", "rag: AMBER", "rag: RED")
    commit_all(repo, "A1 red", author=AMY)
    timeline = action_history(plan, "A1")
    assert [(e.author, e.priority, e.rag) for e in timeline.entries] == [
        ("Amy Ford", "B", "RED"),
        ("Test Lead", "B", "AMBER"),
        ("Test Lead", "A", "AMBER"),
    ]


def test_history_with_merges_lists_each_change_once(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "amy")
    edit(a_file(repo), "rag: AMBER", "rag: RED")
    commit_all(repo, "A1 red", author=AMY)
    git(repo, "checkout", "-q", "main")
    edit(repo / "plan" / "priorities" / "b.yaml", "rag: GREEN", "rag: AMBER")
    commit_all(repo, "B1 amber", author=BRUCE)
    git(repo, "merge", "-q", "--no-ff", "--no-edit", "amy")
    assert len(git(repo, "log", "--merges", "--format=%H").split()) == 1
    timeline = action_history(repo / "plan", "A1")
    assert [(e.author, e.rag) for e in timeline.entries] == [
        ("Amy Ford", "RED"),
        ("Test Lead", "AMBER"),
    ]
    assert [e.author for e in action_history(repo / "plan", "B1").entries] == [
        "Bruce Marr",
        "Test Lead",
    ]


def test_history_skips_a_broken_revision_with_a_warning(repo: Path) -> None:
    a = a_file(repo)
    good = a.read_text()
    a.write_text("id: A\n\ttitle: tabbed\n")
    commit_all(repo, "broken")
    a.write_text(good.replace("rag: AMBER", "rag: RED"))
    commit_all(repo, "fixed", author=AMY)
    timeline = action_history(repo / "plan", "A1")
    assert [e.status for e in timeline.entries] == ["active", "unreadable", "active"]
    assert any(
        "priorities/a.yaml:2:1:" in w and w.endswith("left out: the whole file")
        for w in timeline.warnings
    )


def test_history_of_an_unknown_action(run, repo: Path) -> None:
    result = run("history", "Z9", "--plan", repo / "plan")
    assert result.code == 2
    assert "no action 'Z9'" in result.err


@pytest.mark.parametrize("command", ["diff", "history"])
def test_help_has_an_example(run, command: str) -> None:
    result = run(command, "--help")
    assert result.code == 0, result.err
    assert "Example: datracker " + command in result.out


def test_a_repository_with_no_commits_yet_says_so(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_plan(repo / "plan", PLAN_YAML.replace("status: open", "status: closed"))
    result = run("history", "A1", "--plan", repo / "plan")
    assert result.code == 0, result.err
    assert "No commits changed A1." in result.out
    assert "note: the repository has no commits yet" in result.err
    tagged = run("review", "tag", "--plan", repo / "plan")
    assert tagged.code == 1
    assert tagged.err.startswith(
        "error: reviews r1 and r2 are closed in plan.yaml on disk, but no commit records them"
    )
    assert git(repo, "tag") == ""
