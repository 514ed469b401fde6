"""The refresh document's "Changes since" section, computed from real git history."""

from __future__ import annotations

from pathlib import Path

from conftest import PLAN_YAML, PRIORITY_A, write_plan
from gitutil import commit_all, git, init_repo

TWO_ACTIONS = (
    PRIORITY_A
    + """\
  - id: A2
    objective: Train staff
    measures:
      - description: Staff trained
    owners:
      - bruce-marr
    updates:
      - review: r1
        rag: RED
        text: Not started.
"""
)


def test_changes_since_the_previous_review_come_from_its_tag(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan", a=TWO_ACTIONS.replace("review: r2", "review: r1"))
    commit_all(repo, "January review")
    git(repo, "tag", "-a", "review/r1", "-m", "Update January 2022 closed")
    text = TWO_ACTIONS.replace("    owners:\n      - bruce-marr\n", "    status: complete\n")
    text = text.replace("rag: AMBER", "rag: GREEN").replace("review: r2", "review: r2")
    (plan / "priorities" / "a.yaml").write_text(text)
    result = run("render", "--plan", plan, "--format", "md", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    md = (tmp_path / "out" / "refresh-r2.md").read_text()
    assert "## Changes since Update January 2022" in md
    assert "- **A1** (A): AMBER → GREEN — ▲ improved" in md
    assert "- **A2** (A): active → complete — completed" in md


def test_without_a_tag_the_closing_commit_stands_in(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan", PLAN_YAML)  # r1 closed when first committed (imported)
    closing = commit_all(repo, "plan")
    (plan / "priorities" / "a.yaml").write_text(PRIORITY_A.replace("rag: AMBER", "rag: RED"))
    result = run("render", "--plan", plan, "--format", "md", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    assert f"note: there is no tag review/r1 here; using {closing[:7]}" in result.err
    md = (tmp_path / "out" / "refresh-r2.md").read_text()
    assert "## Changes since Update January 2022" in md
    assert "- **A1** (A): AMBER → RED — ▼ worse" in md


def test_a_review_never_committed_closed_gets_the_note(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan", PLAN_YAML.replace("status: closed", "status: open"))
    commit_all(repo, "plan with r1 open")
    (plan / "plan.yaml").write_text(PLAN_YAML)  # r1 closed on disk only
    result = run("render", "--plan", plan, "--format", "md", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    md = (tmp_path / "out" / "refresh-r2.md").read_text()
    assert "## Changes since Update January 2022\n\n*Not shown: the plan's git history" in md
    assert "no tag review/r1, and no commit of plan.yaml with it closed" in md


def test_the_paper_lists_this_review_s_stated_rating_not_records_of_earlier_ones(
    run, tmp_path: Path
) -> None:
    """A rating recorded afterwards for an earlier review corrects the record; it is not a
    change in delivery since that review, so the paper leaves it to `datracker diff`."""
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan", a=TWO_ACTIONS)
    commit_all(repo, "January review")
    git(repo, "tag", "-a", "review/r1", "-m", "Update January 2022 closed")
    priority = plan / "priorities" / "a.yaml"
    stated = (
        "assessments:\n  - review: r1\n    rag: RED\n  - review: r2\n    rag: AMBER\nactions:\n"
    )
    priority.write_text(priority.read_text().replace("actions:\n", stated, 1))
    result = run("render", "--plan", plan, "--format", "md", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    md = (tmp_path / "out" / "refresh-r2.md").read_text()
    assert "- **Priority A**: stated rating: none → AMBER — changed" in md
    assert "none → RED" not in md
    full = run("diff", "review/r1", "--plan", plan, "--format", "json")
    assert '"review": "r1"' in full.out  # the correction is still in `datracker diff`
