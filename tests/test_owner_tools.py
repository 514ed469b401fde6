"""chase, codeowners and init: the strategy lead's tools around owners and pull requests."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PLAN_YAML, PRIORITY_A, REPO, write_plan
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
      - amy-ford
    due: 2022-03
    updates:
      - review: r1
        date: 2022-01-12
        rag: RED
        text: Not started.
  - id: A3
    status: complete
"""
)


def test_chase_groups_missing_updates_by_owner(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=TWO_ACTIONS)
    data = json.loads(run("chase", "--plan", root, "--format", "json").out)
    assert data["review"] == {"id": "r2", "label": "Update April 2022"}
    assert data["missing"] == 1
    assert [(o["id"], [a["id"] for a in o["actions"]]) for o in data["owners"]] == [
        ("amy-ford", ["A2"]),
        ("bruce-marr", ["A2"]),
    ]
    a2 = data["owners"][0]["actions"][0]
    assert (a2["rag"], a2["last_review"], a2["last_date"], a2["overdue"]) == (
        "RED",
        "r1",
        "2022-01-12",
        True,
    )


def test_chase_markdown_is_one_reminder_per_owner(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=TWO_ACTIONS)
    md = run("chase", "--plan", root, "--format", "md").out
    assert md.count("## Reminder for ") == 2
    assert "## Reminder for Bruce Marr" in md
    assert "| A2 | A | RED | 2022-01-12 | 2022-03 (overdue) |" in md


def test_chase_exit_codes(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=TWO_ACTIONS)
    assert run("chase", "--plan", root).code == 0
    assert run("chase", "--plan", root, "--fail-if-missing").code == 1
    done = write_plan(tmp_path / "done")
    result = run("chase", "--plan", done, "--fail-if-missing")
    assert (result.code, result.out.strip()) == (
        0,
        "Every open action has an update for Update April 2022.",
    )


def test_chase_without_an_open_review(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", PLAN_YAML.replace("status: open", "status: closed"))
    result = run("chase", "--plan", root)
    assert result.code == 1
    assert "no review is open" in result.err and "--review" in result.err
    assert run("chase", "--plan", root, "--review", "r1").code == 0
    assert "no review 'r9'" in run("chase", "--plan", root, "--review", "r9").err


def test_codeowners_maps_files_to_handles(run, tmp_path: Path) -> None:
    plan_yaml = PLAN_YAML.replace(
        "    name: Amy Ford\n", "    name: Amy Ford\n    handles: [amyford]\n"
    ).replace(
        "    name: Bruce Marr\n", "    name: Bruce Marr\n    git_emails: [bruce@example.org]\n"
    )
    plan_yaml += "maintainers:\n  - bruce-marr\n"
    repo = init_repo(tmp_path / "repo")
    write_plan(repo / "strategy" / "plan", plan_yaml, a=TWO_ACTIONS, b="id: B\ntitle: Empty\n")
    commit_all(repo, "plan")
    result = run("codeowners", "--plan", repo / "strategy" / "plan")
    assert result.code == 0, result.err
    assert result.out.splitlines()[2:] == [
        "/strategy/plan/plan.yaml bruce@example.org",
        "/strategy/plan/priorities/a.yaml @amyford bruce@example.org",
        "/strategy/plan/priorities/b.yaml bruce@example.org",
    ]


# init pins the datracker CI installs; an editable install has no pin of its own to offer
INIT = ("--datracker", "git+https://github.com/example/datracker@" + "0" * 40)
INIT += ("--author", "Test Lead <lead@example.org>")


def test_init_writes_a_valid_plan_and_workflow(run, tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run("init", target, "--title", "Test Strategy", *INIT)
    assert result.code == 0, result.err
    assert run("validate", "--plan", target / "plan", "--strict").code == 0
    workflow = yaml.safe_load((target / ".github/workflows/datracker.yml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["plan"]["steps"]]
    assert "datracker validate --format github" in steps
    assert any("datracker check --base" in step and "github" in step for step in steps)
    assert any("--format md" in step and "datracker-summary.md" in step for step in steps)
    assert not (workflow[True]["pull_request"] or {}).get("paths")  # every PR, not only plan/
    assert yaml.safe_load((target / ".pre-commit-config.yaml").read_text())["repos"]
    status = json.loads(run("status", "--plan", target / "plan", "-f", "json").out)
    assert status["strategy"]["title"] == "Test Strategy"


def test_init_refuses_to_overwrite(run, tmp_path: Path) -> None:
    target = tmp_path / "new"
    assert run("init", target, *INIT).code == 0
    before = (target / "plan" / "plan.yaml").read_bytes()
    (target / "plan" / "plan.yaml").write_text("# mine\n")
    result = run("init", target, *INIT)
    assert result.code == 1 and "already exist" in result.err and "--force" in result.err
    assert (target / "plan" / "plan.yaml").read_text() == "# mine\n"
    assert run("init", target, "--force", *INIT).code == 0
    assert (target / "plan" / "plan.yaml").read_bytes() == before


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_pre_commit_hook_from_this_checkout(tmp_path: Path) -> None:
    """pre-commit installs datracker from this repository's HEAD and runs its hook."""
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    if not head:
        pytest.skip("this checkout has no commits yet")
    repo = init_repo(tmp_path / "plans")
    write_plan(repo / "plan")
    config = (
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n      - id: datracker-validate\n"
    )
    (repo / ".pre-commit-config.yaml").write_text(config)
    commit_all(repo, "plan")
    env = {
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
    }

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files"],
            cwd=repo,
            env={**env, "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=600,
        )

    passing = hook()
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "datracker validate" in passing.stdout
    broken = (
        (repo / "plan" / "priorities" / "a.yaml").read_text().replace("rag: AMBER", "rag: PINK")
    )
    (repo / "plan" / "priorities" / "a.yaml").write_text(broken)
    git(repo, "add", "-A")
    failing = hook()
    assert failing.returncode == 1
    assert "RAG 'PINK' is not on the plan's scale" in failing.stdout


def test_the_owner_lookup_follows_the_directory() -> None:
    """PlanConfig.owner keeps a dict of the owners by id: it must answer as a scan of `owners`
    would, after the list is replaced, copied with another list, or grown."""
    import copy

    from conftest import SHIPPED_PLAN
    from datracker.plan.models import Owner
    from datracker.plan.store import load_plan

    config = load_plan(SHIPPED_PLAN).require_plan().config

    def scanned(owner_id: str) -> Owner | None:
        return next((o for o in config.owners if o.id == owner_id), None)

    ids = [o.id for o in config.owners]
    assert len(ids) > 10
    assert all(config.owner(i) is scanned(i) for i in [*ids, "nobody", ""])
    other = Owner(id=ids[0], name="Someone Else")
    copied = config.model_copy(update={"owners": [other]})
    assert copied.owner(ids[0]) is other and copied.owner(ids[1]) is None
    assert config.owner(ids[0]) is scanned(ids[0]) and config == copy.deepcopy(config)
    config.owners.append(Owner(id="new-owner", name="New Owner"))
    assert config.owner("new-owner") is config.owners[-1]
    config.owners = [Owner(id="x", name="X"), Owner(id="x", name="Second X")]
    assert config.owner("x") is config.owners[0] and config.owner(ids[0]) is None  # first wins
    assert "owners_by_id" not in config.model_dump_json()
