"""The folders are layers: `lint-imports` (run by `make test`) must fail on an upward import.

`make test` runs the contract on the real tree; this test proves the contract has teeth, by
running it on a copy of the package with one upward import added.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        REPO / "src" / "datracker",
        tmp_path / "src" / "datracker",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


def test_the_real_tree_keeps_the_layers(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("core/text.py", "datracker.plan.models"),
        ("plan/status.py", "datracker.vcs.gitrepo"),
        ("vcs/history.py", "datracker.edit.safewrite"),
        ("edit/updates.py", "datracker.report.escape"),
        ("report/export.py", "datracker.render.view"),
        ("render/view.py", "datracker.cli.app"),
        ("render/charts.py", "datracker.importing.tables"),
    ],
)
def test_an_upward_or_sideways_import_breaks_the_contract(
    tree: Path, lower: str, upper: str
) -> None:
    module = tree / "src" / "datracker" / lower
    # A lazy import inside a function counts too: that is how most upward imports would sneak in.
    module.write_text(
        module.read_text(encoding="utf-8") + f"\n\ndef _sneak() -> None:\n    import {upper}\n",
        encoding="utf-8",
    )
    result = _lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert upper in result.stdout
