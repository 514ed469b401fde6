"""Turn pydantic's validation errors into Problems written for the person editing the file.

pydantic says "Extra inputs are not permitted" at ('actions', 3, 'stauts'); an owner in a web
editor needs "unknown field 'stauts' — did you mean 'status'?" at line 41, column 5.
"""

from __future__ import annotations

import difflib
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from datracker.core.problems import Problem
from datracker.plan.yamlread import Document, PathKey

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of 'key: value' lines",
    "model_type": "a mapping of 'key: value' lines",
    "model_attributes_type": "a mapping of 'key: value' lines",
    "literal_error": None,
}


def problems_from_validation(
    doc: Document, model: type[BaseModel], error: ValidationError, prefix: tuple[PathKey, ...] = ()
) -> list[Problem]:
    problems: dict[tuple[tuple[PathKey, ...], str], Problem] = {}
    items = error.errors(include_url=False)
    # a field taking whole or decimal numbers fails both ways; "a number" is the one to say
    decimal = {_model_path(model, tuple(i["loc"])) for i in items if i["type"] == "float_type"}
    for item in items:
        loc = _model_path(model, tuple(item["loc"]))
        if item["type"] == "int_type" and loc in decimal:
            continue
        problem = _problem(doc, model, prefix + loc, loc, item)
        problems.setdefault((loc, problem.code), problem)  # union branches repeat one mistake
    return list(problems.values())


def _problem(
    doc: Document,
    model: type[BaseModel],
    full_loc: tuple[PathKey, ...],
    loc: tuple[PathKey, ...],
    item: Any,
) -> Problem:
    kind, value = item["type"], item.get("input")
    name = _field_name(loc)
    if kind == "extra_forbidden":
        known = sorted(_fields_of(model, loc[:-1]))
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else f"known fields here: {', '.join(known)}"
        message = f"unknown field {_describe(loc[-1])}"
        return doc.problem(full_loc, "error", "unknown-field", message, hint, key=True)
    if kind == "missing":
        where = f" in {_field_name(loc[:-1])}" if len(loc) > 1 else ""
        message = f"'{loc[-1]}' is required{where} but missing"
        return doc.problem(full_loc[:-1], "error", "missing-field", message, f"add '{loc[-1]}: …'")
    if kind in _TYPE_WORDS and _TYPE_WORDS[kind]:
        message = f"{name} should be {_TYPE_WORDS[kind]}, not {_describe(value)}"
        quote = "put the text in double quotes" if kind == "string_type" else None
        return doc.problem(full_loc, "error", "wrong-type", message, quote)
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        message = f"{name} {_describe(value)} is not allowed; expected {expected}"
        return doc.problem(full_loc, "error", "invalid-value", message)
    if kind == "value_error":
        text = str(item.get("ctx", {}).get("error", item["msg"]))
        code = (
            "number-too-large"
            if "too large" in text
            else "invalid-period"
            if "period" in text
            else "invalid-date"
        )
        return doc.problem(full_loc, "error", code, f"{name}: {text}")
    if kind == "string_pattern_mismatch":
        return doc.problem(full_loc, "error", "invalid-value", _pattern_message(name, value))
    return doc.problem(full_loc, "error", "invalid-value", f"{name}: {item['msg']}")


def _pattern_message(name: str, value: Any) -> str:
    if name.endswith("colour"):
        return f"{name} '{value}' should be a hex colour such as \"#FFC000\""
    return f"{name} '{value}' may contain only letters, digits, '.', '_' and '-', and no spaces"


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _field_name(loc: tuple[PathKey, ...]) -> str:
    names = [str(step) for step in loc if isinstance(step, str)]
    return names[-1] if names else "this value"


def _model_path(model: type[BaseModel], loc: tuple[PathKey, ...]) -> tuple[PathKey, ...]:
    """Keep the steps of `loc` that exist in the document; pydantic adds union branch names."""
    kept: list[PathKey] = []
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            current = _unwrap(current, list_item=True)
            kept.append(step)
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None or step not in fields:
            if fields is not None:
                kept.append(step)  # an unknown key the user wrote: point at it
            break
        kept.append(step)
        current = _unwrap(fields[step].annotation, list_item=False)
    return tuple(kept)


def _unwrap(annotation: Any, list_item: bool) -> Any:
    """From `list[Action] | None` to Action (for an index) or to list[Action] (for a field)."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        annotation = options[0] if len(options) == 1 else annotation
        origin = get_origin(annotation)
    if list_item and origin is list:
        return get_args(annotation)[0]
    return annotation


def _fields_of(model: type[BaseModel], loc: tuple[PathKey, ...]) -> set[str]:
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            current = _unwrap(current, list_item=True)
        else:
            fields = getattr(current, "model_fields", {})
            current = _unwrap(fields[step].annotation, list_item=False) if step in fields else None
    return set(getattr(current, "model_fields", {}))
