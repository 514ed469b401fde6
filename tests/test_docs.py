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


HELP_PAGES = [[n] for n in COMMANDS if n != "review"] + [
    ["review", sub] for sub in ("open", "list", "assess", "close")
]


@pytest.mark.parametrize("words", HELP_PAGES, ids=" ".join)
def test_command_help_has_an_example(run, words: list[str]) -> None:
    result = run(*words, "--help")
    assert result.code == 0, result.err
    assert "Example: datracker " + " ".join(words) in " ".join(result.out.split())
