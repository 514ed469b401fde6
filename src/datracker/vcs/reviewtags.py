"""`datracker review tag`: make the missing `review/<id>` tags of closed reviews.

A fresh clone, or a plan imported with its reviews already closed, has no tags. Each missing
tag is put on the review's closing commit, found from plan.yaml's history (the rule is in
reviewcommits). All or nothing: every tag is checked (its name, its commit, who tags) before
the first is made, and if git fails part-way the tags already made are deleted again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datracker.core.problems import DatrackerError
from datracker.plan.models import PlanConfig, Review
from datracker.plan.validation import REVIEW_ID_RULE, review_id_problem
from datracker.vcs.gitcommit import (
    CommitPlan,
    check_identity,
    check_repository_free,
    resolve_author,
    tag_name_ok,
)
from datracker.vcs.gitrepo import GitError, PlanRepo, run_git
from datracker.vcs.history import current_config, open_for_history
from datracker.vcs.reviewcommits import TAG_PREFIX, closing_commits, tagged_commit


@dataclass(frozen=True)
class ReviewTag:
    review_id: str
    label: str
    commit: str

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.review_id

    @property
    def message(self) -> str:
        return f"Close review {self.review_id} ({self.label}); tagged afterwards by review tag"


@dataclass(frozen=True)
class TagReport:
    made: list[ReviewTag]  # or, in a dry run, the tags that would be made
    already: list[str]  # tags that were there already


def tag_closed_reviews(plan_dir: Path, author: str | None, dry_run: bool = False) -> TagReport:
    plan_repo = open_for_history(plan_dir)
    config = current_config(plan_dir)
    if config is None:
        raise DatrackerError(
            "plan.yaml cannot be read, so its reviews are unknown; nothing was tagged",
            "run `datracker validate` to see why",
        )
    closed = [r for r in config.reviews if r.status == "closed"]
    missing = [r for r in closed if tagged_commit(plan_repo.place, r.id) is None]
    already = [TAG_PREFIX + r.id for r in closed if r not in missing]
    if not missing:
        return TagReport([], already)
    wanted = _plan_tags(plan_repo, missing)
    if not dry_run:
        _make_all(plan_repo, config, wanted, author)
    return TagReport(wanted, already)


def _plan_tags(plan_repo: PlanRepo, missing: list[Review]) -> list[ReviewTag]:
    """The tags to make, or an error naming every review that cannot have one."""
    for review in missing:
        problem = review_id_problem(review.id)
        if problem is not None or not tag_name_ok(plan_repo.top, TAG_PREFIX + review.id):
            raise DatrackerError(
                f"review '{review.id}' cannot have a tag: its id {problem or 'is refused by git'};"
                " nothing was tagged",
                f"{REVIEW_ID_RULE}; change the id in plan.yaml (and in the updates naming it)",
            )
    commits = closing_commits(plan_repo.place, [r.id for r in missing])
    unrecorded = [r.id for r in missing if r.id not in commits]
    if unrecorded:
        plan_yaml = f"{plan_repo.plan_prefix}/plan.yaml" if plan_repo.plan_prefix else "plan.yaml"
        said = (
            f"review {unrecorded[0]} is closed in plan.yaml on disk, but no commit records it"
            if len(unrecorded) == 1
            else f"reviews {', '.join(unrecorded[:-1])} and {unrecorded[-1]} are closed in "
            "plan.yaml on disk, but no commit records them"
        )
        raise DatrackerError(
            f"{said} closed, so there is nothing to tag; nothing was tagged",
            f'commit plan.yaml first (git commit -m "Close review …" -- {plan_yaml}), then run '
            "datracker review tag again",
        )
    return [ReviewTag(r.id, r.label, commits[r.id]) for r in missing]


def _make_all(
    plan_repo: PlanRepo, config: PlanConfig, wanted: list[ReviewTag], author_text: str | None
) -> None:
    top = plan_repo.top
    check_repository_free(plan_repo)
    author = resolve_author(author_text, config.owners) if author_text is not None else None
    check_identity(top, author)
    env = CommitPlan(top, (), "", None, author).env()  # the tagger: --author, else git's own
    made: list[str] = []
    for tag in wanted:
        found = run_git(top, "tag", "--annotate", "-m", tag.message, tag.tag, tag.commit, env=env)
        if found.code != 0:
            undone = [t for t in made if run_git(top, "tag", "-d", t).code == 0]
            left = [t for t in made if t not in undone]
            outcome = (
                f"the tags {', '.join(left)} were made and could not be deleted again"
                if left
                else "nothing was tagged"
            )
            raise GitError(
                f"git could not make the tag {tag.tag}: {found.err.strip()}; {outcome}",
                "fix what git reports, then run datracker review tag again",
            )
        made.append(tag.tag)
