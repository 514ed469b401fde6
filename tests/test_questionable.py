"""Questionable input by one rule: refused when it cannot be right, warned when it can; and one
rule, shared by `validate` and `chase`, for who owes an update."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from conftest import PLAN_YAML, PRIORITY_A, SHIPPED_PLAN, write_plan

COUNTED = PRIORITY_A.replace(
    "      - description: Number of requests\n",
    "      - description: Number of requests\n        unit: requests\n"
    "      - description: Change in reports\n        unit: '% change'\n",
)
DONE = PRIORITY_A.replace("  - id: A1\n", "  - id: A1\n    status: complete\n").replace(
    "review: r2", "review: r1"
)


def test_an_update_without_text_is_written_with_a_warning(run, plan_dir: Path) -> None:
    result = run("update", "A1", "--plan", plan_dir, "--rag", "red", "--qualifier", "")
    assert result.code == 0, result.err
    assert "warning:" not in result.err  # the review's update already has its text
    write_plan(plan_dir, a=PRIORITY_A.replace("review: r2", "review: r1"))
    result = run("update", "A1", "--plan", plan_dir, "--rag", "amber")
    assert result.code == 0, result.err
    assert "warning: A1's update for Update April 2022 has no text" in result.err
    assert "datracker update A1 --text" in result.err


def test_a_negative_count_is_refused_but_a_negative_change_is_not(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=COUNTED)
    before = (root / "priorities" / "a.yaml").read_bytes()
    args = ["measure", "A1", "1", "--plan", root, "--period", "2022-03", "--value", "-4"]
    refused = run(*args)
    assert refused.code == 2
    assert "-4 is below zero, but 'Number of requests' of A1 is requests counted" in refused.err
    assert (root / "priorities" / "a.yaml").read_bytes() == before
    args[2] = "2"
    assert run(*args).code == 0


def test_an_update_to_a_completed_action_is_refused_unless_reopened(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=DONE)
    before = (root / "priorities" / "a.yaml").read_bytes()
    refused = run("update", "A1", "--plan", root, "--rag", "green", "--text", "More.")
    assert refused.code == 2
    assert "A1 is complete, so it takes no more updates; nothing was written" in refused.err
    assert "--status active" in refused.err
    assert (root / "priorities" / "a.yaml").read_bytes() == before
    reopened = run("update", "A1", "--plan", root, "--status", "active", "--text", "Reopened.")
    assert reopened.code == 0, reopened.err


def test_a_review_dated_far_ahead_is_opened_with_a_warning(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", PLAN_YAML.replace("status: open", "status: closed"))
    ahead = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    soon = run("review", "open", "Next", "--id", "soon", "--date", ahead, "--plan", root)
    assert soon.code == 0 and "warning" not in soon.err
    run("review", "close", "--plan", root)
    far = run("review", "open", "Far", "--id", "far", "--date", "2031-01-01", "--plan", root)
    assert far.code == 0
    assert "warning: review far is dated 2031-01-01, more than three months from today" in far.err


def test_validate_and_chase_name_the_same_actions(run, tmp_path: Path) -> None:
    root = tmp_path / "plan"
    shutil.copytree(SHIPPED_PLAN, root)
    assert (
        run("review", "open", "Update April 2022", "--date", "2022-04-28", "--plan", root).code == 0
    )
    problems = json.loads(run("validate", "--plan", root, "-f", "json").out)["problems"]
    stale = {p["message"].split()[0] for p in problems if p["code"] == "stale"}
    chased = json.loads(run("chase", "--plan", root, "-f", "json").out)
    missing = {a["id"] for owner in chased["owners"] for a in owner["actions"]}
    assert stale == missing
    assert len(missing) == chased["missing"] == 18
    assert not {"G1", "G7"} & missing  # new actions not started yet are owed nothing


def test_review_list_markdown_escapes_every_cell(run, tmp_path: Path) -> None:
    label = "Update | January <b>2022</b>"
    root = write_plan(tmp_path / "plan", PLAN_YAML.replace("Update January 2022", label))
    md = run("review", "list", "--plan", root, "--format", "md").out
    assert (
        "| r1 | Update \\| January &lt;b&gt;2022&lt;/b&gt; | 2022-01 | closed | — | — | 0 |" in md
    )
    assert "<b>" not in md
