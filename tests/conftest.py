"""Shared fixtures: real plan directories on disk, and the real CLI in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
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


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run `datracker ARGS` as a real process, as a user or CI would."""

    def _run(
        *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> Result:
        full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
        if "DATRACKER_PLAN" not in (env or {}):
            full_env.pop("DATRACKER_PLAN", None)
        proc = subprocess.run(
            [sys.executable, "-m", "datracker", *map(str, args)],
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return _run
