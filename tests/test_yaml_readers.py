"""What datracker writes, every YAML reader reads the same (issue 22).

Owners' editors and CI tools do not use our reader: PyYAML's `safe_load` is YAML 1.1,
ruamel.yaml (test-only here) and VS Code's YAML extension are YAML 1.2. Values are written
through the real write path (`record_update`, `record_point`, the importer's writer), the
file is read back by all three, and each must give exactly what was meant; the shipped JSON
Schema must accept the result, as an editor using it would.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import REPO, write_plan
from datracker.core.text import CONTROL, unify_line_ends
from datracker.edit.planwrite import Options
from datracker.edit.updates import PointRequest, UpdateRequest, record_point, record_update
from datracker.edit.yamlscalar import field_lines, inline_scalar, plain_everywhere
from datracker.importing.planwriter import priority_yaml
from datracker.plan.models import Action, PriorityFile, Update
from datracker.plan.yamlread import parse_document

TODAY = dt.date(2022, 5, 1)
RUAMEL_12 = YAML(typ="safe", pure=True)  # ruamel's own YAML 1.2 parser, not libyaml's 1.1
PRIORITY_SCHEMA = json.loads((REPO / "schema" / "priority.schema.json").read_text())
DATE_KEYS = ("date", "approved")  # date fields: a full date is written as a date on purpose

PRIORITY = """\
id: A
title: T
actions:
  - id: A1
    objective: Block lists
    owners:
      - amy-ford
    measures:
      - description: Cases
        data:
          - period: 2021-01
            value: 8
    updates:
      - review: r1
        date: 2022-01-10
        rag: RED
        text: Started.
  - id: A2
    objective: Flow lists
    owners: [amy-ford]
    measures:
      - description: Cases
        data: [{period: 2021-01, value: 3, note: '2022-01-05'}]   # kept as written
    updates: [{review: r1, rag: RED, qualifier: '1e3'}]   # kept as written
"""

# Texts that some YAML reader takes as something else when written plain, or that need care.
TRICKY = [
    "2022-02-30", "2022-01-05", "2001-12-14 21:59:43.10 -5", "1e3", "1E3", "0o17", "0x1F",
    "0b101", "010", "1_000", "1:30", ".5", "1.", "+1", "-1", ".inf", "-.INF", ".NaN", "~",
    "null", "Null", "yes", "No", "on", "OFF", "y", "n", "True", "<<", "=", "_", "-", "- x",
    ": x", "a: b", "a:b", "a,b", "[a]", "{a}", "x]", "#x", "a #b", "'q'", '"q"', "@x", "`x",
    "%x", "!x", "&x", "*x", "|", ">", "?", "? x", "Met\tpolice", "\tindented", "é", "C:\\path",
    "  indented\nsecond", "first\n\n  second", "a\n#b", "Children's services", "x" * 250,
    " ".join(["word"] * 60), "Update: done # not a comment",
]  # fmt: skip
texts = st.one_of(
    st.sampled_from(TRICKY),
    st.lists(st.sampled_from(TRICKY), min_size=1, max_size=4).map(" ".join),
    st.text(min_size=1, max_size=120),
).filter(lambda t: bool(t.strip()) and not CONTROL.search(unify_line_ends(t)))
# every figure a plan may hold: validate refuses any beyond 2**53 either way (issue 16)
figures = st.one_of(
    st.integers(-(2**53), 2**53),
    st.floats(min_value=-(2**53), max_value=2**53, allow_nan=False, width=64),
)


def meant(text: str) -> str:
    """The text as datracker records it: Windows line ends made plain, ends trimmed."""
    return unify_line_ends(text).strip()


def readings(text: str) -> dict[str, Any]:
    """The file as each reader sees it; date fields' dates given as their text."""
    return {
        "PyYAML safe_load (YAML 1.1)": _dates_as_text(yaml.safe_load(text)),
        "ruamel.yaml (YAML 1.2)": _dates_as_text(RUAMEL_12.load(io.StringIO(text))),
        "datracker's reader": parse_document(text, "a.yaml").data,
    }


def _dates_as_text(data: Any, key: str | None = None) -> Any:
    """Only a date field's value may be read as a date: any other date is left to fail."""
    if isinstance(data, dict):
        return {k: _dates_as_text(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates_as_text(v) for v in data]
    if isinstance(data, dt.date) and key in DATE_KEYS:
        return data.isoformat()
    return data


def assert_every_reader_agrees(text: str) -> Any:
    """All readers give the same data, which the JSON Schema accepts; returns it."""
    seen = readings(text)
    ours = seen["datracker's reader"]
    for reader, data in seen.items():
        assert data == ours, f"{reader} reads the file differently:\n{text}"
        assert _types(data) == _types(ours), f"{reader} reads a number differently:\n{text}"
    jsonschema.Draft202012Validator(PRIORITY_SCHEMA).validate(ours)
    return ours


def _types(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _types(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_types(v) for v in data]
    return type(data).__name__


def _new_plan(tmp: str) -> tuple[Path, Path]:
    root = write_plan(Path(tmp) / "plan", a=PRIORITY)
    return root, root / "priorities" / "a.yaml"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    action=st.sampled_from(["A1", "A2"]),
    text=texts,
    qualifier=st.none() | texts,
    period=st.sampled_from(["2021-02", "2021-Q3", "2021/22", "2022"]),
    value=figures,
    # a part of a whole is never below zero (edit/questionable.py refuses it)
    of=st.none() | figures.map(abs),
    note=st.none() | texts,
)
def test_what_update_and_measure_write_every_reader_reads_as_meant(
    action: str,
    text: str,
    qualifier: str | None,
    period: str,
    value: float,
    of: float | None,
    note: str | None,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, target = _new_plan(tmp)
        if of is not None:
            value = abs(value)
        request = UpdateRequest(action, "green", None, qualifier, text, "2022-04-20", "r2")
        record_update(root, request, Options(), TODAY)
        point = PointRequest(action, "1", period, value, of, note)
        record_point(root, point, Options(), TODAY)
        written = target.read_text()
    assert "\t" not in written, "a tab must be escaped, never written raw"
    data = assert_every_reader_agrees(written)
    found = data["actions"][0 if action == "A1" else 1]
    update = {"review": "r2", "date": "2022-04-20", "rag": "GREEN", "text": meant(text)}
    if qualifier is not None:
        update["qualifier"] = meant(qualifier)
    assert found["updates"][-1] == update
    points = {p["period"]: p for p in found["measures"][0]["data"]}
    expected_point: dict[str, Any] = {"period": period, "value": value}
    if of is not None:
        expected_point["of"] = of
    if note is not None:
        expected_point["note"] = meant(note)
    assert points[period] == expected_point


@pytest.mark.parametrize("text", ["2022-02-30", "2022-01-05", "1e3", "0o17", "Met\tpolice"])
def test_the_reported_texts_read_the_same_everywhere(run, tmp_path: Path, text: str) -> None:
    root, target = _new_plan(str(tmp_path))
    result = run("update", "A1", "--text", text, "--rag", "green",
                 "--plan", root)  # fmt: skip
    assert result.code == 0, result.err
    result = run("measure", "A1", "1", "--period", "2021-02", "--value", "2", "--note", text,
                 "--plan", root)  # fmt: skip
    assert result.code == 0, result.err
    written = target.read_text()
    assert "\t" not in written
    action = assert_every_reader_agrees(written)["actions"][0]
    assert action["updates"][-1]["text"] == text
    assert action["measures"][0]["data"][-1]["note"] == text


@settings(max_examples=1500, deadline=None)
@given(st.one_of(texts, st.text(max_size=300)))
def test_each_way_of_writing_a_text_reads_back_everywhere(value: str) -> None:
    """The scalar writer alone, in block and in flow context, at two indents."""
    documents = [
        "\n".join(field_lines("text", value, 0)) + "\n",
        "a:\n  - b: 1\n" + "\n".join(field_lines("text", value, 4)) + "\n",
        f"a: [{{text: {inline_scalar(value, flow=True)}}}]\n",
    ]
    for document in documents:
        for reader, data in readings(document).items():
            got = data["text"] if "text" in data else data["a"][-1]["text"]
            assert got == value, f"{reader} reads {document!r} as {got!r}"


@settings(max_examples=500, deadline=None)
@given(figures)
def test_figures_keep_their_value_for_every_reader(value: float) -> None:
    document = f"value: {inline_scalar(value)}\nflow: [{inline_scalar(value, flow=True)}]\n"
    for reader, data in readings(document).items():
        for got in (data["value"], data["flow"][0]):
            assert got == value and type(got) is type(value), f"{reader}: {document!r}"


@pytest.mark.parametrize(
    "text", ["  indented\nsecond", "ends with a line break\n", "two breaks\n\n", "2022-01-05"]
)
def test_the_importer_writes_with_the_same_writer(text: str) -> None:
    """Issue 19: the importer's own writer made unparseable YAML and dropped a final break."""
    action = Action(id="A1", objective=text, updates=[Update(review="r1", rag="RED", text=text)])
    written = priority_yaml(PriorityFile(id="A", title="T", actions=[action]))
    data = assert_every_reader_agrees(written)
    assert data["actions"][0]["objective"] == text
    assert data["actions"][0]["updates"][0]["text"] == text


def _read_plain_differently(text: str) -> bool:
    document = f"k: {text}\n"
    try:
        return any(data["k"] != text for data in readings(document).values())
    except Exception:  # a reader refuses the file: that is reading it differently too
        return True


@pytest.mark.parametrize("text", TRICKY)
def test_the_plain_check_refuses_what_another_reader_reads_differently(text: str) -> None:
    if _read_plain_differently(text):
        assert not plain_everywhere(text)


@pytest.mark.parametrize(
    "text", ["Done.", "12 workshops held", "2022-04", "2021/22-Q1", "AMBER/GREEN", "Café"]
)
def test_ordinary_text_stays_plain(text: str) -> None:
    assert plain_everywhere(text) and not _read_plain_differently(text)
    assert field_lines("text", text, 8) == [f"        text: {text}"]
