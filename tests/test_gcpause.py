"""The garbage collector's pauses: on while a command starts and reads its plan, then back on."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from conftest import SHIPPED_PLAN
from datracker.core import gcpause
from datracker.plan.store import load_plan


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    gcpause._paused_for_start_up = False
    gc.unfreeze()
    gc.enable() if was else gc.disable()


def test_reading_pauses_then_resumes_and_freezes() -> None:
    gc.enable()
    gc.unfreeze()
    with gcpause.paused():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]  # lists are tracked by the collector
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)


def test_nested_pauses_resume_only_at_the_outermost() -> None:
    gc.enable()
    with gcpause.paused():
        with gcpause.paused():
            pass
        assert not gc.isenabled()  # a file read inside a plan read must not resume
    assert gc.isenabled()


def test_start_up_pause_lasts_until_the_first_plan_is_read() -> None:
    gc.enable()
    gcpause.pause_for_start_up()
    assert not gc.isenabled()
    load_plan(SHIPPED_PLAN)
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    gcpause.pause_for_start_up()
    with gcpause.paused():
        pass
    assert not gc.isenabled()


def test_the_command_resumes_collection_after_reading_the_plan() -> None:
    probe = (
        "import gc, sys\n"
        "from datracker.__main__ import main\n"
        "sys.argv = ['datracker', 'validate', '--plan', sys.argv[1]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('collector', 'on' if gc.isenabled() else 'off', file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(SHIPPED_PLAN)], capture_output=True, text=True
    )
    assert done.stderr.strip().endswith("collector on"), done.stderr


def test_commands_run_one_after_another_in_one_process_leave_the_collector_on(run) -> None:
    """The tests' in-process runs: a command that reads no plan (help) ends the start-up
    pause too, so the collector is never left off for the next one."""
    gc.enable()
    for args in (["--help"], ["schema", "plan"], ["validate", "--plan", str(SHIPPED_PLAN)]):
        assert run(*args).code == 0
        assert gc.isenabled(), args
