"""Paths that stay inside their folder: the one check every read and write of a plan goes through.

A plan repository comes from many hands, and a symbolic link is an ordinary file to git: a pull
request can add `narrative/07.md -> /etc/passwd`, and a tool that follows it publishes the file
in the board's document. So every path datracker reads or writes under the plan folder (or a
templates folder) is resolved first, and a link on the way that leads outside is refused with
its name and target. `links_in` finds every link in a folder, for `validate`, which refuses
links altogether: a link inside the plan is a file git will not show as what it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from datracker.core.problems import DatrackerError

LINK_HINT = (
    "put the file itself (or the folder's files) there instead of a link; git stores only the link"
)


class OutsideFolder(DatrackerError):
    """A path that leads out of its folder through a symbolic link: nothing was read there."""

    def __init__(self, link: Path, target: str, folder: Path) -> None:
        self.link = link
        self.target = target
        super().__init__(
            f"{from_here(link)} is a link to {target}, outside {_the_folder(folder)}; "
            "datracker does not follow it",
            LINK_HINT,
        )


def _the_folder(folder: Path) -> str:
    shown = from_here(folder)
    return "the current folder" if shown == "." else f"the folder {shown}"


def from_here(path: Path) -> str:
    """A path named from where the user stands, as the plan's files are in every message (the
    link's target stays as written: that is what the user will find in the file)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive, or the working folder has gone
        return str(path)


def link_leading_out(folder: Path, path: Path) -> tuple[Path, str] | None:
    """The first link between `folder` and `path` (`path` included) that leads outside `folder`.

    Returns the link and its target as written, or None when the whole way stays inside. The
    folder itself may be reached through links: the user chose it. Each component is checked
    with lstat, so a link to a link to outside is caught at the first link.
    """
    base = folder.resolve()
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        parts = None
    if parts is None:
        return (path, str(path.resolve())) if not path.resolve().is_relative_to(base) else None
    current = folder
    for part in parts:
        current = current / part
        if part == ".." or current.is_symlink():
            if not current.resolve().is_relative_to(base):
                return current, _target(current)
    return None


def inside(folder: Path, path: Path) -> Path:
    """`path`, once it is known to stay inside `folder`; else OutsideFolder naming the link."""
    found = link_leading_out(folder, path)
    if found is not None:
        raise OutsideFolder(found[0], found[1], folder)
    return path


@dataclass(frozen=True)
class Link:
    rel: str  # the link, relative to the folder searched, with '/'
    target: str  # as written in the link
    outside: bool  # whether it resolves outside the folder


def links_in(folder: Path) -> list[Link]:
    """Every symbolic link under `folder`, without following any, in path order.

    Hidden folders (`.git`, a `.venv` beside a plan kept at a repository's top) are not
    searched: datracker reads nothing in them. One scandir per directory, the entry's type
    coming with the listing, so a plan of thousands of files costs a few milliseconds.
    """
    if not folder.is_dir():
        return []
    base = folder.resolve()
    found: list[Link] = []
    pending = [(folder, "")]
    while pending:
        directory, rel = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            entry_rel = f"{rel}{entry.name}"
            if entry.is_symlink():
                path = Path(entry.path)
                outside = not path.resolve().is_relative_to(base)
                found.append(Link(entry_rel, _target(path), outside))
            elif entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                pending.append((Path(entry.path), entry_rel + "/"))
    return sorted(found, key=lambda link: link.rel)


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return str(link.resolve())
