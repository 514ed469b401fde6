"""Review cycles: open one, list them, close one (and tag it in git), record its approval.

A review is the board's progress meeting: while it is open, owners' updates are recorded
against it; closing it signs the record off. In git, each step is one commit of plan.yaml,
made all or nothing (see planwrite and vcs/gitcommit), and closing also tags its commit
`review/<id>`, so "the plan as the board saw it" can always be checked out again. The board's
approval comes later, in a commit of its own: the tag stays on the closing commit, because
that is the plan the board approved.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datracker.core.dates import parse_partial_date
from datracker.core.problems import DatrackerError, InvalidValue
from datracker.edit.planwrite import Change, Options, Written, write_change
from datracker.edit.questionable import review_date_warnings
from datracker.edit.updates import as_written, clean_text
from datracker.edit.yamledit import FileEditor, mapping_at
from datracker.edit.yamlscalar import calendar_date
from datracker.plan.lookup import choose_review, named_review
from datracker.plan.models import Review
from datracker.plan.store import PLAN_FILE, LoadedPlan, shown
from datracker.plan.validation import REVIEW_ID_RULE, review_id_problem

TAG_PREFIX = "review/"


def review_tag(review_id: str) -> str:
    return TAG_PREFIX + review_id


@dataclass(frozen=True)
class GitOptions:
    """How a review command commits: always when the plan is in git, never outside it."""

    author: str | None = None  # "Name <email>" or an owner id
    dry_run: bool = False

    def options(self, root: Path, clean_plan: bool = False) -> Options:
        """`clean_plan`: the whole plan folder must be committed (the tag marks all of it);
        otherwise only plan.yaml, the file committed."""
        from datracker.vcs.gitrepo import open_plan_repo

        in_git = open_plan_repo(root) is not None
        if self.author is not None and not in_git:
            raise InvalidValue(
                "--author applies to a commit, and this plan is not in git",
                "leave --author out",
            )
        return Options(self.dry_run, in_git, self.author, clean_plan, commit_asked=False)


@dataclass(frozen=True)
class OpenRequest:
    label: str
    review_id: str | None = None
    date: str | None = None  # a partial date; today when not given


def open_review(
    root: Path, request: OpenRequest, git: GitOptions, today: dt.date | None = None
) -> Written:
    today = today or dt.date.today()
    # What the user typed is judged before git's readiness: a bad id is the first thing to fix.
    if request.date is not None:
        _check_date(request.date.strip())
    if request.review_id is not None:
        check_review_id(request.review_id.strip())

    def make(loaded: LoadedPlan) -> Change:
        return _open_change(loaded, request, today)

    return write_change(root, make, git.options(root), today)


def _open_change(loaded: LoadedPlan, request: OpenRequest, today: dt.date) -> Change:
    plan = loaded.require_plan()
    config = plan.config
    current = config.open_review
    if current is not None:
        raise DatrackerError(
            f"review '{current.id}' ({current.label}) is still open; only one can be open",
            "close it first with: datracker review close",
        )
    label = clean_text(request.label, "review label")
    date = (request.date or today.isoformat()).strip()
    _check_date(date)
    review_id = (request.review_id or date[:7]).strip()
    check_review_id(review_id)
    if config.review(review_id) is not None:
        raise InvalidValue(
            f"there is already a review with id '{review_id}'",
            "choose another id with --id, e.g. --id 2022-04b",
        )
    doc = loaded.config_doc
    expected = copy.deepcopy(doc.data)
    fields: dict[str, Any] = {"id": review_id, "label": label, "date": date, "status": "open"}
    existing = list(expected.get("reviews") or [])
    editor = FileEditor(doc.text, doc.require_root())
    root_map = mapping_at(doc.require_root(), (), PLAN_FILE)
    editor.upsert_item(root_map, "reviews", as_written(fields), None, len(existing))
    expected["reviews"] = [*existing, fields]
    summary = f"opened review {review_id}: {label} ({date}) in {shown(loaded.root, PLAN_FILE)}"
    warnings = review_date_warnings(review_id, date, today)
    message = f"Open review {review_id}"
    return Change(PLAN_FILE, editor.result(), expected, summary, message, warnings=warnings)


def check_review_id(review_id: str) -> None:
    """A review id names its git tag, so it must be one git accepts: refused where it is made."""
    problem = review_id_problem(review_id)
    if problem is not None:
        raise InvalidValue(f"the review id '{review_id}' {problem}", REVIEW_ID_RULE)


def _check_date(text: str) -> None:
    try:
        known = parse_partial_date(text)
    except ValueError as error:
        raise InvalidValue(str(error), "write the date as YYYY-MM-DD or YYYY-MM") from error
    if known is None:
        raise InvalidValue(f"'{text}' is not a date", "write the date as YYYY-MM-DD or YYYY-MM")


# --- close ------------------------------------------------------------------------------------


def close_review(
    root: Path, review_id: str | None, git: GitOptions, today: dt.date | None = None
) -> Written:
    """Close the open review (or the named one); in git, commit plan.yaml and tag it.

    Refused while anything in the plan folder is uncommitted, so the tag marks exactly what
    the board saw; everything git needs (identity, tag name, a free repository) is checked
    before plan.yaml is touched.
    """

    def make(loaded: LoadedPlan) -> Change:
        return _close_change(loaded, review_id)

    return write_change(root, make, git.options(root, clean_plan=True), today)


def _close_change(loaded: LoadedPlan, review_id: str | None) -> Change:
    plan = loaded.require_plan()
    config = plan.config
    review = choose_review(config, review_id, "open", "close")
    if review.status == "closed":
        raise DatrackerError(
            f"review '{review.id}' is already closed",
            "if it has no tag yet, make it with: datracker review tag",
        )
    check_review_id(review.id)
    index = config.reviews.index(review)
    doc = loaded.config_doc
    expected = copy.deepcopy(doc.data)
    expected["reviews"][index]["status"] = "closed"
    editor = FileEditor(doc.text, doc.require_root())
    node = mapping_at(doc.require_root(), ("reviews", index), f"review {review.id}")
    editor.set_scalar(node, "status", "closed", after_key="date")
    summary = f"closed review {review.id}: {review.label} in {shown(loaded.root, PLAN_FILE)}"
    message = close_message(review)
    return Change(PLAN_FILE, editor.result(), expected, summary, message, review_tag(review.id))


def close_message(review: Review) -> str:
    return f"Close review {review.id} ({review.label})"


# --- approve ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApproveRequest:
    review_id: str
    date: str  # YYYY-MM-DD
    by: str | None = None  # who approved it; the strategy's approving body when not given


def approve_review(
    root: Path, request: ApproveRequest, git: GitOptions, today: dt.date | None = None
) -> Written:
    """Record the board's approval of a closed review: `approved:` (and `approved_by:`)."""
    today = today or dt.date.today()

    def make(loaded: LoadedPlan) -> Change:
        return _approve_change(loaded, request, today)

    return write_change(root, make, git.options(root), today)


def _approve_change(loaded: LoadedPlan, request: ApproveRequest, today: dt.date) -> Change:
    plan = loaded.require_plan()
    review = named_review(plan.config, request.review_id)
    if review.status != "closed":
        raise DatrackerError(
            f"review '{review.id}' ({review.label}) is still open; the board approves a closed "
            "review; nothing was written",
            f"close it first with: datracker review close {review.id}",
        )
    date = _approval_date(request.date, review, today)
    by = clean_text(request.by, "--by") if request.by is not None else None
    body = by or review.approved_by or plan.config.strategy.approving_body
    who = f" by {body}" if body else ""
    summary = (
        f"recorded the approval of review {review.id} ({review.label}) on {date}{who} "
        f"in {shown(loaded.root, PLAN_FILE)}"
    )
    message = f"Approve review {review.id} ({review.label}): approved{who} on {date}"
    doc = loaded.config_doc
    if review.approved is not None:
        if review.approved != date or (by is not None and by != (review.approved_by or by)):
            earlier = f" by {review.approved_by}" if review.approved_by else ""
            raise DatrackerError(
                f"review '{review.id}' was already approved on {review.approved}{earlier}; "
                "nothing was written",
                "if that record is wrong, correct 'approved:' in plan.yaml by hand",
            )
        if by is None or by == review.approved_by:  # the same approval again
            return Change(PLAN_FILE, doc.text, doc.data, summary, message)
    index = plan.config.reviews.index(review)
    expected = copy.deepcopy(doc.data)
    raw = expected["reviews"][index]
    editor = FileEditor(doc.text, doc.require_root())
    node = mapping_at(doc.require_root(), ("reviews", index), f"review {review.id}")
    if by is not None:
        raw["approved_by"] = by
        # requested first: two new lines inserted at one place come out in reverse order
        after = "approved" if review.approved is not None else "status"
        editor.set_scalar(node, "approved_by", by, after_key=after)
    if review.approved is None:
        raw["approved"] = date
        editor.set_scalar(node, "approved", calendar_date(date), after_key="status")
    return Change(PLAN_FILE, editor.result(), expected, summary, message)


def _approval_date(text: str, review: Review, today: dt.date) -> str:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"'{text}' is not a date", "write it as YYYY-MM-DD") from None
    if day > today:
        raise InvalidValue(f"the approval date {day} is in the future", "give the meeting's date")
    held = parse_partial_date(review.date)
    if held is not None and day < held.start:
        raise InvalidValue(
            f"the approval date {day} is before the review itself ({review.date})",
            "give the date of the meeting that approved it",
        )
    return day.isoformat()
