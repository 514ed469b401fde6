"""Property: any sequence of updates and data points on the real plan keeps every other byte.

After each sequence the plan validates, every original line is still there in order (edits
only insert entries, or replace entries this sequence inserted), and loading gives exactly
the values that were recorded.
"""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED_PLAN
from datracker.core.text import CONTROL, unify_line_ends
from datracker.edit.planwrite import Options
from datracker.edit.updates import PointRequest, UpdateRequest, record_point, record_update
from datracker.plan.store import load_plan
from datracker.plan.validation import validate_plan

TODAY = dt.date(2022, 4, 30)
REVIEW = "2022-04"
ACTIONS = ["A1", "A3", "A4", "A5", "B1", "C2", "C3", "E2", "E6"]
RAGS = [None, "RED", "AMBER/RED", "AMBER", "AMBER/GREEN", "GREEN"]
A5_RTA = "Right to Ask"

texts = st.text(min_size=1, max_size=160).filter(
    lambda t: t.strip() and not CONTROL.search(unify_line_ends(t))
)
updates = st.tuples(st.just("update"), st.sampled_from(ACTIONS), st.sampled_from(RAGS), texts)
points = st.tuples(
    st.just("measure"),
    st.sampled_from([f"2021-{m:02d}" for m in (10, 11, 12)] + ["2022-01", "2022-02"]),
    st.integers(0, 60),
    st.none(),
)


def _open_plan(tmp: Path) -> Path:
    root = tmp / "plan"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(SHIPPED_PLAN, root)
    plan_yaml = root / "plan.yaml"
    text = plan_yaml.read_text()
    opened = "    approved: 2022-02-09\n" + (
        f"  - id: {REVIEW}\n    label: Update April 2022\n    date: 2022-04\n    status: open\n"
    )
    plan_yaml.write_text(text.replace("    approved: 2022-02-09\n", opened, 1))
    return root


def _only_insertions(before: str, after: str) -> bool:
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.one_of(updates, points), min_size=1, max_size=5))
def test_any_sequence_keeps_other_bytes_and_reads_back(tmp_path: Path, steps: list) -> None:  # type: ignore[type-arg]
    root = _open_plan(tmp_path)
    originals = {p: p.read_text() for p in root.rglob("*.yaml")}
    expected_updates: dict[str, tuple[str | None, str]] = {}
    expected_points: dict[str, int] = {}
    for kind, first, second, text in steps:
        if kind == "update":
            request = UpdateRequest(first, rag=second, text=text, date="2022-04-20")
            record_update(root, request, Options(), TODAY)
            previous_rag = expected_updates.get(first, (None, ""))[0]
            expected_updates[first] = (second or previous_rag, unify_line_ends(text).strip())
        else:
            record_point(root, PointRequest("A5", A5_RTA, first, second), Options(), TODAY)
            expected_points[first] = second
    loaded = load_plan(root)
    assert not [p for p in validate_plan(loaded, TODAY) if p.severity == "error"]
    for path, before in originals.items():
        assert _only_insertions(before, path.read_text()), path.name
    plan = loaded.require_plan()
    for action_id, (rag, text) in expected_updates.items():
        update = plan.find_action(action_id)[1].update_for(REVIEW)  # type: ignore[index]
        assert update is not None and (update.rag, update.text) == (rag, text)
    rta = plan.find_action("A5")[1].measures[1]  # type: ignore[index]
    recorded = {p.period: p.value for p in rta.data}
    assert all(recorded[period] == value for period, value in expected_points.items())
