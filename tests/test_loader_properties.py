"""Property tests: whatever bytes a plan file holds, loading returns located problems.

A plan is edited in web editors and arrives through pull requests from many partners, so the
loader must never raise on bad input and `validate` must never exit 3 (an internal error).
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED_PLAN, write_plan
from datracker import cli
from datracker.plan.store import load_plan
from datracker.plan.validation import validate_plan

REAL_FILE = (SHIPPED_PLAN / "priorities" / "a-healthy-relationships.yaml").read_bytes()
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check_file(root: Path, content: bytes) -> None:
    (root / "priorities" / "a.yaml").write_bytes(content)
    problems = validate_plan(load_plan(root))
    for problem in problems:
        assert problem.path in ("plan.yaml", "priorities/a.yaml")
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message


@SETTINGS
@given(content=st.binary(max_size=2000))
def test_arbitrary_bytes_give_problems_not_exceptions(tmp_path: Path, content: bytes) -> None:
    _check_file(write_plan(tmp_path / "plan"), content)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The real A file with a few cuts, insertions and duplicated spans."""
    data = bytearray(REAL_FILE)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "insert", "repeat"]))
        if kind == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            alphabet = st.sampled_from(list(b" \t\n:-#&*![]{}'\"|>%@`,?\x00\xff") + [0x41])
            data[at:at] = bytes(draw(st.lists(alphabet, min_size=1, max_size=8)))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 60))]
    return bytes(data)


@SETTINGS
@given(content=mutated())
def test_mutated_real_files_give_problems_not_exceptions(tmp_path: Path, content: bytes) -> None:
    _check_file(write_plan(tmp_path / "plan"), content)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=mutated())
def test_validate_never_exits_3(tmp_path: Path, content: bytes) -> None:
    root = write_plan(tmp_path / "plan")
    (root / "priorities" / "a.yaml").write_bytes(content)
    argv, sys.argv = sys.argv, ["datracker", "validate", "--plan", str(root), "--format", "json"]
    code: object = 0
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli.main()
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.argv = argv
    assert code in (0, 1)
