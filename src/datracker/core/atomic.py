"""Writing a file so that no reader ever sees half of it: the one atomic-write primitive.

Every file datracker writes (a plan edit, an export, the refresh document and its charts, an
import report) goes through `write_atomic`: the bytes go to a temporary file beside the target,
are flushed to disk, given their mode and renamed over the target, and the folder is flushed
too. A crash, a full disk or a failed template leaves the old file or the new one, never a
truncated mix, and a failure is a plain message, never a traceback.

It lives in `core` so that every layer that writes (edit, report, render, importing) uses the
same code; `edit.safewrite` adds the plan lock and the changed-on-disk check on top of it.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from datracker.core.problems import DatrackerError

# a temporary file is "." + the target's name + "." + 8 random characters + ".tmp";
# `edit.safewrite.clear_leftovers` recognises (and clears) those a killed writer left behind
TEMP_PREFIX, TEMP_SUFFIX = ".", ".tmp"
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_NOT_ALLOWED = (errno.EACCES, errno.EPERM, errno.EROFS)


def check_target(path: Path, shown: str | None = None) -> None:
    """Refuse, before any work, a target that is not (or cannot become) a regular file.

    A folder, a device such as /dev/full, a named pipe or a socket cannot be replaced by a
    rename (and must not be: as root, renaming over /dev/full would replace the device), and a
    missing folder is the user's to create, not ours to guess.
    """
    name = shown or str(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise cannot_write(name, error) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise DatrackerError(
            f"cannot write {name}: it is a folder; nothing was written",
            "give the name of a file to write, e.g. --output plan.csv",
        )
    if mode is not None and not stat.S_ISREG(mode):
        raise DatrackerError(
            f"cannot write {name}: it is not a regular file (a device, pipe or socket); "
            "nothing was written",
            "give the name of an ordinary file, or leave out --output to write to standard output",
        )
    parent = path.parent
    if not parent.is_dir():
        raise DatrackerError(
            f"cannot write {name}: the folder {parent} does not exist; nothing was written",
            "create the folder first, or choose another path",
        )


def write_atomic(
    path: Path,
    data: bytes,
    *,
    shown: str | None = None,
    mode: int | None = None,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Replace `path` with `data`, all or nothing.

    `mode`: the new file's permissions (default: the old file's, else 0o666 less the umask).
    `before_replace`: called just before the rename, once the new bytes are safely on disk;
    it may raise to abandon the write (the plan editor checks the file did not change meanwhile).
    """
    name = shown or str(path)
    check_target(path, name)
    if mode is None:
        mode = _mode_of(path)
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
        )
    except OSError as error:
        raise cannot_write(name, error) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise cannot_write(name, error) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def cannot_write(name: str, error: OSError) -> DatrackerError:
    """An OSError met while writing, as a message that says what to do about it."""
    reason = error.strerror or str(error)
    if error.errno in _NO_SPACE:
        hint = "free some space on the disk (or choose another place), then run the command again"
    elif error.errno in _NOT_ALLOWED:
        hint = "check that you may write there, and that the file is not open in another program"
    else:
        hint = "check the path, then run the command again"
    return DatrackerError(f"cannot write {name}: {reason}; nothing was written", hint)


def _mode_of(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_dir(folder: Path) -> None:
    """Make a rename itself durable; some filesystems cannot, which is not an error."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
