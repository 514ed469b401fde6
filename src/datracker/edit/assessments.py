"""Recording a priority's rating as its board or steering group stated it: `review assess`.

A stated rating is an entry in the priority's `assessments` list, one per review. It is
written the way an action's update is: one surgical edit of the priority's file through
planwrite.write_change, which locks, checks that the file reads back as exactly the data
meant and that the plan is no less valid, and writes atomically (and commits, if asked).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datracker.core.problems import DatrackerError, InvalidValue
from datracker.edit.planwrite import Change, Options, Written, write_change
from datracker.edit.updates import as_written, choose_rag, clean_text, review_to_record
from datracker.edit.yamledit import FileEditor, mapping_at
from datracker.plan.models import Assessment, PlanConfig, PriorityFile, Review
from datracker.plan.store import LoadedPlan, shown
from datracker.plan.yamlread import Document

ASSESSMENT_KEYS = ("review", "rag", "text", "retained")


@dataclass(frozen=True)
class AssessRequest:
    """What the user asked to record. None means "not given": kept from an earlier entry for
    the same review on a re-run."""

    priority_id: str
    rag: str | None = None
    text: str | None = None
    retain: bool = False  # keep the rating stated at the review before this one
    review: str | None = None


def record_assessment(
    root: Path, request: AssessRequest, options: Options, today: dt.date | None = None
) -> Written:
    def make(loaded: LoadedPlan) -> Change:
        return _assessment_change(loaded, request)

    return write_change(root, make, options, today)


def priority_and_file(loaded: LoadedPlan, wanted: str) -> tuple[PriorityFile, Document]:
    """The priority with this id (any case) and the file that holds it."""
    text = wanted.strip()
    for checked in loaded.checked.values():
        priority = checked.priority
        if priority is not None and priority.id == text:
            return priority, checked.doc
    for checked in loaded.checked.values():
        priority = checked.priority
        if priority is not None and priority.id.lower() == text.lower():
            return priority, checked.doc
    ids = [p.id for p in loaded.priorities]
    close = difflib.get_close_matches(text.upper(), ids, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else f"priorities are: {', '.join(ids)}"
    raise InvalidValue(f"no priority '{wanted}' in the plan; nothing was written", hint)


def _assessment_change(loaded: LoadedPlan, request: AssessRequest) -> Change:
    plan = loaded.require_plan()
    config = plan.config
    priority, doc = priority_and_file(loaded, request.priority_id)
    review = review_to_record(config, request.review, "a stated rating")
    old = priority.assessment_for(review.id)
    fields = _fields(config, priority, review, old, request)
    expected = copy.deepcopy(doc.data)
    raw: list[dict[str, Any]] = list(expected.get("assessments") or [])
    match = next((i for i, a in enumerate(raw) if str(a.get("review")) == review.id), None)
    order = {r.id: i for i, r in enumerate(config.reviews)}
    position = next(
        (
            i
            for i, a in enumerate(priority.assessments)
            if order.get(a.review, -1) > order[review.id]
        ),
        len(raw),
    )
    editor = FileEditor(doc.text, doc.require_root(), doc.rel)
    node = mapping_at(doc.require_root(), (), f"priority {priority.id}")
    editor.upsert_item(
        node, "assessments", as_written(fields), match, position, before_key="actions"
    )
    if match is not None:
        raw[match] = fields
    else:
        raw.insert(position, fields)
    expected["assessments"] = raw
    verb = "replaced the stated rating" if match is not None else "recorded the stated rating"
    rating = Assessment.model_validate(fields)
    kept = f", retained from {rating.retained}" if rating.retained else ""
    summary = (
        f"priority {priority.id}: {verb} for {review.label} ({rating.rag}{kept}) "
        f"in {shown(loaded.root, doc.rel)}"
    )
    message = f"Priority {priority.id}: stated {rating.rag} ({review.label})"
    return Change(doc.rel, editor.result(), expected, summary, message)


def _fields(
    config: PlanConfig,
    priority: PriorityFile,
    review: Review,
    old: Assessment | None,
    request: AssessRequest,
) -> dict[str, Any]:
    """The entry's fields: those given replace, the others are kept from the old entry."""
    rag = choose_rag(config, request.rag) if request.rag is not None else None
    retained = None
    if request.retain:
        kept = _previous_rating(config, priority, review)
        if rag is not None and rag != kept.rag:
            raise InvalidValue(
                f"--retain keeps the rating {kept.rag}, but --rag says {rag}",
                "give --retain alone, or --rag without --retain if the rating changed",
            )
        rag, retained = kept.rag, kept.review
    elif rag is None and old is not None:
        rag, retained = old.rag, old.retained
    if rag is None:
        raise InvalidValue(
            f"no rating for priority {priority.id}",
            "give --rag (e.g. --rag AMBER), or --retain to keep the previous review's rating",
        )
    text = clean_text(request.text, "text") if request.text is not None else None
    if text is None and old is not None and not request.retain:
        text = old.text
    new = {"review": review.id, "rag": rag, "text": text, "retained": retained}
    return {key: new[key] for key in ASSESSMENT_KEYS if new[key] is not None}


def _previous_rating(config: PlanConfig, priority: PriorityFile, review: Review) -> Assessment:
    ids = [r.id for r in config.reviews]
    earlier = ids[: ids.index(review.id)]
    if not earlier:
        raise DatrackerError(
            f"{review.label} is the plan's first review, so there is no rating to retain",
            "give the rating with --rag",
        )
    previous = config.reviews[len(earlier) - 1]
    kept = priority.assessment_for(previous.id)
    if kept is None:
        raise DatrackerError(
            f"priority {priority.id} has no stated rating for {previous.label} to retain",
            "give the rating with --rag",
        )
    return kept
