"""One safe change to one plan file: the cycle every writing command goes through.

Under the plan lock: read the plan (or, for a change to one action, plan.yaml and the files
that name it), refuse if a file read has errors, let the command build the new text of one
file, check that the new file reads back as exactly the data the command meant (so a surgical
edit can never disturb another entry), check that the plan with that text is no less valid
than before, then write atomically, and commit if asked. If the file changed on disk
meanwhile, start again from the top: never overwrite someone's change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datracker.core.problems import DatrackerError, Problem
from datracker.edit.safewrite import FileChanged, check_writable, plan_lock, replace_file
from datracker.plan.lookup import ActionNotFound
from datracker.plan.store import PLAN_FILE, LoadedPlan, load_plan
from datracker.plan.yamlread import Document

ATTEMPTS = 3


@dataclass(frozen=True)
class Change:
    """What a command wants written: one file's new text and what it must read back as."""

    rel: str  # the file, relative to the plan directory
    new_text: str
    expected_data: Any
    summary: str  # the confirmation line
    commit_message: str


@dataclass(frozen=True)
class Written:
    change: Change
    path: Path
    diff: str
    written: bool
    commit: str | None = None


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    commit: bool = False
    author: str | None = None


MakeChange = Callable[[LoadedPlan], Change]
AfterWrite = Callable[[LoadedPlan, Change], str | None]


def write_change(
    root: Path,
    make: MakeChange,
    options: Options,
    today: dt.date | None = None,
    after_write: AfterWrite | None = None,
    scope: list[str] | None = None,
) -> Written:
    """Run the read-edit-check-write cycle, retrying when the file changes underneath it.

    `scope` names the priority files the change can be made in (plan.yaml is always read);
    None reads them all. The other files are not parsed: the change cannot alter them.
    """
    today = today or dt.date.today()
    for _ in range(ATTEMPTS):
        with plan_lock(root):
            loaded, change = _read_and_make(root, make, scope)
            doc = document(loaded, change.rel)
            check_change(loaded, doc, change, today)
            diff = unified_diff(doc, change, root)
            if options.dry_run or change.new_text == doc.text:
                return Written(change, doc.path, diff, written=False)
            repo = _repo_for_commit(root, doc.path) if options.commit else None
            check_writable(doc.path, shown(root, change.rel))
            try:
                replace_file(doc.path, encode(change.new_text), encode(doc.text))
            except FileChanged:
                continue
            sha = None
            if repo is not None:
                from datracker.vcs.gitrepo import commit_paths

                sha = commit_paths(repo, [doc.path], change.commit_message, options.author)
            if after_write is not None:
                sha = after_write(loaded, change) or sha
            return Written(change, doc.path, diff, written=True, commit=sha)
    raise DatrackerError(
        "the plan file kept changing while datracker was writing to it; nothing was written",
        "someone (or an editor, or git) is changing it; wait a moment and run the command again",
    )


def _read_and_make(
    root: Path, make: MakeChange, scope: list[str] | None
) -> tuple[LoadedPlan, Change]:
    """Read the files in scope and make the change there; look in every file only if the
    action is not among them (the search matched a mention in text, or missed an odd spelling),
    so "did you mean" suggests from the whole plan. Other errors need no second read.
    """
    if scope is not None:
        loaded = load_plan(root, only=scope)
        refuse_unreadable(loaded)
        try:
            return loaded, make(loaded)
        except ActionNotFound:
            pass
    loaded = load_plan(root)
    refuse_unreadable(loaded)
    return loaded, make(loaded)


def encode(text: str) -> bytes:
    return text.encode("utf-8")


def shown(root: Path, rel: str) -> str:
    """The file as the user should see it: relative to where they stand, when possible."""
    try:
        return os.path.relpath(root / rel)
    except ValueError:
        return str(root / rel)


def refuse_unreadable(loaded: LoadedPlan) -> None:
    """A plan with a file that cannot be read cannot be checked, so it is not written to."""
    errors = [p for p in loaded.problems if p.severity == "error"]
    if errors or loaded.config is None:
        raise DatrackerError(
            "the plan has errors, so nothing was written; fix them first",
            "run `datracker validate` to see every problem",
            errors,
        )


def document(loaded: LoadedPlan, rel: str) -> Document:
    if rel == PLAN_FILE:
        return loaded.config_doc
    return loaded.checked[rel].doc


def check_change(loaded: LoadedPlan, doc: Document, change: Change, today: dt.date) -> None:
    """The new text must read back as intended, and must not make the plan invalid."""
    from datracker.plan.validation import validate_plan

    after = load_plan(loaded.root, overrides={change.rel: change.new_text}, reuse=loaded)
    new_doc = document(after, change.rel)
    too_large = [p for p in new_doc.problems if p.code == "file-too-large"]
    if too_large:  # a limit, not a bug: every later command would refuse the file
        raise DatrackerError(
            f"nothing was written: {change.rel} would become too large ({too_large[0].message})",
            too_large[0].hint,
        )
    if new_doc.problems or new_doc.data != change.expected_data:
        raise DatrackerError(
            f"datracker could not make this change to {change.rel} without disturbing the "
            "rest of the file, so nothing was written",
            "please report this as a bug, with the file; meanwhile, edit the file by hand",
        )
    after_errors = [p for p in validate_plan(after, today) if p.severity == "error"]
    if not after_errors:
        return
    before = {_key(p) for p in validate_plan(loaded, today) if p.severity == "error"}
    introduced = [p for p in after_errors if _key(p) not in before]
    if introduced:
        raise DatrackerError(
            "nothing was written: the change would make the plan invalid",
            "correct the value and run the command again",
            introduced,
        )


def _key(problem: Problem) -> tuple[str, str, str]:
    """A problem without its line: an edit moves the lines below it."""
    return (problem.path, problem.code, problem.message)


def unified_diff(doc: Document, change: Change, root: Path) -> str:
    name = shown(root, change.rel)
    lines = difflib.unified_diff(
        doc.text.splitlines(keepends=True),
        change.new_text.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _repo_for_commit(root: Path, path: Path) -> Any:
    """The repository to commit to, refusing when the file already holds other changes."""
    from datracker.vcs.gitrepo import require_plan_repo, uncommitted

    repo = require_plan_repo(root)
    dirty = uncommitted(repo, [path])
    if dirty:
        raise DatrackerError(
            f"{dirty[0]} already has uncommitted changes, so --commit would commit them too; "
            "nothing was written",
            "commit or stash those changes first (git diff shows them), or run without --commit",
        )
    return repo
