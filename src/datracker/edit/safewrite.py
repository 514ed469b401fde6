"""Writing a plan file without ever losing an update: a lock, a check, an atomic replace.

A lost update is the worst failure datracker can have, so every write:
- holds an exclusive `flock` on the plan directory itself (no lock file to leave behind or
  gitignore), taken before the plan is read, so two datracker processes never interleave;
- checks, just before replacing, that the file still holds the bytes it was read with: an
  editor or a `git pull` may have changed it meanwhile, and then the caller starts again;
- writes a temporary file in the same directory, fsyncs it, gives it the original file's
  mode, renames it over the original and fsyncs the directory, so a crash leaves either
  the old file or the new one, never half of each (`core.atomic`, shared by every writer).

A process killed between creating its temporary file and renaming it leaves the temporary
file behind (`.a.yaml.k3j9x2ab.tmp`). Every temporary file is made and removed while its
writer holds the plan lock, so whoever holds the lock next knows any such file is stale:
`clear_leftovers` removes them, and reports what it removed or could not.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from datracker.core.atomic import TEMP_PREFIX, TEMP_SUFFIX, write_atomic
from datracker.core.problems import DatrackerError

LOCK_TIMEOUT_S = 30.0
# what write_atomic's temporary names look like: "." + a YAML file's name + 8 random characters
LEFTOVER = re.compile(
    rf"{re.escape(TEMP_PREFIX)}(?P<name>.+\.ya?ml)\.[a-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}"
)


class FileChanged(Exception):
    """The file on disk is no longer what was read: someone else changed it."""


@contextlib.contextmanager
def plan_lock(root: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold an exclusive lock on the plan directory for the whole read-edit-write cycle."""
    import fcntl

    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError as error:
        raise DatrackerError(f"cannot open the plan directory {root}: {error.strerror}") from error
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise DatrackerError(
                        f"another datracker has been writing the plan in {root} "
                        f"for over {timeout:.0f} seconds; nothing was written",
                        "wait for it to finish, then run the command again",
                    ) from error
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def check_writable(path: Path, shown: str) -> None:
    """Refuse early, with a plain message, a file the user cannot write."""
    target = path.resolve()
    # the mode bits too: a file marked read-only is refused even for root, who could write it
    if not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222:
        raise DatrackerError(
            f"{shown} is read-only; nothing was written",
            "make it writable (chmod u+w, or check out the file) and run the command again",
        )
    if not os.access(target.parent, os.W_OK):
        raise DatrackerError(
            f"the folder holding {shown} is read-only; nothing was written",
            "datracker writes a temporary file beside the plan file; make the folder writable",
        )


def replace_file(path: Path, new: bytes, expected: bytes) -> None:
    """Atomically replace `path` with `new`, provided it still holds `expected`.

    The write itself is `core.atomic.write_atomic` (one implementation for every file datracker
    writes); this adds the check, made once the new bytes are safely on disk, that nobody
    changed the file meanwhile.
    """
    target = path.resolve()  # a link inside the plan: write the file it points to

    def unchanged() -> None:
        if target.read_bytes() != expected:
            raise FileChanged(str(target))

    write_atomic(target, new, shown=str(path), before_replace=unchanged)


def is_leftover(name: str) -> bool:
    """Whether a file name is one of replace_file's temporary files."""
    return LEFTOVER.fullmatch(name) is not None


@dataclass
class Leftovers:
    """Temporary files an interrupted write left in the plan folder."""

    removed: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)  # and why it could not go


def find_leftovers(root: Path) -> list[Path]:
    found = []
    for folder in (root, root / "priorities"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        found += [
            Path(e.path)
            for e in entries
            if is_leftover(e.name) and e.is_file(follow_symlinks=False)
        ]
    return sorted(found)


def clear_leftovers(root: Path) -> Leftovers:
    """Remove stale temporary files; call only while holding plan_lock(root).

    The lock is what makes them stale: a live writer holds it from before it creates its
    temporary file until after it has renamed or removed it.
    """
    result = Leftovers()
    for path in find_leftovers(root):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            result.kept.append((path, error.strerror or str(error)))
        else:
            result.removed.append(path)
    return result
