"""Crash safety and concurrency of `datracker update` with real processes and real signals.

A lost or half-written update is the worst failure the tool can have: whatever moment a
process is killed, the plan file must be the old version or the new one, byte for byte.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import PRIORITY_A, write_plan
from datracker.plan.store import load_plan
from datracker.plan.validation import validate_plan

TEXTS = ("First version of the update.", "Second version, recorded again.")


def _update(root: Path, action: str, text: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "datracker",
        "update",
        action,
        "--plan",
        str(root),
        "--rag",
        "GREEN",
        "--text",
        text,
        "--date",
        "2022-04-20",
    ]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(args, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)


def _versions(tmp_path: Path) -> tuple[Path, list[bytes], float]:
    """The plan, the two byte-exact states recording each text produces, and how long the
    slower of those two whole updates took on this machine, now."""
    root = write_plan(tmp_path / "plan")
    target = root / "priorities" / "a.yaml"
    states, took = [], 0.0
    for text in TEXTS:
        started = time.monotonic()
        assert _run(_update(root, "A1", text)).returncode == 0
        took = max(took, time.monotonic() - started)
        states.append(target.read_bytes())
    assert states[0] != states[1]
    return root, states, took


def test_sigkill_at_random_moments_leaves_old_or_new(tmp_path: Path) -> None:
    """Kill moments are drawn across one update's own duration (measured just before, so a
    busy machine stretches them too), plus a tenth: a kill after the process has ended tests
    nothing, and a fixed 0.6 s window spent half its 200 kills there."""
    root, states, took = _versions(tmp_path)
    target = root / "priorities" / "a.yaml"
    rng = random.Random(20220209)
    env = {**os.environ, "NO_COLOR": "1"}
    outcomes = {"old": 0, "new": 0}
    for run in range(150):
        before = target.read_bytes()
        text = TEXTS[1] if before == states[0] else TEXTS[0]
        proc = subprocess.Popen(
            _update(root, "A1", text),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, 1.1 * took))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = target.read_bytes()
        assert after in states, f"run {run}: the file is neither version"
        outcomes["old" if after == before else "new"] += 1
    problems = validate_plan(load_plan(root))
    assert not [p for p in problems if p.severity == "error"]
    assert outcomes["old"] and outcomes["new"], outcomes  # kills landed before and after


PER_PROCESS = 10


def test_eight_processes_each_recording_ten_updates_all_land(tmp_path: Path) -> None:
    """Eight writers at once on one file, each starting its next update as soon as the last
    ends, so the lock is contended throughout; every one of the 80 updates must land."""
    last = 2 + 8 * PER_PROCESS
    actions = "".join(
        f"  - id: A{n}\n    objective: O\n    measures:\n      - description: M\n"
        f"    owners:\n      - amy-ford\n"
        for n in range(2, last)
    )
    root = write_plan(tmp_path / "plan", a=PRIORITY_A + actions)

    def worker(first: int) -> list[int]:
        codes = []
        for n in range(first, first + PER_PROCESS):
            codes.append(_run(_update(root, f"A{n}", f"Update for A{n}.")).returncode)
        return codes

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(worker, range(2, last, PER_PROCESS)))
    assert all(code == 0 for codes in results for code in codes), results
    plan = load_plan(root).require_plan()
    texts = {a.id: a.update_for("r2").text for _, a in plan.actions() if a.update_for("r2")}
    assert all(texts[f"A{n}"] == f"Update for A{n}." for n in range(2, last))
