"""The owners directory as `check` reads it: who an author is, and who maintains the plan.

`datracker check` knows a commit's author only by the e-mail they commit with, never by name
(anyone can type any name). These two edits of plan.yaml are what a maintainer makes when an
owner's first pull request is reported as from an unknown author, and when a plan repository
gets its first maintainers. Both go through the one checked write cycle, so plan.yaml keeps
every comment and line it had, and nothing is written if the result would not validate.
"""

from __future__ import annotations

import copy
import difflib
import re
from pathlib import Path

from datracker.core.problems import DatrackerError, InvalidValue
from datracker.edit.planwrite import Change, Options, Written, write_change
from datracker.edit.yamledit import FileEditor, mapping_at
from datracker.plan.models import Owner, PlanConfig
from datracker.plan.store import PLAN_FILE, LoadedPlan, shown

_EMAIL = re.compile(r"[^@\s<>,\[\]{}\"']+@[^@\s<>,\[\]{}\"']+")


def add_git_email(root: Path, owner_id: str, email: str, options: Options) -> Written:
    """Add `email` to the owner's `git_emails`, so their commits are known to be theirs."""
    address = _checked_email(email)

    def make(loaded: LoadedPlan) -> Change:
        config = loaded.require_plan().config
        index, owner = _find_owner(config, owner_id)
        _refuse_taken(config, owner, address)
        if any(_same(address, known) for known in owner.git_emails):
            return _unchanged(
                loaded, f"{owner.id} ({owner.name}) already commits as {address} in git_emails"
            )
        return _append(
            loaded,
            ("owners", index),
            "git_emails",
            address,
            summary=f"{owner.id} ({owner.name}): added {address} to git_emails",
            message=f"Owners: {owner.id} commits as {address}",
        )

    return write_change(root, make, options, scope=[])


def add_maintainer(root: Path, owner_id: str, options: Options) -> Written:
    """Add the owner to plan.yaml's `maintainers`: they may then change anything in a PR."""

    def make(loaded: LoadedPlan) -> Change:
        config = loaded.require_plan().config
        _, owner = _find_owner(config, owner_id)
        if owner.id in config.maintainers:
            return _unchanged(loaded, f"{owner.id} ({owner.name}) is already a maintainer")
        return _append(
            loaded,
            (),
            "maintainers",
            owner.id,
            summary=f"{owner.id} ({owner.name}): added to maintainers",
            message=f"Maintainers: add {owner.id}",
        )

    return write_change(root, make, options, scope=[])


def _append(
    loaded: LoadedPlan,
    at: tuple[str | int, ...],
    key: str,
    value: str,
    summary: str,
    message: str,
) -> Change:
    doc = loaded.config_doc
    expected = copy.deepcopy(doc.data)
    entry = expected
    for step in at:
        entry = entry[step]
    existing = [str(v) for v in (entry.get(key) or [])]
    entry[key] = [*existing, value]
    editor = FileEditor(doc.text, doc.require_root())
    mapping = mapping_at(doc.require_root(), at, "the entry")
    editor.append_word(mapping, key, value, existing)
    where = f" in {shown(loaded.root, PLAN_FILE)}"
    return Change(PLAN_FILE, editor.result(), expected, summary + where, message)


def _unchanged(loaded: LoadedPlan, reason: str) -> Change:
    doc = loaded.config_doc
    return Change(PLAN_FILE, doc.text, doc.data, reason, "", unchanged_reason=reason)


def _checked_email(email: str) -> str:
    address = email.strip()
    if not _EMAIL.fullmatch(address):
        raise InvalidValue(
            f"'{email}' is not an e-mail address",
            "give the address alone, as git records it (git log shows it), e.g. dee@example.org",
        )
    return address


def _same(one: str, other: str) -> bool:
    """E-mails compare as `check` compares them: case and surrounding spaces ignored."""
    return one.strip().casefold() == other.strip().casefold()


def _find_owner(config: PlanConfig, wanted: str) -> tuple[int, Owner]:
    for index, owner in enumerate(config.owners):
        if owner.id == wanted.strip():
            return index, owner
    raise InvalidValue(f"no owner '{wanted}' in plan.yaml's owners", _suggest(config, wanted))


def _suggest(config: PlanConfig, wanted: str) -> str:
    by_name = [o.id for o in config.owners if o.name.casefold() == wanted.strip().casefold()]
    close = by_name or difflib.get_close_matches(wanted, [o.id for o in config.owners], n=3)
    if close:
        return "did you mean " + " or ".join(close) + "? (owners are named by their id)"
    return "owners are named by their id in plan.yaml, e.g. dee-hutchinson"


def _refuse_taken(config: PlanConfig, owner: Owner, address: str) -> None:
    """One address names one person: `check` must never have to guess between two."""
    for other in config.owners:
        if other.id != owner.id and any(_same(address, e) for e in other.git_emails):
            raise DatrackerError(
                f"{address} is already the e-mail of {other.name} ({other.id}); "
                "nothing was written",
                f"one address names one person: remove it from {other.id} first if it is wrong",
            )
