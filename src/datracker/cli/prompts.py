"""Asking for an update at a terminal: the RAG from the scale, the text from $EDITOR or typed.

Only `datracker update` without --text, on a terminal, comes here; Ctrl-C at any prompt
leaves the plan untouched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from datracker.core.problems import DatrackerError

if TYPE_CHECKING:
    pass

from datracker.cli.app import (
    load,
)


def ask_update(
    plan: Path | None, action_id: str, review_id: str | None, rag: str | None
) -> tuple[str | None, str]:
    """The interactive questions; Ctrl-C here (or in the editor) writes nothing: exit 130."""
    from datracker.edit.updates import choose_review
    from datracker.plan.lookup import find_action

    the_plan = load(plan).require_plan()
    priority, action = find_action(the_plan, action_id)
    review = choose_review(the_plan.config, review_id)
    try:
        typer.echo(f"{action.id} ({priority.id}): {action.action or action.objective or ''}")
        last = action.updates[-1] if action.updates else None
        typer.echo(f"Current RAG: {action.rag or 'NOT RATED'}")
        if last is not None:
            typer.echo(f"Last update ({last.review}): {(last.text or '—')[:300]}")
        typer.echo(f"Recording the update for {review.label} ({review.id}).")
        if rag is None:
            rag = ask_rag([level.id for level in the_plan.config.scale], action.rag)
        text = ask_text(action.id, review.label)
    except KeyboardInterrupt:
        typer.echo("\ninterrupted; nothing was written", err=True)
        raise typer.Exit(130) from None
    return rag, text


def ask_rag(scale: list[str], current: str | None) -> str | None:
    from datracker.plan.rag import normalise_rag

    for number, level in enumerate(scale, 1):
        typer.echo(f"  {number}. {level}")
    default = f" [{current}]" if current else ""
    while True:
        answer = read_line(f"RAG (number or name){default}: ").strip()
        if not answer:
            return current
        if answer.isdigit() and 1 <= int(answer) <= len(scale):
            return scale[int(answer) - 1]
        found = normalise_rag(answer, scale)
        if found:
            return found
        typer.echo(f"'{answer}' is not on the scale; choose one of: {', '.join(scale)}")


def ask_text(action_id: str, label: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        template = (
            f"\n# Write {action_id}'s update for {label} above. Lines starting with '#' are "
            "ignored.\n# Save and close the editor to record it; leave it empty to cancel.\n"
        )
        lines = edit_in_editor(editor, template).splitlines()
        return "\n".join(line for line in lines if not line.startswith("#")).strip()
    typer.echo("Type the update; finish with a line holding only '.' (or Ctrl-D).")
    lines = []
    while True:
        try:
            line = input()
        except EOFError:
            break
        if line.strip() == ".":
            break
        lines.append(line)
    return "\n".join(lines).strip()


def edit_in_editor(editor: str, template: str) -> str:
    """Open $VISUAL/$EDITOR on a temporary file, as git does, and return what was saved."""
    import shlex
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="datracker-") as folder:
        path = Path(folder) / "UPDATE.txt"
        path.write_text(template, encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as error:
            raise DatrackerError(
                f"cannot start the editor '{editor}': {error.strerror}",
                "set VISUAL or EDITOR to an editor that exists, or unset both to type the text",
            ) from error
        if done.returncode != 0:
            raise DatrackerError(f"the editor exited with code {done.returncode}; nothing written")
        return path.read_text(encoding="utf-8", errors="replace")


def read_line(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        typer.echo("\nno answer; nothing was written", err=True)
        raise typer.Exit(1) from None
