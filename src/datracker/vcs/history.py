"""The plan at any point of its git history, and what changed between two points.

A revision is any git revision (commit, branch, tag), a review id of the current plan (read as
its tag `review/<id>` when that tag exists), or WORKTREE: the files on disk, committed or not.

Files are read by blob id through one long-lived `git cat-file --batch` (see gitrepo), and each
distinct blob is parsed and checked at most once (`PlanReader` memoises by blob id). A file
whose blob is the same in both revisions cannot hold a change, so `diff` parses only the files
that differ; their priorities' roll-ups are complete because a priority is one file.

A revision whose files do not validate (an older format, broken YAML) does not stop anything:
the file is skipped with a warning, "revision X, file Y unreadable: …".

For the render command:

    changes_since_previous_review(plan_dir, review_id) -> PlanDiff | None

gives the changes from the review before `review_id` (its tag) to `review_id` (its tag, or the
files on disk while it is open); None when the plan is not in git or no earlier tag exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
)
from datracker.plan.yamlread import document_from_bytes, read_document
from datracker.vcs.gitrepo import (
    GitError,
    PlanRepo,
    blob_id,
    check_revision,
    open_plan_repo,
    plan_blobs,
    read_blob,
    require_plan_repo,
    resolve_commit,
    tag_beside,
    tag_exists,
)

WORKTREE = "WORKTREE"
REVIEW_TAG = "review/{}"


@dataclass(frozen=True)
class Revision:
    """A point in the plan's history: as named, the commit (None for WORKTREE), the review."""

    rev: str
    commit: str | None
    review: str | None

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
        self._disk: dict[str, bytes] = {}
        self._configs: dict[str, CheckedConfig] = {}
        self._priorities: dict[str, CheckedPriority] = {}
        self._warned: set[str] = set()

    def snapshot(self, revision: Revision) -> Snapshot:
        if revision.commit is None:
            return Snapshot(revision, self._worktree_blobs())
        return Snapshot(revision, plan_blobs(self.plan_repo, revision.commit))

    def _worktree_blobs(self) -> dict[str, str] | None:
        if not (self.plan_dir / PLAN_FILE).is_file():
            return None
        paths = [self.plan_dir / PLAN_FILE, *sorted((self.plan_dir / "priorities").glob("*.y*ml"))]
        blobs = {}
        for path in paths:
            if path.is_file():
                data = path.read_bytes()
                sha = blob_id(data)
                self._disk[sha] = data
                blobs[path.relative_to(self.plan_dir).as_posix()] = sha
        return blobs

    def _bytes(self, sha: str) -> bytes:
        cached = self._disk.get(sha)
        return cached if cached is not None else read_blob(self.plan_repo, sha)

    def config(self, snap: Snapshot) -> PlanConfig | None:
        sha = (snap.blobs or {}).get(PLAN_FILE)
        if sha is None:
            return None
        checked = self._configs.get(sha)
        if checked is None:
            doc = document_from_bytes(self._bytes(sha), PLAN_FILE, self.plan_dir / PLAN_FILE)
            checked = self._configs[sha] = check_config(doc)
        self._warn(snap.revision, PLAN_FILE, sha, checked.problems, checked.config is None)
        return checked.config

    def priority(self, snap: Snapshot, rel: str) -> PriorityFile | None:
        """The priority in file `rel`, or None (with a warning) when it cannot be read."""
        sha = (snap.blobs or {})[rel]
        checked = self._priorities.get(sha)
        if checked is None:
            doc = document_from_bytes(self._bytes(sha), rel, self.plan_dir / rel)
            checked = self._priorities[sha] = check_priority(doc)
        self._warn(snap.revision, rel, sha, checked.problems, checked.priority is None)
        return checked.priority

    def _warn(
        self, revision: Revision, rel: str, sha: str, problems: list[Problem], lost: bool
    ) -> None:
        errors = [p for p in problems if p.severity == "error"]
        if not errors or sha in self._warned:
            return
        self._warned.add(sha)
        first = errors[0]
        what = "unreadable" if lost else "partly unreadable (some actions skipped)"
        self.warnings.append(
            f"revision {revision.short}, file {rel} {what}: line {first.line}: {first.message}"
        )


# --- revisions ------------------------------------------------------------------------------


def current_config(plan_dir: Path) -> PlanConfig | None:
    """plan.yaml as it is on disk: where review ids are looked up."""
    path = plan_dir / PLAN_FILE
    return check_config(read_document(path, PLAN_FILE)).config if path.is_file() else None


def resolve_revision(plan_repo: PlanRepo, current: PlanConfig | None, rev: str) -> Revision:
    """WORKTREE, a review id with a tag, or any git revision."""
    if rev == WORKTREE:
        return Revision(WORKTREE, None, None)
    check_revision(rev)
    is_review = current is not None and current.review(rev) is not None
    tag = REVIEW_TAG.format(rev)
    if is_review and tag_exists(plan_repo, tag):
        return Revision(rev, resolve_commit(plan_repo, tag), rev)
    try:
        commit = resolve_commit(plan_repo, rev)
    except GitError:
        if is_review:
            raise GitError(
                f"review {rev} has no tag {tag}",
                "a review is tagged when it is closed; name a commit instead (git log --oneline)",
            ) from None
        raise
    review = rev.removeprefix("review/") if rev.startswith("review/") else None
    return Revision(rev, commit, review)


def default_from(plan_repo: PlanRepo, current: PlanConfig | None) -> Revision:
    """The latest closed review's tag if it exists, else HEAD."""
    closed = [r for r in (current.reviews if current else []) if r.status == "closed"]
    for review in reversed(closed):
        tag = REVIEW_TAG.format(review.id)
        if tag_exists(plan_repo, tag):
            return Revision(tag, resolve_commit(plan_repo, tag), review.id)
    if not plan_repo.repo.head.is_valid():
        raise GitError("the repository has no commits yet", "commit the plan, then compare")
    return Revision("HEAD", resolve_commit(plan_repo, "HEAD"), None)


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
    diff = compare_snapshots(
        reader, reader.snapshot(before), reader.snapshot(after), include_unchanged
    )
    return DiffResult(before, after, diff, reader.warnings)


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


def changes_since_previous_review(
    plan_dir: Path,
    review_id: str,
    config: PlanConfig | None = None,
    to_commit: str | None = None,
) -> PlanDiff | None:
    """Changes from the review before `review_id` to `review_id`, for the refresh document.

    From: the previous review's tag `review/<id>`. To: `to_commit` when given (a paper rebuilt
    from a revision), else `review/<review_id>` if tagged, else the files on disk. Reviews are
    looked up in `config` (default: plan.yaml on disk). None when the plan is not in git or
    the previous review has no tag.
    """
    current = config or (current_config(plan_dir) if plan_dir.is_dir() else None)
    if current is None:
        return None
    ids = [r.id for r in current.reviews]
    if review_id not in ids or ids.index(review_id) == 0:
        return None
    previous = REVIEW_TAG.format(ids[ids.index(review_id) - 1])
    if not tag_beside(plan_dir, previous):  # the usual answer, found without GitPython
        return None
    plan_repo = open_plan_repo(plan_dir)
    if plan_repo is None:
        return None
    if to_commit is not None:
        return diff_revisions(plan_dir, previous, to_commit).diff
    this = REVIEW_TAG.format(review_id)
    to_rev = this if tag_exists(plan_repo, this) else WORKTREE
    return diff_revisions(plan_dir, previous, to_rev).diff
