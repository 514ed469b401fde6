"""A priority's stated rating: recorded with `review assess`, checked by `validate`, shown by
`status` and `show`, guarded by `check`; and due dates judged as of the plan's own review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PLAN_YAML, PRIORITY_A, write_plan
from gitutil import commit_all, git, init_repo

# Priority A with a comment above its actions, which must stay with them.
COMMENTED_A = PRIORITY_A.replace(
    "actions:\n", "# The document numbers these A1 onwards.\nactions:\n"
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plan", a=COMMENTED_A)


def a_text(plan: Path) -> str:
    return (plan / "priorities" / "a.yaml").read_text(encoding="utf-8")


def test_dry_run_shows_the_entry_and_writes_nothing(run, plan: Path) -> None:
    before = a_text(plan)
    result = run(
        "review", "assess", "a", "--rag", "amber", "--text", "3 AMBER", "--plan", plan, "--dry-run"
    )
    assert result.code == 0, result.err
    assert "+assessments:\n+  - review: r2\n+    rag: AMBER\n+    text: 3 AMBER\n" in result.out
    assert "dry run: nothing was written" in result.err
    assert a_text(plan) == before


def test_recorded_before_the_actions_and_their_comment_every_other_byte_kept(
    run, plan: Path
) -> None:
    before = a_text(plan)
    result = run("review", "assess", "A", "--rag", "amber", "--text", "3 AMBER", "--plan", plan)
    assert result.code == 0, result.err
    assert result.out.startswith("priority A: recorded the stated rating for Update April 2022")
    entry = "assessments:\n  - review: r2\n    rag: AMBER\n    text: 3 AMBER\n"
    head, tail = before.split("# The document numbers")
    assert a_text(plan) == head + entry + "# The document numbers" + tail
    again = run("review", "assess", "A", "--rag", "red", "--plan", plan)
    assert again.out.startswith("priority A: replaced the stated rating")
    assert "    rag: RED\n    text: 3 AMBER\n" in a_text(plan)  # the words are kept
    status = json.loads(run("status", "--plan", plan, "--format", "json").out)
    (a,) = status["priorities"]
    assert (a["rag"], a["stated"]["rag"], a["stated"]["text"]) == ("RED", "RED", "3 AMBER")
    assert a["computed"] == {
        "rag": "AMBER",
        "rule": "worst",
        "summary": "AMBER (1 action: 1 AMBER)",
    }


def test_a_crlf_file_keeps_its_line_ends_and_the_comment_above_the_actions(
    run, tmp_path: Path
) -> None:
    """Windows line ends (a file saved in Notepad): the entry still goes above the comment
    that belongs to the actions, written with the file's own line ends."""
    plan = write_plan(tmp_path / "plan", a=COMMENTED_A)
    path = plan / "priorities" / "a.yaml"
    before = a_text(plan).replace("\n", "\r\n")
    path.write_bytes(before.encode("utf-8"))
    result = run("review", "assess", "A", "--rag", "amber", "--plan", plan)
    assert result.code == 0, result.err
    head, tail = before.split("# The document numbers")
    entry = "assessments:\r\n  - review: r2\r\n    rag: AMBER\r\n"
    assert path.read_bytes().decode("utf-8") == head + entry + "# The document numbers" + tail


def test_retain_keeps_the_previous_reviews_rating(run, tmp_path: Path) -> None:
    with_january = COMMENTED_A.replace(
        "# The document",
        "assessments:\n  - review: r1\n    rag: RED\n    text: 1 RED\n# The document",
    )
    plan = write_plan(tmp_path / "plan", a=with_january)
    result = run("review", "assess", "A", "--retain", "--plan", plan)
    assert result.code == 0, result.err
    assert "  - review: r2\n    rag: RED\n    retained: r1\n" in a_text(plan)
    shown = run("status", "--plan", plan, "--format", "md").out
    assert (
        "A. Promote healthy relationships — RED (stated: retained from Update January 2022); "
        in shown
    )
    assert "computed: AMBER (1 action: 1 AMBER)" in shown
    clash = run("review", "assess", "A", "--retain", "--rag", "green", "--plan", plan)
    assert clash.code == 2 and "--retain keeps the rating RED, but --rag says GREEN" in clash.err


def test_refusals_write_nothing(run, plan: Path) -> None:
    before = a_text(plan)
    cases = [
        (("Q", "--rag", "red"), 2, "no priority 'Q' in the plan; nothing was written"),
        (("A", "--rag", "purple"), 2, "'purple' is not on the plan's RAG scale"),
        (("A", "--retain"), 1, "priority A has no stated rating for Update January 2022 to retain"),
        (("A", "--rag", "red", "--review", "r1"), 1, "review 'r1' (Update January 2022) is closed"),
        (("A",), 2, "nothing to record"),
    ]
    for args, code, message in cases:
        result = run("review", "assess", *args, "--plan", plan)
        assert (result.code, message in result.err) == (code, True), (args, result.err)
        assert "Traceback" not in result.err
    assert a_text(plan) == before


def test_commit_commits_that_file_only(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan", a=COMMENTED_A)
    commit_all(repo, "plan")
    (repo / "notes.txt").write_text("not mine\n")
    result = run("review", "assess", "A", "--rag", "amber", "--commit", "--plan", plan)
    assert result.code == 0, result.err
    assert (
        git(repo, "log", "-1", "--format=%s").strip()
        == "Priority A: stated AMBER (Update April 2022)"
    )
    assert git(repo, "status", "--porcelain").strip() == "?? notes.txt"


RATED = """\
id: A
title: Promote healthy relationships
assessments:
  - review: r1
    rag: RED
    retained: r2
  - review: r2
    rag: AMBER
    retained: r1
  - review: r2
    rag: Amber
  - review: r9
    rag: GREEN
actions: []
"""


def test_validate_checks_stated_ratings(run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan", a=RATED)
    data = json.loads(run("validate", "--plan", plan, "--format", "json").out)
    found = [
        (p["line"], p["code"], p["message"])
        for p in data["problems"]
        if p["path"].endswith("a.yaml")
    ]
    assert found == [
        (
            6,
            "retained-rating",
            "priority A: a rating can only be retained from an earlier review than 'r1', not 'r2'",
        ),
        (
            8,
            "stated-differs",
            "priority A: the rating stated for Update April 2022 is AMBER, "
            "the roll-up computed by the 'worst' rule is NOT RATED",
        ),
        (
            9,
            "retained-rating",
            "priority A: the rating AMBER is said to be retained from 'r1', where it was RED",
        ),
        (10, "duplicate-assessment", "priority A: a second stated rating for review 'r2'"),
        (11, "unknown-rag", "priority A: stated RAG 'Amber' is not on the plan's scale"),
        (12, "unknown-review", "priority A: stated rating names review 'r9', not in plan.yaml"),
    ]


def test_a_stated_rating_differing_from_the_roll_up_is_a_notice_naming_both(
    run, tmp_path: Path
) -> None:
    stated = PRIORITY_A.replace(
        "actions:\n",
        "assessments:\n  - review: r1\n    rag: GREEN\n  - review: r2\n    rag: RED\nactions:\n",
    )
    plan = write_plan(tmp_path / "plan", a=stated)
    result = run("validate", "--plan", plan)
    assert result.code == 0
    assert (
        "priorities/a.yaml:7:10: notice: priority A: the rating stated for Update April 2022 "
        "is RED, the roll-up computed by the 'worst' rule is AMBER"
    ) in result.out
    assert result.out.count("stated for") == 1  # judged at the current review only
    same = write_plan(tmp_path / "same", a=stated.replace("rag: RED", "rag: AMBER"))
    assert "notice" not in run("validate", "--plan", same).out


def test_show_a_priority(run, tmp_path: Path) -> None:
    stated = PRIORITY_A.replace(
        "actions:\n",
        "assessments:\n  - review: r2\n    rag: RED\n    text: 1 action - 1 RED\nactions:\n",
    )
    plan = write_plan(tmp_path / "plan", a=stated)
    text = run("show", "a", "--plan", plan)
    assert text.code == 0, text.err
    assert text.out.splitlines()[:3] == [
        "A. Promote healthy relationships — RED (stated: 1 action - 1 RED); "
        "computed: AMBER (1 action: 1 AMBER)",
        "Rating for Update April 2022: RED (stated)",
        "Computed by the 'worst' rule: AMBER (1 action: 1 AMBER)",
    ]
    actions = text.out.split("\nActions:\n")[1].splitlines()  # the table model's plain listing
    assert [line.split("  ")[0] for line in actions] == ["ID", "A1"]
    assert actions[1].split() == ["A1", "AMBER", "Amy", "Ford"]
    data = json.loads(run("show", "A", "--plan", plan, "--format", "json").out)
    assert (data["id"], data["rag"], data["computed"]["rag"]) == ("A", "RED", "AMBER")
    assert data["assessments"] == [
        {"review": "r2", "rag": "RED", "text": "1 action - 1 RED", "retained": None}
    ]
    assert run("show", "A1", "--plan", plan).out.startswith("A1 (A) — AMBER")


DUE = PRIORITY_A.replace("    owners:", "    due: 2022-05\n    owners:")


def test_due_dates_are_judged_as_of_the_plans_review(run, tmp_path: Path) -> None:
    """The open review is dated 2022-04: an action due in May 2022 is not overdue then,
    whatever today's date; --as-of judges it at another day."""
    plan = write_plan(tmp_path / "plan", a=DUE)
    assert "overdue" not in run("validate", "--plan", plan).out
    later = run("validate", "--plan", plan, "--as-of", "2022-06")
    assert "A1 was due 2022-05 and is not complete, as of 2022-06-30" in later.out
    assert run("validate", "--plan", plan, "--as-of", "2022-05-31").out.count("overdue") == 0
    bad = run("validate", "--plan", plan, "--as-of", "June 2022")
    assert bad.code == 2 and "--as-of: 'June 2022' is not a date" in bad.err


def test_chase_judges_overdue_as_of_the_chased_review(run, tmp_path: Path) -> None:
    missing = DUE.replace("review: r2", "review: r1")
    plan = write_plan(tmp_path / "plan", a=missing)
    data = json.loads(run("chase", "--plan", plan, "--format", "json").out)
    assert data["owners"][0]["actions"][0]["overdue"] is False  # as of April 2022
    later = run("chase", "--plan", plan, "--format", "json", "--as-of", "2022-06-01")
    assert json.loads(later.out)["owners"][0]["actions"][0]["overdue"] is True


@pytest.mark.parametrize("day", [None, "2022-04-30", "2022-05-31", "2022-06", "2023"])
def test_validate_and_chase_judge_overdue_and_owing_by_one_rule(
    run, tmp_path: Path, day: str | None
) -> None:
    """On any day (the plan's own by default), the actions `chase` flags as overdue are those
    `validate` warns are overdue, and those it lists are those `validate` calls stale."""
    second = DUE.replace("A1", "A2").split("actions:\n")[1].replace("2022-05", "2022-09")
    plan = write_plan(
        tmp_path / "plan", a=DUE.replace("review: r2", "review: r1") + second.replace("r2", "r1")
    )
    as_of = ("--as-of", day) if day else ()
    report = json.loads(run("chase", "--plan", plan, "--format", "json", *as_of).out)
    flagged = {a["id"]: a["overdue"] for owner in report["owners"] for a in owner["actions"]}
    problems = json.loads(run("validate", "--plan", plan, "--format", "json", *as_of).out)
    codes = [(p["code"], p["message"].split()[0]) for p in problems["problems"]]
    assert set(flagged) == {"A1", "A2"} == {a for code, a in codes if code == "stale"}
    assert {a for a, late in flagged.items() if late} == {a for c, a in codes if c == "overdue"}


def test_only_a_maintainer_may_change_a_stated_rating(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    owners = (
        "owners:\n  - id: amy-ford\n    name: Amy Ford\n    git_emails: [amy@example.org]\n"
        "  - id: lead\n    name: Lead\n    git_emails: [lead@example.org]\nmaintainers: [lead]\n"
    )
    write_plan(repo / "plan", PLAN_YAML.split("owners:")[0] + owners, a=PRIORITY_A)
    commit_all(repo, "plan")
    git(repo, "branch", "base")
    assert run("review", "assess", "A", "--rag", "green", "--plan", repo / "plan").code == 0
    commit_all(repo, "A is green", author=("Amy Ford", "amy@example.org"))
    result = run("check", "--base", "base", "--plan", "plan", "--format", "json", cwd=repo)
    assert result.code == 1
    (amy,) = json.loads(result.out)["authors"]
    assert [(v["target"], v["reason"]) for v in amy["violations"]] == [
        ("priority A", "changed the board's stated rating: only a maintainer may do this")
    ]


def test_a_closed_plan_has_no_review_to_assess(run, tmp_path: Path) -> None:
    closed = write_plan(tmp_path / "plan", PLAN_YAML.replace("status: open", "status: closed"))
    result = run("review", "assess", "A", "--rag", "red", "--plan", closed)
    assert result.code == 1
    assert "no review is open, so there is nothing to record a stated rating for" in result.err
