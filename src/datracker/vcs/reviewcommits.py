"""Where a review is in git: its tag `review/<id>`, or else the commit that closed it.

`review close` tags its commit, but tags do not always travel: `git clone` copies only the
tags that were pushed, and a plan imported already closed was never tagged at all. So when
the tag is missing, the commit is found from plan.yaml's own history.

The rule: among the commits that changed plan.yaml (as `git log -- plan.yaml` lists them,
with its parents simplified to such commits), the closing commit is the newest one whose
plan.yaml has the review `status: closed` while none of its parents' plan.yaml does. For a
review closed by `review close` that is the closing commit; for a plan first committed with
the review already closed (an imported plan), it is that first commit; for a review closed,
reopened and closed again, the last closing. Later commits (the approval, corrections) do not
move it.
"""

from __future__ import annotations

from dataclasses import dataclass

from datracker.plan.store import PLAN_FILE
from datracker.plan.yamlread import document_from_bytes
from datracker.vcs.gitrepo import PlanRepo, plan_log, read_blob, resolve_commit, tag_exists

TAG_PREFIX = "review/"


@dataclass(frozen=True)
class ReviewCommit:
    review_id: str
    commit: str
    tagged: bool  # False: found from plan.yaml's history, the tag is missing

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.review_id

    @property
    def note(self) -> str | None:
        """What to tell the user when the commit was found without the tag."""
        if self.tagged:
            return None
        return (
            f"there is no tag {self.tag} here; using {self.commit[:7]}, the commit that closed "
            f"review {self.review_id} in plan.yaml (datracker review tag makes the missing tags)"
        )


def find_review_commit(plan_repo: PlanRepo, review_id: str) -> ReviewCommit | None:
    """The review's tag, else its closing commit; None when git has no record of it closed."""
    return find_review_commits(plan_repo, [review_id]).get(review_id)


def find_review_commits(plan_repo: PlanRepo, review_ids: list[str]) -> dict[str, ReviewCommit]:
    """As find_review_commit for several reviews, with one walk of history for all untagged."""
    found = {
        review_id: ReviewCommit(review_id, resolve_commit(plan_repo, TAG_PREFIX + review_id), True)
        for review_id in review_ids
        if tag_exists(plan_repo, TAG_PREFIX + review_id)
    }
    untagged = [review_id for review_id in review_ids if review_id not in found]
    for review_id, commit in closing_commits(plan_repo, untagged).items():
        found[review_id] = ReviewCommit(review_id, commit, False)
    return found


def closing_commits(plan_repo: PlanRepo, review_ids: list[str]) -> dict[str, str]:
    """The closing commit of each review that has one, by the rule above, in one walk."""
    if not review_ids or not plan_repo.repo.head.is_valid():
        return {}
    statuses = _Statuses(plan_repo)
    blob_at: dict[str, str | None] = {}
    found: dict[str, str] = {}
    for entry in plan_log(plan_repo, "HEAD", only=PLAN_FILE):  # parents before children
        changed = dict(entry.changes)
        if PLAN_FILE in changed:
            blob = changed[PLAN_FILE]
        else:
            blob = blob_at.get(entry.parents[0]) if entry.parents else None
        blob_at[entry.commit] = blob
        closed_here = statuses.closed(blob)
        closed_before = set().union(*(statuses.closed(blob_at.get(p)) for p in entry.parents))
        for review_id in review_ids:
            if review_id in closed_here and review_id not in closed_before:
                found[review_id] = entry.commit  # newer ones replace older ones
    return found


class _Statuses:
    """The ids of the closed reviews in a plan.yaml blob, each blob read once."""

    def __init__(self, plan_repo: PlanRepo) -> None:
        self.plan_repo = plan_repo
        self.cache: dict[str, frozenset[str]] = {}

    def closed(self, blob: str | None) -> frozenset[str]:
        if blob is None:
            return frozenset()
        if blob not in self.cache:
            # read as plain data, not through the model: an older plan.yaml that today's model
            # would refuse (a field since renamed) still says which reviews it had closed
            data = document_from_bytes(read_blob(self.plan_repo, blob), PLAN_FILE).data
            reviews = data.get("reviews") if isinstance(data, dict) else None
            self.cache[blob] = frozenset(
                str(item.get("id"))
                for item in (reviews if isinstance(reviews, list) else [])
                if isinstance(item, dict) and str(item.get("status")).strip() == "closed"
            )
        return self.cache[blob]
