"""The command line: parse, call the core, print, choose the exit code. Nothing else lives here.

Each module registers its commands on the one Typer app in `app.py` when imported; the order of
the imports below is the order of `datracker --help`, which follows a review's workflow.

The command modules do not use `from __future__ import annotations`: Typer reads every
command's signature on every run, and string annotations would be evaluated twice each time
(about 20 ms of each command's start). Names imported only for type checking are quoted.
"""

# isort: off
from datracker.cli import plan_cmds  # noqa: F401  validate, status, show
from datracker.cli import record_cmds  # noqa: F401  update, measure, review
from datracker.cli import pr_cmds  # noqa: F401  check, chase
from datracker.cli import history_cmds  # noqa: F401  diff, history
from datracker.cli import document_cmds  # noqa: F401  render, import, export
from datracker.cli import setup_cmds  # noqa: F401  init, codeowners, schema

# isort: on
from datracker.cli.app import app, main

__all__ = ["app", "main"]
