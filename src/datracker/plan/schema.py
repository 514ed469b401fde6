"""JSON Schema of the plan files, so editors (VS Code's YAML extension, web editors that speak
yaml-language-server) flag a mistake while an owner types, before validate ever runs."""

from __future__ import annotations

import json
from typing import Any

from datracker.plan.models import PlanConfig, PriorityFile

_TITLES = {
    "plan": ("datracker plan.yaml", "Strategy, RAG scale, reviews and owners of a delivery plan."),
    "priority": ("datracker priority file", "One priority of a delivery plan and its actions."),
}


def schema_for(kind: str) -> dict[str, Any]:
    model = PlanConfig if kind == "plan" else PriorityFile
    schema = model.model_json_schema()
    title, description = _TITLES[kind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"
