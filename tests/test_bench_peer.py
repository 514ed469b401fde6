"""The benchmark harness's comparison with check-jsonschema: what its verdicts mean.

The peer itself is installed by the harness from the network, so it is not run here; these
tests pin the parts a wrong edit would silently break: "faster than the peer" is strict, a
peer that could not be installed is not a failure, the peer's two processes are timed as one
job, and a command compared with two floors still runs once per run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO, SHIPPED_PLAN

sys.path.insert(0, str(REPO / "benchmarks"))
import run  # noqa: E402  (benchmarks/ is a folder of scripts, not a package)

SLEEP = [sys.executable, "-c", "import time; time.sleep(0.2)"]
FAIL = [sys.executable, "-c", "raise SystemExit(4)"]


def peer_row(median: float, floor_median: float) -> run.Row:
    return run.Row(
        "1,000",
        run.VALIDATE,
        median,
        run.FLOOR_PEER,
        floor_median,
        budget=1.0,
        strictly_under=True,
    )


def test_faster_than_the_peer_means_strictly_faster() -> None:
    assert peer_row(0.99, 1.0).verdict == "PASS"
    assert peer_row(1.0, 1.0).verdict == "MISS"
    assert run.cells(peer_row(0.5, 1.0))[6] == "< 1×"


def test_an_ordinary_budget_may_be_reached() -> None:
    row = run.Row("1,000", run.VALIDATE, 1.5, run.FLOOR_LOAD, 1.0, budget=1.5)
    assert row.verdict == "PASS"
    assert run.cells(row)[6] == "≤ 1.5×"


def test_an_unavailable_peer_is_reported_but_fails_nothing() -> None:
    row = run.Row("1,000", run.VALIDATE, 0.7, run.FLOOR_PEER, None, 1.0, unavailable=True)
    assert row.verdict == "unavailable"
    assert row.verdict not in ("MISS", "ERROR")  # what --check counts


def test_the_peers_failure_on_a_valid_plan_is_an_error() -> None:
    row = run.Row("1,000", run.FLOOR_PEER, None, error="exit 1")
    assert row.verdict == "ERROR"


def test_processes_of_one_job_are_timed_together() -> None:
    seconds, code = run.time_once([SLEEP, SLEEP])
    assert seconds >= 0.4
    assert code == 0


def test_a_job_fails_if_any_of_its_processes_does() -> None:
    _, code = run.time_once([FAIL, SLEEP])
    assert code == 4
    assert run.run_until_failure([SLEEP, FAIL, SLEEP]).returncode == 4


def test_the_peer_gets_every_plan_file_once_against_its_schema() -> None:
    plan_run, priorities_run = run.peer_commands(SHIPPED_PLAN)
    assert plan_run[-2:] == [
        str(REPO / "schema" / "plan.schema.json"),
        str(SHIPPED_PLAN / "plan.yaml"),
    ]
    schema_at = priorities_run.index("--schemafile") + 1
    assert priorities_run[schema_at] == str(REPO / "schema" / "priority.schema.json")
    files = priorities_run[schema_at + 1 :]
    assert files == [str(p) for p in sorted((SHIPPED_PLAN / "priorities").glob("*.yaml"))]
    assert len(files) >= 6


def test_a_command_against_two_floors_runs_once_per_run() -> None:
    target = run.Target("shipped", SHIPPED_PLAN, 38, "shipped")
    both = [bench for bench in run.BENCHMARKS if bench.plans == "shipped"]
    jobs = run.jobs_for(target, both, {})
    names = [job.name for job in jobs]
    assert names.count(run.VALIDATE) == 1
    assert names.count(run.STATUS_JSON) == 1
    assert {run.FLOOR_IMPORTS, run.FLOOR_PEER} <= {
        bench.floor for bench in both if bench.name == run.VALIDATE
    }


def test_two_entries_of_one_name_must_run_the_same_command(tmp_path: Path) -> None:
    target = run.Target("1", tmp_path, 1, "generated")
    clash = [
        run.Benchmark(run.VALIDATE, run.validate_command, run.FLOOR_LOAD, 1.5),
        run.Benchmark(run.VALIDATE, run.status_json_command, run.FLOOR_PEER, 1.0),
    ]
    with pytest.raises(ValueError, match="same command"):
        run.jobs_for(target, clash, {})


def test_an_unavailable_peer_is_never_run() -> None:
    target = run.Target("shipped", SHIPPED_PLAN, 38, "shipped")
    jobs = run.measure(target, [], 1, {run.FLOOR_PEER: "not installed"})
    peer = jobs[run.FLOOR_PEER]
    assert peer.unavailable == "not installed"
    assert peer.seconds == [] and peer.error is None
    assert len(jobs[run.FLOOR_PYTHON].seconds) == 1  # the other floors did run
