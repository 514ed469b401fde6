"""Asking for an update at a terminal: the RAG from the scale, the text from $EDITOR or typed.

Only `datracker update` without --text, on a terminal, comes here. Nothing typed is lost to a
slip: a RAG not on the scale is asked again with the nearest level suggested, and an empty
text is asked again (or, if the person says so, cancelled). Ctrl-C, or the input closing, at
any question leaves the plan untouched: `outcomes` reports it and exits 130.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from datracker.cli.app import load
from datracker.core.problems import DatrackerError

CANCEL_WORDS = ("n", "no", "q", "quit", "cancel")


def ask_update(
    plan: Path | None, action_id: str, review_id: str | None, rag: str | None
) -> tuple[str | None, str]:
    """The interactive questions; Ctrl-C here (or in the editor) writes nothing: exit 130."""
    from datracker.core.text import visible
    from datracker.edit.updates import review_to_record
    from datracker.plan.lookup import find_action
    from datracker.plan.status import NOT_RATED_LABEL

    the_plan = load(plan).require_plan()
    priority, action = find_action(the_plan, action_id)
    review = review_to_record(the_plan.config, review_id)
    said = f"{action.id} ({priority.id}): {action.action or action.objective or ''}"
    typer.echo(visible(said))
    last = action.updates[-1] if action.updates else None
    typer.echo(f"Current RAG: {action.rag or NOT_RATED_LABEL}")
    if last is not None:
        typer.echo(visible(f"Last update ({last.review}): {(last.text or '—')[:300]}"))
    typer.echo(visible(f"Recording the update for {review.label} ({review.id})."))
    scale = [level.id for level in the_plan.config.scale]
    if rag is None:
        rag = ask_rag(scale, action.rag)
    return rag, ask_text_until_given(action.id, review.label)


def ask_rag(scale: list[str], current: str | None) -> str | None:
    """A RAG by number or in any spelling `--rag` takes; a miss is asked again, with help."""
    for number, level in enumerate(scale, 1):
        typer.echo(f"  {number}. {level}")
    default = f" [{current}]" if current else ""
    while True:
        answer = read_line(f"RAG (number or name){default}: ").strip()
        if not answer:
            return current
        found, problem = read_rag(answer, scale)
        if found:
            return found
        typer.echo(problem)


def read_rag(answer: str, scale: list[str]) -> tuple[str | None, str]:
    """The level `answer` names (a number from the list, or a name), or what to say instead."""
    from datracker.plan.rag import normalise_rag, rag_hint

    if answer.isdigit():
        if 1 <= int(answer) <= len(scale):
            return scale[int(answer) - 1], ""
        listing = ", ".join(f"{n}. {level}" for n, level in enumerate(scale, 1))
        return None, f"'{answer}' is not on the list; choose 1 to {len(scale)}: {listing}"
    found = normalise_rag(answer, scale)
    if found:
        return found, ""
    return None, f"'{answer}' is not on the scale; {rag_hint(answer, scale)}"


def ask_text_until_given(action_id: str, label: str) -> str:
    """The update's text; an empty one is asked for again, or cancelled if the person says."""
    while True:
        text = ask_text(action_id, label)
        if text:
            return text
        typer.echo("The update has no text yet; the board reads it beside the RAG.")
        answer = read_line("Write it now? [Y/n] ").strip().lower()
        if answer in CANCEL_WORDS:
            typer.echo("cancelled; nothing was written", err=True)
            raise typer.Exit(130)


def ask_text(action_id: str, label: str) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        template = (
            f"\n# Write {action_id}'s update for {label} above. Lines starting with '#' are "
            "ignored.\n# Save and close the editor to record it.\n"
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
    """One typed line; the input closing (Ctrl-D) ends the command as Ctrl-C does."""
    return input(prompt)
