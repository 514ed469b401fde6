"""No path leaves the plan: links to a secret outside it are refused by every command.

Each case plants a secret file outside the plan repository, links to it from inside (a
narrative file, the narrative folder, the priorities folder, a template file, the templates
folder), and runs the commands that would read or write through the link. The secret's text
must never appear in any output or written file, and nothing outside may change.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PRIORITY_A, write_plan
from datracker.core.paths import OutsideFolder, inside, link_leading_out, links_in

MARKER = "SECRET-MARKER-7f3a"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its bytes' hash, its size and mtime: nothing may change."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            rel = path.relative_to(folder).as_posix()
            found[rel] = f"{digest}:{stat.st_size}:{stat.st_mtime_ns}"
    return found


def outputs_under(folder: Path) -> str:
    """The text of every regular file written under `folder` (documents, charts)."""
    texts = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


SECRET_PRIORITY = PRIORITY_A.replace("Training planned.", f"{MARKER} training planned.")


def narrative_file(top: Path, outside: Path) -> None:
    (outside / "secret.md").write_text(f"# Secret\n\n{MARKER}\n")
    (top / "plan" / "narrative").mkdir()
    (top / "plan" / "narrative" / "01-intro.md").write_text("# Introduction\n\nHello.\n")
    os.symlink(outside / "secret.md", top / "plan" / "narrative" / "07-leak.md")


def narrative_folder(top: Path, outside: Path) -> None:
    (outside / "narrative").mkdir()
    (outside / "narrative" / "01-secret.md").write_text(f"# Secret\n\n{MARKER}\n")
    os.symlink(outside / "narrative", top / "plan" / "narrative", target_is_directory=True)


def priorities_folder(top: Path, outside: Path) -> None:
    (outside / "priorities").mkdir()
    (outside / "priorities" / "a.yaml").write_text(SECRET_PRIORITY)
    (top / "plan" / "priorities" / "a.yaml").unlink()
    (top / "plan" / "priorities").rmdir()
    os.symlink(outside / "priorities", top / "plan" / "priorities", target_is_directory=True)


def template_file(top: Path, outside: Path) -> None:
    (outside / "title.md.j2").write_text(f"# {MARKER}\n")
    (top / "templates" / "markdown").mkdir(parents=True)
    os.symlink(outside / "title.md.j2", top / "templates" / "markdown" / "title.md.j2")


def template_folder(top: Path, outside: Path) -> None:
    (outside / "tpl" / "markdown").mkdir(parents=True)
    (outside / "tpl" / "markdown" / "title.md.j2").write_text(f"# {MARKER}\n")
    os.symlink(outside / "tpl", top / "templates", target_is_directory=True)


ESCAPES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "narrative file": (narrative_file, "narrative/07-leak.md"),
    "narrative folder": (narrative_folder, "narrative"),
    "priorities folder": (priorities_folder, "priorities"),
    "template file": (template_file, "templates/markdown/title.md.j2"),
    "template folder": (template_folder, "templates"),
}


@pytest.fixture(params=sorted(ESCAPES))
def escape(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path, str]:
    top, outside = tmp_path / "repo", tmp_path / "outside"
    outside.mkdir()
    write_plan(top / "plan", a=PRIORITY_A)
    (top / "templates").mkdir()
    plant, link = ESCAPES[request.param]
    if request.param == "template folder":
        (top / "templates").rmdir()
    plant(top, outside)
    return top, outside, link


COMMANDS = [
    ("validate",),
    ("status",),
    ("update", "A1", "--rag", "GREEN", "--text", "Done.", "--date", "2022-04-20"),
    ("measure", "A1", "1", "--period", "2022-03", "--value", "4"),
    ("render", "--output", "build"),
    ("export",),
    ("diff", "HEAD", "WORKTREE"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_no_command_reads_or_writes_through_a_link_out(
    run, escape: tuple[Path, Path, str], command: tuple[str, ...]
) -> None:
    top, outside, link = escape
    if command[0] == "diff":
        from gitutil import commit_all, init_repo

        init_repo(top)
        commit_all(top, "plan")
    before = snapshot(outside)
    result = run(*command, "--plan", "plan", cwd=top)
    everything = result.out + result.err + outputs_under(top)
    assert MARKER not in everything, (command, everything)
    assert "Traceback" not in result.err
    assert snapshot(outside) == before
    if command[0] in REFUSED[link.split("/")[0]]:
        assert result.code == 1, (command, result.out, result.err)
        assert link in result.err + result.out  # the link is named …
        assert str(outside) in result.err + result.out  # … with its target
    else:  # the command reads nothing through the link (status notes the errors)
        assert result.code == 0, (command, result.out, result.err)


REFUSED = {
    "narrative": {"validate", "render"},
    # without its priorities the plan is not whole: status answers in part and exits 1,
    # export refuses (issue 16)
    "priorities": {"validate", "status", "update", "measure", "render", "export", "diff"},
    "templates": {"validate", "render"},
}


def test_validate_names_each_link_and_its_target(run, escape: tuple[Path, Path, str]) -> None:
    top, outside, link = escape
    result = run("validate", "--plan", "plan", cwd=top)
    assert result.code == 1
    shown = link if link.startswith("templates") else f"plan/{link}"
    assert f"{shown}:1:1: error: this is a link to {outside}" in result.out
    assert "outside the plan; it is not read" in result.out


def test_a_link_inside_the_plan_is_refused_by_validate_but_read_safely(run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "plan", a=PRIORITY_A)
    (plan / "narrative").mkdir()
    (plan / "narrative" / "intro.md").write_text("# Intro\n")
    os.symlink("intro.md", plan / "narrative" / "again.md")
    (plan / ".venv" / "bin").mkdir(parents=True)  # hidden folders are not the plan's
    os.symlink(sys.executable, plan / ".venv" / "bin" / "python")
    result = run("validate", "--plan", plan)
    assert result.code == 1
    assert "narrative/again.md:1:1: error: this is a symbolic link (to intro.md)" in result.out
    assert ".venv" not in result.out
    assert run("status", "--plan", plan).code == 0


def test_templates_given_with_an_option_are_read_only_from_inside(run, tmp_path: Path) -> None:
    top, outside = tmp_path / "repo", tmp_path / "outside"
    outside.mkdir()
    (outside / "title.md.j2").write_text(f"# {MARKER}\n")
    write_plan(top / "plan", a=PRIORITY_A)
    chosen = top / "mine" / "markdown"
    chosen.mkdir(parents=True)
    os.symlink(outside / "title.md.j2", chosen / "title.md.j2")
    result = run("render", "--plan", "plan", "--templates", "mine", "--output", "out", cwd=top)
    assert result.code == 1
    assert MARKER not in result.out + result.err + outputs_under(top)
    assert "mine/markdown/title.md.j2 is a link to " + str(outside / "title.md.j2") in result.err


def test_a_link_out_of_the_folder_you_stand_in_is_named_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    os.symlink(tmp_path / "elsewhere", folder / "templates", target_is_directory=True)
    monkeypatch.chdir(folder)
    with pytest.raises(OutsideFolder) as raised:
        inside(folder, folder / "templates" / "x.j2")
    assert raised.value.message == (
        f"templates is a link to {tmp_path / 'elsewhere'}, outside the current folder; "
        "datracker does not follow it"
    )


def test_inside_names_the_first_link_that_leads_out(tmp_path: Path) -> None:
    folder, outside = tmp_path / "plan", tmp_path / "elsewhere"
    (folder / "ok").mkdir(parents=True)
    outside.mkdir()
    (outside / "f.md").write_text("x")
    os.symlink(outside, folder / "away", target_is_directory=True)
    os.symlink("ok", folder / "here", target_is_directory=True)
    assert inside(folder, folder / "here" / "f.md") == folder / "here" / "f.md"
    assert link_leading_out(folder, folder / "away" / "f.md") == (folder / "away", str(outside))
    with pytest.raises(OutsideFolder) as raised:
        inside(folder, folder / "away" / "f.md")
    here = os.path.relpath
    assert raised.value.message == (
        f"{here(folder / 'away')} is a link to {outside}, outside the folder {here(folder)}; "
        "datracker does not follow it"
    )
    assert inside(folder, folder / "ok" / ".." / "ok") == folder / "ok" / ".." / "ok"
    with pytest.raises(OutsideFolder):
        inside(folder, folder / ".." / "elsewhere" / "f.md")
    assert [(link.rel, link.outside) for link in links_in(folder)] == [
        ("away", True),
        ("here", False),
    ]
