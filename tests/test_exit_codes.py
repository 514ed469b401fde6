"""One exit-code table and one message style for every command, found by walking the command tree.

Every option and argument of every command (read from the Typer/Click command tree, so a
command or option added later is covered, or this test asks for its bad value) is given a
value that cannot be right; the command must exit with the table's code and say so in
datracker's own `error: …` / `hint: …` lines, never in Click's words or with a traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command

from commandtree import COMMANDS, GOOD, param_key
from conftest import PLAN_YAML, write_plan
from datracker.cli.outcomes import run_command
from datracker.core.problems import DatrackerError, InvalidValue
from gitutil import commit_all, init_repo

# (command words or "*", parameter) -> (a value that cannot be right, the exit code it gets).
# 2: the value itself is wrong (its form, or it names nothing the plan has); 1: a well-formed
# value naming a file, folder or git revision that cannot be used.
BAD = {
    ("*", "--format"): ("nonsense", 2),
    ("*", "--plan"): ("{repo}/plan/plan.yaml", 1),
    ("*", "ID"): ("Z99", 2),
    ("*", "--review"): ("r9", 2),
    ("*", "--date"): ("2022-13-45", 2),
    ("*", "--author"): ("nobody", 2),
    ("*", "--output"): ("{repo}/plan/plan.yaml", 1),
    ("update", "--rag"): ("purple", 2),
    ("update", "--status"): ("finished", 2),
    ("update", "--qualifier"): ("bell\x07", 2),
    ("update", "--text"): ("   ", 2),
    ("update", "--text-file"): ("{tmp}/no-such-file.txt", 1),
    ("measure", "MEASURE"): ("9", 2),
    ("measure", "--period"): ("2022-13", 2),
    ("measure", "--value"): ("lots", 2),
    ("measure", "--of"): ("lots", 2),
    ("measure", "--note"): ("bell\x07", 2),
    ("status", "--owner"): ("nobody", 2),
    ("review open", "LABEL"): ("   ", 2),
    ("review open", "--id"): ("r1", 2),
    ("review approve", "--by"): ("bell\x07", 2),
    ("owner email", "OWNER"): ("nobody", 2),
    ("owner email", "EMAIL"): ("not an address", 2),
    ("owner maintainer", "OWNER"): ("nobody", 2),
    ("check", "--base"): ("no-such-revision", 1),
    ("check", "--head"): ("no-such-revision", 1),
    ("diff", "FROM"): ("no-such-revision", 1),
    ("diff", "TO"): ("no-such-revision", 1),
    ("history", "--since"): ("no-such-revision", 1),
    ("render", "--templates"): ("{tmp}/no-such-folder", 1),
    ("render", "--at"): ("no-such-revision", 1),
    ("*", "--as-of"): ("2022-13", 2),
    ("review assess", "PRIORITY"): ("Z", 2),
    ("review assess", "--rag"): ("purple", 2),
    ("review assess", "--text"): ("   ", 2),
    ("review assess", "--text-file"): ("{tmp}/no-such-file.txt", 1),
    ("import", "FILE"): ("{tmp}/no-such-file.csv", 1),
    ("import", "--sheet"): ("Nope", 1),
    ("import", "--report"): ("{repo}", 1),
    ("import", "--columns"): ("Lead officer=shoe_size", 2),
    ("import", "--scale"): ("On Track,on track", 2),
    ("export", "--output"): ("{repo}", 1),
    ("init", "DIR"): ("{repo}/plan/plan.yaml", 1),
    ("init", "--datracker"): ("datracker", 2),  # a bare name, pinned to nothing
    ("schema", "KIND"): ("foo", 2),
}
# Text that any value can be right for: there is no wrong value to give.
FREE_TEXT = {("import", "--review-label"), ("init", "--title")}


def _cases() -> Iterator[Any]:
    for words, command in COMMANDS.items():
        name = " ".join(words)
        for param in command.params:
            key = param_key(param)
            if key in ("--help", "--version"):
                continue
            if getattr(param, "is_flag", False):
                yield pytest.param(words, key, f"{key}=yes", 2, id=f"{name} {key}")
                continue
            if (name, key) in FREE_TEXT:
                continue
            bad = BAD.get((name, key)) or BAD.get(("*", key))
            assert bad is not None, f"add a value that cannot be right for `{name} {key}` to BAD"
            yield pytest.param(words, key, *bad, id=f"{name} {key}")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = init_repo(tmp_path / "repo")
    write_plan(repo / "plan")
    commit_all(repo, "plan")
    return repo


def _argv(words: tuple[str, ...], key: str, bad: str, fill: dict[str, str]) -> list[str]:
    command = COMMANDS[words]
    argv = list(words)
    for param in command.params:
        other = param_key(param)
        value = bad if other == key else GOOD.get(other)
        if param.param_type_name == "argument" and (param.required or other == key):
            argv.append((value or "A1").format(**fill))
        elif param.param_type_name == "option" and other == key and "=" in bad:
            argv.append(bad)
        elif param.param_type_name == "option" and (other == key or param.required):
            argv += [other, (value or "").format(**fill)]
    return argv


@pytest.mark.parametrize(("words", "key", "bad", "code"), list(_cases()))
def test_every_option_refuses_a_wrong_value_in_our_words(
    run, repo: Path, tmp_path: Path, words: tuple[str, ...], key: str, bad: str, code: int
) -> None:
    if words == ("review", "open"):  # only one review may be open: close the shipped one
        (repo / "plan" / "plan.yaml").write_text(
            PLAN_YAML.replace("status: open", "status: closed")
        )
        commit_all(repo, "close r2")  # review open commits plan.yaml, so it must be clean
    source = tmp_path / "plan.csv"
    source.write_text("ID,Objective,Action,RAG\nA1,Raise awareness,Workshops,GREEN\n")
    fill = {"repo": str(repo), "tmp": str(tmp_path), "source": str(source)}
    argv = _argv(words, key, bad, fill)
    result = run(*argv, cwd=repo)
    assert result.code == code, f"{argv}: {result.code}\n{result.err}"
    assert result.err.startswith("error: "), result.err
    assert "\nhint: " in result.err, result.err
    for click_words in ("Usage:", "Invalid value for", "Error:", "Traceback", "Value error"):
        assert click_words not in result.err, result.err


def test_every_command_is_walked() -> None:
    assert len(COMMANDS) >= 17
    assert ("review", "list") in COMMANDS and ("update",) in COMMANDS


# --- each outcome of `run_command`, with a real Typer app ------------------------------------


def _outcome(raised: BaseException | None, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    small = typer.Typer()

    @small.command()
    def go(count: int = 1) -> None:
        if raised is not None:
            raise raised

    @small.command()
    def other() -> None:
        """A second command, so `go` is a subcommand as datracker's are."""

    code = run_command(get_command(small), ["go"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("raised", "code", "said"),
    [
        (None, 0, ""),
        (DatrackerError("the plan cannot be read", "run validate"), 1, "error: the plan cannot"),
        (InvalidValue("'x' is not a date", "write YYYY-MM-DD"), 2, "hint: write YYYY-MM-DD"),
        (typer.BadParameter("too many"), 2, "error: too many"),
        (typer.Exit(4), 4, ""),
        (KeyboardInterrupt(), 130, "interrupted; nothing was written"),
        (EOFError(), 130, "interrupted; nothing was written"),
        (typer.Abort(), 130, "interrupted; nothing was written"),
        (IsADirectoryError(21, "Is a directory", "/tmp/x"), 1, "error: cannot use /tmp/x"),
        (ZeroDivisionError("division by zero"), 3, "internal error: ZeroDivisionError"),
    ],
)
def test_each_outcome_has_its_code_and_words(
    capsys: pytest.CaptureFixture[str], raised: BaseException | None, code: int, said: str
) -> None:
    got, err = _outcome(raised, capsys)
    assert got == code, err
    assert said in err
    if code == 3:
        assert "this is a bug in datracker" in err and "Traceback" in err


# --- the installed command, as a process ----------------------------------------------------


def _installed() -> str:
    script = Path(sys.executable).parent / "datracker"
    if not script.exists():
        pytest.skip("datracker is not installed beside this Python")
    return str(script)


def test_the_installed_command_follows_the_table() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    version = subprocess.run([_installed(), "--version"], capture_output=True, text=True, env=env)
    assert (version.returncode, version.stdout.split()[0]) == (0, "datracker")
    wrong = subprocess.run(
        [_installed(), "validate", "--format", "xml"], capture_output=True, text=True, env=env
    )
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("error: --format: 'xml' is not one of text, json, github")


def test_ctrl_c_in_a_command_exits_130_without_a_traceback(tmp_path: Path) -> None:
    """SIGINT while the command waits on its standard input (`--text-file -`)."""
    root = write_plan(tmp_path / "plan")
    before = (root / "priorities" / "a.yaml").read_bytes()
    proc = subprocess.Popen(
        [_installed(), "update", "A1", "--plan", str(root), "--text-file", "-"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        start_new_session=True,
    )
    assert proc.stdin is not None and proc.stderr is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _reading_stdin(proc.pid):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=30)[1]
    assert proc.returncode == 130, err
    assert "interrupted; nothing was written" in err and "Traceback" not in err
    assert (root / "priorities" / "a.yaml").read_bytes() == before


def _reading_stdin(pid: int) -> bool:
    """Whether the process is blocked reading a pipe (its standard input), from Linux's /proc."""
    try:
        return "pipe" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


@pytest.mark.parametrize("words", [[], ["review"]], ids=["datracker", "datracker review"])
def test_no_command_shows_what_can_be_done(run, words: list[str]) -> None:
    result = run(*words)
    assert result.code == 0, result.err
    assert result.out.startswith("Usage: datracker") and "Commands:" in result.out
