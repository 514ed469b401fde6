"""Rules that need the whole plan: references between files, review order, staleness.

Each rule is a small function yielding Problems; `validate_plan` runs them all so one run
reports everything. Severity follows what the board needs: an error makes the plan wrong,
a warning needs attention before the review, a notice is worth a second look and never fails.

Rules about time are judged as of the plan's own date, not the machine's clock: a plan is
read as it stood at its review (the open review, else the latest), so the same files give the
same answers next year. `as_of` is the last day of that review's date unless a caller names
another day; who owes an update and what is overdue are decided by plan/chase.py's rules, which
`chase` uses too. Only `future-date` uses today: no update can be dated after the day it is read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from datracker.core.dates import parse_partial_date
from datracker.core.problems import Problem
from datracker.plan.chase import is_overdue, judged_as_of, owes_update
from datracker.plan.models import Action, Plan, PriorityFile, Review, Update
from datracker.plan.rag import normalise_rag
from datracker.plan.status import NOT_RATED_LABEL, priority_status
from datracker.plan.store import LoadedPlan
from datracker.plan.yamlread import Document

GREEN_STREAK = 3
REVIEW_ID_RULE = (
    "a review id names its git tag, review/<id>, so it may not contain '..' nor end with "
    "'.' or '.lock'; use letters, digits and '-', e.g. 2022-04"
)


@dataclass(frozen=True)
class Clock:
    """The two days rules are judged against: `today`, the real day (nothing can be dated
    after it), and `as_of`, the day the plan is read as of (due dates are judged at it)."""

    today: dt.date
    as_of: dt.date


Rule = Callable[[LoadedPlan, Plan, Clock], Iterable[Problem]]


def validate_plan(
    loaded: LoadedPlan, today: dt.date | None = None, as_of: dt.date | None = None
) -> list[Problem]:
    """Every problem in the plan, sorted by file and line; due dates judged at `as_of`
    (default: the plan's own date, see `plan.chase.judged_as_of`)."""
    problems = list(loaded.problems)
    plan = loaded.plan
    if plan is not None:
        today = today or dt.date.today()
        clock = Clock(today, as_of or judged_as_of(plan.config, today))
        for rule in RULES:
            problems.extend(rule(loaded, plan, clock))
    elif loaded.config_doc.root is not None or loaded.config_doc.data is not None:
        message = "checks across files (owners, reviews, RAG scale, ids) were skipped"
        hint = "fix the errors in plan.yaml first; more problems may then be reported"
        problems.append(loaded.config_doc.problem((), "notice", "checks-skipped", message, hint))
    if not loaded.priority_docs:
        message = "the plan has no priority files"
        hint = "add priorities/<id>-<name>.yaml files; see docs/plan-format.md"
        problems.append(loaded.config_doc.problem((), "warning", "no-priorities", message, hint))
    return sorted(problems, key=lambda p: p.sort_key)


def _duplicates(doc: Document, section: str, ids: list[str], what: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in first:
            line, _ = doc.locate((section, first[item_id], "id"))
            hint = f"the first is on line {line}; give each {what} its own id"
            message = f"{what} id '{item_id}' is used twice"
            yield doc.problem((section, index, "id"), "error", f"duplicate-{what}", message, hint)
        else:
            first[item_id] = index


def review_id_problem(review_id: str) -> str | None:
    """Why `review_id` cannot be part of a git tag name, or None.

    git's rules (`git check-ref-format`) within the characters an id may have at all
    (letters, digits, '.', '_', '-', starting with a letter or digit); checked here without
    git, so `validate` needs no git.
    """
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", review_id) is None:
        return "may only have letters, digits, '.', '_' and '-', starting with a letter or digit"
    if ".." in review_id:
        return "contains '..'"
    if review_id.endswith(".lock"):
        return "ends with '.lock'"
    if review_id.endswith("."):
        return "ends with '.'"
    return None


def check_config_ids(loaded: LoadedPlan, plan: Plan, clock: Clock) -> Iterator[Problem]:
    doc, config = loaded.config_doc, plan.config
    yield from _duplicates(doc, "scale", [s.id for s in config.scale], "scale")
    yield from _duplicates(doc, "reviews", [r.id for r in config.reviews], "review")
    for index, review in enumerate(config.reviews):
        problem = review_id_problem(review.id)
        if problem is not None:
            message = f"review id '{review.id}' {problem}, so it cannot be a git tag"
            yield doc.problem(
                ("reviews", index, "id"), "error", "review-id-not-tag", message, REVIEW_ID_RULE
            )
        if review.approved_by is not None and review.approved is None:
            message = f"review '{review.id}' says who approved it but not when"
            hint = "add 'approved:' with the date, or record it with: datracker review approve"
            yield doc.problem(
                ("reviews", index, "approved_by"), "error", "approval-undated", message, hint
            )
    yield from _duplicates(doc, "owners", [o.id for o in config.owners], "owner")
    owner_ids = [o.id for o in config.owners]
    for index, maintainer in enumerate(config.maintainers):
        if maintainer not in owner_ids:
            message = f"maintainer '{maintainer}' is not in the owners directory"
            yield doc.problem(
                ("maintainers", index),
                "error",
                "unknown-owner",
                message,
                _suggest(maintainer, owner_ids),
            )


def check_reviews(loaded: LoadedPlan, plan: Plan, clock: Clock) -> Iterator[Problem]:
    doc, reviews = loaded.config_doc, plan.config.reviews
    open_reviews = [i for i, r in enumerate(reviews) if r.status == "open"]
    for index in open_reviews[1:]:
        message = (
            f"review '{reviews[index].id}' is open, but '{reviews[open_reviews[0]].id}' is open too"
        )
        hint = "only one review can be open at a time; close the earlier one"
        yield doc.problem(("reviews", index, "status"), "error", "two-open-reviews", message, hint)
    for index in range(1, len(reviews)):
        before, after = (
            parse_partial_date(reviews[index - 1].date),
            parse_partial_date(reviews[index].date),
        )
        if before and after and after.start < before.start:
            message = f"review '{reviews[index].id}' is dated before '{reviews[index - 1].id}'"
            hint = "list reviews in date order, oldest first"
            yield doc.problem(("reviews", index, "date"), "error", "review-order", message, hint)


def check_action_ids(loaded: LoadedPlan, plan: Plan, clock: Clock) -> Iterator[Problem]:
    first: dict[str, Action] = {}
    priorities: dict[str, PriorityFile] = {}
    for priority in plan.priorities:
        if priority.id in priorities:
            doc = _priority_doc(loaded, priority)
            message = f"priority id '{priority.id}' is used by two files"
            yield doc.problem(("id",), "error", "duplicate-priority", message)
        priorities.setdefault(priority.id, priority)
    for _, action in plan.actions():
        if action.id in first:
            earlier = loaded.source(first[action.id])
            line, _ = earlier.doc.locate(("actions", earlier.index, "id"))
            hint = f"first defined at {earlier.doc.rel}:{line}; give each action its own id"
            message = f"action id '{action.id}' is used twice"
            yield loaded.source(action).problem(("id",), "error", "duplicate-action", message, hint)
        else:
            first[action.id] = action


def check_parents(loaded: LoadedPlan, plan: Plan, clock: Clock) -> Iterator[Problem]:
    """A sub-action's parent exists, is in the same priority, and no chain of parents loops."""
    where: dict[str, str] = {action.id: priority.id for priority, action in plan.actions()}
    parents = {action.id: action.parent for _, action in plan.actions() if action.parent}
    for priority, action in plan.actions():
        parent = action.parent
        if parent is None:
            continue
        source = loaded.source(action)
        if parent not in where:
            message = f"{action.id}: parent '{parent}' is not an action in the plan"
            hint = _suggest(parent, list(where)) or "name an action of the same priority"
            yield source.problem(("parent",), "error", "unknown-parent", message, hint)
        elif where[parent] != priority.id:
            message = (
                f"{action.id}: parent '{parent}' is in priority {where[parent]}, not {priority.id}"
            )
            hint = "a sub-action belongs to an action of its own priority; move one of them"
            yield source.problem(("parent",), "error", "parent-priority", message, hint)
        elif _in_cycle(action.id, parents):
            message = f"{action.id}: its parents lead back to itself ({_chain(action.id, parents)})"
            hint = "remove 'parent' from one of these actions"
            yield source.problem(("parent",), "error", "parent-cycle", message, hint)


def _in_cycle(start: str, parents: dict[str, str]) -> bool:
    seen = {start}
    current = parents.get(start)
    while current is not None:
        if current in seen:
            return current == start
        seen.add(current)
        current = parents.get(current)
    return False


def _chain(start: str, parents: dict[str, str]) -> str:
    chain = [start]
    current = parents.get(start)
    while current is not None and current != start and len(chain) <= len(parents):
        chain.append(current)
        current = parents.get(current)
    return " → ".join([*chain, start])


def _priority_doc(loaded: LoadedPlan, priority: PriorityFile) -> Document:
    index = loaded.priorities.index(priority)
    readable = [d for d in loaded.priority_docs if isinstance(d.data, dict)]
    return readable[index] if index < len(readable) else loaded.config_doc


def check_owners(loaded: LoadedPlan, plan: Plan, clock: Clock) -> Iterator[Problem]:
    owner_ids = [o.id for o in plan.config.owners]
    known = set(owner_ids)
    for _, action in plan.actions():
        source = loaded.source(action)
        for index, owner in enumerate(action.owners):
            if owner not in known:
                message = f"{action.id}: owner '{owner}' is not in the owners directory"
                hint = _suggest(owner, owner_ids) or "add the owner to 'owners' in plan.yaml"
                yield source.problem(("owners", index), "error", "unknown-owner", message, hint)


def _misplaced_updates(updates: list[Update], order: dict[str, int]) -> dict[int, str]:
    """Each update listed above an update for an earlier review, with the earliest such
    review: one pass from the bottom, so the check costs nothing on a plan in order."""
    misplaced: dict[int, str] = {}
    earliest: str | None = None  # the earliest review among the updates below
    for index in range(len(updates) - 1, -1, -1):
        review = updates[index].review
        if review not in order:
            continue
        if earliest is not None and order[earliest] < order[review]:
            misplaced[index] = earliest
        if earliest is None or order[review] < order[earliest]:
            earliest = review
    return misplaced


def check_updates(loaded: LoadedPlan, plan: Plan, clock: Clock) -> Iterator[Problem]:
    config = plan.config
    review_ids = [r.id for r in config.reviews]
    order = {review_id: i for i, review_id in enumerate(review_ids)}
    scale_ids = [level.id for level in config.scale]
    for _, action in plan.actions():
        source = loaded.source(action)
        seen: dict[str, int] = {}
        last_date = None
        misplaced = _misplaced_updates(action.updates, order)
        for index, update in enumerate(action.updates):
            where = ("updates", index)
            if update.review not in order:
                message = f"{action.id}: update names review '{update.review}', not in plan.yaml"
                hint = (
                    _suggest(update.review, review_ids) or f"reviews are: {', '.join(review_ids)}"
                )
                yield source.problem((*where, "review"), "error", "unknown-review", message, hint)
            elif update.review in seen:
                message = f"{action.id}: a second update for review '{update.review}'"
                hint = "keep one update per review; merge the texts"
                yield source.problem((*where, "review"), "error", "duplicate-update", message, hint)
            else:
                older = misplaced.get(index)
                if older is not None:
                    # an error, not a matter of style: the last update gives the action's RAG,
                    # so an update typed above the older ones (as an editor invites) would not
                    # count; it is marked, as that is the line the person must move
                    message = (
                        f"{action.id}: the update for '{update.review}' is above the one for "
                        f"'{older}', an earlier review, so it would not give the action's RAG"
                    )
                    hint = f"updates go oldest first: move it below the update for '{older}'"
                    yield source.problem(
                        (*where, "review"), "error", "updates-out-of-order", message, hint
                    )
            seen.setdefault(update.review, index)
            if update.rag is not None and update.rag not in scale_ids:
                yield source.problem(
                    (*where, "rag"),
                    "error",
                    "unknown-rag",
                    _rag_message(action, update.rag),
                    _rag_hint(update.rag, scale_ids),
                )
            if not (update.text or update.rag):
                message = f"{action.id}: the update has neither a RAG nor a text"
                yield source.problem(where, "warning", "empty-update", message)
            span = parse_partial_date(update.date) if update.date else None
            if span and span.start > clock.today:
                message = f"{action.id}: the update is dated {update.date}, in the future"
                yield source.problem(
                    (*where, "date"), "error", "future-date", message, "use today's date or earlier"
                )
            if span and last_date and span.start < last_date.start:
                message = (
                    f"{action.id}: the update is dated {update.date}, before the update above it"
                )
                yield source.problem(
                    (*where, "date"),
                    "warning",
                    "update-order",
                    message,
                    "list updates oldest first",
                )
            last_date = span or last_date


def _rag_message(action: Action, rag: str) -> str:
    return f"{action.id}: RAG '{rag}' is not on the plan's scale"


def _rag_hint(rag: str, scale_ids: list[str]) -> str:
    normal = normalise_rag(rag, scale_ids)
    if normal:
        return f"write it as {normal}"
    return f"the scale is: {', '.join(scale_ids)}"


def check_delivery(loaded: LoadedPlan, plan: Plan, clock: Clock) -> Iterator[Problem]:
    current = plan.config.current_review
    which = "latest" if current is plan.config.latest_review else "open"
    best = plan.config.scale[-1].id
    for _, action in plan.actions():
        if not action.is_open:
            continue
        source = loaded.source(action)
        if is_overdue(action, clock.as_of):
            message = f"{action.id} was due {action.due} and is not complete, as of {clock.as_of}"
            hint = "record progress, mark it complete, or agree a new date"
            yield source.problem(("due",), "warning", "overdue", message, hint)
        if not action.owners:
            message = f"{action.id} has no owner"
            hint = "add 'owners:' with at least one id from the owners directory"
            yield source.problem(("id",), "warning", "no-owner", message, hint)
        if not action.measures:
            message = f"{action.id} has no measure"
            hint = "add 'measures:' saying how progress will be judged"
            yield source.problem(("id",), "warning", "no-measure", message, hint)
        if current and owes_update(action, current):
            message = f"{action.id} has no update for the {which} review, '{current.label}'"
            hint = f"record one with: datracker update {action.id}"
            yield source.problem(("id",), "warning", "stale", message, hint)
        if _green_streak(action, [r.id for r in plan.config.reviews], best):
            message = f"{action.id} has been {best} for {GREEN_STREAK} or more reviews in a row"
            hint = "worth a second look: is it done, or is the measure too easy?"
            yield source.problem(("id",), "notice", "green-streak", message, hint)


def check_assessments(loaded: LoadedPlan, plan: Plan, clock: Clock) -> Iterator[Problem]:
    """Each stated priority rating names a known review once, uses the scale, keeps what it
    says it retained; at the current review, a notice where it differs from the roll-up."""
    config = plan.config
    order = {r.id: i for i, r in enumerate(config.reviews)}
    scale_ids = [level.id for level in config.scale]
    current = config.current_review
    for priority in plan.priorities:
        doc = _priority_doc(loaded, priority)
        seen: set[str] = set()
        for index, assessment in enumerate(priority.assessments):
            where = ("assessments", index)
            name = f"priority {priority.id}"
            if assessment.review not in order:
                message = (
                    f"{name}: stated rating names review '{assessment.review}', not in plan.yaml"
                )
                hint = (
                    _suggest(assessment.review, list(order)) or f"reviews are: {', '.join(order)}"
                )
                yield doc.problem((*where, "review"), "error", "unknown-review", message, hint)
            elif assessment.review in seen:
                message = f"{name}: a second stated rating for review '{assessment.review}'"
                hint = "keep one stated rating per review"
                yield doc.problem(
                    (*where, "review"), "error", "duplicate-assessment", message, hint
                )
            seen.add(assessment.review)
            if assessment.rag not in scale_ids:
                message = f"{name}: stated RAG '{assessment.rag}' is not on the plan's scale"
                hint = _rag_hint(assessment.rag, scale_ids)
                yield doc.problem((*where, "rag"), "error", "unknown-rag", message, hint)
            problem = _retained_problem(priority, index, order)
            if problem is not None:
                message, hint = problem
                yield doc.problem((*where, "retained"), "error", "retained-rating", message, hint)
        if current is not None:
            yield from _stated_differs(loaded, plan, priority, current)


def _retained_problem(
    priority: PriorityFile, index: int, order: dict[str, int]
) -> tuple[str, str] | None:
    """What is wrong with an assessment's `retained`, if anything: it must name an earlier
    review at which this priority was stated the same rating."""
    assessment = priority.assessments[index]
    kept_id = assessment.retained
    if kept_id is None:
        return None
    name = f"priority {priority.id}"
    if kept_id not in order:
        return (
            f"{name}: the rating is retained from review '{kept_id}', not in plan.yaml",
            _suggest(kept_id, list(order)) or f"reviews are: {', '.join(order)}",
        )
    if assessment.review in order and order[kept_id] >= order[assessment.review]:
        return (
            f"{name}: a rating can only be retained from an earlier review than "
            f"'{assessment.review}', not '{kept_id}'",
            "name the review whose rating was kept",
        )
    kept = priority.assessment_for(kept_id)
    if kept is None:
        return (
            f"{name}: the rating is retained from review '{kept_id}', which has no stated "
            "rating for this priority",
            f"record the rating stated at '{kept_id}' under 'assessments:' first",
        )
    if kept.rag != assessment.rag:
        return (
            f"{name}: the rating {assessment.rag} is said to be retained from '{kept_id}', "
            f"where it was {kept.rag}",
            f"write rag: {kept.rag}, or remove 'retained' if the rating changed",
        )
    return None


def _stated_differs(
    loaded: LoadedPlan, plan: Plan, priority: PriorityFile, review: Review
) -> Iterator[Problem]:
    """A notice, not a warning: a board may weigh what the action ratings do not hold."""
    assessment = priority.assessment_for(review.id)
    if assessment is None:
        return
    status = priority_status(plan.config, priority, review=review)
    computed = status.rag or NOT_RATED_LABEL
    if computed == assessment.rag:
        return
    index = priority.assessments.index(assessment)
    message = (
        f"priority {priority.id}: the rating stated for {review.label} is {assessment.rag}, "
        f"the roll-up computed by the '{plan.config.rollup}' rule is {computed}"
    )
    hint = "the stated rating is shown as the priority's; check it is still the board's view"
    doc = _priority_doc(loaded, priority)
    yield doc.problem(("assessments", index, "rag"), "notice", "stated-differs", message, hint)


def _green_streak(action: Action, review_ids: list[str], best: str) -> bool:
    by_review = {u.review: u.rag for u in action.updates if u.rag is not None}
    rated = [by_review[r] for r in review_ids if r in by_review]
    return len(rated) >= GREEN_STREAK and all(rag == best for rag in rated[-GREEN_STREAK:])


def _suggest(value: str, choices: list[str]) -> str | None:
    slug = value.strip().lower().replace(" ", "-")
    if slug in choices and slug != value:
        return f"did you mean '{slug}'?"
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


RULES: list[Rule] = [
    check_config_ids,
    check_reviews,
    check_action_ids,
    check_parents,
    check_owners,
    check_updates,
    check_delivery,
    check_assessments,
]
