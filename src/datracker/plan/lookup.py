"""Finding an action the way people type its id: any case, with suggestions when it is wrong."""

from __future__ import annotations

import difflib

from datracker.core.problems import InvalidValue
from datracker.plan.models import Action, Plan, PriorityFile


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
