"""`datracker check`: may this pull request's authors change what they changed?

Owners propose updates to their own actions; maintainers (named in plan.yaml) may change
anything. Every commit in base..head is attributed to its author and compared with its parent:

- an owner may change the updates, status and measure data of actions they own (as owned in
  the parent commit, so nobody can add themselves as an owner and then edit);
- adding, deleting or moving actions, their wording, owners, due dates or measure definitions,
  a priority's heading or the rating its board stated, or anything in plan.yaml needs a
  maintainer;
- an author whose e-mail (or GitHub no-reply address) is not in the owners directory is
  reported as unknown, because nobody can vouch for them.

Identities and maintainers are read from the base revision: a pull request cannot make its
own author a maintainer. A merge commit is charged only with what neither parent explains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from datracker.core.problems import DatrackerError, Problem
from datracker.plan.models import Action, PlanConfig
from datracker.plan.store import PLAN_FILE, load_plan_from_files, priority_file_names
from datracker.plan.validation import validate_plan
from datracker.vcs.gitrepo import (
    CommitInfo,
    GitError,
    PlanRepo,
    commits_between,
    is_ancestor,
    is_shallow,
    plan_blobs,
    read_blob,
    resolve_commit,
)
from datracker.vcs.history import (
    DiffResult,
    PlanReader,
    Revision,
    Snapshot,
    compare_snapshots,
    current_config,
    open_for_history,
    resolve_revision,
)

Role = Literal["maintainer", "owner", "unknown"]
OWNER_KINDS = frozenset({"updates", "status", "measure data"})
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$")

Touch = tuple[str, str]  # (action id, "plan.yaml" or "priority X"; what changed)
HEADING = "changed the priority's heading"
STATED = "changed the board's stated rating"


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    owner_id: str | None
    role: Role


@dataclass(frozen=True)
class Violation:
    commit: str
    target: str
    reason: str


@dataclass
class AuthorVerdict:
    identity: Identity
    commits: list[str] = field(default_factory=list)
    targets: set[str] = field(default_factory=set)
    violations: list[Violation] = field(default_factory=list)

    @property
    def permitted(self) -> bool:
        return not self.violations


@dataclass
class CheckResult:
    base: Revision
    head: Revision
    problems: list[Problem]
    changes: DiffResult
    authors: list[AuthorVerdict]

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def permitted(self) -> bool:
        return all(a.permitted for a in self.authors)


def _normal(text: str) -> str:
    return text.strip().casefold()


def identify(config: PlanConfig, name: str, email: str) -> Identity:
    """Match a commit author to the owners directory by e-mail or GitHub no-reply handle."""
    wanted = _normal(email)
    noreply = _NOREPLY.match(wanted)
    handle = noreply.group(1) if noreply else None
    for owner in config.owners:
        emails = {_normal(e) for e in owner.git_emails}
        handles = {_normal(h).lstrip("@") for h in owner.handles}
        if wanted in emails or (handle is not None and handle in handles):
            role: Role = "maintainer" if owner.id in config.maintainers else "owner"
            return Identity(name, email, owner.id, role)
    return Identity(name, email, None, "unknown")


def run_check(plan_dir: Path, base_rev: str, head_rev: str = "HEAD") -> CheckResult:
    plan_repo = open_for_history(plan_dir)
    current = current_config(plan_dir)
    base = _resolve(plan_repo, current, base_rev)
    head = resolve_revision(plan_repo, current, head_rev)
    if head.commit is None or base.commit is None:
        raise GitError("check compares commits", "name commits, branches or tags, not WORKTREE")
    if not is_ancestor(plan_repo, base.commit, head.commit):
        raise GitError(
            f"{base_rev} is not an ancestor of {head_rev}",
            "check against the branch the pull request targets, e.g. --base origin/main",
        )
    reader = PlanReader(plan_dir, plan_repo)
    base_snap = reader.snapshot(base)
    base_config = reader.config(base_snap)
    if base_config is None:
        raise DatrackerError(f"plan.yaml cannot be read at {base_rev}", "check another base")
    problems = _validate_at(plan_dir, plan_repo, head.commit)
    changes = compare_snapshots(reader, base_snap, reader.snapshot(head))
    authors = _attribute(reader, base_config, commits_between(plan_repo, base.commit, head.commit))
    result = DiffResult(base, head, changes, reader.warnings)
    return CheckResult(base, head, problems, result, authors)


def _resolve(plan_repo: PlanRepo, current: PlanConfig | None, rev: str) -> Revision:
    try:
        return resolve_revision(plan_repo, current, rev)
    except GitError as error:
        if is_shallow(plan_repo):
            raise GitError(
                f"{rev} is not in this shallow clone",
                "fetch more history (git fetch --unshallow), or check out with fetch-depth: 0",
            ) from error
        raise


def _validate_at(plan_dir: Path, plan_repo: PlanRepo, commit: str) -> list[Problem]:
    blobs = plan_blobs(plan_repo, resolve_commit(plan_repo, commit))
    if not blobs or PLAN_FILE not in blobs:
        raise DatrackerError(f"there is no plan at {commit[:10]}", "check the --head revision")
    files = {rel: read_blob(plan_repo, sha) for rel, sha in blobs.items()}
    return validate_plan(load_plan_from_files(plan_dir, files))


def _attribute(
    reader: PlanReader, base_config: PlanConfig, commits: list[CommitInfo]
) -> list[AuthorVerdict]:
    verdicts: dict[str, AuthorVerdict] = {}
    names = {owner.id: owner.name for owner in base_config.owners}
    for info in commits:
        identity = identify(base_config, info.author_name, info.author_email)
        key = identity.owner_id or _normal(info.author_email)
        verdict = verdicts.setdefault(key, AuthorVerdict(identity))
        child = _state(reader, info.commit)
        parents = [_state(reader, parent) for parent in info.parents]
        touched = set.intersection(*(_touches(p, child) for p in parents)) if parents else set()
        if not touched:
            continue
        verdict.commits.append(info.commit)
        owners_before = parents[0].owners if parents else {}
        for target, kind in sorted(touched):
            verdict.targets.add(target)
            reason = _refusal(identity, target, kind, owners_before, names)
            if reason:
                verdict.violations.append(Violation(info.commit, target, reason))
    return list(verdicts.values())


def _refusal(
    identity: Identity,
    target: str,
    kind: str,
    owners: dict[str, list[str]],
    names: dict[str, str],
) -> str | None:
    if identity.role == "maintainer":
        return None
    if identity.role == "unknown":
        return f"{kind}: the author is not in the owners directory"
    if target not in owners or kind not in OWNER_KINDS:
        return f"{kind}: only a maintainer may do this"
    if identity.owner_id not in owners[target]:
        owned_by = " and ".join(names.get(o, o) for o in owners[target]) or "nobody"
        return f"{kind}: {target} is owned by {owned_by}"
    return None


@dataclass(frozen=True)
class _State:
    """What permissions are judged on at one commit: config, headings and actions."""

    config: object
    headers: dict[tuple[str, str], object]  # (priority id, HEADING or STATED) -> its fields
    actions: dict[str, tuple[str, Action]]

    @property
    def owners(self) -> dict[str, list[str]]:
        return {action_id: list(a.owners) for action_id, (_, a) in self.actions.items()}


def _state(reader: PlanReader, commit: str) -> _State:
    snap: Snapshot = reader.snapshot(Revision(commit, commit, None))
    config = reader.config(snap)
    headers: dict[tuple[str, str], object] = {}
    actions: dict[str, tuple[str, Action]] = {}
    for rel in priority_file_names(snap.blobs or {}):
        priority = reader.priority(snap, rel)
        if priority is None:
            continue
        headers[(priority.id, HEADING)] = priority.model_dump(exclude={"actions", "assessments"})
        headers[(priority.id, STATED)] = priority.model_dump(include={"assessments"})
        for action in priority.actions:
            actions[action.id] = (priority.id, action)
    return _State(config.model_dump() if config else None, headers, actions)


def _touches(before: _State, after: _State) -> set[Touch]:
    touched: set[Touch] = set()
    if before.config != after.config:
        touched.add((PLAN_FILE, "changed plan.yaml"))
    for key in before.headers.keys() | after.headers.keys():
        if before.headers.get(key) != after.headers.get(key):
            priority_id, part = key
            touched.add((f"priority {priority_id}", part))
    for action_id in before.actions.keys() | after.actions.keys():
        old, new = before.actions.get(action_id), after.actions.get(action_id)
        if old is None:
            touched.add((action_id, "added the action"))
        elif new is None:
            touched.add((action_id, "deleted the action"))
        else:
            touched |= {(action_id, kind) for kind in _action_kinds(old, new)}
    return touched


def _action_kinds(old: tuple[str, Action], new: tuple[str, Action]) -> set[str]:
    (old_priority, a), (new_priority, b) = old, new
    kinds = {"moved the action to another priority"} if old_priority != new_priority else set()
    before, after = a.model_dump(exclude={"measures"}), b.model_dump(exclude={"measures"})
    kinds |= {_FIELD_KIND.get(k, k) for k in before if before[k] != after[k]}
    definitions = [m.model_dump(exclude={"data"}) for m in a.measures]
    if definitions != [m.model_dump(exclude={"data"}) for m in b.measures]:
        kinds.add("changed a measure's definition")
    if [m.data for m in a.measures] != [m.data for m in b.measures]:
        kinds.add("measure data")
    return kinds


_FIELD_KIND = {
    "objective": "changed the wording",
    "action": "changed the wording",
    "owners": "changed the owners",
    "due": "changed the due date",
    "note": "changed the note",
    "id": "changed the id",
}
