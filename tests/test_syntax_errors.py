"""Syntax errors point at the mistake: the first place given is where the person must look.

Each case is a real file on disk, read by the real loader (and, for a few, by `validate`), and
asserts the line and column reported and a plain-words message and hint.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SHIPPED_PLAN
from datracker.core.problems import Problem
from datracker.plan.store import load_plan

GOOD = """\
id: A
title: Promote healthy relationships
actions:
  - id: A1
    objective: Raise awareness
    owners: [amy-ford, bruce-marr]
    updates:
      - review: r1
        rag: AMBER
        text: Training planned.
  - id: A2
    objective: Audit
"""


def problem_in(tmp_path: Path, text: str) -> Problem:
    """The one error reported for a priority file holding `text`, read from disk."""
    from conftest import write_plan

    root = write_plan(tmp_path / "plan", a="id: Z\ntitle: placeholder\n")
    (root / "priorities" / "a.yaml").write_text(text, encoding="utf-8")
    errors = [p for p in load_plan(root).problems if p.severity == "error"]
    assert len(errors) == 1, errors
    return errors[0]


# (name, the good file changed, line, column, words in the message, words in the hint)
CASES = [
    (
        "unclosed double quote",
        GOOD.replace("text: Training planned.", 'text: "Training planned.'),
        10,
        15,
        'the " opened here is never closed',
        'add the closing "',
    ),
    (
        "unclosed single quote",
        GOOD.replace("objective: Audit", "objective: 'Audit"),
        12,
        16,
        "the ' opened here is never closed",
        "written twice, as in 'it''s'",
    ),
    (
        "quote inside single quotes",
        GOOD.replace("objective: Audit", "objective: 'Audit the service's work'"),
        12,
        34,
        "the text goes on after its closing '",
        "written twice",
    ),
    (
        "key indented less than its neighbours",
        GOOD.replace("    owners: [amy-ford", "   owners: [amy-ford"),
        6,
        4,
        "not lined up with the lines above it",
        "line it up with 'objective:' on line 5",
    ),
    (
        "key indented more than the line above",
        GOOD.replace("    owners: [amy-ford", "      owners: [amy-ford"),
        6,
        7,
        "indented more than line 5, so YAML reads 'owners:' as more of the text above",
        "line it up with 'objective:' on line 5",
    ),
    (
        "update key indented less",
        GOOD.replace("        text: Training", "       text: Training"),
        10,
        8,
        "not lined up with the lines above it",
        "line it up with 'rag:' on line 9",
    ),
    (
        "missing space after a colon",
        GOOD.replace("title: Promote", "title:Promote"),
        2,
        6,
        "'title:Promote' needs a space after the colon",
        "write it as 'title: Promote'",
    ),
    (
        "missing space after a colon in a list item",
        GOOD.replace("  - id: A2", "  - id:A2"),
        11,
        7,
        "'id:A2' needs a space after the colon",
        "write it as 'id: A2'",
    ),
    (
        "a line with no colon",
        GOOD.replace("title: Promote healthy relationships", "title Promote healthy"),
        2,
        1,
        "no ':' after its first word",
        "'key: value'",
    ),
    (
        "a tab in the indentation",
        GOOD.replace("    objective: Audit", "\tobjective: Audit"),
        12,
        1,
        "a tab is used here",
        "spaces only",
    ),
    (
        "unclosed bracket",
        GOOD.replace("[amy-ford, bruce-marr]", "[amy-ford, bruce-marr"),
        6,
        13,
        "the '[' opened here is never closed",
        "close it with ']'",
    ),
    (
        "extra closing bracket",
        GOOD.replace("[amy-ford, bruce-marr]", "[amy-ford, bruce-marr]]"),
        6,
        35,
        "a ']' with no opening bracket",
        "remove it",
    ),
    (
        "a list item under a mapping",
        GOOD.replace("    objective: Audit", "    objective: Audit\n    - owner: amy-ford"),
        13,
        5,
        "a list item ('- …') where YAML expects 'key: value'",
        "indented under it",
    ),
    (
        "a colon inside a value",
        GOOD.replace("objective: Audit", "objective: Audit: health"),
        12,
        21,
        "': ' inside a value",
        "must be quoted",
    ),
    (
        "an unknown escape in double quotes",
        GOOD.replace("objective: Audit", 'objective: "C:\\plans"'),
        12,
        19,
        "'\\p' is not an escape YAML knows",
        "single quotes",
    ),
    (
        "merge conflict markers",
        GOOD.replace(
            "        rag: AMBER\n",
            "<<<<<<< HEAD\n        rag: AMBER\n=======\n        rag: GREEN\n>>>>>>> amy/a1\n",
        ),
        9,
        1,
        "unresolved merge conflict: git's markers (<<<<<<<, ======= and >>>>>>>) are still in "
        "it, on lines 9, 11, 13",
        "delete the three marker lines",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_first_place_given_is_the_mistake(
    tmp_path: Path, text: str, line: int, column: int, message: str, hint: str
) -> None:
    assert text != GOOD
    problem = problem_in(tmp_path, text)
    assert (problem.line, problem.column) == (line, column), problem
    assert message in problem.message
    assert hint in (problem.hint or "")


def test_conflict_markers_are_named_even_where_yaml_would_read_them(tmp_path: Path) -> None:
    # markers inside a block of text still parse as YAML: they are reported all the same
    text = GOOD.replace(
        "        text: Training planned.\n",
        "        text: |\n          Training\n<<<<<<< HEAD\n          planned\n>>>>>>> b\n",
    )
    problem = problem_in(tmp_path, text)
    assert (problem.code, problem.line, problem.column) == ("merge-conflict", 12, 1)


def test_an_unclosed_quote_in_the_shipped_plan_is_reported_where_it_opens(
    run, tmp_path: Path
) -> None:
    """The issue's case: reported at the end of the file (180:1) instead of the quote."""
    plan = tmp_path / "plan"
    shutil.copytree(SHIPPED_PLAN, plan)
    path = plan / "priorities" / "a-healthy-relationships.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = lines.index("    note: No progress after 18 months\n")  # A6, near the end
    lines[number] = '    note: "No progress after 18 months\n'
    path.write_text("".join(lines), encoding="utf-8")
    result = run("validate", "--plan", plan)
    assert result.code == 1
    assert (
        f'priorities/a-healthy-relationships.yaml:{number + 1}:11: error: the " opened here '
        "is never closed" in result.out
    )
    assert len(lines) > number + 5  # libyaml gives up at the end of the file, lines later
