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

from datracker.core.problems import DatrackerError, Problem
from datracker.plan.yamlread import too_large

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

    @property
    def place(self) -> GitPlace:
        return GitPlace(self.top, self.plan_prefix)


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


@dataclass(frozen=True)
class GitRun:
    code: int
    out: str
    err: str


def run_git(top: Path, *args: str, env: dict[str, str] | None = None) -> GitRun:
    """git as a plain process (no GitPython import), never waiting for an editor or a prompt."""
    import os

    full = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true", **(env or {})}
    try:
        proc = subprocess.run(
            ["git", "-C", str(top), *args],
            capture_output=True,
            text=True,
            env=full,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror}", "install git, then retry") from error
    return GitRun(proc.returncode, proc.stdout, proc.stderr)


@dataclass(frozen=True)
class GitPlace:
    """Where a plan folder sits in git, found without GitPython."""

    top: Path
    plan_prefix: str  # as PlanRepo.plan_prefix

    def in_plan(self, rel: str) -> str:
        return f"{self.plan_prefix}/{rel}" if self.plan_prefix else rel


def git_place(plan_dir: Path) -> GitPlace | None:
    """The repository top and the plan's place in it; None outside git (or without git)."""
    try:
        found = run_git(plan_dir, "rev-parse", "--show-toplevel")
    except GitError:
        return None
    if found.code != 0 or not found.out.strip():
        return None
    top = Path(found.out.strip()).resolve()
    prefix = plan_dir.resolve().relative_to(top).as_posix()
    return GitPlace(top, "" if prefix == "." else prefix)


def read_blobs(top: Path, shas: list[str]) -> dict[str, bytes]:
    """Several blobs through one `git cat-file --batch`; a missing one is left out."""
    if not shas:
        return {}
    proc = subprocess.run(
        ["git", "-C", str(top), "cat-file", "--batch"],
        input="".join(f"{sha}\n" for sha in shas).encode(),
        capture_output=True,
        check=False,
    )
    out, pos, found = proc.stdout, 0, {}
    for sha in shas:
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        if len(header) != 3:  # "<sha> missing"
            pos = end + 1
            continue
        size = int(header[2])
        found[sha] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return found


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


def blob_size(plan_repo: PlanRepo, sha: str) -> int:
    """A blob's size, asked of git without reading it (so a huge file is refused unread)."""
    return int(plan_repo.repo.odb.info(bytes.fromhex(sha)).size)


def blob_within_cap(plan_repo: PlanRepo, rel: str, sha: str) -> bytes | Problem:
    """The blob's bytes, or the size cap's problem: its size is asked of git first, so a huge
    file at a revision is refused unread, as it is on disk."""
    return too_large(blob_size(plan_repo, sha), rel) or read_blob(plan_repo, sha)


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
    output = plan_repo.repo.git.log(*log_arguments(span, plan_repo.plan_prefix or "."))
    return parse_log(output, plan_repo.plan_prefix)


def log_arguments(span: str, pathspec: str) -> list[str]:
    """`git log` arguments (after "log") for parse_log: commits touching `pathspec`."""
    return [
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
        pathspec,
    ]


def parse_log(output: str, plan_prefix: str) -> list[LogEntry]:
    entries = []
    for record in output.split(_RECORD)[1:]:
        head, *raw = record.splitlines()
        commit, parents, author, date = head.split("\x1f")
        changes = tuple(c for line in raw if (c := _raw_change(plan_prefix, line)) is not None)
        entries.append(LogEntry(commit, tuple(parents.split()), author, date, changes))
    return entries


def _raw_change(plan_prefix: str, line: str) -> tuple[str, str | None] | None:
    """`:100644 100644 <old> <new> M\tpath` as (path in the plan, new blob or None)."""
    if not line.startswith(":") or "\t" not in line:
        return None
    fields, path = line[1:].split("\t", 1)
    _, new_mode, _, new_sha, status = fields.split()
    prefix = plan_prefix + "/" if plan_prefix else ""
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
    """A shallow clone (CI's default checkout) lacks older commits, perhaps the base itself.

    Asked of git, which knows where a worktree's shared repository keeps its `shallow` file.
    """
    from git import GitCommandError

    try:
        return str(plan_repo.repo.git.rev_parse("--is-shallow-repository")).strip() == "true"
    except GitCommandError:
        return (Path(plan_repo.repo.git_dir) / "shallow").exists()


# --- what a commit changed, for `check` -------------------------------------------------------

LINK_MODE = 0o120000


@dataclass(frozen=True)
class FileChange:
    """One file a commit changed against one parent, anywhere in the repository."""

    status: str  # A added, D deleted, M modified, R renamed, T type changed (e.g. into a link)
    path: str  # relative to the repository's top; for a deletion, the path it had
    old_path: str | None  # for a rename, where it came from
    old_mode: int
    new_mode: int
    old_sha: str
    new_sha: str

    @property
    def is_link(self) -> bool:
        return LINK_MODE in (self.old_mode & 0o170000, self.new_mode & 0o170000)


def changed_files(plan_repo: PlanRepo, parent: str | None, child: str) -> list[FileChange]:
    """Every file `child` changed against `parent` (against nothing for a root commit).

    Renames are detected, so a file moved is named as moved rather than deleted and added.
    `-z` keeps any byte of a path as it is (no quoting), so a name is never misread.
    """
    span = [parent, child] if parent is not None else ["--root", child]
    output = plan_repo.repo.git.diff_tree(
        "-r", "-M", "--raw", "--no-abbrev", "-z", "--no-commit-id", *span
    )
    fields = output.split("\0")
    changes = []
    index = 0
    while index < len(fields) and fields[index].startswith(":"):
        old_mode, new_mode, old_sha, new_sha, status = fields[index][1:].split()
        kind = status[0]
        if kind in "RC":
            old_path, path = fields[index + 1], fields[index + 2]
            index += 3
        else:
            old_path, path = None, fields[index + 1]
            index += 2
        changes.append(
            FileChange(kind, path, old_path, int(old_mode, 8), int(new_mode, 8), old_sha, new_sha)
        )
    return changes


def links_in_tree(plan_repo: PlanRepo, commit: str, folder: str) -> list[tuple[str, str]] | None:
    """Every symbolic link under `folder` (relative to the top) at `commit`: (path, target).

    None when the folder is not there. `folder` itself may be the link: then it is listed as
    ('', target). Paths are relative to `folder`.
    """
    from git import Blob

    tree = plan_repo.repo.commit(commit).tree
    try:
        found = tree / folder if folder else tree
    except KeyError:
        return None
    if found.mode & 0o170000 == LINK_MODE:
        return [("", found.data_stream.read().decode("utf-8", "replace"))]
    if found.type != "tree":
        return None
    links = []
    for item in found.traverse():
        if isinstance(item, Blob) and item.mode & 0o170000 == LINK_MODE:
            target = item.data_stream.read().decode("utf-8", "replace")
            path = str(item.path)
            links.append((path[len(folder) + 1 :] if folder else path, target))
    return sorted(links)
