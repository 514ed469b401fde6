"""When standard output itself fails: `status > /dev/full`, or `status | head` closing early.

Neither is a bug in datracker, so neither may end in exit 3 and a traceback. A closed pipe is
the reader's choice and ends quietly; a full disk is said in one line on standard error. Both
exit 1. Output is flushed before exit so the failure is met here, where it can be handled,
rather than in Python's shutdown, which would print "Exception ignored" and exit 120.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import NoReturn, TypeGuard

_OUTPUT_ERRORS = (errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def is_output_error(error: BaseException) -> TypeGuard[OSError]:
    """An error writing a stream (no file name: files datracker writes fail with theirs)."""
    return (
        isinstance(error, OSError)
        and error.errno in _OUTPUT_ERRORS
        and getattr(error, "filename", None) is None
    )


def output_failed(error: OSError) -> NoReturn:
    if error.errno != errno.EPIPE:
        try:
            sys.stderr.write(f"error: the output could not be written: {error.strerror}\n")
            sys.stderr.flush()
        except OSError:
            pass
    _silence_stdout()
    sys.exit(1)


def flush_output() -> None:
    """Flush standard output now; a stream failure exits 1 as above."""
    try:
        sys.stdout.flush()
    except OSError as error:
        if not is_output_error(error):
            raise
        output_failed(error)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's final flush has nowhere to fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
