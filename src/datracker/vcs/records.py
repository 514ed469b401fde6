"""What git recorded of each closed review: every action's update as it stood at the commit
that closed the review.

A plan file keeps every review's update, but a file can be edited after the board saw it. The
progress site says, beside each past update, which commit holds the record the board saw (the
review's tag, else its closing commit), and whether the update now differs from it: a rating
corrected later is shown as corrected, never silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datracker.plan.models import Update
from datracker.plan.store import PLAN_FILE
from datracker.vcs.gitrepo import git_place, open_plan_repo
from datracker.vcs.history import PlanReader, Revision
from datracker.vcs.reviewcommits import find_review_commits


@dataclass(frozen=True)
class ReviewRecord:
    """A closed review as committed: where, and each action's update for it then."""

    review_id: str
    commit: str
    tag: str
    tagged: bool  # False: the tag is missing and `commit` was found from plan.yaml's history
    updates: dict[str, Update | None]  # action id -> its update for the review, at `commit`


def review_records(plan_dir: Path, review_ids: list[str]) -> dict[str, ReviewRecord]:
    """The records git holds of these reviews; none for a review git has no closed record of,
    and none at all outside git. Files that cannot be read at a commit give no record for
    their actions (the site then shows the update without one)."""
    place = git_place(plan_dir)
    if place is None or not review_ids:
        return {}
    found = find_review_commits(place, review_ids)
    if not found:
        return {}
    plan_repo = open_plan_repo(plan_dir)
    if plan_repo is None:
        return {}
    reader = PlanReader(plan_dir, plan_repo)
    records = {}
    for review_id, commit in found.items():
        snap = reader.snapshot(Revision(commit.tag, commit.commit, review_id))
        updates: dict[str, Update | None] = {}
        for rel in sorted(snap.blobs or {}):
            if rel == PLAN_FILE:
                continue
            priority = reader.priority(snap, rel)
            for action in priority.actions if priority is not None else []:
                updates[action.id] = action.update_for(review_id)
        records[review_id] = ReviewRecord(
            review_id, commit.commit, commit.tag, commit.tagged, updates
        )
    return records
