"""The rest of the lead's cycle: review ids that git can tag, approval, and leftovers of
interrupted writes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

from conftest import PLAN_YAML, write_plan
from datracker.edit.safewrite import plan_lock
from gitutil import commit_all, git, init_repo

CLOSED = PLAN_YAML.replace("status: open", "status: closed")


# --- review ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("review_id", "why"),
    [("a..b", "contains '..'"), ("x.lock", "ends with '.lock'"), ("x.", "ends with '.'")],
)
def test_review_open_refuses_an_id_git_cannot_tag(
    run, tmp_path: Path, review_id: str, why: str
) -> None:
    root = write_plan(tmp_path / "plan", CLOSED)
    before = (root / "plan.yaml").read_bytes()
    result = run("review", "open", "Update July 2022", "--id", review_id, "--plan", root)
    assert result.code == 2, result.err
    assert f"error: the review id '{review_id}' {why}" in result.err
    assert "names its git tag, review/<id>" in result.err
    assert (root / "plan.yaml").read_bytes() == before


def test_review_open_refuses_an_id_with_a_space(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", CLOSED)
    result = run("review", "open", "Update July 2022", "--id", "July 22", "--plan", root)
    assert result.code == 2
    assert "may only have letters, digits" in result.err


def test_validate_reports_a_review_id_git_cannot_tag(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", PLAN_YAML.replace("id: r1", "id: r1.lock"))
    result = run("validate", "--plan", root)
    assert result.code == 1
    assert (
        "plan.yaml:6:9: error: review id 'r1.lock' ends with '.lock', so it cannot be a git tag"
        in result.out
    )
    assert "may not contain '..' nor end with '.' or '.lock'" in result.out


# --- approve ---------------------------------------------------------------------------------


@pytest.fixture
def closed_repo(tmp_path: Path, run) -> tuple[Path, Path]:
    """r2 closed with datracker, so it has its tag on the closing commit."""
    repo = init_repo(tmp_path / "repo")
    root = write_plan(repo / "plan")
    commit_all(repo, "the plan")
    assert run("review", "close", "--plan", root).code == 0
    return repo, root


def test_approve_records_commits_and_leaves_the_tag_on_the_closing_commit(
    run, closed_repo, tmp_path: Path
) -> None:
    repo, root = closed_repo
    closing = git(repo, "rev-parse", "HEAD").strip()
    result = run(
        "review", "approve", "r2", "--date", "2022-05-03", "--by", "Health Board", "--plan", root
    )
    assert result.code == 0, result.err
    assert result.out.startswith(
        "recorded the approval of review r2 (Update April 2022) on 2022-05-03 by Health Board"
    )
    text = (root / "plan.yaml").read_text()
    assert (
        "    status: closed\n    approved: 2022-05-03\n    approved_by: Health Board\nowners:"
        in text
    )
    subject = git(repo, "log", "-1", "--format=%s").strip()
    assert (
        subject == "Approve review r2 (Update April 2022): approved by Health Board on 2022-05-03"
    )
    assert git(repo, "rev-parse", "HEAD~1").strip() == closing
    assert git(repo, "rev-parse", "review/r2^{commit}").strip() == closing
    assert git(repo, "status", "--porcelain") == ""
    out = tmp_path / "out"
    assert run("render", "--plan", root, "--output", out).code == 0
    md = (out / "refresh-r2.md").read_text()
    assert "**Approved 3 May 2022 by Health Board**" in md
    assert "DRAFT FOR APPROVAL" not in md
    paragraphs = [p.text for p in Document(str(out / "refresh-r2.docx")).paragraphs]
    assert "Approved 3 May 2022 by Health Board" in paragraphs
    assert "DRAFT FOR APPROVAL" not in paragraphs


def test_approve_without_by_names_the_approving_body(run, closed_repo, tmp_path: Path) -> None:
    repo, root = closed_repo
    assert run("review", "approve", "r2", "--date", "2022-05-03", "--plan", root).code == 0
    assert "approved_by" not in (root / "plan.yaml").read_text()
    assert run("render", "--plan", root, "-f", "md", "--output", tmp_path / "o").code == 0
    md = (tmp_path / "o" / "refresh-r2.md").read_text()
    assert "**Approved 3 May 2022 by Health and Wellbeing Board**" in md


def test_approving_again_the_same_way_changes_nothing(run, closed_repo) -> None:
    repo, root = closed_repo
    args = ("review", "approve", "r2", "--date", "2022-05-03", "--plan", root)
    assert run(*args).code == 0
    head = git(repo, "rev-parse", "HEAD")
    result = run(*args)
    assert result.code == 0
    assert result.out.startswith("nothing to change: ")
    assert git(repo, "rev-parse", "HEAD") == head
    result = run(*args[:-2], "--by", "Health Board", "--plan", root)  # who, added later
    assert result.code == 0, result.err
    assert (
        "approved: 2022-05-03\n    approved_by: Health Board\n" in (root / "plan.yaml").read_text()
    )


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["r2", "--date", "2022-05-04"], 1, "review 'r2' was already approved on 2022-05-03"),
        (["r9", "--date", "2022-05-04"], 2, "no review 'r9' in plan.yaml"),
        (["r2", "--date", "2999-01-01"], 2, "the approval date 2999-01-01 is in the future"),
        (["r2", "--date", "2022-03-31"], 2, "is before the review itself (2022-04)"),
        (["r2", "--date", "2022-02-30"], 2, "'2022-02-30' is not a real date"),
        (["r2", "--date", "3 May"], 2, "'3 May' is not a date"),
        (["r2"], 2, "missing option --date"),
        (["r2", "--date", "2022-05-04", "--by", " "], 2, "the --by is empty"),
    ],
)
def test_approve_refuses_bad_input_and_writes_nothing(
    run, closed_repo, args: list[str], code: int, said: str
) -> None:
    repo, root = closed_repo
    assert run("review", "approve", "r2", "--date", "2022-05-03", "--plan", root).code == 0
    before = (root / "plan.yaml").read_bytes(), git(repo, "rev-parse", "HEAD")
    result = run("review", "approve", *args, "--plan", root)
    assert result.code == code, result.err
    assert said in result.err
    assert "Traceback" not in result.err
    assert ((root / "plan.yaml").read_bytes(), git(repo, "rev-parse", "HEAD")) == before


def test_an_open_review_cannot_be_approved(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan")
    result = run("review", "approve", "r2", "--date", "2022-05-03", "--plan", root)
    assert result.code == 1
    assert "review 'r2' (Update April 2022) is still open" in result.err
    assert "datracker review close r2" in result.err


def test_approve_outside_git_writes_without_a_commit(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", CLOSED)
    result = run("review", "approve", "r1", "--date", "2022-02-09", "--plan", root)
    assert result.code == 0, result.err
    assert "committed" not in result.out
    assert "    status: closed\n    approved: 2022-02-09\n" in (root / "plan.yaml").read_text()
    result = run(
        "review", "approve", "r2", "--date", "2022-05-03", "--author", "A <a@b.c>", "--plan", root
    )
    assert result.code == 2
    assert "--author applies to a commit, and this plan is not in git" in result.err


def test_validate_wants_a_date_with_who_approved(run, tmp_path: Path) -> None:
    undated = CLOSED.replace("    status: closed\n", "    status: closed\n    approved_by: B\n", 1)
    root = write_plan(tmp_path / "plan", undated)
    result = run("validate", "--plan", root)
    assert result.code == 1
    assert "error: review 'r1' says who approved it but not when" in result.out


# --- leftovers of interrupted writes ---------------------------------------------------------

LEFTOVERS = ("priorities/.a.yaml.k3j9x2ab.tmp", ".plan.yaml.q_8zz01m.tmp")


def _leave_leftovers(root: Path) -> list[Path]:
    paths = [root / rel for rel in LEFTOVERS]
    for path in paths:
        path.write_text("half a file")
    return paths


def test_leftovers_never_block_close_and_are_removed_not_committed(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    root = write_plan(repo / "plan")
    commit_all(repo, "the plan")
    leftovers = _leave_leftovers(root)
    mine = root / "priorities" / "notes.tmp"  # a .tmp file datracker did not write
    mine.write_text("mine")
    result = run("review", "close", "--plan", "plan", cwd=repo)
    assert result.code == 1  # refused for the user's own file, and only for it
    assert "uncommitted changes: plan/priorities/notes.tmp (not in git yet);" in result.err
    assert ".k3j9x2ab.tmp" not in result.err and ".q_8zz01m.tmp" not in result.err
    assert all(p.exists() for p in leftovers)  # a refused command writes and removes nothing
    mine.unlink()
    result = run("review", "close", "--plan", "plan", cwd=repo)
    assert result.code == 0, result.err
    for rel in LEFTOVERS:
        assert f"note: removed plan/{rel}, left by an interrupted write" in result.err
    assert not any(p.exists() for p in leftovers)
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/plan.yaml"]
    assert git(repo, "status", "--porcelain") == ""


def test_a_leftover_that_cannot_be_removed_is_ignored_and_reported(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    root = write_plan(repo / "plan")
    commit_all(repo, "the plan")
    leftover = root / LEFTOVERS[0]
    leftover.write_text("half a file")
    if subprocess.run(["chattr", "+i", str(root / "priorities")], check=False).returncode:
        pytest.skip("chattr +i is not available here, and root can remove any file")
    try:
        result = run("review", "close", "--plan", "plan", cwd=repo)
    finally:
        subprocess.run(["chattr", "-i", str(root / "priorities")], check=False)
    assert result.code == 0, result.err
    assert f"note: cannot remove plan/{LEFTOVERS[0]}, left by an interrupted write" in result.err
    assert "do not commit it" in result.err
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["plan/plan.yaml"]
    assert leftover.exists()


def test_dry_run_reports_leftovers_without_removing_them(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan")
    leftovers = _leave_leftovers(root)
    result = run("update", "A1", "--rag", "red", "--dry-run", "--plan", root)
    assert result.code == 0, result.err
    assert "was left by an interrupted write; the next write removes it" in result.err
    assert all(p.exists() for p in leftovers)


def test_a_live_writers_temporary_file_is_not_removed(tmp_path: Path) -> None:
    """Holding the plan lock is what makes a writer live: its file survives until it lets go."""
    root = write_plan(tmp_path / "plan")
    mine = root / LEFTOVERS[0]
    args = [sys.executable, "-m", "datracker", "update", "A1", "--rag", "red", "--plan", str(root)]
    with plan_lock(root):
        mine.write_text("being written")
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        assert proc.poll() is None  # waiting for the lock
        assert mine.exists()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert not mine.exists()  # the writer let go without removing it: now it is a leftover
    assert "removed " in err
