"""The dead-code check (`vulture`, run by `make test`'s checks job) must fail on dead code.

`make test` runs it on the real tree; this test proves it has teeth, on a copy of the tree
with one function nothing calls, and that what only a library uses (vulture_whitelist.py, the
Typer decorators in pyproject.toml) keeps the real tree clean.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VULTURE = Path(sys.executable).with_name("vulture")


def _vulture(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VULTURE)], cwd=tree, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("pyproject.toml", "vulture_whitelist.py"):
        shutil.copy(REPO / name, tmp_path / name)
    for folder in ("src", "scripts", "benchmarks", "fuzz"):
        shutil.copytree(
            REPO / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns("__pycache__", ".work", "corpus", "crashes"),
        )
    return tmp_path


def test_the_real_tree_has_no_dead_code(tree: Path) -> None:
    result = _vulture(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "name", "dead"),
    [
        ("plan/status.py", "rating_nobody_asks_for", "def {}(x: int) -> int:\n    return x\n"),
        ("cli/prompts.py", "UNUSED_WORDS", "{} = ('maybe', 'later')\n"),
        ("render/view.py", "LeftOver", "class {}:\n    pass\n"),
    ],
)
def test_dead_code_fails_the_check(tree: Path, module: str, name: str, dead: str) -> None:
    path = tree / "src" / "datracker" / module
    path.write_text(path.read_text() + "\n\n" + dead.format(name))
    result = _vulture(tree)
    assert result.returncode != 0
    assert f"src/datracker/{module}" in result.stdout and f"'{name}'" in result.stdout
