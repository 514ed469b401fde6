"""When Python's cyclic garbage collector runs: not while datracker builds what it keeps.

Reading a plan builds hundreds of thousands of objects that live until the command ends, and
starting the command line builds Typer's command tree and pydantic's validators, which live as
long. Each automatic collection meanwhile rescans all of them and frees nothing: on a
10,000-action plan the collector nearly doubled the load, and on the shipped plan it was about
a tenth of `validate`. So the collector is paused for those phases, and afterwards what they
built is frozen (moved out of its sight), so later collections do not rescan it either. None of
it holds reference cycles, so reference counting still frees whatever becomes unused.

Only the standard library is imported here: the command line pauses the collector before it
imports anything else.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused_for_start_up = False
_depth = 0  # paused() blocks open: only the outermost one resumes


def pause_for_start_up() -> None:
    """Pause collection until the first plan has been read (see `paused`).

    Called first by the command line, so Typer's and pydantic's start-up is not scanned
    either. A command that reads no plan (`--help`, `init`) ends with the collector still
    paused, which for a process that short costs nothing.
    """
    global _paused_for_start_up
    if gc.isenabled():
        gc.disable()
        _paused_for_start_up = True


def end_start_up_pause() -> None:
    """End a start-up pause that no plan read ended (`--help`, `init`, an early error).

    The command line calls it when the command is over, so running commands one after another
    in one process (as the tests do) never leaves the collector off.
    """
    global _paused_for_start_up
    if _paused_for_start_up:
        _paused_for_start_up = False
        gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """Pause collection while a plan is read; then freeze what was built and resume.

    Resuming also ends a start-up pause: the work after the first read is the command's own,
    and it gets the collector as usual.
    """
    global _paused_for_start_up, _depth
    resume = gc.isenabled() or _paused_for_start_up
    gc.disable()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.freeze()
            if resume:
                _paused_for_start_up = False
                gc.enable()
