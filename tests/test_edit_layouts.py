"""Unusual but valid layouts: each is edited keeping every byte the user wrote, or refused
with the line and what to change (issue 22, points 2 and 4). Never "report this as a bug"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from conftest import PLAN_YAML, write_plan
from datracker.core.problems import DatrackerError
from datracker.edit.planwrite import Options
from datracker.edit.updates import PointRequest, UpdateRequest, record_point, record_update

TODAY = dt.date(2022, 5, 1)
LONG = " ".join(["Two joint workshops were held with the police this quarter."] * 3)
R1_OPEN = (
    PLAN_YAML.replace("status: closed", "status: was-closed")
    .replace("status: open", "status: closed")
    .replace("status: was-closed", "status: open")
)

HEAD = """\
id: A
title: T
actions:
  - id: A1
    owners:
      - amy-ford
    measures:
      - description: Cases
"""

NEW_R2 = "      - review: r2\n        date: 2022-04-20\n        rag: GREEN\n        text: Done.\n"


def _plan(tmp_path: Path, text: str, plan_yaml: str = PLAN_YAML) -> tuple[Path, Path]:
    root = write_plan(tmp_path / "plan", plan_yaml)
    target = root / "priorities" / "a.yaml"
    target.write_bytes(text.encode())
    return root, target


def _update(root: Path, text: str = "Done.", review: str = "r2", **fields: str) -> None:
    request = UpdateRequest("A1", "green", None, None, text, "2022-04-20", review, **fields)
    record_update(root, request, Options(), TODAY)


def _text_of_updates(target: Path) -> list[str | None]:
    data = yaml.safe_load(target.read_bytes().decode())
    return [u.get("text") for u in data["actions"][0]["updates"]]


# --- point 2: flow lists keep their entries' bytes ------------------------------------------


def test_flow_updates_get_a_flow_entry_and_keep_quotes_and_comment(tmp_path: Path) -> None:
    flow = "    updates: [{review: r1, rag: RED, qualifier: '1e3', text: '2022-01-05'}]  # c\n"
    root, target = _plan(tmp_path, HEAD + flow)
    _update(root)
    new = "{review: r2, date: 2022-04-20, rag: GREEN, text: Done.}"
    assert target.read_text() == HEAD + flow.replace("}]", "}, " + new + "]")


def test_flow_data_keeps_a_leading_zero_and_quoted_date(tmp_path: Path) -> None:
    text = HEAD.replace(
        "      - description: Cases\n",
        "      - description: Cases\n"
        "        data: [{period: 2021-01, value: 010},"
        " {period: 2021-03, value: 4, note: '2022-01-05'}]\n",
    )
    root, target = _plan(tmp_path, text)
    record_point(root, PointRequest("A1", "1", "2021-02", 2.5, note="1e3"), Options(), TODAY)
    new = '{period: 2021-02, value: 2.5, note: "1e3"}, '
    assert target.read_text() == text.replace("{period: 2021-03", new + "{period: 2021-03")


def test_multi_line_flow_list_gets_a_line_like_its_others(tmp_path: Path) -> None:
    flow = "    updates: [\n      {review: r1, rag: RED},   # first\n    ]\n"
    root, target = _plan(tmp_path, HEAD + flow)
    _update(root, "Done: with a colon")
    new = '      {review: r2, date: 2022-04-20, rag: GREEN, text: "Done: with a colon"},\n'
    assert target.read_text() == HEAD + flow.replace("    ]\n", new + "    ]\n")


def test_flow_entry_for_an_earlier_review_goes_before_and_replacing_touches_only_it(
    tmp_path: Path,
) -> None:
    flow = "    updates: [{review: r2, rag: RED, text: 'yes'}]\n"
    root, target = _plan(tmp_path, HEAD + flow, R1_OPEN)
    _update(root, LONG, review="r1")
    first = "{review: r1, date: 2022-04-20, rag: GREEN, text: " + LONG + "}, "
    inserted = HEAD + flow.replace("[{review: r2", "[" + first + "{review: r2")
    assert target.read_text() == inserted
    _update(root, "Redone.", review="r1")
    assert target.read_text() == inserted.replace(LONG, "Redone.")


def test_block_list_of_one_line_entries_gets_a_one_line_entry(tmp_path: Path) -> None:
    text = HEAD + "    updates:\n      - {review: r1, rag: RED}   # old\n"
    root, target = _plan(tmp_path, text)
    _update(root)
    new = "      - {review: r2, date: 2022-04-20, rag: GREEN, text: Done.}\n"
    assert target.read_text() == text + new


@pytest.mark.parametrize(("majority", "stray"), [("\n", "\r\n"), ("\r\n", "\n")])
def test_new_lines_follow_the_majority_line_ending(
    tmp_path: Path, majority: str, stray: str
) -> None:
    text = (HEAD + "    updates:\n      - review: r1\n        rag: RED\n").replace("\n", majority)
    text = text.replace("    owners:" + majority, "    owners:" + stray, 1)
    root, target = _plan(tmp_path, text)
    _update(root)
    assert target.read_bytes() == (text + NEW_R2.replace("\n", majority)).encode()


# --- point 4: layouts that used to be "a bug" -----------------------------------------------


def test_comment_under_the_last_text_stays_with_it(tmp_path: Path) -> None:
    kept = "      - review: r1\n        rag: RED\n        text: Done.\n          # a note on it\n"
    after = "  - id: A2\n    owners: [amy-ford]\n"
    root, target = _plan(tmp_path, HEAD + "    updates:\n" + kept + after)
    _update(root, LONG)
    written = target.read_text()
    assert written.startswith(HEAD + "    updates:\n" + kept + "      - review: r2\n")
    assert written.endswith(after)
    assert _text_of_updates(target) == ["Done.", LONG]


def test_comment_under_a_replaced_text_is_not_taken_in(tmp_path: Path) -> None:
    kept = "          # a note on it\n"
    text = HEAD + "    updates:\n      - review: r2\n        rag: RED\n        text: Done.\n" + kept
    root, target = _plan(tmp_path, text)
    _update(root, LONG)
    assert target.read_text().endswith(kept)
    assert _text_of_updates(target) == [LONG]


@pytest.mark.parametrize("header", ["|", "|+", ">"])
def test_final_block_text_without_line_break_is_refused_with_its_line(
    run, tmp_path: Path, header: str
) -> None:
    text = HEAD + f"    updates:\n      - review: r1\n        rag: RED\n        text: {header}\n"
    text += "          Done."
    root, target = _plan(tmp_path, text)
    result = run("update", "A1", "--rag", "green", "--date", "2022-04-20", "--plan", root)
    assert result.code == 1
    assert f"the '{header}' text that starts on line 12 ends the file" in result.err
    assert "end the file with a line break" in result.err
    assert "bug" not in result.err
    assert target.read_text() == text
    target.write_text(text + "\n")  # as the message says
    assert run("update", "A1", "--rag", "green", "--date", "2022-04-20", "--plan", root).code == 0


def test_final_strip_text_without_line_break_is_extended(tmp_path: Path) -> None:
    text = HEAD + "    updates:\n      - review: r1\n        rag: RED\n        text: |-\n"
    text += "          Done."
    root, target = _plan(tmp_path, text)
    _update(root)
    assert target.read_text() == text + "\n" + NEW_R2.rstrip("\n")


def test_dash_alone_on_its_line(tmp_path: Path) -> None:
    entry = "      -   # the January update\n        review: r2\n        rag: RED\n"
    root, target = _plan(tmp_path, HEAD + "    updates:\n" + entry, R1_OPEN)
    _update(root, "Earlier.", review="r1")  # inserted before the entry, not inside it
    earlier = NEW_R2.replace("r2", "r1").replace("Done.", "Earlier.")
    assert target.read_text() == HEAD + "    updates:\n" + earlier + entry
    (root / "plan.yaml").write_text(PLAN_YAML)
    _update(root, "Replaced.")  # the whole entry, its dash line too, is replaced
    replaced = NEW_R2.replace("Done.", "Replaced.")
    assert target.read_text() == HEAD + "    updates:\n" + earlier + replaced


def test_space_only_line_deeper_than_a_folded_text_stays_in_it(tmp_path: Path) -> None:
    folded = "      - review: r1\n        rag: RED\n        text: >-\n          Folded\n"
    folded += "              \n"  # more spaces than the text's indent: part of the value
    root, target = _plan(tmp_path, HEAD + "    updates:\n" + folded + "  - id: A2\n")
    before = _text_of_updates(target)
    _update(root)
    assert target.read_text() == HEAD + "    updates:\n" + folded + NEW_R2 + "  - id: A2\n"
    assert _text_of_updates(target) == [*before, "Done."]


def test_cr_only_line_endings(tmp_path: Path) -> None:
    text = (HEAD + "    updates:\n      - review: r1\n        rag: RED\n").replace("\n", "\r")
    root, target = _plan(tmp_path, text)
    _update(root)
    record_update(root, UpdateRequest("A1", status="complete"), Options(), TODAY)
    record_point(root, PointRequest("A1", "1", "2021-10", 3), Options(), TODAY)
    expected = (
        text.replace("  - id: A1\r", "  - id: A1\r    status: complete\r")
        .replace("Cases\r", "Cases\r        data:\r          - period: 2021-10\r")
        .replace("2021-10\r", "2021-10\r            value: 3\r")
    ) + NEW_R2.replace("\n", "\r")
    assert target.read_bytes() == expected.encode()


def test_seq_tag_before_a_list(tmp_path: Path) -> None:
    text = HEAD + "    updates: !!seq\n      - review: r1\n        rag: RED\n"
    root, target = _plan(tmp_path, text)
    _update(root)
    assert target.read_text() == text + NEW_R2


def test_str_tag_on_a_keep_block_text_keeps_its_blank_lines(tmp_path: Path) -> None:
    text = HEAD + "    updates:\n      - review: r1\n        text: !!str |+\n          q\n\n"
    root, target = _plan(tmp_path, text)
    _update(root)
    assert target.read_text() == text + NEW_R2
    assert _text_of_updates(target) == ["q\n\n", "Done."]


def test_tagged_status_is_replaced_in_place(tmp_path: Path) -> None:
    text = HEAD.replace("  - id: A1\n", "  - id: !!str A1\n    status: !!str active\n")
    root, target = _plan(tmp_path, text)
    record_update(root, UpdateRequest("A1", status="complete"), Options(), TODAY)
    assert target.read_text() == text.replace("!!str active", "complete")


def test_flow_style_action_is_refused_with_its_line(tmp_path: Path) -> None:
    text = "id: A\ntitle: T\nactions:\n  - {id: A1, owners: [amy-ford]}\n"
    root, target = _plan(tmp_path, text)
    with pytest.raises(DatrackerError) as raised:
        _update(root)
    assert "on line 4" in raised.value.message
    assert raised.value.hint and "one field per line" in raised.value.hint
    assert target.read_text() == text
