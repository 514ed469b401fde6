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
from datracker.vcs.gitrepo import GitPlace, log_arguments, parse_log, read_blobs, run_git

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


def find_review_commit(place: GitPlace, review_id: str) -> ReviewCommit | None:
    """The review's tag, else its closing commit; None when git has no record of it closed."""
    return find_review_commits(place, [review_id]).get(review_id)


def find_review_commits(place: GitPlace, review_ids: list[str]) -> dict[str, ReviewCommit]:
    """As find_review_commit for several reviews, with one walk of history for all untagged.

    Plain git processes, no GitPython: `render` asks this on every run, and importing
    GitPython takes longer than git takes to answer.
    """
    found = {}
    for review_id in review_ids:
        tagged = tagged_commit(place, review_id)
        if tagged is not None:
            found[review_id] = ReviewCommit(review_id, tagged, True)
    untagged = [review_id for review_id in review_ids if review_id not in found]
    for review_id, commit in closing_commits(place, untagged).items():
        found[review_id] = ReviewCommit(review_id, commit, False)
    return found


def tagged_commit(place: GitPlace, review_id: str) -> str | None:
    """The commit the review's tag marks, or None without the tag."""
    ref = f"refs/tags/{TAG_PREFIX}{review_id}^{{commit}}"
    found = run_git(place.top, "rev-parse", "--verify", "--quiet", ref)
    return found.out.strip() if found.code == 0 and found.out.strip() else None


def closing_commits(place: GitPlace, review_ids: list[str]) -> dict[str, str]:
    """The closing commit of each review that has one, by the rule above, in one walk."""
    if not review_ids:
        return {}
    log = run_git(place.top, "log", *log_arguments("HEAD", place.in_plan(PLAN_FILE)))
    if log.code != 0:  # no commits yet
        return {}
    entries = parse_log(log.out, place.plan_prefix)  # parents before children
    blob_at: dict[str, str | None] = {}
    for entry in entries:
        changed = dict(entry.changes)
        if PLAN_FILE in changed:
            blob_at[entry.commit] = changed[PLAN_FILE]
        else:
            blob_at[entry.commit] = blob_at.get(entry.parents[0]) if entry.parents else None
    closed = _closed_reviews(place, {b for b in blob_at.values() if b is not None})
    found: dict[str, str] = {}
    for entry in entries:
        here = closed.get(blob_at[entry.commit] or "", frozenset())
        before = set().union(
            *(closed.get(blob_at.get(p) or "", frozenset()) for p in entry.parents)
        )
        for review_id in review_ids:
            if review_id in here and review_id not in before:
                found[review_id] = entry.commit  # newer ones replace older ones
    return found


def _closed_reviews(place: GitPlace, blobs: set[str]) -> dict[str, frozenset[str]]:
    """The ids of the closed reviews in each plan.yaml blob.

    Read as plain data, not through the model: an older plan.yaml that today's model would
    refuse (a field since renamed) still says which reviews it had closed.
    """
    result = {}
    for sha, raw in read_blobs(place.top, sorted(blobs)).items():
        data = document_from_bytes(raw, PLAN_FILE).data
        reviews = data.get("reviews") if isinstance(data, dict) else None
        result[sha] = frozenset(
            str(item.get("id"))
            for item in (reviews if isinstance(reviews, list) else [])
            if isinstance(item, dict) and str(item.get("status")).strip() == "closed"
        )
    return result
