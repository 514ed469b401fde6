"""`datracker owner email|maintainer`: the two edits that let `check` recognise people."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_plan
from gitutil import commit_all, git, init_repo

PLAN = """\
strategy:
  title: Test Strategy
  period: 2022-2025
  approving_body: Health and Wellbeing Board
reviews:
  - id: r2
    label: Update April 2022
    date: 2022-01
    status: open
# the directory, in order of first appearance
owners:
  - id: amy-ford
    name: Amy Ford   # lead for A
  - id: bruce-marr
    name: Bruce Marr
    git_emails: [bruce@example.org]
  - id: dee-hutchinson
    name: Dee Hutchinson
    git_emails:
      - dee@police.example
  - id: lisa-allum
    name: Lisa Allum
    git_emails: []  # none known yet
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plan", PLAN)


@pytest.mark.parametrize(
    ("owner", "email", "before", "after"),
    [
        (
            "amy-ford",
            "amy@example.org",
            "    name: Amy Ford   # lead for A\n",
            "    name: Amy Ford   # lead for A\n    git_emails: [amy@example.org]\n",
        ),
        (
            "bruce-marr",
            "b.marr@example.org",
            "git_emails: [bruce@example.org]\n",
            "git_emails: [bruce@example.org, b.marr@example.org]\n",
        ),
        (
            "dee-hutchinson",
            "dee@example.org",
            "      - dee@police.example\n",
            "      - dee@police.example\n      - dee@example.org\n",
        ),
        ("lisa-allum", "lisa@example.org", "git_emails: []", "git_emails: [lisa@example.org]"),
    ],
    ids=["no key yet", "one-line list", "block list", "empty list"],
)
def test_email_is_added_and_nothing_else_changes(
    run, plan: Path, owner: str, email: str, before: str, after: str
) -> None:
    text = (plan / "plan.yaml").read_text()
    result = run("owner", "email", owner, email, "--plan", plan)
    assert result.code == 0, result.err
    assert result.out.startswith(f"{owner} (")
    assert f"added {email} to git_emails in " in result.out
    assert (plan / "plan.yaml").read_text() == text.replace(before, after, 1)
    assert run("validate", "--plan", plan).code == 0


def test_email_already_listed_writes_nothing(run, plan: Path) -> None:
    before = (plan / "plan.yaml").stat().st_mtime_ns
    result = run("owner", "email", "bruce-marr", " Bruce@Example.org ", "--plan", plan)
    assert result.code == 0
    assert "already commits as Bruce@Example.org" in result.out
    assert "nothing was written" in result.out
    assert (plan / "plan.yaml").stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("amy-ford", "BRUCE@example.org"), 1, "already the e-mail of Bruce Marr (bruce-marr)"),
        (("Amy Ford", "amy@example.org"), 2, "did you mean amy-ford?"),
        (("amy-frod", "amy@example.org"), 2, "did you mean amy-ford?"),
        (("amy-ford", "Amy Ford <amy@example.org>"), 2, "is not an e-mail address"),
        (("amy-ford", "amy"), 2, "give the address alone"),
    ],
)
def test_refusals_change_nothing(
    run, plan: Path, args: tuple[str, str], code: int, words: str
) -> None:
    before = (plan / "plan.yaml").read_bytes()
    result = run("owner", "email", *args, "--plan", plan)
    assert result.code == code, result.err
    assert words in result.err
    assert "Traceback" not in result.err
    assert (plan / "plan.yaml").read_bytes() == before


def test_maintainer_is_added_after_the_owners_then_to_the_list(run, plan: Path) -> None:
    text = (plan / "plan.yaml").read_text()
    assert run("owner", "maintainer", "amy-ford", "--plan", plan).code == 0
    assert (plan / "plan.yaml").read_text() == text + "maintainers: [amy-ford]\n"
    result = run("owner", "maintainer", "bruce-marr", "--plan", plan)
    assert "bruce-marr (Bruce Marr): added to maintainers" in result.out
    assert (plan / "plan.yaml").read_text() == text + "maintainers: [amy-ford, bruce-marr]\n"
    again = run("owner", "maintainer", "bruce-marr", "--plan", plan)
    assert again.code == 0 and "already a maintainer; nothing was written" in again.out
    unknown = run("owner", "maintainer", "nobody", "--plan", plan)
    assert unknown.code == 2 and "no owner 'nobody'" in unknown.err


def test_dry_run_prints_the_diff(run, plan: Path) -> None:
    before = (plan / "plan.yaml").read_bytes()
    result = run("owner", "email", "amy-ford", "amy@example.org", "--dry-run", "--plan", plan)
    assert result.code == 0
    assert "+    git_emails: [amy@example.org]" in result.out
    assert (plan / "plan.yaml").read_bytes() == before


def test_commit_commits_plan_yaml_alone(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_plan(repo / "plan", PLAN)
    commit_all(repo, "plan")
    (repo / "notes.txt").write_text("not part of it\n")
    result = run(
        "owner", "email", "amy-ford", "amy@example.org", "--commit", "--plan", "plan", cwd=repo
    )
    assert result.code == 0, result.err
    assert "committed " in result.out
    assert "Owners: amy-ford commits as amy@example.org" in result.out
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/plan.yaml"]
    assert "?? notes.txt" in git(repo, "status", "--porcelain")
