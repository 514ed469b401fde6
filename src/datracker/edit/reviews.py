"""Review cycles: open one, list them, close one (and tag it in git).

A review is the board's progress meeting: while it is open, owners' updates are recorded
against it; closing it signs the record off. In git, closing commits plan.yaml and tags that
commit `review/<id>`, so "the plan as the board saw it" can always be checked out again.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datracker.core.dates import parse_partial_date
from datracker.core.problems import DatrackerError
from datracker.core.text import json_safe, visible
from datracker.edit.planwrite import Change, Options, Written, shown, write_change
from datracker.edit.updates import clean_text
from datracker.edit.yamledit import FileEditor, mapping_at
from datracker.plan.models import Plan
from datracker.plan.store import PLAN_FILE, LoadedPlan

TAG_PREFIX = "review/"


@dataclass(frozen=True)
class OpenRequest:
    label: str
    review_id: str | None = None
    date: str | None = None  # a partial date; today when not given


def open_review(
    root: Path, request: OpenRequest, options: Options, today: dt.date | None = None
) -> Written:
    today = today or dt.date.today()

    def make(loaded: LoadedPlan) -> Change:
        return _open_change(loaded, request, today)

    return write_change(root, make, options, today)


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
    if config.review(review_id) is not None:
        raise DatrackerError(
            f"there is already a review with id '{review_id}'",
            "choose another id with --id, e.g. --id 2022-04b",
        )
    doc = loaded.config_doc
    expected = copy.deepcopy(doc.data)
    fields: dict[str, Any] = {"id": review_id, "label": label, "date": date, "status": "open"}
    existing = list(expected.get("reviews") or [])
    editor = FileEditor(doc.text, doc.root)  # type: ignore[arg-type]
    root_map = mapping_at(doc.root, (), PLAN_FILE)  # type: ignore[arg-type]
    editor.upsert_item(root_map, "reviews", list(fields.items()), existing, None, len(existing))
    expected["reviews"] = [*existing, fields]
    summary = f"opened review {review_id}: {label} ({date}) in {shown(loaded.root, PLAN_FILE)}"
    return Change(PLAN_FILE, editor.result(), expected, summary, f"Open review {review_id}")


def _check_date(text: str) -> None:
    try:
        known = parse_partial_date(text)
    except ValueError as error:
        raise DatrackerError(str(error), "write the date as YYYY-MM-DD or YYYY-MM") from error
    if known is None:
        raise DatrackerError(f"'{text}' is not a date", "write the date as YYYY-MM-DD or YYYY-MM")


def close_review(
    root: Path,
    review_id: str | None,
    author: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Written:
    """Close the open review (or the named one); in git, commit plan.yaml and tag it."""
    from datracker.vcs.gitrepo import open_plan_repo

    repo = open_plan_repo(root)
    closing: list[str] = []  # the review id, once make() has chosen it

    def make(loaded: LoadedPlan) -> Change:
        change, closed_id = _close_change(loaded, review_id)
        closing[:] = [closed_id]
        if repo is not None and not dry_run:
            _check_repo_ready(repo, root, TAG_PREFIX + closed_id)
        return change

    def after_write(loaded: LoadedPlan, change: Change) -> str | None:
        from datracker.vcs.gitrepo import commit_paths, create_tag

        if repo is None:
            return None
        commit_paths(repo, [root / PLAN_FILE], change.commit_message, author)
        return create_tag(repo, TAG_PREFIX + closing[0], change.commit_message)

    return write_change(root, make, Options(dry_run=dry_run), today, after_write)


def _check_repo_ready(repo: Any, root: Path, tag: str) -> None:
    """Refuse before writing anything: the tag must mark exactly the plan the board saw."""
    from datracker.vcs.gitrepo import tag_exists, uncommitted

    dirty = uncommitted(repo, [root])
    if dirty:
        listing = ", ".join(dirty[:3]) + (" …" if len(dirty) > 3 else "")
        raise DatrackerError(
            f"the plan has uncommitted changes ({listing}), so the review cannot be tagged "
            "as the board saw it; nothing was written",
            "commit them first (git add … && git commit), then close the review",
        )
    if tag_exists(repo, tag):
        raise DatrackerError(
            f"the tag {tag} already exists; nothing was written",
            f"delete it first (git tag -d {tag}) if it is wrong",
        )


def _close_change(loaded: LoadedPlan, review_id: str | None) -> tuple[Change, str]:
    plan = loaded.require_plan()
    config = plan.config
    if review_id is None:
        review = config.open_review
        if review is None:
            raise DatrackerError("no review is open", "see the reviews with: datracker review list")
    else:
        review = config.review(review_id.strip())
        if review is None:
            ids = ", ".join(r.id for r in config.reviews) or "none"
            raise DatrackerError(f"no review '{review_id}' in plan.yaml", f"reviews are: {ids}")
        if review.status == "closed":
            raise DatrackerError(f"review '{review.id}' is already closed")
    index = config.reviews.index(review)
    doc = loaded.config_doc
    expected = copy.deepcopy(doc.data)
    expected["reviews"][index]["status"] = "closed"
    editor = FileEditor(doc.text, doc.root)  # type: ignore[arg-type]
    node = mapping_at(doc.root, ("reviews", index), f"review {review.id}")  # type: ignore[arg-type]
    editor.set_scalar(node, "status", "closed", after_key="date")
    summary = f"closed review {review.id}: {review.label} in {shown(loaded.root, PLAN_FILE)}"
    message = f"Close review {review.id} ({review.label})"
    return Change(PLAN_FILE, editor.result(), expected, summary, message), review.id


# --- list --------------------------------------------------------------------------------------


def review_rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per review, with how many actions have an update for it."""
    actions = [a for _, a in plan.actions()]
    rows = []
    for review in plan.config.reviews:
        updated = sum(1 for a in actions if a.update_for(review.id) is not None)
        rows.append(
            {
                "id": review.id,
                "label": review.label,
                "date": review.date,
                "status": review.status,
                "approved": review.approved,
                "updates": updated,
            }
        )
    return rows


def reviews_json(rows: list[dict[str, Any]]) -> str:
    return json_safe(json.dumps({"reviews": rows}, indent=2, ensure_ascii=False))


_HEADERS = ("ID", "Label", "Date", "Status", "Approved", "Updates")


def _cells(row: dict[str, Any]) -> list[str]:
    """For terminals and Markdown: a control character in a label is shown as its escape."""
    return [
        str(row["id"]),
        visible(str(row["label"])),
        str(row["date"]),
        str(row["status"]),
        str(row["approved"] or "—"),
        str(row["updates"]),
    ]


def reviews_markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(_HEADERS) + " |", "|" + "---|" * len(_HEADERS)]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def reviews_table(rows: list[dict[str, Any]]) -> str:
    """Plain aligned columns: readable in a terminal and in a log."""
    body = [list(_HEADERS), *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in body) for i in range(len(_HEADERS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in body
    )
