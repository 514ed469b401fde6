"""`datracker check`: may this pull request's authors change what they changed?

Owners propose updates to their own actions; maintainers (named in plan.yaml) may change
anything. Every commit in base..head is attributed to its author and compared with its parent,
and every file it changed anywhere in the repository is judged by one of these rules:

- in a priority file, an owner may change the updates, status and measure data of actions they
  own (as owned in the parent commit, so nobody can add themselves as an owner and then edit),
  and the comments and layout inside those actions; each changed line is traced to the action
  that holds it, so a comment changed in someone else's action is charged like any other edit;
- adding, deleting or moving actions, their wording, owners, due dates or measure definitions,
  a priority's heading or the rating its board stated, and the lines outside the actions need
  a maintainer;
- every other file (plan.yaml, narrative, templates, schema, workflows, anything added, deleted
  or renamed) needs a maintainer;
- an author whose e-mail (or GitHub no-reply address) is not in the owners directory is
  reported as unknown, because nobody can vouch for them. A name that matches an owner is
  mentioned, with the line to add, but never grants anything.

A file that does not parse is reported once, by validation: no claim is made about the actions
it held. If a later commit mends it, that commit is compared with the file's last readable
version, so breaking a file first cannot hide an edit. Symbolic links in the plan or in the
templates beside it are errors at head.

Identities and maintainers are read from the base revision: a pull request cannot make its
own author a maintainer. A merge commit is charged only with what neither parent explains.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from datracker.core.problems import DatrackerError, Problem
from datracker.plan.models import Action, PlanConfig
from datracker.plan.store import (
    PLAN_FILE,
    TEMPLATES_DIR,
    CheckedPriority,
    link_problem,
    load_plan_from_files,
    priority_file_names,
)
from datracker.plan.validation import validate_plan
from datracker.plan.yamlread import Document, max_file_bytes
from datracker.vcs.gitrepo import (
    CommitInfo,
    FileChange,
    GitError,
    PlanRepo,
    blob_size,
    blob_within_cap,
    changed_files,
    commits_between,
    is_ancestor,
    is_shallow,
    links_in_tree,
    plan_blobs,
    read_blob,
    resolve_commit,
)
from datracker.vcs.history import (
    DiffResult,
    PlanReader,
    Revision,
    compare_snapshots,
    current_config,
    open_for_history,
    resolve_revision,
)

Role = Literal["maintainer", "owner", "unknown"]
LAYOUT = "changed the comments or layout"
OWNER_KINDS = frozenset({"updates", "status", "measure data", LAYOUT})
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$")

Touch = tuple[str, str]  # (what: an action id, "priority X" or a file; what was done to it)
Where = tuple[str, int | None]  # a file relative to the repository's top, and a line
HEADING = "changed the priority's heading"
STATED = "changed the board's stated rating"


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    owner_id: str | None
    role: Role
    # an owner whose name is the author's, when the e-mail is unknown: named, never trusted
    same_name: str | None = None


@dataclass(frozen=True)
class Violation:
    commit: str
    target: str
    reason: str
    path: str | None = None  # the file, relative to the repository's top
    line: int | None = None
    hint: str | None = None


@dataclass
class AuthorVerdict:
    identity: Identity
    commits: list[str] = field(default_factory=list)
    targets: set[str] = field(default_factory=set)
    violations: list[Violation] = field(default_factory=list)
    # files they changed that do not parse at head: nothing in them can be judged yet
    unjudged: set[str] = field(default_factory=set)

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
    top: Path  # the repository's top: violations name files relative to it

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def permitted(self) -> bool:
        return all(a.permitted for a in self.authors)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def identify(config: PlanConfig, name: str, email: str) -> Identity:
    """Match a commit author to the owners directory by e-mail or GitHub no-reply handle.

    Only the e-mail counts: anyone can commit under any name. An unknown author whose name is
    an owner's is told which entry to add their e-mail to.
    """
    wanted = _normal(email)
    noreply = _NOREPLY.match(wanted)
    handle = noreply.group(1) if noreply else None
    for owner in config.owners:
        emails = {_normal(e) for e in owner.git_emails}
        handles = {_normal(h).lstrip("@") for h in owner.handles}
        if wanted in emails or (handle is not None and handle in handles):
            role: Role = "maintainer" if owner.id in config.maintainers else "owner"
            return Identity(name, email, owner.id, role)
    namesakes = [owner.id for owner in config.owners if _normal(owner.name) == _normal(name)]
    same_name = namesakes[0] if len(namesakes) == 1 else None
    return Identity(name, email, None, "unknown", same_name)


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
    head_snap = reader.snapshot(head)
    broken = {p.path for p in problems if p.severity == "error"}
    reader.reported_elsewhere(
        {sha for rel, sha in (head_snap.blobs or {}).items() if rel in broken}
    )
    changes = compare_snapshots(reader, base_snap, head_snap)
    judge = _Judge(reader, base_config)
    authors = judge.attribute(commits_between(plan_repo, base.commit, head.commit))
    judge.forget_mended(authors, head.commit)
    result = DiffResult(base, head, changes, reader.warnings, reader.left_out)
    return CheckResult(base, head, problems, result, authors, plan_repo.top)


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
    """The plan at `commit` validated as `validate` does, links in it refused as on disk."""
    blobs = plan_blobs(plan_repo, resolve_commit(plan_repo, commit))
    if not blobs or PLAN_FILE not in blobs:
        raise DatrackerError(f"there is no plan at {commit[:10]}", "check the --head revision")
    files = {rel: blob_within_cap(plan_repo, rel, sha) for rel, sha in blobs.items()}
    return sorted(
        validate_plan(load_plan_from_files(plan_dir, files)) + _links_at(plan_repo, commit),
        key=lambda p: p.sort_key,
    )


def _links_at(plan_repo: PlanRepo, commit: str) -> list[Problem]:
    """Symbolic links committed in the plan folder or in the templates folder beside it."""
    prefix = plan_repo.plan_prefix
    folders = {"": prefix}
    if prefix:
        folders[f"../{TEMPLATES_DIR}"] = posixpath.join(posixpath.dirname(prefix), TEMPLATES_DIR)
    problems = []
    for shown, folder in folders.items():
        for rel, target in links_in_tree(plan_repo, commit, folder) or []:
            name = posixpath.join(shown, rel) if rel else shown
            leads = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
            outside = target.startswith("/") or leads.startswith("..")
            problems.append(link_problem(name or ".", target, outside))
    return problems


# --- the state of the plan at one commit --------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    """An action and where it was written at one commit."""

    rel: str  # its priority file, relative to the plan
    priority: str
    action: Action
    doc: Document
    index: int

    @property
    def line(self) -> int:
        return self.doc.locate(("actions", self.index))[0]


@dataclass(frozen=True)
class _Heading:
    rel: str
    data: dict[str, Any]
    doc: Document


@dataclass(frozen=True)
class _State:
    """What permissions are judged on at one commit: headings and actions, by file."""

    headings: dict[str, _Heading]
    actions: dict[str, _Placed]
    broken: frozenset[str]  # priority files that could not be read (or never could)
    blobs: dict[str, str] = field(default_factory=dict)  # file in the plan -> blob id

    @property
    def owners(self) -> dict[str, list[str]]:
        return {action_id: list(p.action.owners) for action_id, p in self.actions.items()}


class _Judge:
    """Charges each commit's changes to its author and refuses what they may not do."""

    def __init__(self, reader: PlanReader, base_config: PlanConfig) -> None:
        self.reader = reader
        self.config = base_config
        self.repo = reader.plan_repo
        self.names = {owner.id: owner.name for owner in base_config.owners}
        self.states: dict[str, _State] = {}
        self.mended: dict[str, _State] = {}  # each commit with broken files' last readable state

    def attribute(self, commits: list[CommitInfo]) -> list[AuthorVerdict]:
        verdicts: dict[str, AuthorVerdict] = {}
        for info in commits:
            charged, where = self._charged(info)
            self.mended[info.commit] = self._mend(info)
            unjudged = self._unjudged(info)
            if not charged and not unjudged:
                continue  # e.g. a merge that only brings both sides together
            identity = identify(self.config, info.author_name, info.author_email)
            key = identity.owner_id or _normal(info.author_email)
            verdict = verdicts.setdefault(key, AuthorVerdict(identity))
            verdict.commits.append(info.commit)
            verdict.unjudged |= unjudged
            owners: dict[str, list[str]] = {}
            for parent in reversed(info.parents):  # the first parent's word counts
                owners.update(self._before(parent).owners)
            for target, kind in sorted(charged):
                verdict.targets.add(target)
                refusal = self._refusal(identity, target, kind, owners)
                if refusal is not None:
                    reason, hint = refusal
                    path, line = where.get((target, kind), (None, None))
                    verdict.violations.append(
                        Violation(info.commit, target, reason, path, line, hint)
                    )
        return list(verdicts.values())

    def _unjudged(self, info: CommitInfo) -> set[str]:
        """Priority files the commit changed (against every parent) into ones that do not parse."""
        child = self._state(info.commit)
        changed = set(child.broken)
        for parent in info.parents:
            before = self._state(parent)
            changed = {rel for rel in changed if before.blobs.get(rel) != child.blobs.get(rel)}
        return {self._path(rel) for rel in changed}

    def forget_mended(self, authors: list[AuthorVerdict], head: str) -> None:
        """Files mended by head were judged by the commit that mended them: not 'unjudged'."""
        still = {self._path(rel) for rel in self._state(head).broken}
        for author in authors:
            author.unjudged &= still

    # --- what each commit changed -------------------------------------------------------------

    def _charged(self, info: CommitInfo) -> tuple[set[Touch], dict[Touch, Where]]:
        """What the commit changed that none of its parents explains, and where."""
        child = self._state(info.commit)
        parents: list[str | None] = list(info.parents) or [None]
        per_parent: list[dict[str, set[str]]] = []
        where: dict[Touch, Where] = {}
        for parent in parents:
            before = self._before(parent) if parent is not None else _EMPTY
            files = changed_files(self.repo, parent, info.commit)
            touched: dict[str, set[str]] = {}
            for (target, kind), place in self._touches(before, child, files).items():
                touched.setdefault(target, set()).add(kind)
                where.setdefault((target, kind), place)
            per_parent.append(touched)
        return _unexplained(per_parent), where

    def _touches(
        self, before: _State, after: _State, files: list[FileChange]
    ) -> dict[Touch, Where]:
        changed_lines: dict[str, Where] = {}  # action or "priority X": its first changed line
        headings: set[str] = set()  # which of them are a priority's heading, outside the actions
        for change in files:
            lines, heads = self._changed_lines(change)
            changed_lines.update(lines)
            headings |= heads
        touched: dict[Touch, Where] = {}
        for action_id in before.actions.keys() | after.actions.keys():
            old, new = before.actions.get(action_id), after.actions.get(action_id)
            if new is None and old is not None and old.rel in after.broken:
                continue  # its file does not parse: validation says so, nothing more is claimed
            place = changed_lines.get(action_id) or self._where(new or old)
            if old is None:
                touched[(action_id, "added the action")] = place
            elif new is None:
                touched[(action_id, "deleted the action")] = place
            else:
                touched |= {(action_id, kind): place for kind in _action_kinds(old, new)}
        for pid in before.headings.keys() | after.headings.keys():
            was, now = before.headings.get(pid), after.headings.get(pid)
            if now is None and was is not None and was.rel in after.broken:
                continue
            heading = now or was
            assert heading is not None
            for kind, key in _heading_kinds(was, now):
                line = heading.doc.locate((key,), key=True)[0]
                touched[(f"priority {pid}", kind)] = (self._path(heading.rel), line)
        for change in files:
            touched |= self._file_touches(change)
        judged = {target for target, _ in touched}
        for target, place in changed_lines.items():
            if target not in judged:  # lines changed where no data changed: comments, layout
                outside = target in headings
                touched[(target, f"{LAYOUT} outside the actions" if outside else LAYOUT)] = place
        return touched

    def _file_touches(self, change: FileChange) -> dict[Touch, Where]:
        """Files judged as files: all but a priority file's changed lines (judged above)."""
        rel = self._in_plan(change.path)
        old_rel = self._in_plan(change.old_path) if change.old_path else None
        is_priority = rel is not None and bool(priority_file_names([rel]))
        if change.is_link:
            return {(change.path, _file_kind(change, "symbolic link")): (change.path, None)}
        if is_priority and change.status in "MAD":
            return {}  # its heading, actions and lines are judged by what they say
        where = (change.path, self._first_changed_line(change))
        if is_priority and old_rel is not None and priority_file_names([old_rel]):
            return {(change.path, f"renamed the file from {change.old_path}"): where}
        return {(change.path, _file_kind(change, "file")): where}

    def _first_changed_line(self, change: FileChange) -> int | None:
        """Where a reviewer should look in a changed text file; None for one deleted or binary."""
        if change.status == "D":
            return None
        if change.status == "A" or change.old_sha == change.new_sha:
            return 1
        if not all(mode & 0o170000 == 0o100000 for mode in (change.old_mode, change.new_mode)):
            return None  # a submodule: its id names a commit elsewhere, not lines here
        if max(blob_size(self.repo, change.old_sha), blob_size(self.repo, change.new_sha)) > (
            max_file_bytes()
        ):
            return None
        try:
            old, new = (
                read_blob(self.repo, sha).decode("utf-8")
                for sha in (change.old_sha, change.new_sha)
            )
        except UnicodeDecodeError:
            return None
        for number, (was, now) in enumerate(
            zip(old.splitlines(), new.splitlines(), strict=False), 1
        ):
            if was != now:
                return number
        return min(len(old.splitlines()), len(new.splitlines())) + 1

    def _changed_lines(self, change: FileChange) -> tuple[dict[str, Where], set[str]]:
        """For a changed priority file: each action (or heading) with lines that changed, and
        which of those are the priority's heading.

        The first changed line of each, in the new file, is where a reviewer should look. A
        file that does not parse on either side gives nothing: no claims about what it holds.
        """
        rel = self._in_plan(change.path)
        if change.status != "M" or change.is_link or rel is None or not priority_file_names([rel]):
            return {}, set()
        old = self.reader.checked(rel, change.old_sha)
        new = self.reader.checked(rel, change.new_sha)
        if old.priority is None or new.priority is None:
            return {}, set()
        old_regions, new_regions = _regions(old), _regions(new)
        old_lines, new_lines = old.doc.text.splitlines(), new.doc.text.splitlines()
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        found: dict[str, Where] = {}
        heading = f"priority {new.priority.id}"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            line = min(j1 + 1, max(len(new_lines), 1))
            regions = {old_regions(i) for i in range(i1, i2)} | {
                new_regions(j) for j in range(j1, j2)
            }
            for region in regions:
                found.setdefault(region if region is not None else heading, (self._path(rel), line))
        return found, {heading} & found.keys()

    # --- states -------------------------------------------------------------------------------

    def _state(self, commit: str) -> _State:
        if commit not in self.states:
            self.states[commit] = self._read_state(commit)
        return self.states[commit]

    def _before(self, commit: str) -> _State:
        """A parent as judged: broken files stand for their last readable version."""
        return self.mended.get(commit) or self._state(commit)

    def _read_state(self, commit: str) -> _State:
        blobs = plan_blobs(self.repo, commit) or {}
        headings: dict[str, _Heading] = {}
        actions: dict[str, _Placed] = {}
        broken = set()
        for rel in priority_file_names(blobs):
            checked = self.reader.checked(rel, blobs[rel])
            priority = checked.priority
            if priority is None:
                broken.add(rel)
                continue
            headings[priority.id] = _Heading(
                rel, priority.model_dump(exclude={"actions"}), checked.doc
            )
            for action in priority.actions:
                index = checked.sources[id(action)].index
                actions[action.id] = _Placed(rel, priority.id, action, checked.doc, index)
        return _State(headings, actions, frozenset(broken), blobs)

    def _mend(self, info: CommitInfo) -> _State:
        """This commit's state, with each broken file's actions as they last could be read."""
        state = self._state(info.commit)
        if not state.broken or not info.parents:
            return state
        earlier = self._before(info.parents[0])
        actions = dict(state.actions)
        headings = dict(state.headings)
        for action_id, placed in earlier.actions.items():
            if placed.rel in state.broken and action_id not in actions:
                actions[action_id] = placed
        for pid, heading in earlier.headings.items():
            if heading.rel in state.broken and pid not in headings:
                headings[pid] = heading
        still = frozenset(rel for rel in state.broken if rel in earlier.broken)
        return _State(headings, actions, still, state.blobs)

    # --- where and who ------------------------------------------------------------------------

    def _path(self, rel: str) -> str:
        prefix = self.repo.plan_prefix
        return f"{prefix}/{rel}" if prefix else rel

    def _in_plan(self, path: str | None) -> str | None:
        prefix = self.repo.plan_prefix
        if path is None:
            return None
        if not prefix:
            return path
        return path[len(prefix) + 1 :] if path.startswith(prefix + "/") else None

    def _where(self, placed: _Placed | None) -> Where:
        assert placed is not None
        return (self._path(placed.rel), placed.line)

    def _refusal(
        self, identity: Identity, target: str, kind: str, owners: dict[str, list[str]]
    ) -> tuple[str, str] | None:
        if identity.role == "maintainer":
            return None
        if identity.role == "unknown":
            return f"{kind}: the author is not in the owners directory", self._unknown_hint(
                identity
            )
        if target not in owners or kind not in OWNER_KINDS:
            return f"{kind}: only a maintainer may do this", self._maintainer_hint()
        if identity.owner_id not in owners[target]:
            owned_by = " and ".join(self.names.get(o, o) for o in owners[target]) or "nobody"
            hint = f"ask {owned_by} to make this change, or a maintainer to approve it"
            return f"{kind}: {target} is owned by {owned_by}", hint
        return None

    def _unknown_hint(self, identity: Identity) -> str:
        line = f"git_emails: [{identity.email}]"
        if identity.same_name is not None:
            owner = identity.same_name
            return (
                f"if this is {self.names[owner]} ({owner}), a maintainer adds `{line}` to "
                f"their entry in plan.yaml (or runs: datracker owner email {owner} "
                f"{identity.email}); a matching name alone is not enough"
            )
        return (
            f"{identity.email} is not in the owners directory: a maintainer adds `{line}` to "
            "this person's entry in plan.yaml's owners (or runs: datracker owner email "
            f"<owner-id> {identity.email})"
        )

    def _maintainer_hint(self) -> str:
        maintainers = [self.names.get(m, m) for m in self.config.maintainers]
        if maintainers:
            return f"ask a maintainer ({', '.join(maintainers)}) to make or approve this change"
        return (
            "plan.yaml names no maintainers yet: add `maintainers: [<owner-id>]` to it on the "
            "main branch (or run: datracker owner maintainer <owner-id>)"
        )


_EMPTY = _State({}, {}, frozenset())


def _unexplained(per_parent: list[dict[str, set[str]]]) -> set[Touch]:
    """What every parent sees changed: for a merge, charged with the least any parent needs.

    A target changed against every parent is the merge's own doing; its kinds are those every
    parent sees, or else those of the parent that explains the most (an action a branch added
    and the merge then edited is charged as edited, not as added).
    """
    targets = set.intersection(*(set(p) for p in per_parent))
    charged: set[Touch] = set()
    for target in targets:
        kinds = [p[target] for p in per_parent]
        common = set.intersection(*kinds)
        charged |= {(target, kind) for kind in (common or min(kinds, key=_explains_less))}
    return charged


def _explains_less(kinds: set[str]) -> tuple[bool, int]:
    """A parent that lacked the thing altogether explains less than one that had it."""
    return (any(kind.startswith(("added ", "deleted ")) for kind in kinds), len(kinds))


def _file_kind(change: FileChange, what: str) -> str:
    if change.status == "A":
        return f"added the {what}"
    if change.status == "D":
        return f"deleted the {what}"
    if change.status == "R":
        return f"renamed the {what} from {change.old_path}"
    if change.status == "T":
        return f"turned the file into a {what}" if change.is_link else f"changed the {what}"
    return f"changed the {what}"


def _heading_kinds(was: _Heading | None, now: _Heading | None) -> list[tuple[str, str]]:
    """What changed above a priority's actions, each with the field to point at: its heading
    (the first field that differs; 'id' for a new or removed priority) and, apart from it, the
    rating its board stated (`assessments`). Both need a maintainer; the words say which."""
    if was is None or now is None:
        return [(HEADING, "id")]
    changed = [key for key in now.data if was.data.get(key) != now.data.get(key)]
    kinds = [(STATED, key) for key in changed if key == "assessments"]
    heading = [key for key in changed if key != "assessments"]
    return ([(HEADING, heading[0])] if heading else []) + kinds


def _regions(checked: CheckedPriority) -> Callable[[int], str | None]:
    """A function from a 0-based line to the id of the action written there, or None.

    An action owns the lines from its '- id' item to the next item (its comments included);
    lines before the first action and after the list belong to no action.
    """
    doc = checked.doc
    spans: list[tuple[int, int, str]] = []
    actions = _actions_node(doc)
    if actions is not None:
        items = actions.value
        for index, item in enumerate(items):
            end = items[index + 1].start_mark.line if index + 1 < len(items) else None
            last = end if end is not None else _last_line(item) + 1
            raw = doc.data["actions"][index] if isinstance(doc.data, dict) else None
            action_id = str(raw.get("id")) if isinstance(raw, dict) else f"action {index + 1}"
            spans.append((item.start_mark.line, last, action_id))

    def region(line: int) -> str | None:
        for start, end, action_id in spans:
            if start <= line < end:
                return action_id
        return None

    return region


def _actions_node(doc: Document) -> Any:
    import yaml

    root = doc.root
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value == "actions" and isinstance(value, yaml.SequenceNode):
            return value
    return None


def _last_line(node: Any) -> int:
    """The last line holding any of the node's content (its end mark may be lines later)."""
    import yaml

    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = node.end_mark
    return int(end.line) - (1 if end.column == 0 and end.line > node.start_mark.line else 0)


def _action_kinds(old: _Placed, new: _Placed) -> set[str]:
    a, b = old.action, new.action
    kinds = {"moved the action to another priority"} if old.priority != new.priority else set()
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
    "parent": "changed which action it belongs to",
}
