"""Sub-actions under their parent: the order in which every view lists a priority's actions.

Plans numbered in three levels (2.6 and its steps 2.6.1, 2.6.2) say which action a step
belongs to with `parent`. Status, the refresh document and diff all show a sub-action
straight after its parent, indented one level, so this order is worked out once here.
"""

from __future__ import annotations

from datracker.plan.models import Action


def ordered(actions: list[Action]) -> list[tuple[Action, int]]:
    """Each action with its depth (0 for a top-level action), parents before their children.

    An action whose parent is not in `actions` is listed as a top-level action where it
    stands, and a cycle (which validate reports) cannot loop: each action appears once.
    """
    ids = {action.id for action in actions}
    children: dict[str, list[Action]] = {}
    for action in actions:
        if action.parent is not None and action.parent in ids and action.parent != action.id:
            children.setdefault(action.parent, []).append(action)
    result: list[tuple[Action, int]] = []
    seen: set[str] = set()

    def visit(action: Action, depth: int) -> None:
        if action.id in seen:
            return
        seen.add(action.id)
        result.append((action, depth))
        for child in children.get(action.id, []):
            visit(child, depth + 1)

    for action in actions:
        if action.parent is None or action.parent not in ids or action.parent == action.id:
            visit(action, 0)
    for action in actions:  # only actions caught in a cycle are left
        visit(action, 0)
    return result


def indented_id(action_id: str, depth: int) -> str:
    """ "↳ 2.6.1" for a sub-action: the arrow says "part of the action above" in any output."""
    return "↳ " * depth + action_id
