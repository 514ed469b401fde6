"""Committing (and tagging) a plan change all or nothing: check everything first, undo on failure.

A strategy lead on a new laptop meets git's failures before anything else: no name or e-mail
set, a half-finished merge, a hook that refuses the commit. If the file were written and then
the commit failed, the plan would be changed but not committed, and the retry would find
nothing left to do. So, before any file is touched, `prepare_commit` checks everything git
will need; and if git still fails afterwards, `commit_and_tag` moves the branch back, deletes
the tag and puts the index entries of the committed files back as they were, so the caller
only has to restore the files it wrote.

git is run as a plain process here (GitPython is not needed to run commands). The author is
given to git through GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, never as `--author`: git would treat an
`--author` without `<…>` as a pattern and pick any earlier author it matches.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from datracker.core.problems import InvalidValue
from datracker.plan.models import Owner
from datracker.vcs.gitrepo import GitError, GitRun, PlanRepo, run_git

AUTHOR_FORM = re.compile(r"\s*(?P<name>[^<>\n]*[^<>\s])\s*<(?P<email>[^<>\s@]+@[^<>\s@]+)>\s*")
AUTHOR_HINT = (
    'give it as --author "Dee Hutchinson <dee@example.org>", or as an owner id from plan.yaml '
    "(the owner needs an e-mail there)"
)
IDENTITY_HINT = (
    "tell git who you are, once on this computer, then run the same command again:\n"
    '  git config --global user.name "Your Name"\n'
    '  git config --global user.email "you@example.org"\n'
    '(or give this command --author "Your Name <you@example.org>", or your owner id)'
)
OPERATIONS = (  # (file or folder in .git, what is under way, how to finish or abandon it)
    ("MERGE_HEAD", "a merge", "git commit (to finish it) or git merge --abort"),
    ("rebase-merge", "a rebase", "git rebase --continue or git rebase --abort"),
    ("rebase-apply", "a rebase", "git rebase --continue or git rebase --abort"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "git cherry-pick --continue or --abort"),
    ("REVERT_HEAD", "a revert", "git revert --continue or git revert --abort"),
)


@dataclass(frozen=True)
class Identity:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def parse_author(text: str) -> Identity | None:
    """`Name <email>` exactly, or None."""
    found = AUTHOR_FORM.fullmatch(text)
    return Identity(found["name"], found["email"]) if found else None


def author_form_ok(text: str) -> bool:
    """Whether `text` could be an author: `Name <email>`, or a word to look up in the owners
    directory (which needs the plan, so it is looked up later)."""
    if parse_author(text) is not None:
        return True
    return bool(text.strip()) and not any(c in text for c in "<>\n")


def resolve_author(text: str, owners: list[Owner]) -> Identity:
    """`Name <email>`, or an owner id looked up in the owners directory; nothing fuzzier."""
    parsed = parse_author(text)
    if parsed is not None:
        return parsed
    wanted = text.strip()
    owner = next((o for o in owners if o.id == wanted), None) or next(
        (o for o in owners if o.id.casefold() == wanted.casefold()), None
    )
    if owner is not None:
        email = owner.email or next(iter(owner.git_emails), None)
        if not email:
            raise InvalidValue(
                f"--author {owner.id}: the owners directory has no e-mail for {owner.name}",
                f"add 'email:' to {owner.id} in plan.yaml, or {AUTHOR_HINT}",
            )
        return Identity(owner.name, email.strip())
    by_name = [o.id for o in owners if o.name.casefold() == wanted.casefold()]
    close = difflib.get_close_matches(wanted, [o.id for o in owners], n=1, cutoff=0.6)
    suggestion = by_name or close
    hint = f"did you mean --author {suggestion[0]}? Or {AUTHOR_HINT}" if suggestion else None
    raise InvalidValue(
        f"--author '{text}' is neither \"Name <email>\" nor an owner id in plan.yaml",
        hint or AUTHOR_HINT[0].upper() + AUTHOR_HINT[1:],
    )


def _output(top: Path, *args: str) -> str | None:
    found = run_git(top, *args)
    return found.out.strip() if found.code == 0 else None


# --- what the working tree holds -------------------------------------------------------------


@dataclass(frozen=True)
class PathState:
    """One path with uncommitted changes, as `git status --porcelain` reports it."""

    path: str  # relative to the repository's top
    staged: bool
    unstaged: bool
    untracked: bool

    @property
    def kind(self) -> str:
        if self.untracked:
            return "not in git yet"
        if self.staged and self.unstaged:
            return "staged and unstaged changes"
        return "staged changes" if self.staged else "unstaged changes"


def path_states(plan_repo: PlanRepo, paths: list[Path]) -> list[PathState]:
    """The uncommitted changes under `paths` (files or folders), staged and unstaged told apart."""
    relative = [plan_repo.relative(p) for p in paths]
    found = run_git(
        plan_repo.top, "status", "--porcelain", "-z", "--untracked-files=all", "--", *relative
    )
    if found.code != 0:
        raise GitError(f"git status failed: {_first_lines(found.err)}")
    states = []
    for entry in (e for e in found.out.split("\0") if e):
        if len(entry) < 4 or entry[2] != " ":
            continue  # the old name of a rename, which -z gives as an entry of its own
        code, path = entry[:2], entry[3:]
        untracked = code == "??"
        states.append(PathState(path, code[0] not in " ?", code[1] not in " ?", untracked))
    return sorted(states, key=lambda s: s.path)


def how_to_see(states: list[PathState]) -> str:
    """The git command that shows exactly these changes: plain `git diff` hides staged ones."""
    staged = any(s.staged for s in states)
    unstaged = any(s.unstaged for s in states)
    paths = " ".join(_quoted(s.path) for s in states[:3])
    if any(s.untracked for s in states):
        return f"git status -- {paths}"
    if staged and unstaged:
        return f"git diff HEAD -- {paths}"
    return f"git diff --staged -- {paths}" if staged else f"git diff -- {paths}"


def describe_states(states: list[PathState]) -> str:
    shown = [f"{s.path} ({s.kind})" for s in states[:3]]
    return ", ".join(shown) + (f" and {len(states) - 3} more" if len(states) > 3 else "")


def _quoted(path: str) -> str:
    return path if re.fullmatch(r"[\w./@+-]+", path) else "'" + path.replace("'", "'\\''") + "'"


# --- before writing: everything git will need ------------------------------------------------


@dataclass(frozen=True)
class CommitPlan:
    """A commit (and maybe a tag) that has been checked and can now be made."""

    top: Path
    paths: tuple[str, ...]  # relative to the repository's top
    message: str
    author: Identity | None  # None: git's own identity
    committer: Identity | None  # set only when git has no identity but --author was given
    tag: str | None = None
    tag_message: str | None = None

    def env(self) -> dict[str, str]:
        return identity_env(self.author, self.committer)


def identity_env(author: Identity | None, committer: Identity | None) -> dict[str, str]:
    """The environment that makes git commit as `author` (and `committer`), when given."""
    env: dict[str, str] = {}
    if author is not None:
        env |= {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email}
    if committer is not None:
        env |= {"GIT_COMMITTER_NAME": committer.name, "GIT_COMMITTER_EMAIL": committer.email}
    return env


def prepare_commit(
    plan_repo: PlanRepo,
    paths: list[Path],
    message: str,
    author: Identity | None,
    tag: str | None = None,
    tag_message: str | None = None,
) -> CommitPlan:
    """Check everything a commit (and tag) needs, so a failure comes before any file changes."""
    top = plan_repo.top
    check_repository_free(plan_repo)
    committer = check_identity(top, author)
    if tag is not None:
        check_new_tag(top, tag)
    relative = tuple(plan_repo.relative(p) for p in paths)
    return CommitPlan(top, relative, message, author, committer, tag, tag_message)


def check_repository_free(plan_repo: PlanRepo) -> None:
    """No merge or rebase under way, no other git holding the index, and .git writable."""
    git_dir = Path(plan_repo.repo.git_dir)
    common = Path(plan_repo.repo.common_dir)
    for name, what, how in OPERATIONS:
        if (git_dir / name).exists():
            raise GitError(
                f"{what} is in progress in this repository, so datracker cannot commit; "
                "nothing was written",
                f"finish or abandon it first ({how}); `git status` says where it stands",
            )
    lock = git_dir / "index.lock"
    if lock.exists():
        raise GitError(
            f"git is busy: {lock} exists, so datracker cannot commit; nothing was written",
            "wait for the other git command to finish; if none is running (one was "
            f"interrupted), delete {lock} and run the command again",
        )
    for folder in dict.fromkeys((git_dir, common / "objects", common / "refs")):
        if not os.access(folder, os.W_OK):
            raise GitError(
                f"the repository's folder {folder} cannot be written, so datracker cannot "
                "commit; nothing was written",
                "check you own the repository and that its disk is not read-only "
                "(ls -ld on the folder), then run the command again",
            )


def configured_identity(top: Path) -> Identity | None:
    """The name and e-mail git will commit as, when set (git config or GIT_COMMITTER_*)."""
    name = os.environ.get("GIT_COMMITTER_NAME") or _output(top, "config", "--get", "user.name")
    email = (
        os.environ.get("GIT_COMMITTER_EMAIL")
        or _output(top, "config", "--get", "user.email")
        or os.environ.get("EMAIL")
    )
    return Identity(name, email) if name and email else None


def check_identity(top: Path, author: Identity | None) -> Identity | None:
    """The committer to set (None: git's own), or an error saying how to tell git who you are.

    git can invent an e-mail from the computer's name, which nobody could reply to, so an
    identity counts only when it was set. With --author and no identity of one's own, the
    author commits too.
    """
    own = configured_identity(top)
    if own is None and author is None:
        raise GitError(
            "git does not know your name and e-mail, so datracker cannot commit; "
            "nothing was written",
            IDENTITY_HINT,
        )
    committer = author if own is None else None
    env = CommitPlan(top, (), "", author, committer).env()
    for variable in ("GIT_COMMITTER_IDENT", "GIT_AUTHOR_IDENT"):
        found = run_git(top, "var", variable, env=env)
        if found.code != 0:
            raise GitError(
                f"git refuses the name or e-mail it would commit with ({_first_lines(found.err)}); "
                "nothing was written",
                IDENTITY_HINT,
            )
    return committer


def tag_name_ok(top: Path, tag: str) -> bool:
    return run_git(top, "check-ref-format", f"refs/tags/{tag}").code == 0


def tag_exists_at(top: Path, tag: str) -> bool:
    return run_git(top, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}").code == 0


def check_new_tag(top: Path, tag: str) -> None:
    if not tag_name_ok(top, tag):
        raise GitError(
            f"'{tag}' cannot be a git tag; nothing was written",
            "a tag may not contain '..', spaces or any of ~^:?*[\\, nor end with '.' or '.lock'",
        )
    if tag_exists_at(top, tag):
        raise GitError(
            f"the tag {tag} already exists; nothing was written",
            f"see what it marks with: git show --stat {tag}; if it is wrong, delete it "
            f"(git tag -d {tag}) and run the command again",
        )


# --- committing, and undoing it all when git fails -------------------------------------------


@dataclass(frozen=True)
class Committed:
    commit: str
    tag: str | None


@dataclass
class _Progress:
    """What has been done so far, so exactly that can be undone."""

    head_before: str | None
    index_before: str  # `git ls-files --stage` lines for the paths
    commit: str | None = None
    tagged: bool = False
    undo_errors: list[str] = field(default_factory=list)


class CommitFailed(GitError):
    """git failed after the files were written; the commit, tag and index have been undone."""


def commit_and_tag(plan: CommitPlan) -> Committed:
    """Commit exactly `plan.paths` (whatever else is staged stays staged) and tag the commit.

    On failure everything done here is undone and CommitFailed says what git said; the caller
    restores the files. If even the undo fails, the error says what is left to do by hand.
    """
    top = plan.top
    progress = _Progress(_output(top, "rev-parse", "--verify", "--quiet", "HEAD"), _stage(plan))
    try:
        _step(top, "add", "--", *plan.paths)
        commit = ("commit", "--quiet", "-m", plan.message, "--only", "--", *plan.paths)
        _step(top, *commit, env=plan.env())
        progress.commit = _output(top, "rev-parse", "--verify", "HEAD")
        if plan.tag is not None:
            tag_message = plan.tag_message or plan.message
            _step(top, "tag", "--annotate", "-m", tag_message, plan.tag, "HEAD", env=plan.env())
            progress.tagged = True
    except _StepFailed as failure:
        _undo(plan, progress)
        raise _failure(plan, failure.run, progress) from None
    except KeyboardInterrupt:  # Ctrl-C while git ran: "nothing was written" must stay true
        _undo(plan, progress)
        raise
    assert progress.commit is not None
    return Committed(progress.commit, plan.tag)


class _StepFailed(Exception):
    def __init__(self, run: GitRun) -> None:
        super().__init__(run.err)
        self.run = run


def _step(top: Path, *args: str, env: dict[str, str] | None = None) -> None:
    found = run_git(top, *args, env=env)
    if found.code != 0:
        raise _StepFailed(found)


def _stage(plan: CommitPlan) -> str:
    found = run_git(plan.top, "ls-files", "--stage", "-z", "--", *plan.paths)
    return found.out if found.code == 0 else ""


def _undo(plan: CommitPlan, progress: _Progress) -> None:
    top = plan.top
    if progress.tagged and plan.tag is not None:
        _try(progress, top, "tag", "-d", plan.tag)
    head_now = _output(top, "rev-parse", "--verify", "--quiet", "HEAD")
    if head_now is not None and head_now != progress.head_before:
        if progress.head_before is None:  # the very first commit of the repository
            _try(progress, top, "update-ref", "-d", "HEAD", head_now)
        else:
            message = "datracker: undo a commit that could not be completed"
            _try(progress, top, "update-ref", "-m", message, "HEAD", progress.head_before, head_now)
    _restore_index(plan, progress)


def _restore_index(plan: CommitPlan, progress: _Progress) -> None:
    """Put each committed path's index entry back: its old blob, or no entry if it had none."""
    before: dict[str, str] = {}
    for entry in (e for e in progress.index_before.split("\0") if e):
        mode_blob_stage, name = entry.split("\t", 1)
        before[name] = mode_blob_stage
    removed = f"0 {'0' * 40}"  # mode 0: remove the entry
    lines = [f"{before.get(path, removed)}\t{path}" for path in plan.paths]
    found = subprocess.run(
        ["git", "-C", str(plan.top), "update-index", "-z", "--index-info"],
        input="".join(line + "\0" for line in lines),
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        progress.undo_errors.append(
            f"git's index still has the new {', '.join(plan.paths)} staged "
            f"({_first_lines(found.stderr)}): unstage it with git restore --staged -- "
            + " ".join(_quoted(p) for p in plan.paths)
        )


def _try(progress: _Progress, top: Path, *args: str) -> None:
    found = run_git(top, *args)
    if found.code != 0:
        progress.undo_errors.append(f"`git {' '.join(args)}` failed: {_first_lines(found.err)}")


def _failure(plan: CommitPlan, failed: GitRun, progress: _Progress) -> CommitFailed:
    said = _first_lines(failed.err or failed.out, 12, "\n")
    what = "tag" if progress.commit is not None else "commit"
    if progress.undo_errors:
        return CommitFailed(
            f"git could not {what} the change, and undoing it failed too:\n{said}",
            "put things back by hand: " + "; ".join(progress.undo_errors),
        )
    return CommitFailed(f"git could not {what} the change:\n{said}", _failure_hint(failed))


def _failure_hint(failed: GitRun) -> str:
    text = failed.err + failed.out
    if "index.lock" in text:
        return (
            "another git command is running, or one was interrupted: wait for it, or delete "
            "the index.lock file git names, then run the same command again"
        )
    if "Permission denied" in text or "Operation not permitted" in text or "Read-only" in text:
        return "the repository cannot be written: check its folder's owner and permissions"
    return (
        "if a git hook (such as pre-commit) refused it, its message is above: fix what "
        "it reports, then run the same command again"
    )


def _first_lines(text: str, count: int = 3, joiner: str = "; ") -> str:
    lines = [line.rstrip() for line in text.strip().splitlines() if line.strip()]
    return joiner.join(lines[:count] + (["…"] if len(lines) > count else []))
