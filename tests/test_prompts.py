"""Interactive `update` at a real pseudo-terminal: nothing typed is lost to a slip.

The RAG prompt reads every spelling `--rag` reads and helps with a miss; an empty text is
asked for again, or cancelled with "nothing was written"; the input closing is an interruption.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import write_plan
from gitutil import commit_all, git, init_repo
from test_update import PRIORITY_A, PRIORITY_B, _env, _finish, _read_until, _spawn, last_update


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plan", a=PRIORITY_A, b=PRIORITY_B)


def _start(plan: Path) -> tuple[int, int]:
    pid, fd = _spawn(["update", "A1", "--plan", str(plan), "--date", "2022-04-21"], _env())
    _read_until(fd, "RAG (number or name) [AMBER]: ")
    return pid, fd


def test_a_misspelt_rag_gets_the_nearest_level_and_a_number_off_the_list_gets_the_list(
    plan: Path,
) -> None:
    pid, fd = _start(plan)
    os.write(fd, b"gren\n")
    assert "'gren' is not on the scale; did you mean GREEN?" in _read_until(fd, "RAG (number")
    os.write(fd, b"7\n")
    said = _read_until(fd, "RAG (number")
    assert "'7' is not on the list; choose 1 to 5: 1. RED, 2. AMBER/RED" in said
    os.write(fd, b"amber green\n")  # as --rag "amber green" reads it
    _read_until(fd, "finish with a line holding only '.'")
    os.write(fd, b"Two workshops held.\n.\n")
    code, out = _finish(pid, fd)
    assert code == 0, out
    assert last_update(plan, "a")["rag"] == "AMBER/GREEN"
    assert last_update(plan, "a")["text"] == "Two workshops held."


def test_an_empty_text_is_asked_again_and_the_rag_is_kept(plan: Path) -> None:
    pid, fd = _start(plan)
    os.write(fd, b"1\n")
    _read_until(fd, "finish with a line holding only '.'")
    os.write(fd, b".\n")
    _read_until(fd, "Write it now? [Y/n] ")
    os.write(fd, b"\n")
    _read_until(fd, "finish with a line holding only '.'")
    os.write(fd, b"Now with words.\n.\n")
    code, out = _finish(pid, fd)
    assert code == 0, out
    assert last_update(plan, "a")["rag"] == "RED"
    assert last_update(plan, "a")["text"] == "Now with words."


def test_an_empty_text_can_be_cancelled_and_nothing_is_written(plan: Path) -> None:
    before = (plan / "priorities" / "a.yaml").read_bytes()
    pid, fd = _start(plan)
    os.write(fd, b"1\n")
    _read_until(fd, "finish with a line holding only '.'")
    os.write(fd, b".\n")
    _read_until(fd, "Write it now? [Y/n] ")
    os.write(fd, b"n\n")
    code, out = _finish(pid, fd)
    assert code == 130, out
    assert "cancelled; nothing was written" in out
    assert (plan / "priorities" / "a.yaml").read_bytes() == before


def test_closing_the_input_at_a_question_is_an_interruption(plan: Path) -> None:
    before = (plan / "priorities" / "a.yaml").read_bytes()
    pid, fd = _start(plan)
    os.write(fd, b"\x04")  # Ctrl-D: end of input
    code, out = _finish(pid, fd)
    assert code == 130, out
    assert "interrupted; nothing was written" in out and "Traceback" not in out
    assert (plan / "priorities" / "a.yaml").read_bytes() == before


def test_tables_have_colour_on_a_terminal_unless_no_color(plan: Path) -> None:
    env = {k: v for k, v in _env().items() if k != "NO_COLOR"}
    pid, fd = _spawn(["status", "--plan", str(plan)], {**env, "TERM": "xterm-256color"})
    code, out = _finish(pid, fd)
    assert code == 0 and COLOUR.search(out), out
    pid, fd = _spawn(["status", "--plan", str(plan)], {**env, "NO_COLOR": "1"})
    code, out = _finish(pid, fd)
    assert code == 0 and not COLOUR.search(out) and "A1" in out, out


# a foreground colour in an SGR sequence (bold alone is not colour: NO_COLOR keeps it)
COLOUR = re.compile(r"\x1b\[(?:[0-9]+;)*(?:3[0-7]|38)[;m]")


def _committed_plan(tmp_path: Path) -> tuple[Path, Path]:
    repo = init_repo(tmp_path / "repo")
    plan = write_plan(repo / "plan", a=PRIORITY_A, b=PRIORITY_B)
    commit_all(repo, "the plan")
    return repo, plan


def test_no_git_identity_is_said_before_anything_is_typed(tmp_path: Path) -> None:
    repo, plan = _committed_plan(tmp_path)
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(HOME=str(home), XDG_CONFIG_HOME=str(home), GIT_CONFIG_NOSYSTEM="1")
    pid, fd = _spawn(["update", "A1", "--commit", "--plan", str(plan)], env)
    code, out = _finish(pid, fd)
    assert code == 1, out
    assert "git does not know your name and e-mail" in out
    assert "RAG (number" not in out  # nobody was asked to type an update that could not land


def test_a_refusal_after_the_typing_gives_the_text_back(tmp_path: Path) -> None:
    _, plan = _committed_plan(tmp_path)
    a_file = plan / "priorities" / "a.yaml"
    a_file.write_text(a_file.read_text() + "# a note not yet committed\n")
    before = a_file.read_bytes()
    pid, fd = _spawn(
        ["update", "A1", "--commit", "--plan", str(plan), "--date", "2022-04-21"], _env()
    )
    _read_until(fd, "RAG (number or name) [AMBER]: ")
    os.write(fd, b"green\n")
    _read_until(fd, "finish with a line holding only '.'")
    os.write(fd, b"Two workshops held.\nA third is booked.\n.\n")
    code, out = _finish(pid, fd)
    assert code == 1, out
    assert "uncommitted" in out
    assert "the text you typed, to paste when you run it again:" in out
    assert "  Two workshops held.\r\n  A third is booked." in out
    assert a_file.read_bytes() == before
