"""Finding what a command names the way people type it: an action in any case, a review by
id, with suggestions when it is wrong."""

from __future__ import annotations

import difflib
from typing import Literal

from datracker.core.problems import DatrackerError, InvalidValue
from datracker.plan.models import Action, Plan, PlanConfig, PriorityFile, Review

OPEN_ONE = "open one with: datracker review open 'Update April 2022'"


class ActionNotFound(InvalidValue):
    """No action has the id: a reader of part of the plan may look again in all of it.

    An id the plan does not have is a wrong argument value: exit 2, with suggestions."""


def find_action(plan: Plan, action_id: str, after: str = "") -> tuple[PriorityFile, Action]:
    """The action with this id (any case), or an error suggesting close ids.

    `after` ends the message, e.g. "; nothing was written" for a command that writes.
    """
    wanted = action_id.strip()
    found = plan.find_action(wanted)
    if found:
        return found
    for priority, action in plan.actions():
        if action.id.lower() == wanted.lower():
            return priority, action
    ids = [a.id for _, a in plan.actions()]
    close = difflib.get_close_matches(wanted.upper(), ids, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "list actions with: datracker status"
    raise ActionNotFound(f"no action '{action_id}' in the plan{after}", hint)


def find_priority(plan: Plan, wanted: str) -> PriorityFile | None:
    """The priority with this id (any case) when no action has it: an action id wins, so a
    plan whose priority and action share an id still shows the action, as it always did."""
    text = wanted.strip()
    if any(action.id.lower() == text.lower() for _, action in plan.actions()):
        return None
    exact = next((p for p in plan.priorities if p.id == text), None)
    return exact or next((p for p in plan.priorities if p.id.lower() == text.lower()), None)


def choose_review(
    config: PlanConfig,
    review_id: str | None,
    default: Literal["open", "latest"],
    purpose: str,
    can_name: bool = False,
) -> Review:
    """The review a command works on: the one named, else `default`, the open review (what
    `update`, `review assess`, `review close` and `chase` work on) or the latest (what `render`
    shows). `purpose` ends the message when there is none ("nothing to chase"); `can_name`
    says the command takes `--review`, so the hint offers it."""
    if review_id is not None:
        return named_review(config, review_id)
    if default == "latest":
        latest = config.latest_review
        if latest is None:
            message = f"the plan has no reviews, so there is nothing to {purpose}"
            raise DatrackerError(message, OPEN_ONE)
        return latest
    review = config.open_review
    if review is None:
        hint = OPEN_ONE + (", or name one with --review" if can_name else "")
        raise DatrackerError(f"no review is open, so there is nothing to {purpose}", hint)
    return review


def named_review(config: PlanConfig, review_id: str) -> Review:
    """The review with this id; an id the plan does not have is a wrong value (exit 2), and
    the message lists the ids it has, the likeliest first."""
    wanted = review_id.strip()
    review = config.review(wanted)
    if review is not None:
        return review
    ids = [r.id for r in config.reviews]
    if not ids:
        hint = f"the plan has no reviews yet; {OPEN_ONE}"
    else:
        close = difflib.get_close_matches(wanted, ids, n=1, cutoff=0.5)
        guess = f"did you mean '{close[0]}'? " if close else ""
        hint = f"{guess}reviews are: {', '.join(ids)}"
    raise InvalidValue(f"no review '{review_id}' in plan.yaml", hint)
