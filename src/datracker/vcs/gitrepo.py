"""Everything datracker asks of git, in one place: the only module that imports GitPython.

The plan may be a subdirectory of a larger repository, so every path given to git is made
relative to the repository's top. Revisions come from users and pull requests: one starting
with '-' is refused before git sees it, so it can never be read as an option.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from datracker.core.problems import DatrackerError

if TYPE_CHECKING:
    from git import Repo


class GitError(DatrackerError):
    """A git operation that cannot be done, with what to do about it."""


@dataclass(frozen=True)
class PlanRepo:
    """A git repository and where the plan sits inside it."""

    repo: Repo
    top: Path
    plan_prefix: str  # the plan directory relative to the top, posix, '' at the top

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.top).as_posix()


def open_plan_repo(plan_dir: Path) -> PlanRepo | None:
    """The repository holding `plan_dir`, or None when the plan is not in git."""
    from git import InvalidGitRepositoryError, NoSuchPathError, Repo

    try:
        repo = Repo(plan_dir, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        return None
    if repo.working_tree_dir is None:
        return None
    top = Path(repo.working_tree_dir).resolve()
    prefix = plan_dir.resolve().relative_to(top).as_posix()
    return PlanRepo(repo, top, "" if prefix == "." else prefix)


def require_plan_repo(plan_dir: Path) -> PlanRepo:
    found = open_plan_repo(plan_dir)
    if found is None:
        raise GitError(
            f"the plan at {plan_dir} is not in a git repository",
            "run `git init` in the folder that holds the plan, then commit it",
        )
    return found


def check_revision(rev: str) -> str:
    """Refuse text that git would read as an option rather than a revision."""
    if not rev or rev.startswith("-"):
        raise GitError(
            f"'{rev}' is not a revision", "name a commit, branch or tag; it cannot start with '-'"
        )
    return rev


def uncommitted(plan_repo: PlanRepo, paths: list[Path]) -> list[str]:
    """Those of `paths` with staged or unstaged changes, relative to the repository's top."""
    relative = [plan_repo.relative(p) for p in paths]
    output = plan_repo.repo.git.status("--porcelain", "--untracked-files=all", "--", *relative)
    return sorted({line[3:].strip() for line in output.splitlines() if line.strip()})


def commit_paths(plan_repo: PlanRepo, paths: list[Path], message: str, author: str | None) -> str:
    """Commit exactly `paths`: anything else the user has staged stays staged, uncommitted."""
    from git import GitCommandError

    relative = [plan_repo.relative(p) for p in paths]
    options = ["-m", message] + ([f"--author={author}"] if author else [])
    try:
        plan_repo.repo.git.add("--", *relative)
        plan_repo.repo.git.commit(*options, "--only", "--", *relative)
    except GitCommandError as error:
        raise GitError(f"git could not commit: {_stderr(error)}", _commit_hint(error)) from error
    return str(plan_repo.repo.head.commit.hexsha)


def _commit_hint(error: Exception) -> str | None:
    text = _stderr(error)
    if "Please tell me who you are" in text or "user.email" in text:
        return 'set your name and e-mail: git config user.name "…" and git config user.email "…"'
    if "--author" in text:
        return 'give the author as "Name <email@example.org>"'
    return None


def _stderr(error: Exception) -> str:
    text = str(getattr(error, "stderr", "") or error).strip()
    return text.removeprefix("stderr:").strip().strip("'").strip()


def tag_beside(plan_dir: Path, name: str) -> bool:
    """Whether the repository holding `plan_dir` has the tag `name`; False outside git.

    Asked of git directly, not through GitPython: every render asks it, usually to learn that
    the previous review was never tagged, and importing GitPython takes several times as long
    as git takes to answer.
    """
    command = ["git", "-C", str(plan_dir), "rev-parse", "--verify", "--quiet"]
    try:
        found = subprocess.run(
            [*command, f"refs/tags/{check_revision(name)}"], capture_output=True, check=False
        )
    except OSError:  # no git on this machine: then there is no history to read either
        return False
    return found.returncode == 0


def tag_exists(plan_repo: PlanRepo, name: str) -> bool:
    return any(tag.name == name for tag in plan_repo.repo.tags)


def create_tag(plan_repo: PlanRepo, name: str, message: str) -> str:
    """An annotated tag on HEAD, so the review's sign-off records who and when."""
    if tag_exists(plan_repo, name):
        raise GitError(
            f"the tag {name} already exists", f"delete it first (git tag -d {name}) if it is wrong"
        )
    if not plan_repo.repo.head.is_valid():
        raise GitError(
            "the repository has no commits yet", "commit the plan before closing a review"
        )
    plan_repo.repo.create_tag(name, message=message)
    return str(plan_repo.repo.head.commit.hexsha)


# --- reading history ------------------------------------------------------------------------
# Trees and blobs are read through GitPython's object database, which keeps one long-lived
# `git cat-file --batch` process: a history of a thousand commits costs no process per file.


def resolve_commit(plan_repo: PlanRepo, rev: str) -> str:
    """The full commit id `rev` names, or an error saying how to name one."""
    from git import GitCommandError

    check_revision(rev)
    try:
        output = plan_repo.repo.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}")
    except GitCommandError:
        output = ""
    if not output.strip():
        raise GitError(
            f"'{rev}' is not a commit, branch, tag or review in this repository",
            "list them with `git log --oneline` or `git tag`; use WORKTREE for the files on disk",
        )
    return str(output.strip())


def plan_blobs(plan_repo: PlanRepo, commit: str) -> dict[str, str] | None:
    """Blob ids of plan.yaml and priorities/* at `commit`, by path relative to the plan.

    None when the plan directory did not exist at that commit.
    """
    tree = plan_repo.repo.commit(commit).tree
    if plan_repo.plan_prefix:
        try:
            tree = tree / plan_repo.plan_prefix
        except KeyError:
            return None
    if tree.type != "tree":
        return None
    found = {
        blob.name: blob.hexsha
        for blob in tree.blobs
        if _is_file(blob.mode) and is_plan_file(blob.name)
    }
    for sub in tree.trees:
        if sub.name == "priorities":
            for blob in sub.blobs:
                if _is_file(blob.mode):
                    found[f"priorities/{blob.name}"] = blob.hexsha
    return found


def folder_blobs(plan_repo: PlanRepo, commit: str, folder: str) -> dict[str, str]:
    """Blob ids of the regular files under `folder` (a path from the repository's top, '' for
    the top itself) at `commit`, by path relative to it; {} when it did not exist then.

    Links and submodules are left out: a file read from history never points outside it.
    """
    tree = plan_repo.repo.commit(commit).tree
    if folder:
        try:
            tree = tree / folder
        except KeyError:
            return {}
    if tree.type != "tree":
        return {}
    found: dict[str, str] = {}
    pending = [("", tree)]
    while pending:
        prefix, current = pending.pop()
        for blob in current.blobs:
            if _is_file(blob.mode):
                found[prefix + blob.name] = blob.hexsha
        pending.extend((f"{prefix}{sub.name}/", sub) for sub in current.trees)
    return found


def _is_file(mode: int) -> bool:
    return mode & 0o170000 == 0o100000  # a regular file, not a link or submodule


def read_blob(plan_repo: PlanRepo, sha: str) -> bytes:
    data: bytes = plan_repo.repo.odb.stream(bytes.fromhex(sha)).read()
    return data


def blob_id(data: bytes) -> str:
    """The id git would give these bytes, so files on disk compare with committed ones."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class LogEntry:
    commit: str
    parents: tuple[str, ...]  # the parents that touched the plan, as `git log --parents` rewrites
    author: str
    date: str  # ISO 8601, the author's date
    # plan files changed against the first parent: (path in the plan, new blob id or None)
    changes: tuple[tuple[str, str | None], ...] = ()


_RECORD = "\x1e"


def plan_log(plan_repo: PlanRepo, until: str, since: str | None = None) -> list[LogEntry]:
    """Commits that changed the plan directory, parents before children, with their changes.

    One `git log` gives every commit and the blob ids of the files it changed (against its
    first parent), so no tree has to be read per commit. git's default history simplification
    applies: a merge that only brought one side's changes in is left out (the side's own
    commits are listed), while a merge that changed the plan itself (a resolved conflict) is kept.
    """
    span = f"{since}..{until}" if since else until
    output = plan_repo.repo.git.log(
        "--topo-order",
        "--reverse",
        "--parents",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--diff-merges=first-parent",
        f"--format={_RECORD}%H%x1f%P%x1f%an%x1f%aI",
        span,
        "--",
        plan_repo.plan_prefix or ".",
    )
    entries = []
    for record in output.split(_RECORD)[1:]:
        head, *raw = record.splitlines()
        commit, parents, author, date = head.split("\x1f")
        changes = tuple(c for line in raw if (c := _raw_change(plan_repo, line)) is not None)
        entries.append(LogEntry(commit, tuple(parents.split()), author, date, changes))
    return entries


def _raw_change(plan_repo: PlanRepo, line: str) -> tuple[str, str | None] | None:
    """`:100644 100644 <old> <new> M\tpath` as (path in the plan, new blob or None)."""
    if not line.startswith(":") or "\t" not in line:
        return None
    fields, path = line[1:].split("\t", 1)
    _, new_mode, _, new_sha, status = fields.split()
    prefix = plan_repo.plan_prefix + "/" if plan_repo.plan_prefix else ""
    if not path.startswith(prefix) or not is_plan_file(path[len(prefix) :]):
        return None
    regular = status != "D" and int(new_mode, 8) & 0o170000 == 0o100000
    return path[len(prefix) :], new_sha if regular else None


def is_plan_file(rel: str) -> bool:
    """plan.yaml, or a file directly in priorities/ (which of those are read is store's call)."""
    return rel == "plan.yaml" or (rel.startswith("priorities/") and rel.count("/") == 1)


@dataclass(frozen=True)
class CommitInfo:
    commit: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str


def commits_between(plan_repo: PlanRepo, base: str, head: str) -> list[CommitInfo]:
    """Every commit in base..head, parents before children, merges included."""
    output = plan_repo.repo.git.log(
        "--topo-order", "--reverse", "--format=%H%x1f%P%x1f%an%x1f%ae", f"{base}..{head}"
    )
    commits = []
    for line in output.splitlines():
        commit, parents, name, email = line.split("\x1f")
        commits.append(CommitInfo(commit, tuple(parents.split()), name, email))
    return commits


def is_ancestor(plan_repo: PlanRepo, ancestor: str, descendant: str) -> bool:
    from git import GitCommandError

    try:
        plan_repo.repo.git.merge_base("--is-ancestor", ancestor, descendant)
    except GitCommandError:
        return False
    return True


def is_shallow(plan_repo: PlanRepo) -> bool:
    """A shallow clone (CI's default checkout) may lack the base commit entirely."""
    return (Path(plan_repo.repo.git_dir) / "shallow").exists()
