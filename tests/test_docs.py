"""Every command a user can run is in the command reference, and its help ends with an example."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command

from conftest import REPO
from datracker.cli import app

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
REFERENCE = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")


def test_every_command_is_known() -> None:
    assert len(COMMANDS) >= 16, COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_a_reference_section(name: str) -> None:
    assert re.search(rf"^## `datracker {re.escape(name)}\b", REFERENCE, re.M), name


HELP_PAGES = (
    [[n] for n in COMMANDS if n not in ("review", "owner")]
    + [["review", sub] for sub in ("open", "list", "assess", "close", "approve", "tag")]
    + [["owner", sub] for sub in ("email", "maintainer")]
)


@pytest.mark.parametrize("words", HELP_PAGES, ids=" ".join)
def test_command_help_has_an_example(run, words: list[str]) -> None:
    result = run(*words, "--help")
    assert result.code == 0, result.err
    assert "Example: datracker " + " ".join(words) in " ".join(result.out.split())


# --- one vocabulary ---------------------------------------------------------------------------

from test_exit_codes import COMMANDS as LEAVES  # noqa: E402

VALUE_NAME = re.compile(r'^(\[?[A-Z][A-Z_-]*\]?|"NAME <EMAIL>")$')
READ_NO_PLAN = {("init",), ("import",), ("schema",)}
LISTINGS = {("validate",), ("status",), ("show",), ("review", "list"), ("chase",), ("diff",),
            ("history",), ("check",), ("export",), ("codeowners",)}  # fmt: skip


@pytest.mark.parametrize("words", sorted(LEAVES), ids=" ".join)
def test_help_names_values_one_way(run, words: tuple[str, ...]) -> None:
    out = run(*words, "--help").out
    usage = out.splitlines()[0]
    assert usage.startswith(f"Usage: datracker {' '.join(words)} [OPTIONS]"), usage
    for typer_style in ("{", "[[", "<str>", "<path>", "<int>", "<text>"):
        assert typer_style not in out, f"{typer_style} in:\n{out}"
    for param in LEAVES[words].params:
        takes_value = not getattr(param, "is_flag", False)
        if takes_value and param.name not in ("help", "version"):
            shown = param.metavar or param.name.upper()
            assert VALUE_NAME.match(shown), f"{words} {param.name}: {shown}"


@pytest.mark.parametrize("words", sorted(LEAVES), ids=" ".join)
def test_plan_and_json_options_where_they_belong(words: tuple[str, ...]) -> None:
    options = {o for p in LEAVES[words].params for o in getattr(p, "opts", [])}
    if words not in READ_NO_PLAN:
        assert "--plan" in options, f"{words} reads a plan but has no --plan"
    if words in LISTINGS:
        assert "--format" in options, f"{words} lists things but has no --format"
        assert json_accepted(words), f"{words}: --format json is not taken"


def json_accepted(words: tuple[str, ...]) -> bool:
    from datracker.core.problems import InvalidValue

    option = next(p for p in LEAVES[words].params if "--format" in getattr(p, "opts", []))
    try:
        return bool(option.callback(None, option, "json") == "json")
    except InvalidValue:
        return False


# `--format json` wherever a command has output (issue 18): render's --format names the
# document and schema's output is JSON already, both documented in docs/commands.md.
JSON_EXCEPTIONS = {("render",): "its --format names the document", ("schema",): "JSON already"}
NO_JSON_YET: set[tuple[str, ...]] = set()  # commands with output and no --format json yet


@pytest.mark.parametrize(
    "words",
    [
        pytest.param(w, marks=pytest.mark.xfail(strict=True, reason="no --format yet"))
        if w in NO_JSON_YET
        else w
        for w in sorted(LEAVES)
        if w not in JSON_EXCEPTIONS
    ],
    ids=" ".join,
)
def test_json_wherever_there_is_output(words: tuple[str, ...]) -> None:
    options = {o for p in LEAVES[words].params for o in getattr(p, "opts", [])}
    assert "--format" in options and json_accepted(words), f"{words}: no --format json"


def test_the_exception_is_documented() -> None:
    words = " ".join(REFERENCE.split())
    assert "**The one exception is `render`:**" in words
    assert "`render` is the one command without `--format json`" in words
