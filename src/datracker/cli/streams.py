"""When standard output itself fails: `status > /dev/full`, or `status | head` closing early.

Neither is a bug in datracker, so neither may end in exit 3 and a traceback. A closed pipe is
the reader's choice and ends quietly; a full disk is said in one line on standard error.
`cli/outcomes.py` gives both exit 1. Output is flushed before exit so the failure is met
there, where it can be handled, rather than in Python's shutdown, which would print
"Exception ignored" and exit 120.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import TypeGuard

_OUTPUT_ERRORS = (errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def is_output_error(error: BaseException) -> TypeGuard[OSError]:
    """An error writing a stream (no file name: files datracker writes fail with theirs)."""
    return (
        isinstance(error, OSError)
        and error.errno in _OUTPUT_ERRORS
        and getattr(error, "filename", None) is None
    )


def flush_output() -> OSError | None:
    """Flush standard output now: the stream failure met, if any (other errors are raised)."""
    try:
        sys.stdout.flush()
    except OSError as error:
        if not is_output_error(error):
            raise
        return error
    except ValueError:  # already closed: nothing is left to write
        pass
    return None


def say_output_failed(error: OSError) -> None:
    """One line on standard error (none for a closed pipe), then nothing more to stdout."""
    if error.errno != errno.EPIPE:
        try:
            sys.stderr.write(f"error: the output could not be written: {error.strerror}\n")
            sys.stderr.flush()
        except OSError:
            pass
    _silence_stdout()


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's final flush has nowhere to fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
