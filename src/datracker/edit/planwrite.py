"""One safe change to one plan file: the cycle every writing command goes through.

Under the plan lock: read the plan (or, for a change to one action, plan.yaml and the files
that name it), refuse if a file read has errors, let the command build the new text of one
file, check that the new file reads back as exactly the data the command meant (so a surgical
edit can never disturb another entry), check that the plan with that text is no less valid
than before, then write atomically, and commit if asked. If the file changed on disk
meanwhile, start again from the top: never overwrite someone's change. A commit is checked
before the write and undone with the write if git fails: all or nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datracker.core.paths import inside
from datracker.core.problems import DatrackerError, Problem
from datracker.edit.safewrite import (
    FileChanged,
    check_writable,
    clear_leftovers,
    find_leftovers,
    is_leftover,
    plan_lock,
    replace_file,
)
from datracker.plan.lookup import ActionNotFound
from datracker.plan.store import PLAN_FILE, LoadedPlan, load_plan, shown, shown_problems
from datracker.plan.yamlread import Document

if TYPE_CHECKING:
    from datracker.vcs.gitcommit import CommitPlan, Committed, PathState

ATTEMPTS = 3


@dataclass(frozen=True)
class Change:
    """What a command wants written: one file's new text and what it must read back as."""

    rel: str  # the file, relative to the plan directory
    new_text: str
    expected_data: Any
    summary: str  # the confirmation line
    commit_message: str
    tag: str | None = None  # when committing, also tag the commit (review close)
    # why there is nothing to write, when the command knows better than "the file says this"
    unchanged_reason: str | None = None
    # what was written although it is often a slip (see edit/questionable.py); the CLI warns
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Written:
    change: Change
    path: Path
    diff: str
    written: bool
    commit: str | None = None
    tag: str | None = None  # the tag made on `commit`
    notes: tuple[str, ...] = ()  # things the user should know, e.g. leftovers removed

    @property
    def unchanged(self) -> bool:
        """Nothing to write: the file already holds exactly this."""
        return not self.written and not self.diff


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    commit: bool = False
    author: str | None = None  # "Name <email>" or an owner id; only with commit
    clean_plan: bool = False  # with commit: the whole plan folder must be committed first
    commit_asked: bool = True  # the user asked for the commit (--commit) and could leave it out


MakeChange = Callable[[LoadedPlan], Change]


def write_change(
    root: Path,
    make: MakeChange,
    options: Options,
    today: dt.date | None = None,
    scope: list[str] | None = None,
) -> Written:
    """Run the read-edit-check-write(-commit) cycle, retrying when the file changes underneath.

    `scope` names the priority files the change can be made in (plan.yaml is always read);
    None reads them all. The other files are not parsed: the change cannot alter them.
    With `options.commit`, everything git needs is checked before the file is written, and if
    git fails anyway the file and the index are put back: the command did all or nothing.
    """
    today = today or dt.date.today()
    for _ in range(ATTEMPTS):
        with plan_lock(root):
            loaded, change = _read_and_make(root, make, scope)
            doc = document(loaded, change.rel)
            check_change(loaded, doc, change, today)
            diff = unified_diff(doc, change, root)
            if options.dry_run:
                return Written(change, doc.path, diff, False, notes=_leftover_notes(root, False))
            unchanged = change.new_text == doc.text
            plan = _prepare_commit(loaded, doc, change, options, unchanged)
            if unchanged:
                return Written(change, doc.path, "", False, notes=_leftover_notes(root, False))
            check_writable(inside(root, doc.path), shown(root, change.rel))
            notes = _leftover_notes(root, remove=True)  # every check passed: the write is on
            old, new = encode(doc.text), encode(change.new_text)
            try:
                replace_file(doc.path, new, old)
            except FileChanged:
                continue
            if plan is None:
                return Written(change, doc.path, diff, written=True, notes=notes)
            done = _commit_or_restore(plan, doc.path, old, new, shown(root, change.rel))
            return Written(change, doc.path, diff, True, done.commit, done.tag, notes)
    raise DatrackerError(
        "the plan file kept changing while datracker was writing to it; nothing was written",
        "someone (or an editor, or git) is changing it; wait a moment and run the command again",
    )


def _leftover_notes(root: Path, remove: bool) -> tuple[str, ...]:
    """Remove what interrupted writes left (the plan lock is held), and say so."""
    if not remove:
        return tuple(
            f"{shown(root, str(p.relative_to(root)))} was left by an interrupted write; "
            "the next write removes it"
            for p in find_leftovers(root)
        )
    leftovers = clear_leftovers(root)
    notes = [
        f"removed {shown(root, str(p.relative_to(root)))}, left by an interrupted write"
        for p in leftovers.removed
    ]
    notes += [
        f"cannot remove {shown(root, str(p.relative_to(root)))}, left by an interrupted write "
        f"({why}); it was ignored: delete it by hand, and do not commit it"
        for p, why in leftovers.kept
    ]
    return tuple(notes)


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


def refuse_unreadable(loaded: LoadedPlan) -> None:
    """A plan with a file that cannot be read cannot be checked, so it is not written to."""
    errors = [p for p in loaded.problems if p.severity == "error"]
    if errors or loaded.config is None:
        raise DatrackerError(
            "the plan has errors, so nothing was written; fix them first",
            "run `datracker validate` to see every problem",
            shown_problems(loaded.root, errors),
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
            f"nothing was written: {shown(loaded.root, change.rel)} would become too large "
            f"({too_large[0].message})",
            too_large[0].hint,
        )
    if new_doc.problems or new_doc.data != change.expected_data:
        raise DatrackerError(
            f"datracker could not make this change to {shown(loaded.root, change.rel)} without "
            "disturbing the rest of the file, so nothing was written",
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
            shown_problems(loaded.root, introduced),
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


def check_can_commit(root: Path, options: Options) -> None:
    """Before a person is asked to type an update: a commit git could not make for want of
    a name and e-mail is said now, not after the typing (the full checks still run at
    write time, once the change is known)."""
    if options.commit and options.author is None and not options.dry_run:
        from datracker.vcs.gitcommit import check_identity
        from datracker.vcs.gitrepo import require_plan_repo

        check_identity(require_plan_repo(root).top, None)


def _prepare_commit(
    loaded: LoadedPlan, doc: Document, change: Change, options: Options, unchanged: bool
) -> CommitPlan | None:
    """Check, before anything is written, that the commit can be made; None: no commit."""
    if not options.commit:
        return None
    from datracker.vcs.gitcommit import (
        check_identity,
        path_states,
        prepare_commit,
        resolve_author,
    )
    from datracker.vcs.gitrepo import require_plan_repo

    root = loaded.root
    repo = require_plan_repo(root)
    if options.author is None:
        # After what the user typed is judged (a typo is fixed in the same breath), before
        # every other git matter: no name and e-mail is a new user's first problem with git.
        check_identity(repo.top, None)
    dirty = [
        state
        for state in path_states(repo, [root] if options.clean_plan else [doc.path])
        if not is_leftover(Path(state.path).name)
    ]
    if dirty:
        raise _uncommitted(root, change, dirty, options, unchanged)
    author = None
    if options.author is not None:
        author = resolve_author(options.author, loaded.require_plan().config.owners)
    return prepare_commit(repo, [doc.path], change.commit_message, author, change.tag)


def _uncommitted(
    root: Path, change: Change, dirty: list[PathState], options: Options, unchanged: bool
) -> DatrackerError:
    from datracker.vcs.gitcommit import describe_states, how_to_see

    name = shown(root, change.rel)
    see = f"see them with: {how_to_see(dirty)}"
    if unchanged and not options.clean_plan:
        return DatrackerError(
            f"{name} already holds this change, but it is not committed "
            f"({describe_states(dirty)}); nothing was written",
            f"see it with: {how_to_see(dirty)}; commit it with: "
            f'git commit -m "{change.commit_message}" -- {dirty[0].path}',
        )
    if options.clean_plan:
        return DatrackerError(
            f"the plan has uncommitted changes: {describe_states(dirty)}; so that the commit "
            "marks exactly the plan as it stands, nothing was written",
            f'{see}; commit them (git commit -m "…" -- <those files>) or put them aside '
            "(git stash), then run the command again",
        )
    if options.commit_asked:
        return DatrackerError(
            f"{name} already has uncommitted changes ({describe_states(dirty)}), so --commit "
            "would commit them too; nothing was written",
            f"{see}; commit them or put them aside (git stash) first, or run without --commit",
        )
    return DatrackerError(
        f"{name} already has uncommitted changes ({describe_states(dirty)}), which this "
        "command's commit would take in too; nothing was written",
        f"{see}; commit them or put them aside (git stash), then run the command again",
    )


def _commit_or_restore(
    plan: CommitPlan, path: Path, old: bytes, new: bytes, name: str
) -> Committed:
    """Commit; if git fails, put the file back as it was (git's side is undone already)."""
    from datracker.vcs.gitcommit import CommitFailed, commit_and_tag

    try:
        return commit_and_tag(plan)
    except KeyboardInterrupt:
        replace_file(path, old, new)  # git's side is undone; the file goes back too
        raise
    except CommitFailed as failure:
        try:
            replace_file(path, old, new)
        except (FileChanged, OSError) as error:
            raise DatrackerError(
                f"{failure.message}\n{name} was changed but not committed, and it could not "
                f"be put back ({error})",
                f"check {name} with git diff; {failure.hint or ''}".strip(),
            ) from None
        raise DatrackerError(
            f"{failure.message}\nnothing was changed: {name}, the commits and git's index are "
            "as they were",
            failure.hint,
        ) from None
