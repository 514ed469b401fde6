"""The plan at any point of its git history, and what changed between two points.

A revision is any git revision (commit, branch, tag), a review id of the current plan (read as
its tag `review/<id>`, or, when that tag is missing, as the commit that closed the review in
plan.yaml's history: see reviewcommits), or WORKTREE: the files on disk, committed or not.

Files are read by blob id through one long-lived `git cat-file --batch` (see gitrepo), and each
distinct blob is parsed and checked at most once (`PlanReader` memoises by blob id). A file
whose blob is the same in both revisions cannot hold a change, so `diff` parses only the files
that differ; their priorities' roll-ups are complete because a priority is one file.

A revision whose files do not validate (an older format, broken YAML) does not stop anything,
but is never silent: the file (or the actions in it that cannot be read) is left out of both
sides with a warning saying exactly what, "revision X, FILE:LINE:COL: …; left out: …", and
`diff` then exits 1.

For the render command:

    changes_since_previous_review(plan_dir, review_id) -> ReviewChanges | None

gives the changes from the review before `review_id` to `review_id` (while it is open, the
files on disk), each found by its tag or its closing commit; None when the plan is not in git
or git has no record of the earlier review.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datracker.core.paths import inside
from datracker.core.problems import DatrackerError, Problem
from datracker.plan.diff import PlanDiff, compare
from datracker.plan.models import Plan, PlanConfig, PriorityFile
from datracker.plan.store import (
    PLAN_FILE,
    CheckedConfig,
    CheckedPriority,
    check_config,
    check_priority,
    priority_file_names,
    skipped_actions,
)
from datracker.plan.yamlread import (
    Document,
    document_from_bytes,
    read_document,
    read_plan_bytes,
    unread_document,
)
from datracker.vcs.gitrepo import (
    GitError,
    PlanRepo,
    blob_id,
    blob_within_cap,
    check_revision,
    git_place,
    is_shallow,
    plan_blobs,
    require_plan_repo,
    resolve_commit,
)
from datracker.vcs.reviewcommits import ReviewCommit, find_review_commit, find_review_commits

WORKTREE = "WORKTREE"
REVIEW_TAG = "review/{}"


@dataclass(frozen=True)
class Revision:
    """A point in the plan's history: as named, the commit (None for WORKTREE), the review."""

    rev: str
    commit: str | None
    review: str | None
    note: str | None = None  # how it was found, when the user should know (a missing tag)

    def as_json(self) -> dict[str, Any]:
        return {"rev": self.rev, "commit": self.commit, "review": self.review}

    @property
    def short(self) -> str:
        return self.rev if self.commit is None or self.rev != self.commit else self.commit[:10]


@dataclass(frozen=True)
class Snapshot:
    revision: Revision
    blobs: dict[str, str] | None  # path in the plan -> blob id; None: no plan at this revision


class PlanReader:
    """Reads plan files at revisions, parsing and checking each distinct blob once."""

    def __init__(self, plan_dir: Path, plan_repo: PlanRepo) -> None:
        self.plan_dir = plan_dir
        self.plan_repo = plan_repo
        self.warnings: list[str] = []
        # the warnings that mean part of the plan was left out (not, e.g., a shallow clone)
        self.left_out: list[str] = []
        self._disk: dict[str, bytes] = {}
        self._unread: dict[str, Problem] = {}  # files on disk that could not be read
        self._configs: dict[str, CheckedConfig] = {}
        self._priorities: dict[str, CheckedPriority] = {}
        self._warned: set[str] = set()

    def snapshot(self, revision: Revision) -> Snapshot:
        if revision.commit is None:
            return Snapshot(revision, self._worktree_blobs())
        return Snapshot(revision, plan_blobs(self.plan_repo, revision.commit))

    def _worktree_blobs(self) -> dict[str, str] | None:
        """The files on disk as blob ids; a file that cannot be read is kept, as a problem.

        Read as `load_plan` reads them (size cap first, never a folder, device or pipe), so
        a file that cannot be read is reported and left out on both sides, never compared as
        if it had been deleted.
        """
        plan_file = self.plan_dir / PLAN_FILE
        if not plan_file.is_file():
            if os.path.lexists(plan_file):
                raise DatrackerError(
                    f"{plan_file} is not a file (a folder, a broken link or a device)",
                    f"restore it from git (git checkout -- {plan_file}), or pass --plan DIR",
                )
            return None
        folder = self.plan_dir / "priorities"
        paths = [plan_file, *(sorted(folder.glob("*.y*ml")) if folder.is_dir() else [])]
        blobs = {}
        for path in paths:
            rel = path.relative_to(self.plan_dir).as_posix()
            data, problem = read_plan_bytes(inside(self.plan_dir, path), rel)
            if problem is not None:
                key = f"unread:{rel}"
                self._unread[key] = problem
                blobs[rel] = key
                continue
            sha = blob_id(data)
            self._disk[sha] = data
            blobs[rel] = sha
        return blobs

    def reported_elsewhere(self, shas: set[str]) -> None:
        """Blobs whose problems the caller reports itself: no second warning for them."""
        self._warned |= shas

    def _document(self, sha: str, rel: str) -> Document:
        """One file at a revision, parsed; the size cap is checked before the blob is read."""
        path = self.plan_dir / rel
        cached = self._disk.get(sha)
        got = self._unread.get(sha) or (
            cached if cached is not None else blob_within_cap(self.plan_repo, rel, sha)
        )
        if isinstance(got, Problem):
            return unread_document(rel, got, path)
        return document_from_bytes(got, rel, path)

    def config(self, snap: Snapshot) -> PlanConfig | None:
        sha = (snap.blobs or {}).get(PLAN_FILE)
        if sha is None:
            return None
        checked = self._configs.get(sha)
        if checked is None:
            checked = self._configs[sha] = check_config(self._document(sha, PLAN_FILE))
        self._warn(snap.revision, PLAN_FILE, sha, checked.problems, "the whole plan")
        return checked.config

    def priority(self, snap: Snapshot, rel: str) -> PriorityFile | None:
        """The priority in file `rel`, or None (with a warning) when it cannot be read."""
        sha = (snap.blobs or {})[rel]
        checked = self.checked(rel, sha)
        self._warn(snap.revision, rel, sha, checked.problems, _left_out(checked))
        return checked.priority

    def checked(self, rel: str, sha: str) -> CheckedPriority:
        """The priority file with blob `sha` read and checked, with its document and positions."""
        checked = self._priorities.get(sha)
        if checked is None:
            checked = self._priorities[sha] = check_priority(self._document(sha, rel))
        return checked

    def _warn(
        self, revision: Revision, rel: str, sha: str, problems: list[Problem], left_out: str
    ) -> None:
        """Say exactly what a revision's file could not give: all of it, or which actions."""
        errors = [p for p in problems if p.severity == "error"]
        if not errors or sha in self._warned:
            return
        self._warned.add(sha)
        first = errors[0]
        warning = (
            f"revision {revision.short}, {rel}:{first.line}:{first.column}: {first.message}; "
            f"left out: {left_out}"
        )
        self.warnings.append(warning)
        self.left_out.append(warning)


def _left_out(checked: CheckedPriority) -> str:
    if checked.priority is None:
        return "the whole file"
    skipped = skipped_actions(checked)
    return f"action{'s' if len(skipped) > 1 else ''} {', '.join(skipped)}" if skipped else "part"


# --- revisions ------------------------------------------------------------------------------


def current_config(plan_dir: Path) -> PlanConfig | None:
    """plan.yaml as it is on disk: where review ids are looked up."""
    path = inside(plan_dir, plan_dir / PLAN_FILE)
    return check_config(read_document(path, PLAN_FILE)).config if path.is_file() else None


def resolve_revision(plan_repo: PlanRepo, current: PlanConfig | None, rev: str) -> Revision:
    """WORKTREE, a review id (its tag, else its closing commit), or any git revision."""
    if rev == WORKTREE:
        return Revision(WORKTREE, None, None)
    check_revision(rev)
    review = current.review(rev) if current is not None else None
    if review is not None:
        found = find_review_commit(plan_repo.place, rev)
        if found is not None:
            return _from_review(found, rev)
    try:
        commit = resolve_commit(plan_repo, rev)
    except GitError:
        if review is not None:
            state = "it is still open" if review.status == "open" else "no commit has it closed"
            raise GitError(
                f"review {rev} has no tag {REVIEW_TAG.format(rev)}, and {state} in plan.yaml's "
                "history",
                "a review is found once it is closed and committed (datracker review close); "
                "or name a commit (git log --oneline), or WORKTREE for the files on disk",
            ) from None
        raise
    tagged = rev.removeprefix("review/") if rev.startswith("review/") else None
    return Revision(rev, commit, tagged)


def _from_review(found: ReviewCommit, rev: str) -> Revision:
    return Revision(rev, found.commit, found.review_id, found.note)


def default_from(plan_repo: PlanRepo, current: PlanConfig | None) -> Revision:
    """The latest closed review (its tag, else its closing commit), else HEAD."""
    closed = [r.id for r in (current.reviews if current else []) if r.status == "closed"]
    found = find_review_commits(plan_repo.place, closed)
    for review_id in reversed(closed):
        if review_id in found:
            hit = found[review_id]
            return _from_review(hit, hit.tag if hit.tagged else review_id)
    if not plan_repo.repo.head.is_valid():
        raise GitError("the repository has no commits yet", "commit the plan, then compare")
    return Revision("HEAD", resolve_commit(plan_repo, "HEAD"), None)


SHALLOW_WARNING = (
    "this is a shallow clone (only the latest commits were fetched), so the history may be "
    "incomplete: older commits and review tags are missing; fetch them with: "
    "git fetch --unshallow --tags"
)


def shallow_warnings(plan_repo: PlanRepo) -> list[str]:
    """Said plainly wherever history is read: a shallow clone silently lacks older commits."""
    return [SHALLOW_WARNING] if is_shallow(plan_repo) else []


def open_for_history(plan_dir: Path) -> PlanRepo:
    if not plan_dir.is_dir():
        raise DatrackerError(
            f"no plan directory at {plan_dir}", "pass --plan DIR (or set DATRACKER_PLAN)"
        )
    return require_plan_repo(plan_dir)


# --- diff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffResult:
    before: Revision
    after: Revision
    diff: PlanDiff
    warnings: list[str]
    left_out: list[str] = field(default_factory=list)  # those of `warnings` that lose a part

    @property
    def notes(self) -> list[str]:
        return [r.note for r in (self.before, self.after) if r.note]


def diff_revisions(
    plan_dir: Path, from_rev: str | None, to_rev: str | None, include_unchanged: bool = False
) -> DiffResult:
    """`datracker diff [FROM [TO]]`: TO defaults to WORKTREE, FROM to the last closed review."""
    plan_repo = open_for_history(plan_dir)
    current = current_config(plan_dir)
    after = resolve_revision(plan_repo, current, to_rev or WORKTREE)
    before = (
        resolve_revision(plan_repo, current, from_rev)
        if from_rev
        else default_from(plan_repo, current)
    )
    reader = PlanReader(plan_dir, plan_repo)
    reader.warnings.extend(shallow_warnings(plan_repo))
    diff = compare_snapshots(
        reader, reader.snapshot(before), reader.snapshot(after), include_unchanged
    )
    return DiffResult(before, after, diff, reader.warnings, reader.left_out)


def compare_snapshots(
    reader: PlanReader, before: Snapshot, after: Snapshot, include_unchanged: bool = False
) -> PlanDiff:
    """Parse only the files whose blobs differ (all of them with `include_unchanged`)."""
    old_config, new_config = reader.config(before), reader.config(after)
    if new_config is None and old_config is None and after.blobs is None:
        raise DatrackerError(
            f"there is no plan at {after.revision.rev}", "name a revision that has the plan"
        )
    had_plan = before.blobs is not None and PLAN_FILE in before.blobs
    new_config = new_config or old_config
    old_config = old_config or new_config
    if new_config is None or old_config is None:
        raise DatrackerError(
            "plan.yaml cannot be read in either revision",
            "run `datracker validate` on the plan, or compare other revisions",
        )
    old_files = priority_file_names(before.blobs or {})
    new_files = priority_file_names(after.blobs or {})
    rollup_rules_same = (old_config.scale, old_config.rollup) == (
        new_config.scale,
        new_config.rollup,
    )
    if had_plan and rollup_rules_same and not include_unchanged:
        shared = set((before.blobs or {}).values()) & set((after.blobs or {}).values())
        old_files = [rel for rel in old_files if (before.blobs or {})[rel] not in shared]
        new_files = [rel for rel in new_files if (after.blobs or {})[rel] not in shared]
    old_parsed = {rel: reader.priority(before, rel) for rel in old_files}
    new_parsed = {rel: reader.priority(after, rel) for rel in new_files}
    # a file unreadable on one side is left out on both, rather than seen as added or deleted
    skipped = {rel for rel, p in [*old_parsed.items(), *new_parsed.items()] if p is None}
    old_plan = Plan(old_config, _kept(old_parsed, skipped)) if had_plan else None
    return compare(old_plan, Plan(new_config, _kept(new_parsed, skipped)), include_unchanged)


def _kept(parsed: dict[str, PriorityFile | None], skipped: set[str]) -> list[PriorityFile]:
    return [p for rel, p in parsed.items() if p is not None and rel not in skipped]


@dataclass(frozen=True)
class ReviewChanges:
    diff: PlanDiff
    notes: list[str]  # e.g. which commit stood in for a missing tag
    # set when both reviews were recorded by one commit: git cannot tell what changed
    # between them, which is not the same as nothing having changed
    one_commit: str | None = None


def changes_since_previous_review(
    plan_dir: Path,
    review_id: str,
    config: PlanConfig | None = None,
    to_commit: str | None = None,
) -> ReviewChanges | None:
    """Changes from the review before `review_id` to `review_id`, for the refresh document.

    Each review is found by its tag, else by the commit that closed it. To: `to_commit` when
    given (a paper rebuilt from a revision, `render --at`), else `review_id`'s commit, else
    (while it is open, or closed but not yet committed) the files on disk. Reviews are looked
    up in `config` (default: plan.yaml on disk). None when the plan is not in git or git has
    no record of the previous review.
    """
    current = config or (current_config(plan_dir) if plan_dir.is_dir() else None)
    if current is None:
        return None
    ids = [r.id for r in current.reviews]
    if review_id not in ids or ids.index(review_id) == 0:
        return None
    previous = ids[ids.index(review_id) - 1]
    place = git_place(plan_dir)  # without GitPython: often no diff needs reading at all
    if place is None:
        return None
    found = find_review_commits(place, [previous, review_id])
    before, this = found.get(previous), found.get(review_id)
    if before is None:
        return None
    if to_commit is not None:
        this = None  # the paper is rebuilt as of that commit, whatever came after it
    notes = [n for n in (before.note, this.note if this else None) if n]
    if this is not None and this.commit == before.commit:  # e.g. both imported closed at once
        return ReviewChanges(PlanDiff(), notes, one_commit=before.commit)
    to_rev = to_commit or (this.commit if this else WORKTREE)
    result = diff_revisions(plan_dir, before.commit, to_rev)
    if result.left_out:  # the board's list of changes must not quietly miss some
        raise DatrackerError(
            "the changes since the last review cannot be listed whole: "
            + "; ".join(result.left_out),
            "see `datracker diff` for what cannot be read; render another review with --review",
        )
    return ReviewChanges(result.diff, notes)
