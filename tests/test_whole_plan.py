"""No command whose answer depends on the whole plan answers from part of it, found by walking
the command tree: a command added later is run here too, and must either refuse (exit 1,
naming the file) or be listed below with the reason its answer cannot depend on that file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from commandtree import COMMANDS, GOOD, param_key
from conftest import PLAN_YAML, PRIORITY_A, write_plan
from gitutil import commit_all, init_repo

BROKEN = "id: B\ntitle: Respond well\nactions: [unclosed\n"

# command -> why its answer is whole although priorities/b.yaml cannot be read
NEEDS_NOT_B = {
    "update": "writes one action's file; the files not naming A1 cannot hold it",
    "measure": "writes one action's file; the files not naming A1 cannot hold it",
    "history": "follows A1 through the files naming it, and b.yaml never names A1",
    "diff": "compares the files that differ between the two sides; b.yaml is the same in both",
    "review tag": "tags the commits that closed the reviews, from plan.yaml's history alone",
    "owner email": "writes one owner's entry in plan.yaml; no priority file holds it",
    "owner maintainer": "writes plan.yaml's maintainers; no priority file holds them",
}
EXTRA = {"update": ["--rag", "red", "--text", "Stalled."], "review assess": ["--rag", "RED"]}
# commands whose arguments GOOD cannot give (an owner id and an e-mail address)
WHOLE_ARGV = {
    "owner email": ["owner", "email", "amy-ford", "amy@example.org"],
    "owner maintainer": ["owner", "maintainer", "amy-ford"],
}


def _argv(words: tuple[str, ...], fill: dict[str, str]) -> list[str]:
    if " ".join(words) in WHOLE_ARGV:
        return WHOLE_ARGV[" ".join(words)]
    argv = list(words)
    for param in COMMANDS[words].params:
        key = param_key(param)
        value = GOOD.get(key)
        if param.param_type_name == "argument" and param.required:
            argv.append((value or "A1").format(**fill))
        elif param.param_type_name == "option" and (param.required or key == "--output"):
            argv += [key, (value or "").format(**fill)]
    return [*argv, *EXTRA.get(" ".join(words), [])]


def _digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


PLAN_COMMANDS = [
    words for words, command in COMMANDS.items() if "--plan" in map(param_key, command.params)
]


@pytest.mark.parametrize("words", PLAN_COMMANDS, ids=" ".join)
def test_a_file_that_cannot_be_read_is_never_left_out_silently(
    run, tmp_path: Path, words: tuple[str, ...]
) -> None:
    repo = init_repo(tmp_path / "repo")
    write_plan(repo / "plan", PLAN_YAML, a=PRIORITY_A, b=BROKEN)
    commit_all(repo, "a plan with a broken priority file")
    broken = repo / "plan" / "priorities" / "b.yaml"
    fill = {"repo": str(repo), "tmp": str(tmp_path), "source": str(tmp_path / "none.csv")}
    result = run(*_argv(words, fill), cwd=repo)
    name = " ".join(words)
    assert result.code in (0, 1, 2), result.err
    assert "Traceback" not in result.err
    assert broken.read_text() == BROKEN
    if name in NEEDS_NOT_B:
        return
    assert result.code == 1, f"`{name}` answered from part of the plan:\n{result.out}"
    assert "plan/priorities/b.yaml" in result.err + result.out, result.err


def test_every_exemption_names_a_command_that_still_exists() -> None:
    names = {" ".join(words) for words in PLAN_COMMANDS}
    assert set(NEEDS_NOT_B) <= names


def test_a_partial_review_list_shows_what_it_read_and_says_what_it_left_out(
    run, tmp_path: Path
) -> None:
    plan = write_plan(tmp_path / "plan", PLAN_YAML, a=PRIORITY_A, b=BROKEN)
    before = _digest(plan)
    result = run("review", "list", "--plan", plan)
    assert result.code == 1
    assert "r2" in result.out  # what could be read is shown …
    assert "part of the plan cannot be read, so the review list above leaves out:" in result.err
    assert "priorities/b.yaml: the whole file" in result.err  # … and what could not, named
    assert _digest(plan) == before
