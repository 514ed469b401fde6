"""One test per validation rule: the message, the line and the column a user is pointed to."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from conftest import PLAN_YAML, PRIORITY_A, write_plan
from datracker.core.problems import DatrackerError, Problem
from datracker.plan.store import load_plan
from datracker.plan.validation import validate_plan

TODAY = dt.date(2022, 5, 1)


def problems_of(root: Path) -> list[Problem]:
    return validate_plan(load_plan(root), today=TODAY)


def only(problems: list[Problem], code: str) -> Problem:
    matching = [p for p in problems if p.code == code]
    assert len(matching) == 1, f"expected one {code}, got {problems}"
    return matching[0]


def at(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.path, problem.line, problem.column, problem.severity)


def test_the_base_fixture_is_clean(plan_dir: Path) -> None:
    assert problems_of(plan_dir) == []


def test_yaml_syntax_error_points_at_the_line(tmp_path: Path) -> None:
    broken = PRIORITY_A.replace("objective: Raise awareness", "objective: Raise: awareness")
    problem = only(problems_of(write_plan(tmp_path, a=broken)), "yaml-syntax")
    assert at(problem) == ("priorities/a.yaml", 5, 21, "error")
    assert "quoted" in (problem.hint or "")


def test_a_bad_indent_gets_a_hint(tmp_path: Path) -> None:
    broken = PRIORITY_A + "   - id: A2\n    objective: Too far in\n"
    problem = only(problems_of(write_plan(tmp_path, a=broken)), "yaml-syntax")
    assert "line it up with 'text:' on line 14" in (problem.hint or "")


def test_duplicate_key(tmp_path: Path) -> None:
    doubled = PRIORITY_A.replace("title: Promote", "id: B\ntitle: Promote")
    problem = only(problems_of(write_plan(tmp_path, a=doubled)), "duplicate-key")
    assert at(problem) == ("priorities/a.yaml", 2, 1, "error")
    assert problem.message == "'id' is given twice"
    assert "line 1" in (problem.hint or "")


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    typo = PRIORITY_A.replace("    objective:", "    objectiv:")
    problem = only(problems_of(write_plan(tmp_path, a=typo)), "unknown-field")
    assert at(problem) == ("priorities/a.yaml", 5, 5, "error")
    assert problem.message == "unknown field 'objectiv'"
    assert problem.hint == "did you mean 'objective'?"


def test_wrong_type(tmp_path: Path) -> None:
    numeric = PRIORITY_A.replace("title: Promote healthy relationships", "title: 2022")
    problem = only(problems_of(write_plan(tmp_path, a=numeric)), "wrong-type")
    assert at(problem) == ("priorities/a.yaml", 2, 8, "error")
    assert problem.message == "title should be text, not '2022'"


def test_a_figure_that_is_not_a_number(tmp_path: Path) -> None:
    """Figures may be whole or decimal: the message must not ask for a whole number."""
    figures = "      - description: Number of requests\n        data:\n"
    figures += "          - period: 2021-01\n            value: lots\n"
    wordy = PRIORITY_A.replace("      - description: Number of requests\n", figures)
    problem = only(problems_of(write_plan(tmp_path, a=wordy)), "wrong-type")
    assert at(problem) == ("priorities/a.yaml", 10, 20, "error")
    assert problem.message == "value should be a number, not 'lots'"


def test_missing_required_field(tmp_path: Path) -> None:
    untitled = PRIORITY_A.replace("title: Promote healthy relationships\n", "")
    problem = only(problems_of(write_plan(tmp_path, a=untitled)), "missing-field")
    assert at(problem) == ("priorities/a.yaml", 1, 1, "error")
    assert problem.message == "'title' is required but missing"


def test_invalid_date(tmp_path: Path) -> None:
    bad = PRIORITY_A.replace("date: 2022-04-10", "date: 2022-13-10")
    problem = only(problems_of(write_plan(tmp_path, a=bad)), "invalid-date")
    assert at(problem) == ("priorities/a.yaml", 12, 15, "error")
    assert "month 13" in problem.message


def test_invalid_period(tmp_path: Path) -> None:
    bad = PRIORITY_A.replace(
        "      - description: Number of requests\n",
        "      - description: Number of requests\n        data:\n          - period: Q3\n"
        "            value: 4\n",
    )
    problem = only(problems_of(write_plan(tmp_path, a=bad)), "invalid-period")
    assert at(problem) == ("priorities/a.yaml", 9, 21, "error")


def test_rag_not_on_the_scale_suggests_its_spelling(tmp_path: Path) -> None:
    loose = PRIORITY_A.replace("rag: AMBER", "rag: amber/ red")
    problem = only(problems_of(write_plan(tmp_path, a=loose)), "unknown-rag")
    assert at(problem) == ("priorities/a.yaml", 13, 14, "error")
    assert problem.hint == "write it as AMBER/RED"


def test_rag_nowhere_near_the_scale_lists_it(tmp_path: Path) -> None:
    loose = PRIORITY_A.replace("rag: AMBER", "rag: PURPLE")
    problem = only(problems_of(write_plan(tmp_path, a=loose)), "unknown-rag")
    assert problem.hint == "the scale is: RED, AMBER/RED, AMBER, AMBER/GREEN, GREEN"


def test_custom_scale_labels_need_not_be_colours(tmp_path: Path) -> None:
    scale = (
        "scale:\n"
        "  - {id: OFF TRACK, colour: '#C00000'}\n"
        "  - {id: AT RISK, colour: '#FFC000'}\n"
        "  - {id: ON TRACK, colour: '#00B050'}\n"
    )
    root = write_plan(tmp_path, PLAN_YAML + scale, a=PRIORITY_A.replace("AMBER", "AT RISK"))
    assert problems_of(root) == []


def test_duplicate_action_ids_across_files(tmp_path: Path) -> None:
    other = PRIORITY_A.replace("id: A\n", "id: B\n")
    problem = only(problems_of(write_plan(tmp_path, a=PRIORITY_A, b=other)), "duplicate-action")
    assert at(problem) == ("priorities/b.yaml", 4, 9, "error")
    assert problem.hint == "first defined at priorities/a.yaml:4; give each action its own id"


def test_owner_missing_from_directory(tmp_path: Path) -> None:
    named = PRIORITY_A.replace("- amy-ford", "- Bruce Marr")
    problem = only(problems_of(write_plan(tmp_path, a=named)), "unknown-owner")
    assert at(problem) == ("priorities/a.yaml", 9, 9, "error")
    assert problem.hint == "did you mean 'bruce-marr'?"


def test_update_names_unknown_review(tmp_path: Path) -> None:
    bad = PRIORITY_A.replace("review: r2", "review: r3")
    problem = only(problems_of(write_plan(tmp_path, a=bad)), "unknown-review")
    assert at(problem) == ("priorities/a.yaml", 11, 17, "error")
    assert problem.hint == "reviews are: r1, r2"


def _two_updates(first: str, second: str) -> str:
    return PRIORITY_A.replace(
        "      - review: r2\n        date: 2022-04-10\n",
        f"      - review: r1\n        date: {first}\n        rag: RED\n"
        f"      - review: r2\n        date: {second}\n",
    )


def test_update_dates_out_of_order(tmp_path: Path) -> None:
    root = write_plan(tmp_path, a=_two_updates("2022-04-20", "2022-04-10"))
    problem = only(problems_of(root), "update-order")
    assert at(problem) == ("priorities/a.yaml", 15, 15, "warning")


def test_updates_out_of_review_order_are_an_error_naming_both(tmp_path: Path) -> None:
    """A newer update typed above an older one (as a web editor invites) would not count."""
    newest_first = PRIORITY_A.replace(
        "      - review: r2\n        date: 2022-04-10\n",
        "      - review: r2\n        date: 2022-04-10\n        rag: GREEN\n"
        "      - review: r1\n        date: 2022-01-10\n",
    )
    problem = only(problems_of(write_plan(tmp_path, a=newest_first)), "updates-out-of-order")
    assert at(problem) == ("priorities/a.yaml", 11, 17, "error")  # the one to move
    assert problem.message == (
        "A1: the update for 'r2' is above the one for 'r1', an earlier review, so it would not "
        "give the action's RAG"
    )
    assert problem.hint == "updates go oldest first: move it below the update for 'r1'"


def test_update_date_in_the_future(tmp_path: Path) -> None:
    root = write_plan(tmp_path, a=PRIORITY_A.replace("2022-04-10", "2022-06-01"))
    problem = only(problems_of(root), "future-date")
    assert at(problem) == ("priorities/a.yaml", 12, 15, "error")


def test_two_updates_for_one_review(tmp_path: Path) -> None:
    doubled = _two_updates("2022-01-10", "2022-04-10").replace("review: r1", "review: r2")
    problem = only(problems_of(write_plan(tmp_path, a=doubled)), "duplicate-update")
    assert at(problem) == ("priorities/a.yaml", 14, 17, "error")


def test_active_action_past_due_is_a_warning(tmp_path: Path) -> None:
    late = PRIORITY_A.replace("    owners:", "    due: 2022-03\n    owners:")
    problem = only(problems_of(write_plan(tmp_path, a=late)), "overdue")
    assert at(problem) == ("priorities/a.yaml", 8, 10, "warning")


def test_complete_action_with_a_past_due_date_is_fine(tmp_path: Path) -> None:
    done = PRIORITY_A.replace("    owners:", "    due: 2022-03\n    status: complete\n    owners:")
    assert problems_of(write_plan(tmp_path, a=done)) == []


def test_active_action_without_owner_or_measure(tmp_path: Path) -> None:
    bare = (
        "id: A\ntitle: T\nactions:\n  - id: A1\n    updates:\n      - review: r2\n        text: x\n"
    )
    problems = problems_of(write_plan(tmp_path, a=bare))
    assert at(only(problems, "no-owner")) == ("priorities/a.yaml", 4, 9, "warning")
    assert at(only(problems, "no-measure")) == ("priorities/a.yaml", 4, 9, "warning")


def test_stale_action_has_no_update_for_the_latest_review(tmp_path: Path) -> None:
    old = PRIORITY_A.replace(
        "review: r2\n        date: 2022-04-10", "review: r1\n        date: 2022-01-10"
    )
    problem = only(problems_of(write_plan(tmp_path, a=old)), "stale")
    assert at(problem) == ("priorities/a.yaml", 4, 9, "warning")
    assert problem.message == "A1 has no update for the latest review, 'Update April 2022'"
    assert problem.hint == "record one with: datracker update A1"


def test_new_action_goes_stale_once_it_has_reported(tmp_path: Path) -> None:
    fresh = PRIORITY_A.replace("    owners:", "    status: new\n    owners:")
    assert problems_of(write_plan(tmp_path / "one", a=fresh.split("    updates:")[0])) == []
    reported = fresh.replace("review: r2\n        date: 2022-04-10", "review: r1")
    assert only(problems_of(write_plan(tmp_path / "two", a=reported)), "stale")


def test_yes_no_on_off_stay_words(tmp_path: Path) -> None:
    scale = "scale:\n  - {id: NO, colour: '#C00000'}\n  - {id: ON, colour: '#00B050'}\n"
    root = write_plan(tmp_path, PLAN_YAML + scale, a=PRIORITY_A.replace("rag: AMBER", "rag: ON"))
    assert problems_of(root) == []


def test_numeric_ids_are_read_as_text(tmp_path: Path) -> None:
    plan = PLAN_YAML.replace("id: r2", "id: 2022").replace("id: r1", "id: 2021")
    root = write_plan(tmp_path, plan, a=PRIORITY_A.replace("review: r2", "review: 2022"))
    assert problems_of(root) == []


def test_plan_yaml_errors_say_other_checks_were_skipped(tmp_path: Path) -> None:
    root = write_plan(tmp_path, PLAN_YAML.replace("strategy:", "strategie:"))
    assert only(problems_of(root), "checks-skipped").severity == "notice"


def test_green_for_three_reviews_is_a_notice(tmp_path: Path) -> None:
    plan = PLAN_YAML.replace(
        "reviews:\n",
        "reviews:\n  - id: r0\n    label: Update 2021\n    date: 2021-10\n    status: closed\n",
    )
    updates = "".join(f"      - review: {r}\n        rag: GREEN\n" for r in ("r0", "r1", "r2"))
    green = PRIORITY_A.split("    updates:\n")[0] + "    updates:\n" + updates
    problems = problems_of(write_plan(tmp_path, plan, a=green))
    assert at(only(problems, "green-streak")) == ("priorities/a.yaml", 4, 9, "notice")


def test_two_open_reviews(tmp_path: Path) -> None:
    plan = PLAN_YAML.replace("status: closed", "status: open")
    problem = only(problems_of(write_plan(tmp_path, plan)), "two-open-reviews")
    assert at(problem) == ("plan.yaml", 13, 13, "error")


def test_duplicate_owner_id(tmp_path: Path) -> None:
    plan = PLAN_YAML.replace("id: bruce-marr", "id: amy-ford")
    problem = only(problems_of(write_plan(tmp_path, plan)), "duplicate-owner")
    assert at(problem) == ("plan.yaml", 17, 9, "error")


def test_bom_is_refused_with_a_fix(tmp_path: Path) -> None:
    root = write_plan(tmp_path)
    path = root / "priorities" / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    problem = only(problems_of(root), "bom")
    assert at(problem) == ("priorities/a.yaml", 1, 1, "error")


def test_tab_indentation(tmp_path: Path) -> None:
    tabbed = PRIORITY_A.replace("    objective:", "\tobjective:")
    problem = only(problems_of(write_plan(tmp_path, a=tabbed)), "tab")
    assert at(problem) == ("priorities/a.yaml", 5, 1, "error")
    assert "spaces" in (problem.hint or "")


def test_empty_file(tmp_path: Path) -> None:
    problem = only(problems_of(write_plan(tmp_path, a="# nothing yet\n")), "empty-file")
    assert at(problem) == ("priorities/a.yaml", 1, 1, "error")


def test_not_utf8_points_at_the_byte(tmp_path: Path) -> None:
    root = write_plan(tmp_path)
    path = root / "priorities" / "a.yaml"
    path.write_bytes(path.read_bytes().replace(b"Training planned.", b"Caf\xe9 planned."))
    problem = only(problems_of(root), "encoding")
    assert at(problem) == ("priorities/a.yaml", 14, 18, "error")
    assert "0xe9" in problem.message


def test_control_character(tmp_path: Path) -> None:
    root = write_plan(tmp_path, a=PRIORITY_A.replace("Training planned.", "Training\x07 planned."))
    problem = only(problems_of(root), "control-character")
    assert at(problem)[:2] == ("priorities/a.yaml", 14)
    assert "U+0007" in problem.message


def test_aliases_are_refused_where_used(tmp_path: Path) -> None:
    aliased = PRIORITY_A.replace("title: Promote healthy relationships", "title: &t Promote")
    aliased = aliased.replace("objective: Raise awareness", "objective: *t")
    problem = only(problems_of(write_plan(tmp_path, a=aliased)), "yaml-alias")
    assert at(problem) == ("priorities/a.yaml", 5, 16, "error")


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 40)]
    bomb = "\n".join(lines) + "\n"
    problem = only(problems_of(write_plan(tmp_path, a=bomb)), "yaml-alias")
    assert problem.severity == "error"


def test_python_tags_are_refused(tmp_path: Path) -> None:
    tagged = PRIORITY_A.replace(
        "title: Promote healthy relationships", "title: !!python/object:os.system x"
    )
    problem = only(problems_of(write_plan(tmp_path, a=tagged)), "yaml-tag")
    assert at(problem) == ("priorities/a.yaml", 2, 8, "error")


def test_file_size_cap_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_plan(tmp_path)
    monkeypatch.setenv("DATRACKER_MAX_FILE_MB", "0.0001")
    problems = problems_of(root)
    assert [(p.path, p.code) for p in problems if p.severity == "error"] == [
        ("plan.yaml", "file-too-large"),
        ("priorities/a.yaml", "file-too-large"),
    ]
    assert problems[0].message.endswith("over the limit of 104 bytes")
    monkeypatch.setenv("DATRACKER_MAX_FILE_MB", "1")
    assert problems_of(root) == []


def test_link_to_a_file_outside_the_plan_is_refused(tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan")
    outside = tmp_path / "secret.yaml"
    outside.write_text(PRIORITY_A.replace("id: A\n", "id: Z\n").replace("A1", "Z1"))
    os.symlink(outside, root / "priorities" / "z.yaml")
    assert at(only(problems_of(root), "outside-link")) == ("priorities/z.yaml", 1, 1, "error")


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    many = PRIORITY_A.replace("objective:", "objectiv:").replace("rag: AMBER", "rag: PINK")
    many = many.replace("- amy-ford", "- nobody")
    other = "id: B\ntitle: [unclosed\n"
    codes = {p.code for p in problems_of(write_plan(tmp_path, a=many, b=other))}
    # the broken action is skipped for cross-file rules, but the other file's error still shows
    assert {"unknown-field", "yaml-syntax"} <= codes


def test_one_bad_action_does_not_hide_another(tmp_path: Path) -> None:
    two = PRIORITY_A + "  - id: A2\n    status: done\n"
    two += "  - id: A3\n    owners:\n      - nobody\n    status: complete\n"
    codes = [p.code for p in problems_of(write_plan(tmp_path, a=two))]
    assert "invalid-value" in codes and "unknown-owner" in codes


def test_a_directory_with_no_plan(tmp_path: Path) -> None:
    with pytest.raises(DatrackerError) as raised:
        load_plan(tmp_path)
    assert "no plan.yaml" in raised.value.message
    assert "--plan" in (raised.value.hint or "")


def test_ten_thousand_levels_of_nesting(tmp_path: Path) -> None:
    deep = "id: A\ntitle: T\nactions: " + "[" * 10_000 + "]" * 10_000 + "\n"
    problem = only(problems_of(write_plan(tmp_path, a=deep)), "too-deep")
    assert problem.path == "priorities/a.yaml" and problem.severity == "error"


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    root = write_plan(tmp_path)
    with (root / "priorities" / "big.yaml").open("wb") as big:
        big.truncate(100 * 2**20)  # sparse: the cap must trigger on size, without reading
    problem = only(problems_of(root), "file-too-large")
    assert problem.message == "the file is 100.0 MB, over the limit of 20.0 MB"
