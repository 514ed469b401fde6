"""The command tree, walked: every leaf command, and values that let one run far enough.

Shared by the tests that hold every command to one rule (exit codes, whole-plan answers), so
a command added later is covered without being listed by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from typer.main import get_command

from datracker.cli import app


def leaf_commands(
    command: Any, words: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield words, command
        return
    for name, sub in subcommands.items():
        yield from leaf_commands(sub, (*words, name))


COMMANDS = dict(leaf_commands(get_command(app)))

# Values that let a command get as far as the parameter under test.
GOOD = {
    "ID": "A1",
    "MEASURE": "1",
    "LABEL": "Update July 2022",
    "KIND": "plan",
    "FILE": "{source}",
    "--period": "2022-04",
    "--value": "3",
    "--base": "HEAD",
    "--output": "{tmp}/out",
    "--date": "2022-05-03",
    "PRIORITY": "A",
}


def param_key(param: Any) -> str:
    """How a parameter is named in a test: an option by its long flag, an argument by its
    metavar (e.g. ID)."""
    if param.param_type_name == "option":
        return next(o for o in param.opts if o.startswith("--"))
    return (param.metavar or param.name).strip("[]").upper()
