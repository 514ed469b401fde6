"""diff.compare on plans built in memory: what the board sees as changed, and what it does not."""

from __future__ import annotations

from typing import Any

from datracker.plan.diff import compare
from datracker.plan.models import Action, Plan, PlanConfig, PriorityFile

CONFIG = PlanConfig.model_validate({"strategy": {"title": "T"}})


def action(action_id: str, rag: str | None = "AMBER", **fields: Any) -> dict[str, Any]:
    updates = [{"review": "r1", "rag": rag, "text": "Done."}] if rag else []
    return {"id": action_id, "objective": "Raise awareness", "updates": updates, **fields}


def plan(**priorities: list[dict[str, Any]]) -> Plan:
    return Plan(
        CONFIG,
        [
            PriorityFile(
                id=pid, title=f"Priority {pid}", actions=[Action.model_validate(a) for a in acts]
            )
            for pid, acts in priorities.items()
        ],
    )


def fields(before: Plan | None, after: Plan) -> list[tuple[str, str, Any, Any, str | None]]:
    return [(c.id, c.field, c.before, c.after, c.direction) for c in compare(before, after).changes]


def test_rag_down_and_up_by_scale_order() -> None:
    before = plan(A=[action("A1", "AMBER"), action("A2", "AMBER")])
    after = plan(A=[action("A1", "RED"), action("A2", "AMBER/GREEN")])
    assert fields(before, after) == [
        ("A1", "rag", "AMBER", "RED", "worsened"),
        ("A2", "rag", "AMBER", "AMBER/GREEN", "improved"),
    ]


def test_identical_plans_have_no_changes_and_no_rollups() -> None:
    result = compare(plan(A=[action("A1")]), plan(A=[action("A1")]))
    assert result.is_empty and result.rollups == []


def test_status_changes_are_named() -> None:
    before = plan(A=[action("A1"), action("A2"), action("A3"), action("A4", status="removed")])
    after = plan(
        A=[
            action("A1", status="complete"),
            action("A2", status="removed"),
            action("A3", status="n/a"),
            action("A4"),
        ]
    )
    labels = [c.label for c in compare(before, after).changes]
    assert labels == ["completed", "removed", "marked N/A", "reinstated"]


def test_added_and_deleted_actions() -> None:
    changes = compare(plan(A=[action("A1")]), plan(A=[action("A2", "RED")])).changes
    assert [(c.id, c.field, c.before, c.after, c.label) for c in changes] == [
        ("A2", "action", None, "RED", "added"),
        ("A1", "action", "AMBER", None, "deleted"),
    ]


def test_no_before_plan_means_everything_added() -> None:
    result = compare(None, plan(A=[action("A1")], B=[action("B1")]))
    assert [(c.id, c.label) for c in result.changes] == [("A1", "added"), ("B1", "added")]
    assert [(r.priority, r.before) for r in result.rollups] == [("A", None), ("B", None)]


def test_owners_due_and_wording() -> None:
    before = plan(A=[action("A1", owners=["amy"], due="2023-03", action="Train staff")])
    after = plan(
        A=[
            action(
                "A1",
                owners=["bruce", "amy"],
                due="2023-09",
                action="Train all staff",
                objective="Raise   awareness",  # re-flowed only: not a change of wording
            )
        ]
    )
    assert fields(before, after) == [
        ("A1", "owners", ["amy"], ["bruce", "amy"], None),
        ("A1", "due", "2023-03", "2023-09", None),
        ("A1", "wording", "Train staff", "Train all staff", None),
    ]


def test_rebaselined_target_and_new_data_points() -> None:
    measure = {
        "description": "Training days",
        "baseline": {"period": "2019/20", "value": 4},
        "target": {"value": 8},
        "data": [{"period": "2021", "value": 5}],
    }
    moved = {
        **measure,
        "baseline": {"period": "2020/21", "value": 2},
        "target": {"value": 6, "by": "2024"},
        "data": [{"period": "2021", "value": 5}, {"period": "2022", "value": 7}],
    }
    changes = compare(
        plan(A=[action("A1", measures=[measure])]), plan(A=[action("A1", measures=[moved])])
    ).changes
    assert [(c.label, c.before, c.after) for c in changes] == [
        (
            "re-baselined",
            "Training days: baseline 2019/20 = 4",
            "Training days: baseline 2020/21 = 2",
        ),
        ("target changed", "Training days: target 8", "Training days: target 6 by 2024"),
        ("new data", None, "Training days: 2022 = 7"),
    ]


def test_moving_an_action_between_priorities_is_not_add_and_delete() -> None:
    before = plan(A=[action("A1"), action("X9")], B=[action("B1")])
    after = plan(A=[action("A1")], B=[action("B1"), action("X9")])
    assert compare(before, after).changes == []


def test_rollups_before_and_after_for_changed_priorities_only() -> None:
    before = plan(A=[action("A1", "AMBER")], B=[action("B1")])
    after = plan(A=[action("A1", "RED")], B=[action("B1")])
    rollups = compare(before, after).rollups
    assert [(r.priority, r.computed_before, r.computed_after) for r in rollups] == [
        ("A", "AMBER (1 action: 1 AMBER)", "RED (1 action: 1 RED)")
    ]
    assert [(r.before, r.after) for r in rollups] == [
        ("computed: AMBER (1 action: 1 AMBER)", "computed: RED (1 action: 1 RED)")
    ]
    assert len(compare(before, after, include_unchanged=True).rollups) == 2


REVIEWED = PlanConfig.model_validate(
    {
        "strategy": {"title": "T"},
        "reviews": [
            {"id": "r1", "label": "Update January", "date": "2022-01", "status": "closed"},
            {"id": "r2", "label": "Update April", "date": "2022-04"},
        ],
    }
)


def assessed(*assessments: dict[str, Any]) -> Plan:
    priority = PriorityFile.model_validate(
        {"id": "A", "title": "T", "assessments": list(assessments), "actions": [action("A1")]}
    )
    return Plan(REVIEWED, [priority])


def test_a_stated_rating_recorded_or_changed_is_a_change_of_the_priority() -> None:
    january = {"review": "r1", "rag": "AMBER", "text": "3 actions - 3 AMBER"}
    before = assessed(january)
    after = assessed({**january, "rag": "RED"}, {"review": "r2", "rag": "RED", "retained": "r1"})
    result = compare(before, after)
    assert [
        (c.id, c.field, c.review, c.before, c.after, c.direction, c.label) for c in result.changes
    ] == [
        ("A", "stated", "r1", "AMBER", "RED", "worsened", "stated rating for r1 changed"),
        ("A", "stated", "r2", None, "RED", None, "stated rating for r2 recorded"),
    ]
    (rollup,) = result.rollups
    assert rollup.before == "computed: AMBER (1 action: 1 AMBER)"  # r2 had no stated rating yet
    assert rollup.after == (
        "RED (stated: retained from Update January); computed: AMBER (1 action: 1 AMBER)"
    )
    assert rollup.computed_before == rollup.computed_after == "AMBER (1 action: 1 AMBER)"
