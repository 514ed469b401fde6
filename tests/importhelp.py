"""Helpers for the import tests: run the real CLI, then read the plan it wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import Result, run_in_process
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
    """The CLI for module-scoped fixtures (conftest's `run` fixture is per test)."""
    return run_in_process(*args)
