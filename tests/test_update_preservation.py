"""Byte-exact preservation: after an edit, the file is the original with exactly the expected
lines inserted or replaced. Comments, CRLF, block scalars, flow lists, blank lines, quoting
and a missing final newline all survive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PLAN_YAML, write_plan
from datracker.edit.planwrite import Options
from datracker.edit.reviews import GitOptions, OpenRequest, close_review, open_review
from datracker.edit.updates import PointRequest, UpdateRequest, record_point, record_update
from datracker.edit.yamlscalar import double_quoted, field_lines

TODAY = dt.date(2022, 5, 1)

ORIGINAL = """\
# yaml-language-server: $schema=../../schema/priority.schema.json
id: A   # the priority
title: 'Promote: healthy relationships'
actions:
  - id: A1   # end-of-line comment on the id
    objective: "Raise awareness"
    measures:
      - description: Number of requests
        data: [{period: 2021-01, value: 8}]   # flow list
    owners: [amy-ford, bruce-marr]

    updates:
      - review: r1
        rag: RED
        text: >-
          Folded text that runs
          over two lines.
      # a comment between updates
  # a comment that belongs to A2
  - id: A2
    objective: |
      Literal block
        with indentation kept

    owners:
      - amy-ford
    measures:
      - description: Cases
    updates: []   # nothing yet
"""

NEW_A1 = """\
      - review: r2
        date: 2022-04-20
        rag: GREEN
        text: Done.
"""


def _plan(tmp_path: Path, text: str, newline: str = "\n") -> tuple[Path, Path]:
    root = write_plan(tmp_path / "plan")
    target = root / "priorities" / "a.yaml"
    target.write_bytes(text.replace("\n", newline).encode())
    return root, target


def _update(root: Path, action: str = "A1", **fields: str) -> None:
    fields.setdefault("date", "2022-04-20")
    record_update(root, UpdateRequest(action, **fields), Options(), today=TODAY)


def test_append_update_inserts_only_its_lines(tmp_path: Path) -> None:
    root, target = _plan(tmp_path, ORIGINAL)
    _update(root, rag="green", text="Done.")
    anchor = "          over two lines.\n"
    assert target.read_text() == ORIGINAL.replace(anchor, anchor + NEW_A1)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_endings_survive(tmp_path: Path, newline: str) -> None:
    root, target = _plan(tmp_path, ORIGINAL, newline)
    _update(root, rag="green", text="Done.")
    anchor = "          over two lines.\n"
    expected = ORIGINAL.replace(anchor, anchor + NEW_A1).replace("\n", newline)
    assert target.read_bytes() == expected.encode()


def test_flow_list_becomes_block_and_keeps_its_comment(tmp_path: Path) -> None:
    root, target = _plan(tmp_path, ORIGINAL)
    _update(root, "A2", rag="amber", text="Started.")
    expected = ORIGINAL.replace(
        "    updates: []   # nothing yet\n",
        "    updates:   # nothing yet\n"
        "      - review: r2\n"
        "        date: 2022-04-20\n"
        "        rag: AMBER\n"
        "        text: Started.\n",
    )
    assert target.read_text() == expected


def test_replacing_an_update_changes_only_its_lines(tmp_path: Path) -> None:
    root, target = _plan(tmp_path, ORIGINAL)
    _update(root, rag="green", text="Done.")
    once = target.read_text()
    _update(root, rag="amber")  # re-run: RAG replaced, text kept
    assert target.read_text() == once.replace("        rag: GREEN\n", "        rag: AMBER\n")


def test_update_for_an_earlier_review_goes_before_later_ones(tmp_path: Path) -> None:
    text = ORIGINAL.replace("review: r1", "review: r2")
    plan_yaml = PLAN_YAML.replace("status: closed", "status: open").replace(
        "    status: open\nowners", "    status: closed\nowners"
    )
    root, target = _plan(tmp_path, text)
    (root / "plan.yaml").write_text(plan_yaml)
    _update(root, rag="amber", text="Earlier.", review="r1")
    new = (
        "      - review: r1\n        date: 2022-04-20\n        rag: AMBER\n        text: Earlier.\n"
    )
    assert target.read_text() == text.replace("      - review: r2\n", new + "      - review: r2\n")


def test_no_final_newline_stays_missing(tmp_path: Path) -> None:
    text = ORIGINAL.replace("    updates: []   # nothing yet\n", "    status: new")
    root, target = _plan(tmp_path, text)
    _update(root, "A2", rag="red", text="Late.")
    expected = text + (
        "\n    updates:\n      - review: r2\n        date: 2022-04-20\n"
        "        rag: RED\n        text: Late."
    )
    assert target.read_text() == expected


def test_status_inserted_after_id_and_replaced_in_place(tmp_path: Path) -> None:
    root, target = _plan(tmp_path, ORIGINAL)
    _update(root, "A2", status="complete")
    inserted = ORIGINAL.replace("  - id: A2\n", "  - id: A2\n    status: complete\n")
    assert target.read_text() == inserted
    _update(root, "A2", status="active")
    assert target.read_text() == inserted.replace("status: complete", "status: active")


def test_long_and_awkward_text_is_quoted_or_folded_and_reads_back(tmp_path: Path) -> None:
    root, target = _plan(tmp_path, ORIGINAL)
    text = "Update: done # not a comment, 'quoted' and \"double\"; " + "word " * 40 + "end"
    _update(root, rag="green", text=text, qualifier="- stalled: Covid")
    data = yaml.safe_load(target.read_text())
    update = data["actions"][0]["updates"][-1]
    assert update["text"] == text.replace("  ", " ")  # the text as cleaned (no double spaces)
    assert update["qualifier"] == "- stalled: Covid"
    assert target.read_text().startswith(ORIGINAL.split("          over two lines.\n")[0])


def test_multi_line_text_is_a_literal_block(tmp_path: Path) -> None:
    root, target = _plan(tmp_path, ORIGINAL)
    _update(root, rag="green", text="First paragraph.\n\n  Indented second.")
    assert "        text: |-\n          First paragraph.\n\n            Indented second.\n" in (
        target.read_text()
    )
    data = yaml.safe_load(target.read_text())
    assert data["actions"][0]["updates"][-1]["text"] == "First paragraph.\n\n  Indented second."


def test_measure_point_into_flow_list_is_added_in_flow_style(tmp_path: Path) -> None:
    root, target = _plan(tmp_path, ORIGINAL)
    request = PointRequest("A1", "number", "2021-02", 2, note="February")
    record_point(root, request, Options(), today=TODAY)
    expected = ORIGINAL.replace(
        "        data: [{period: 2021-01, value: 8}]   # flow list\n",
        "        data: [{period: 2021-01, value: 8}, {period: 2021-02, value: 2, note: February}]"
        "   # flow list\n",
    )
    assert target.read_text() == expected


def test_measure_point_added_to_a_measure_without_data(tmp_path: Path) -> None:
    root, target = _plan(tmp_path, ORIGINAL)
    record_point(root, PointRequest("A2", "1", "2021/22", 3.5, of=10), Options(), today=TODAY)
    expected = ORIGINAL.replace(
        "      - description: Cases\n",
        "      - description: Cases\n"
        "        data:\n          - period: 2021/22\n            value: 3.5\n            of: 10\n",
    )
    assert target.read_text() == expected


def test_review_open_and_close_touch_only_their_lines(tmp_path: Path) -> None:
    plan_yaml = (
        "# the plan\r\nstrategy:\r\n  title: T   # title\r\nreviews:\r\n"
        "  - id: r1\r\n    label: 'Update January 2022'\r\n    date: 2022-01\r\n"
        "    status: closed\r\n# owners follow\r\nowners:\r\n  - id: amy-ford\r\n"
        "    name: Amy Ford\r\n"
    )
    root = write_plan(tmp_path / "plan")
    (root / "plan.yaml").write_bytes(plan_yaml.encode())
    (root / "priorities" / "a.yaml").write_text(ORIGINAL.replace(", bruce-marr", ""))
    open_review(root, OpenRequest("Update April 2022", "r2", "2022-04-30"), GitOptions(), TODAY)
    new = (
        "  - id: r2\r\n    label: Update April 2022\r\n    date: 2022-04-30\r\n    status: open\r\n"
    )
    opened = plan_yaml.replace("    status: closed\r\n", "    status: closed\r\n" + new)
    assert (root / "plan.yaml").read_bytes() == opened.encode()
    close_review(root, None, GitOptions(), today=TODAY)
    closed = opened.replace("status: open", "status: closed")
    assert (root / "plan.yaml").read_bytes() == closed.encode()


def test_keep_chomping_block_scalar_keeps_its_trailing_lines(tmp_path: Path) -> None:
    text = ORIGINAL.replace(
        "          over two lines.\n",
        "          over two lines.\n        qualifier: |+\n          q\n\n",
    )
    root, target = _plan(tmp_path, text)
    _update(root, rag="green", text="Done.")
    data = yaml.safe_load(target.read_text())
    assert data["actions"][0]["updates"][0]["qualifier"] == "q\n\n"
    assert data["actions"][0]["updates"][1]["text"] == "Done."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300))
def test_every_text_reads_back_exactly(value: str) -> None:
    lines = field_lines("text", value, 8)
    node = yaml.compose("\n".join(lines) + "\n", Loader=yaml.CSafeLoader)
    assert node.value[0][1].value == value


@given(st.text(max_size=50))
def test_double_quoted_reads_back(value: str) -> None:
    assert yaml.safe_load(f"k: {double_quoted(value)}")["k"] == value


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("#C00000", '    colour: "#C00000"'),
        ("Yes: with conditions", '    colour: "Yes: with conditions"'),
        ("On track", "    colour: On track"),
    ],
)
def test_a_short_text_stays_on_its_line(value: str, written: str) -> None:
    """A value that cannot be written plain is quoted on its line; a block (`>-`) is for text
    too long for the line, never for a colour like #C00000."""
    assert field_lines("colour", value, 4) == [written]
