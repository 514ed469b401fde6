"""The CLI as users and CI meet it: exit codes, formats, help, and no tracebacks."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PRIORITY_A, SHIPPED_PLAN, write_plan
from gitutil import commit_all, init_repo

COMMANDS = [
    "validate",
    "status",
    "show",
    "schema",
    "update",
    "measure",
    "review open",
    "review list",
    "review close",
]


def test_version(run) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.startswith("datracker ")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(run, command: str) -> None:
    result = run(*command.split(), "--help")
    assert result.code == 0, result.err
    assert "Example: datracker " + command in result.out


def test_valid_plan_exits_0(run, plan_dir: Path) -> None:
    result = run("validate", "--plan", plan_dir)
    assert result.code == 0, result.out + result.err
    assert "plan is valid (2 files, 1 action)" in result.out


def test_errors_exit_1_with_file_line_col(run, tmp_path: Path) -> None:
    write_plan(tmp_path / "plan", a=PRIORITY_A.replace("rag: AMBER", "rag: PINK"))
    result = run("validate", "--plan", "plan", cwd=tmp_path)
    assert result.code == 1
    assert (
        "plan/priorities/a.yaml:13:14: error: A1: RAG 'PINK' is not on the plan's scale"
        in result.out
    )
    assert "Traceback" not in result.err


def test_strict_makes_warnings_fail(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=PRIORITY_A.replace("review: r2", "review: r1"))
    assert run("validate", "--plan", root).code == 0
    assert run("validate", "--plan", root, "--strict").code == 1


def test_plan_from_environment(run, plan_dir: Path) -> None:
    result = run("validate", env={"DATRACKER_PLAN": str(plan_dir)})
    assert result.code == 0, result.err


def test_usage_error_exits_2(run, plan_dir: Path) -> None:
    assert run("validate", "--plan", plan_dir, "--format", "xml").code == 2
    assert run("frobnicate").code == 2


def test_missing_plan_is_a_clear_error(run, tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.code == 1
    assert result.err.startswith("error: no plan directory at plan")
    assert "hint:" in result.err and "Traceback" not in result.err


def test_json_format(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", a=PRIORITY_A.replace("- amy-ford", "- nobody"))
    result = run("validate", "--plan", root, "--format", "json")
    payload = json.loads(result.out)
    assert result.code == 1
    assert payload["valid"] is False
    assert payload["counts"] == {"error": 1, "warning": 0, "notice": 0}
    problem = payload["problems"][0]
    assert (problem["line"], problem["column"], problem["code"]) == (9, 9, "unknown-owner")
    assert problem["path"].endswith("plan/priorities/a.yaml")


def test_github_annotations(run, tmp_path: Path) -> None:
    write_plan(tmp_path / "plan", a=PRIORITY_A.replace("- amy-ford", "- nobody"))
    result = run("validate", "--plan", "plan", "--format", "github", cwd=tmp_path)
    assert result.out.startswith(
        "::error file=plan/priorities/a.yaml,line=9,col=9,title=unknown-owner::"
        "A1: owner 'nobody' is not in the owners directory"
    )


def test_shipped_plan_validates_without_errors(run) -> None:
    result = run("validate", "--plan", SHIPPED_PLAN, "--format", "json")
    assert json.loads(result.out)["counts"]["error"] == 0, result.out
    assert result.code == 0


def test_status_json_shape(run, plan_dir: Path) -> None:
    data = json.loads(run("status", "--plan", plan_dir, "--format", "json").out)
    assert set(data) == {"strategy", "review", "rollup_rule", "priorities"}
    priority = data["priorities"][0]
    assert set(priority) == {
        "id",
        "title",
        "rag",
        "stated",
        "computed",
        "focus",
        "draft",
        "counts",
        "actions",
    }
    assert (priority["rag"], priority["stated"]) == ("AMBER", None)  # nothing stated: computed
    assert priority["computed"] == {
        "rag": "AMBER",
        "rule": "worst",
        "summary": "AMBER (1 action: 1 AMBER)",
    }
    assert priority["actions"][0] == {
        "id": "A1",
        "parent": None,
        "status": "active",
        "rag": "AMBER",
        "qualifier": None,
        "owners": ["amy-ford"],
        "due": None,
        "last_update": {"review": "r2", "date": "2022-04-10"},
    }


def test_status_owner_filter(run) -> None:
    data = json.loads(
        run("status", "--plan", SHIPPED_PLAN, "--owner", "sayma-begum", "-f", "json").out
    )
    ids = [a["id"] for p in data["priorities"] for a in p["actions"]]
    assert ids == ["C4", "G1", "G2", "G5", "G6", "G7", "G8"]


def test_status_unknown_owner(run) -> None:
    result = run("status", "--plan", SHIPPED_PLAN, "--owner", "sayma")
    assert result.code == 2  # an owner id the plan does not have is a wrong value
    assert "hint: did you mean sayma-begum" in result.err


def test_status_markdown_and_table(run) -> None:
    md = run("status", "--plan", SHIPPED_PLAN, "--format", "md").out
    assert "## C. Challenge and support those who use abusive or unhealthy behaviours — RED" in md
    assert "| C2 | AMBER (police action) | Lisa Allum |" in md
    table = run("status", "--plan", SHIPPED_PLAN).out
    assert "[focus]" in table and "\x1b[" not in table  # piped: no colour codes


def test_table_shows_brackets_in_names_literally(run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan")
    text = (plan / "plan.yaml").read_text().replace("name: Amy Ford", "name: Amy [bold]Ford[/bold]")
    (plan / "plan.yaml").write_text(text)
    assert "Amy [bold]Ford[/bold]" in run("status", "--plan", plan).out


def test_show_action(run) -> None:
    result = run("show", "A5", "--plan", SHIPPED_PLAN)
    assert result.code == 0
    assert "Right to Ask (RTA) applications" in result.out
    assert "2021-01  " + "█" * 30 + " 8" in result.out


def test_show_json_and_case(run) -> None:
    data = json.loads(run("show", "a4", "--plan", SHIPPED_PLAN, "--format", "json").out)
    assert (data["id"], data["rag"], data["qualifier"]) == ("A4", "AMBER", "stalled by Covid")
    assert data["owner_names"] == ["Alison Lawrence", "Bruce Marr"]


def test_show_unknown_action_suggests(run) -> None:
    result = run("show", "D2", "--plan", SHIPPED_PLAN)
    assert result.code == 2  # an action id the plan does not have is a wrong value
    assert "no action 'D2' in the plan" in result.err
    assert "did you mean" in result.err


def heavy_modules_loaded(argv: list[str], heavy: set[str]) -> list[str]:
    """The modules of `heavy` (by full name or package) that `datracker ARGV` imported, run
    in a fresh interpreter so nothing this test process imported counts."""
    probe = (
        "import sys\n"
        f"sys.argv = {['datracker', *argv]!r}\n"
        "from datracker import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        f"heavy = {heavy!r}\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy), "
        "file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    loaded: list[str] = ast.literal_eval(proc.stderr.strip().splitlines()[-1])
    return loaded


def test_validate_imports_no_heavy_libraries() -> None:
    heavy = {"docx", "matplotlib", "PIL", "markdown_it", "git", "ruamel", "jinja2", "rich"}
    assert heavy_modules_loaded(["validate", "--plan", str(SHIPPED_PLAN)], heavy) == []


def test_markdown_render_without_an_earlier_tag_imports_neither_git_nor_docx(
    tmp_path: Path,
) -> None:
    """Looking for the previous review's tag must not cost a GitPython import."""
    repo = init_repo(tmp_path / "repo")
    shutil.copytree(SHIPPED_PLAN, repo / "plan")
    commit_all(repo, "plan")
    argv = ["render", "--plan", str(repo / "plan"), "--format", "md"]
    argv += ["--output", str(tmp_path / "out")]
    assert heavy_modules_loaded(argv, {"docx", "matplotlib", "PIL", "git"}) == []
    assert (tmp_path / "out" / "refresh-2022-01.md").is_file()


def test_help_imports_neither_pydantic_nor_the_plan_model() -> None:
    """`datracker --help` must start as fast as Typer itself: no model building at start-up."""
    heavy = {"pydantic", "yaml", "git", "docx", "rich", "jinja2", "datracker.plan.models"}
    assert heavy_modules_loaded(["--help"], heavy) == []


def test_writing_commands_say_what_they_wrote_as_json(run, plan_dir: Path) -> None:
    result = run("update", "A1", "--plan", plan_dir, "--rag", "green", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    keys = {"summary", "file", "written", "diff", "commit", "tag", "warnings", "notes"}
    assert set(data) == keys
    assert data["written"] is True and data["file"].endswith("priorities/a.yaml")
    assert data["summary"].startswith("A1: replaced the update for Update April 2022")
    dry = json.loads(
        run("measure", "A1", "1", "--plan", plan_dir, "--period", "2022-03", "--value", "4",
            "--dry-run", "-f", "json").out
    )  # fmt: skip
    assert dry["written"] is False and "+          - period: 2022-03" in dry["diff"]


def test_the_status_option_takes_the_plans_statuses() -> None:
    """`update --status` checks its value without importing the model: the same five words."""
    from typing import get_args

    from datracker.cli.record_cmds import STATUSES
    from datracker.plan.models import Status

    assert STATUSES == get_args(Status)
