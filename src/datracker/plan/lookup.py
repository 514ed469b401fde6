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
