"""The committed JSON Schemas must be what `datracker schema` prints, or editors drift."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, SHIPPED_PLAN
from datracker.plan.schema import schema_text


@pytest.mark.parametrize("kind", ["plan", "priority"])
def test_committed_schema_is_current(kind: str) -> None:
    committed = (REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), (
        "run: datracker schema {kind} > schema/{kind}.schema.json"
    )


def test_plan_files_point_editors_at_the_schema() -> None:
    assert (
        (SHIPPED_PLAN / "plan.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../schema/plan.schema.json\n")
    )
    for path in (SHIPPED_PLAN / "priorities").glob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/priority.schema.json"


def test_schema_forbids_unknown_fields() -> None:
    schema = json.loads(schema_text("priority"))
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Action"]["additionalProperties"] is False
