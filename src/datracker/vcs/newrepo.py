"""What `datracker init` asks of git: is the folder in a repository, a first commit.

Who commits is settled as for every committing command (`gitcommit.check_identity`, with
`--author` read by `gitcommit.resolve_author`); this module makes the repository and the
commit.

Plain `git` processes rather than GitPython: init runs git four or five times, and importing
GitPython costs more than all of them. Every step can be undone (`IndexEntries.restore`), so
init leaves the folder and the index exactly as they were when git refuses a step.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from datracker.core.problems import DatrackerError
from datracker.vcs.gitcommit import Identity, identity_env


def _git(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.is_dir():
        path = path.parent
    return path


def enclosing_work_tree(path: Path) -> Path | None:
    """The top of the git working tree holding `path` (which may not exist yet), or None."""
    result = _git(nearest_existing(path), "rev-parse", "--show-toplevel")
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def _check(result: subprocess.CompletedProcess[str], doing: str) -> None:
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise DatrackerError(
            f"git could not {doing}: {said[-1] if said else f'exit {result.returncode}'}; "
            "nothing was written",
            "fix what git says, then run init again",
        )


def init_repository(path: Path) -> None:
    _check(_git(path, "init", "--quiet"), "create a repository")


@dataclass(frozen=True)
class IndexEntries:
    """The index lines of some paths before init staged them, to put back if it fails."""

    top: Path
    paths: list[str]
    entries: str  # `git ls-files --stage` output: what `update-index --index-info` reads

    @classmethod
    def read(cls, top: Path, paths: list[str]) -> IndexEntries:
        result = _git(top, "ls-files", "--stage", "--", *paths)
        _check(result, "read the index")
        return cls(top, paths, result.stdout)

    def restore(self) -> None:
        _git(self.top, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *self.paths)
        if self.entries:
            subprocess.run(
                ["git", "update-index", "--index-info"],
                cwd=self.top,
                input=self.entries,
                capture_output=True,
                text=True,
                check=False,
            )


def commit_new_files(
    top: Path,
    paths: list[str],
    message: str,
    author: Identity | None,
    committer: Identity | None,
) -> str | None:
    """Commit exactly `paths` (relative to `top`); anything else staged stays staged.

    `author` and `committer` as `gitcommit.check_identity` settled them, the rule every
    committing command follows. None when the files are already committed as they are
    (`init --force` over itself).
    """
    _check(_git(top, "add", "--", *paths), "stage the new files")
    if _git(top, "diff", "--cached", "--quiet", "--", *paths).returncode == 0:
        return None
    env = identity_env(author, committer)
    committed = _git(top, "commit", "--quiet", "-m", message, "--", *paths, env=env)
    _check(committed, "make the first commit")
    head = _git(top, "rev-parse", "HEAD")
    _check(head, "read the new commit")
    return head.stdout.strip()
