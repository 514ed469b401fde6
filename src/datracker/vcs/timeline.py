"""One action's timeline across the plan's git history: `datracker history A5`.

`git log -- <plan dir>` is walked once, parents before children. For each commit the plan
files' blob ids are listed from its tree (no process per commit: trees and blobs come through
GitPython's long-lived `git cat-file --batch`). The action is looked for first in the file
that held it in the parent commit: if that file's blob is unchanged, so is the action, and
nothing is parsed. Only when that file changed without it does the search widen, and then only
to files whose blobs are new in this commit: an action can only arrive in a changed file.

A commit is listed when the action differs from the action in every one of its parents, so a
merge that merely brings in a branch's commits is not listed twice; a merge that changed the
action itself (a resolved conflict) is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from datracker.plan.models import Action
from datracker.plan.store import priority_file_names
from datracker.vcs.gitrepo import LogEntry, plan_blobs, plan_log
from datracker.vcs.history import (
    PlanReader,
    Revision,
    Snapshot,
    current_config,
    open_for_history,
    resolve_revision,
    shallow_warnings,
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Found:
    """Where the action was at one commit: the commit's plan blobs, and the action if present."""

    blobs: dict[str, str]
    rel: str | None = None
    priority: str | None = None
    action: Action | None = None
    unreadable: bool = False  # not found, and a file it may be in could not be read

    @property
    def key(self) -> tuple[str | None, Action | None]:
        return (self.priority, self.action)


NOWHERE = Found({})


@dataclass(frozen=True)
class TimelineEntry:
    commit: str
    date: str  # YYYY-MM-DD, the author's date
    author: str
    priority: str | None
    review: str | None  # the review of the action's latest update at that commit
    rag: str | None
    status: str  # the action's status; "deleted" when the commit took it out of the plan, or
    # "unreadable" when the file that may hold it could not be read at that commit
    text: str | None  # first line of the latest update's text

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass
class Timeline:
    action_id: str
    entries: list[TimelineEntry] = field(default_factory=list)  # newest first
    warnings: list[str] = field(default_factory=list)
    since: str | None = None
    notes: list[str] = field(default_factory=list)  # e.g. which commit stood in for a tag


def action_history(
    plan_dir: Path,
    action_id: str,
    since: str | None = None,
    progress: Progress | None = None,
) -> Timeline:
    plan_repo = open_for_history(plan_dir)
    if not plan_repo.repo.head.is_valid():
        unborn = "the repository has no commits yet: the history starts with the first commit"
        return Timeline(action_id, since=since, notes=[unborn])
    current = current_config(plan_dir)
    start = resolve_revision(plan_repo, current, since) if since else None
    log = plan_log(plan_repo, "HEAD", start.commit if start else None)
    reader = PlanReader(plan_dir, plan_repo)
    reader.warnings.extend(shallow_warnings(plan_repo))
    walker = _Walker(reader, action_id)
    entries = []
    for done, entry in enumerate(log, 1):
        found = walker.visit(entry.commit, entry.parents, entry.changes)
        parents = [walker.at(p) for p in entry.parents] or [NOWHERE]
        if all(found.key != parent.key for parent in parents):
            entries.append(_entry(entry, found))
        if progress:
            progress(done, len(log))
    notes = [start.note] if start and start.note else []
    return Timeline(action_id, entries[::-1], walker.reader.warnings, since, notes)


class _Walker:
    def __init__(self, reader: PlanReader, action_id: str) -> None:
        self.reader = reader
        self.action_id = action_id
        self.seen: dict[str, Found] = {}

    def at(self, commit: str) -> Found:
        """Where the action is at `commit`; a commit outside the walk is searched in full."""
        if commit not in self.seen:
            self.visit(commit, ())
        return self.seen[commit]

    def visit(
        self,
        commit: str,
        parents: tuple[str, ...],
        changes: tuple[tuple[str, str | None], ...] | None = None,
    ) -> Found:
        """Blob ids come from the parent's plus the log's changes; a tree is read only without."""
        previous = self.at(parents[0]) if parents else NOWHERE
        if parents and changes is not None:
            blobs = dict(previous.blobs)
            for rel, sha in changes:
                if sha is None:
                    blobs.pop(rel, None)
                else:
                    blobs[rel] = sha
        else:
            blobs = plan_blobs(self.reader.plan_repo, commit) or {}
        snap = Snapshot(Revision(commit, commit, None), blobs)
        found = self._locate(snap, previous)
        self.seen[commit] = found
        return found

    def _locate(self, snap: Snapshot, previous: Found) -> Found:
        blobs = snap.blobs or {}
        if previous.rel is not None and blobs.get(previous.rel) == previous.blobs[previous.rel]:
            return Found(blobs, previous.rel, previous.priority, previous.action)
        before = set(previous.blobs.items())
        candidates = [previous.rel] if previous.rel in blobs else []
        candidates += [
            rel
            for rel in priority_file_names(blobs)
            if (rel, blobs[rel]) not in before and rel != previous.rel
        ]
        unreadable = False
        for rel in candidates:
            priority = self.reader.priority(snap, rel) if rel else None
            if priority is None:
                unreadable = True
                continue
            action = next((a for a in priority.actions if a.id == self.action_id), None)
            if action is not None:
                return Found(blobs, rel, priority.id, action)
        return Found(blobs, unreadable=unreadable)


def _entry(entry: LogEntry, found: Found) -> TimelineEntry:
    action = found.action
    latest = action.updates[-1] if action and action.updates else None
    text = (latest.text or "").strip().splitlines()[0] if latest and latest.text else None
    return TimelineEntry(
        commit=entry.commit,
        date=entry.date[:10],
        author=entry.author,
        priority=found.priority,
        review=latest.review if latest else None,
        rag=action.rag if action else None,
        status=action.status if action else "unreadable" if found.unreadable else "deleted",
        text=text,
    )
