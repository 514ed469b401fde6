"""Shared fixtures: real plan directories on disk, and the real CLI, in-process or as a process.

`run` calls the command line's own entry point (`datracker.__main__.main`, what the installed
`datracker` script runs) inside the test process, with its own arguments, working folder,
environment, standard input and output, and returns what a process would have: the exit code
and the two streams. It is about thirty times quicker than starting Python for each command.
`run_process` starts a real `python -m datracker` for what only a process shows: signals,
pseudo-terminals, start-up imports, crash safety.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_PLAN = REPO / "plan"

PLAN_YAML = """\
strategy:
  title: Test Strategy
  period: 2022-2025
  approving_body: Health and Wellbeing Board
reviews:
  - id: r1
    label: Update January 2022
    date: 2022-01
    status: closed
  - id: r2
    label: Update April 2022
    date: 2022-04
    status: open
owners:
  - id: amy-ford
    name: Amy Ford
  - id: bruce-marr
    name: Bruce Marr
"""

PRIORITY_A = """\
id: A
title: Promote healthy relationships
actions:
  - id: A1
    objective: Raise awareness
    measures:
      - description: Number of requests
    owners:
      - amy-ford
    updates:
      - review: r2
        date: 2022-04-10
        rag: AMBER
        text: Training planned.
"""


def write_plan(root: Path, plan_yaml: str = PLAN_YAML, **priorities: str) -> Path:
    """A plan directory with plan.yaml and priorities/<name>.yaml for each keyword."""
    (root / "priorities").mkdir(parents=True, exist_ok=True)
    (root / "plan.yaml").write_text(textwrap.dedent(plan_yaml), encoding="utf-8")
    for name, text in (priorities or {"a": PRIORITY_A}).items():
        (root / "priorities" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plan")


@dataclass
class Result:
    code: int
    out: str
    err: str


def _environment(env: dict[str, str] | None) -> dict[str, str]:
    """What a command run by a test sees: no colour, 120 columns, and no plan from the
    developer's own shell unless the test sets one."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    if "DATRACKER_PLAN" not in (env or {}):
        full_env.pop("DATRACKER_PLAN", None)
    return full_env


def _universal_newlines(data: bytes) -> str:
    """Decoded as `subprocess.run(text=True)` decodes a process's output."""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


@contextlib.contextmanager
def _as_a_process(cwd: Path | None, env: dict[str, str]) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """Working folder, environment and standard streams swapped in, and put back after."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    out, err = io.BytesIO(), io.BytesIO()
    os.environ.clear()
    os.environ.update(env)
    if cwd is not None:
        os.chdir(cwd)
    sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    try:
        yield out, err
    finally:
        for stream in (sys.stdin, sys.stdout, sys.stderr):
            with contextlib.suppress(ValueError):
                stream.flush()
                stream.detach()  # so the wrapper, when collected, does not close our buffers
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        gc.unfreeze()  # what reading a plan froze is the test process's to collect again


def run_in_process(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Result:
    """`datracker ARGS` through the command line's entry point, in this process."""
    from datracker.__main__ import main

    code: int | str | None = 0
    with _as_a_process(cwd, _environment(env)) as (out, err):
        try:
            main([str(arg) for arg in args])
        except SystemExit as done:
            code = done.code
    assert isinstance(code, int), f"exit code {code!r} is not a number"
    return Result(code, _universal_newlines(out.getvalue()), _universal_newlines(err.getvalue()))


def run_as_process(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Result:
    """`datracker ARGS` as a real process, as a user or CI would start it."""
    proc = subprocess.run(
        [sys.executable, "-m", "datracker", *map(str, args)],
        cwd=cwd,
        env=_environment(env),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run `datracker ARGS` in-process: the same entry point, streams and exit code."""
    return run_in_process


@pytest.fixture
def run_process() -> Callable[..., Result]:
    """Run `datracker ARGS` as a real process, where the process itself is what is tested."""
    return run_as_process
