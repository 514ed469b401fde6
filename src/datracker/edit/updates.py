"""Recording an action's update for a review, and a measure's data point.

Both are one surgical edit of the priority file that holds the action (see yamledit.py),
made through planwrite.write_change, which locks, checks and writes. This module decides
*what* to write: which action, which review, which RAG, where the entry goes in the list.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datracker.core.dates import PERIOD_HINT, parse_period
from datracker.core.problems import DatrackerError, InvalidValue
from datracker.core.text import CONTROL, unify_line_ends
from datracker.edit.planwrite import Change, Options, Written, write_change
from datracker.edit.questionable import check_action_takes_updates, check_figure, update_warnings
from datracker.edit.yamledit import FileEditor, mapping_at
from datracker.edit.yamlscalar import Value, calendar_date
from datracker.plan.figuretext import figure_text
from datracker.plan.lookup import choose_review, find_action
from datracker.plan.models import Action, Measure, PlanConfig, Review
from datracker.plan.rag import normalise_rag, rag_hint
from datracker.plan.status import NOT_RATED_LABEL
from datracker.plan.store import LoadedPlan, files_naming, shown

UPDATE_KEYS = ("review", "date", "rag", "qualifier", "text")


@dataclass(frozen=True)
class UpdateRequest:
    """What the user asked to record. None means "not given"; qualifier "" removes it."""

    action_id: str
    rag: str | None = None
    status: str | None = None
    qualifier: str | None = None
    text: str | None = None
    date: str | None = None  # YYYY-MM-DD; today when not given
    review: str | None = None

    @property
    def has_update(self) -> bool:
        return any(v is not None for v in (self.rag, self.qualifier, self.text))


@dataclass(frozen=True)
class PointRequest:
    action_id: str
    measure: str  # a description, a unique prefix of one, or a 1-based number
    period: str
    value: int | float
    of: int | float | None = None
    note: str | None = None


# --- finding things --------------------------------------------------------------------------


def review_to_record(config: PlanConfig, review_id: str | None, what: str = "an update") -> Review:
    """The named review, or the open one; a closed review's record is signed off."""
    review = choose_review(config, review_id, "open", f"record {what} for")
    if review.status != "open":
        raise DatrackerError(
            f"review '{review.id}' ({review.label}) is closed; its updates were signed off",
            f"record {what} for the open review, or correct the file by hand",
        )
    return review


def choose_rag(config: PlanConfig, rag: str) -> str:
    scale = [level.id for level in config.scale]
    found = normalise_rag(rag, scale)
    if found is None:
        raise InvalidValue(f"'{rag}' is not on the plan's RAG scale", rag_hint(rag, scale))
    return found


def clean_text(text: str, what: str) -> str:
    """Text as typed or pasted: Windows line ends made plain, ends trimmed, nothing invisible."""
    text = unify_line_ends(text).strip()
    if not text:
        raise InvalidValue(f"the {what} is empty", f"write the {what}, or leave the option out")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InvalidValue(
            f"the {what} contains an invisible control character (U+{ord(bad.group()):04X}) "
            f"on line {line}",
            "remove it; it is often pasted in from another program",
        )
    return text


def check_update_date(text: str, today: dt.date) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InvalidValue(f"'{text}' is not a date", "write the date as YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as error:
        raise InvalidValue(f"'{text}' is not a real date", "write it as YYYY-MM-DD") from error
    if day > today:
        raise InvalidValue(
            f"the date {text} is in the future", "give today's date or an earlier one"
        )
    return text


# --- update ----------------------------------------------------------------------------------


def record_update(
    root: Path, request: UpdateRequest, options: Options, today: dt.date | None = None
) -> Written:
    today = today or dt.date.today()

    def make(loaded: LoadedPlan) -> Change:
        return _update_change(loaded, request, today)

    scope = files_naming(root, request.action_id)
    return write_change(root, make, options, today, scope=scope)


def _update_change(loaded: LoadedPlan, request: UpdateRequest, today: dt.date) -> Change:
    plan = loaded.require_plan()
    _, action = find_action(plan, request.action_id, "; nothing was written")
    source = loaded.source(action)
    doc = source.doc
    expected = copy.deepcopy(doc.data)
    raw_action: dict[str, Any] = expected["actions"][source.index]
    editor = FileEditor(doc.text, doc.require_root(), doc.rel)
    where = ("actions", source.index)
    node = mapping_at(doc.require_root(), where, f"action {action.id}")
    review = review_to_record(plan.config, request.review) if request.has_update else None
    check_action_takes_updates(action, request.status, review)
    parts: list[str] = []
    replaced = False
    if review is not None:
        fields, match, position = _update_fields(
            plan.config, action, raw_action, review, request, today
        )
        editor.upsert_item(node, "updates", as_written(fields), match, position)
        updates = list(raw_action.get("updates") or [])
        if match is not None:
            updates[match] = fields
        else:
            updates.insert(position, fields)
        raw_action["updates"] = updates
        replaced = match is not None
    if request.status is not None and request.status != action.status:
        editor.set_scalar(node, "status", request.status, after_key="id")
        raw_action["status"] = request.status
        parts.append(f"status now {request.status}")
    new_action = Action.model_validate(raw_action)
    change_rag = _rag_change(action.rag, new_action.rag)
    rel = doc.rel
    if review is not None:
        verb = "replaced the update" if replaced else "recorded an update"
        parts.insert(0, f"{verb} for {review.label} ({change_rag})")
    done = "; ".join(parts) or "nothing to change"
    summary = f"{action.id}: {done} in {shown(loaded.root, rel)}"
    if review is None:
        message = f"{action.id}: status {request.status}"
    elif action.rag != new_action.rag:
        message = (
            f"{action.id}: {action.rag or NOT_RATED_LABEL} → {new_action.rag or NOT_RATED_LABEL}"
        )
        message += f" ({review.label})"
    else:
        message = f"{action.id}: update ({review.label})"
    warnings = update_warnings(action.id, review is not None, raw_action, review)
    return Change(rel, editor.result(), expected, summary, message, warnings=warnings)


def as_written(fields: dict[str, Any]) -> list[tuple[str, Value]]:
    """An entry's fields as the editor should write them: its `date` as a calendar date,
    written plain like the hand-written plan, where any other text like a date is quoted."""
    return [
        (key, calendar_date(value) if key == "date" else value) for key, value in fields.items()
    ]


def _rag_change(old: str | None, new: str | None) -> str:
    if old == new:
        return f"RAG {new or NOT_RATED_LABEL}, unchanged"
    return f"{old or NOT_RATED_LABEL} → {new or NOT_RATED_LABEL}"


def _update_fields(
    config: PlanConfig,
    action: Action,
    raw_action: dict[str, Any],
    review: Review,
    request: UpdateRequest,
    today: dt.date,
) -> tuple[dict[str, Any], int | None, int]:
    """The update's fields (given ones replace, others are kept), and where it goes."""
    raw_updates = raw_action.get("updates") or []
    match = next((i for i, u in enumerate(raw_updates) if str(u.get("review")) == review.id), None)
    old: dict[str, Any] = dict(raw_updates[match]) if match is not None else {}
    new = {
        "review": review.id,
        "date": check_update_date(request.date, today) if request.date else today.isoformat(),
        "rag": choose_rag(config, request.rag) if request.rag is not None else old.get("rag"),
        "qualifier": _optional_text(request.qualifier, "qualifier", old.get("qualifier")),
        "text": old.get("text") if request.text is None else clean_text(request.text, "text"),
    }
    fields = {key: new[key] for key in UPDATE_KEYS if new[key] is not None}
    order = {r.id: i for i, r in enumerate(config.reviews)}
    mine = order[review.id]
    position = next(
        (i for i, u in enumerate(action.updates) if order.get(u.review, -1) > mine),
        len(raw_updates),
    )
    return fields, match, position


def _optional_text(value: str | None, what: str, old: Any) -> Any:
    if value is None:
        return old
    if not value.strip():
        return None  # --qualifier "" removes the qualifier
    return clean_text(value, what)


# --- measure ---------------------------------------------------------------------------------


def record_point(
    root: Path, request: PointRequest, options: Options, today: dt.date | None = None
) -> Written:
    def make(loaded: LoadedPlan) -> Change:
        return _point_change(loaded, request)

    return write_change(root, make, options, today, scope=files_naming(root, request.action_id))


def choose_measure(action: Action, wanted: str) -> int:
    """A measure by 1-based number, by description (any case), or by a unique prefix of one."""
    measures = action.measures
    if not measures:
        raise DatrackerError(f"{action.id} has no measures", "add one under 'measures:' first")
    listing = "; ".join(f"{i}. {m.description}" for i, m in enumerate(measures, 1))
    text = wanted.strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(measures):
            return number - 1
        raise InvalidValue(f"{action.id} has no measure {number}", f"its measures: {listing}")
    lowered = text.lower()
    exact = [i for i, m in enumerate(measures) if m.description.strip().lower() == lowered]
    if len(exact) == 1:
        return exact[0]
    prefixed = exact or [
        i for i, m in enumerate(measures) if m.description.strip().lower().startswith(lowered)
    ]
    if len(prefixed) == 1 and text:
        return prefixed[0]
    if len(prefixed) > 1 and text:
        matches = "; ".join(f"{i + 1}. {measures[i].description}" for i in prefixed)
        raise InvalidValue(
            f"'{wanted}' matches more than one measure of {action.id}: {matches}",
            "give more of the description, or the measure's number",
        )
    raise InvalidValue(f"{action.id} has no measure '{wanted}'", f"its measures: {listing}")


def check_point_period(text: str) -> str:
    period = text.strip()
    try:
        known = parse_period(period)
    except ValueError as error:
        raise InvalidValue(str(error), PERIOD_HINT) from error
    if known is None:
        raise InvalidValue(f"'{text}' is not a period", PERIOD_HINT)
    return period


def _point_change(loaded: LoadedPlan, request: PointRequest) -> Change:
    plan = loaded.require_plan()
    _, action = find_action(plan, request.action_id, "; nothing was written")
    index = choose_measure(action, request.measure)
    measure = action.measures[index]
    period = check_point_period(request.period)
    check_figure(action.id, measure, request.value, request.of)
    source = loaded.source(action)
    doc = source.doc
    expected = copy.deepcopy(doc.data)
    raw_measure: dict[str, Any] = expected["actions"][source.index]["measures"][index]
    raw_points = list(raw_measure.get("data") or [])
    fields: dict[str, Any] = {"period": period, "value": request.value}
    if request.of is not None:
        fields["of"] = request.of
    if request.note is not None:
        fields["note"] = clean_text(request.note, "note")
    match = next((i for i, p in enumerate(raw_points) if str(p.get("period")) == period), None)
    position = _point_position(measure, period)
    node = mapping_at(
        doc.require_root(),
        ("actions", source.index, "measures", index),
        f"measure {index + 1} of {action.id}",
    )
    editor = FileEditor(doc.text, doc.require_root(), doc.rel)
    editor.upsert_item(node, "data", as_written(fields), match, position)
    if match is not None:
        raw_points[match] = fields
    else:
        raw_points.insert(position, fields)
    raw_measure["data"] = raw_points
    verb = "replaced the data point" if match is not None else "recorded"
    unit = f" {measure.unit}" if measure.unit else ""
    what = f"{period} = {figure_text(request.value, request.of)}{unit}"
    summary = (
        f"{action.id}: {verb} {what} for '{measure.description}' in {shown(loaded.root, doc.rel)}"
    )
    message = f"{action.id}: {measure.description}: {what}"
    return Change(doc.rel, editor.result(), expected, summary, message)


def _point_position(measure: Measure, period: str) -> int:
    """Data points are kept in period order: before the first one that starts later."""
    mine = parse_period(period)
    for i, point in enumerate(measure.data):
        span = parse_period(point.period) if point.period is not None else None
        if mine and span and span.start > mine.start:
            return i
    return len(measure.data)
