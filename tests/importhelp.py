"""Helpers for the import tests: run the real CLI, then read the plan it wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import Result
from datracker.plan.models import Action, Plan
from datracker.plan.store import load_plan


def import_ok(run: Any, source: Path, output: Path, *args: str) -> tuple[Plan, str]:
    """Import through the CLI, insist it succeeded, and load the plan it wrote."""
    result = run("import", source, "--output", output, *args)
    assert result.code == 0, result.out + result.err
    assert "Traceback" not in result.err
    loaded = load_plan(output)
    assert loaded.problems == []
    plan = loaded.plan
    assert plan is not None
    return plan, result.out


def action(plan: Plan, action_id: str) -> Action:
    found = plan.find_action(action_id)
    assert found is not None, f"no {action_id}"
    return found[1]


def owner_names(plan: Plan, act: Action) -> list[str]:
    names = {o.id: o.name for o in plan.config.owners}
    return [names[o] for o in act.owners]


def cli(*args: str | Path) -> Result:
    """The real CLI in a process, for module-scoped fixtures (conftest's `run` is per test)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("DATRACKER_PLAN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "datracker", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
