"""`history` and `diff` say plainly when the clone is shallow and the history may be incomplete."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import write_plan
from gitutil import commit_all, init_repo

RAGS = ["AMBER", "RED", "AMBER/RED", "AMBER", "GREEN"]


def five_commits(tmp_path: Path) -> Path:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan")
    for rag in RAGS:
        path = plan / "priorities" / "a.yaml"
        text = path.read_text()
        path.write_text(text.replace(text.split("rag: ")[1].split("\n")[0], rag, 1))
        commit_all(repo, f"A1 {rag}")
    return repo


def test_a_shallow_clone_is_named_and_the_full_one_is_not(run, tmp_path: Path) -> None:
    repo = five_commits(tmp_path)
    full = run("history", "A1", "--plan", "plan", "--format", "json", cwd=repo)
    assert full.code == 0 and "shallow" not in full.err
    assert full.out.count('"commit"') == 5
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    shallow = run("history", "A1", "--plan", "plan", "--format", "json", cwd=clone)
    assert shallow.code == 0
    assert shallow.out.count('"commit"') == 1
    assert "warning: this is a shallow clone" in shallow.err
    assert "the history may be incomplete" in shallow.err
    assert "git fetch --unshallow" in shallow.err
    diff = run("diff", "--plan", "plan", cwd=clone)
    assert diff.code == 0 and "warning: this is a shallow clone" in diff.err
    assert "shallow" not in run("diff", "--plan", "plan", cwd=repo).err
