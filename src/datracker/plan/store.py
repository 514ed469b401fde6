"""The plan store's read side: find a plan directory, read every file, check each against the model.

Each file is checked on its own and each action on its own, so one broken action does not hide
the mistakes in the others, and the cross-file rules (validation.py) still see every action
that could be read.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from datracker.core import gcpause
from datracker.core.paths import LINK_HINT, link_leading_out, links_in
from datracker.core.problems import DatrackerError, Problem
from datracker.plan.models import Action, Plan, PlanConfig, PriorityFile
from datracker.plan.schemaerrors import problems_from_validation
from datracker.plan.yamlread import (
    Document,
    document_from_bytes,
    max_file_bytes,
    parse_document,
    read_document,
    unread_document,
)

PLAN_FILE = "plan.yaml"
PRIORITIES_DIR = "priorities"
PLAN_ENV = "DATRACKER_PLAN"
TEMPLATES_DIR = "templates"  # beside the plan folder: the plan repository's own templates


@dataclass(frozen=True)
class ActionSource:
    """Where an action was written: its file and its index in that file's `actions` list."""

    doc: Document
    index: int
    priority: PriorityFile

    def problem(
        self,
        loc: tuple[str | int, ...],
        severity: str,
        code: str,
        message: str,
        hint: str | None = None,
    ) -> Problem:
        return self.doc.problem(("actions", self.index, *loc), severity, code, message, hint)


@dataclass
class LoadedPlan:
    root: Path
    config_doc: Document
    config: PlanConfig | None
    priority_docs: list[Document] = field(default_factory=list)
    priorities: list[PriorityFile] = field(default_factory=list)
    sources: dict[int, ActionSource] = field(default_factory=dict)  # id(action) -> source
    problems: list[Problem] = field(default_factory=list)
    # what checking each file produced, by path in the plan, so a reload can reuse it
    checked_config: CheckedConfig | None = None
    checked: dict[str, CheckedPriority] = field(default_factory=dict)
    # the priority files read, when not all of them were (see load_plan's `only`)
    only: frozenset[str] | None = None

    @property
    def plan(self) -> Plan | None:
        return Plan(self.config, self.priorities) if self.config else None

    def source(self, action: Action) -> ActionSource:
        return self.sources[id(action)]

    @property
    def read_errors(self) -> list[Problem]:
        """The errors met reading plan.yaml and the priorities: each means part of the plan
        was not read. (A link in the narrative or the templates is not part of the plan's
        data: the commands that read those refuse it themselves, naming the link.)"""
        return [p for p in self.problems if p.severity == "error" and _in_plan_data(p.path)]

    def unread_parts(self) -> list[str]:
        """Exactly what of the plan was not read, one line per file, for a partial answer."""
        parts = []
        folder = [p for p in self.read_errors if p.path == PRIORITIES_DIR]
        if folder:  # the priorities folder itself, e.g. a link leading out of the plan
            first = folder[0]
            where = f"{shown(self.root, PRIORITIES_DIR)}:{first.line}:{first.column}"
            parts.append(f"{PRIORITIES_DIR}/: every priority ({where}: {first.message})")
        for doc in [self.config_doc, *self.priority_docs]:
            errors = [p for p in self.problems if p.path == doc.rel and p.severity == "error"]
            if not errors:
                continue
            first = errors[0]
            where = f"{shown(self.root, doc.rel)}:{first.line}:{first.column}: {first.message}"
            parts.append(f"{_missing_from(self, doc)} ({where})")
        return parts

    def require_whole_plan(self, action_id: str | None = None) -> Plan:
        """The plan, provided every file and every action in it was read.

        A command whose answer depends on the whole plan (export, chase, codeowners, render,
        show) must not answer from part of it: 33 of 38 actions exported with exit 0 looks
        like the whole plan. With `action_id`, a broken file that holds that id is named.
        """
        plan = self.require_plan()
        errors = self.read_errors
        if not errors:
            return plan
        files = sorted({p.path for p in errors})
        named = [
            rel for rel in files if action_id and rel in (files_naming(self.root, action_id) or [])
        ]
        if named:
            # "may": a file that cannot be read cannot be searched either, so it is named
            # whether or not the action is in it
            message = (
                f"{shown(self.root, named[0])} cannot be read, and {action_id} may be in it; "
                "nothing is shown rather than part of the plan"
            )
        else:
            what = shown(self.root, files[0]) if len(files) == 1 else f"{len(files)} plan files"
            message = (
                f"{what} cannot be read whole, so the answer would leave part of the plan out; "
                "nothing was done"
            )
        hint = "fix what is listed (run `datracker validate`), then try again"
        raise DatrackerError(message, hint, shown_problems(self.root, errors))

    def require_plan(self) -> Plan:
        """The plan, or an error listing why it could not be read at all."""
        plan = self.plan
        if plan is None:
            raise DatrackerError(
                f"the plan in {self.root} cannot be read",
                "run `datracker validate` to see every problem",
                shown_problems(self.root, [p for p in self.problems if p.severity == "error"]),
            )
        return plan


def _in_plan_data(rel: str) -> bool:
    return rel in (PLAN_FILE, PRIORITIES_DIR) or rel.startswith(f"{PRIORITIES_DIR}/")


def shown(root: Path, rel: str) -> str:
    """A plan file named as the user would type it, from where they stand."""
    try:
        prefix = os.path.relpath(root)
    except ValueError:
        prefix = str(root)
    return rel if prefix in ("", ".") else f"{prefix.rstrip('/')}/{rel}"


def shown_problems(root: Path, problems: list[Problem]) -> list[Problem]:
    """Problems found in the plan (their paths inside it), named from where the user stands,
    so the paths printed with an error can be opened as they are."""
    return [replace(p, path=shown(root, p.path)) for p in problems]


def _missing_from(loaded: LoadedPlan, doc: Document) -> str:
    """What of one file is missing: all of it, or which of its actions."""
    if doc.rel == PLAN_FILE:
        return f"{doc.rel}: the whole plan" if loaded.config is None else f"{doc.rel}: partly"
    checked = loaded.checked.get(doc.rel)
    if checked is None or checked.priority is None:
        return f"{doc.rel}: the whole file"
    skipped = skipped_actions(checked)
    if not skipped:
        return f"{doc.rel}: partly"
    return f"{doc.rel}: action{'s' if len(skipped) > 1 else ''} {', '.join(skipped)}"


def skipped_actions(checked: CheckedPriority) -> list[str]:
    """The actions of a readable priority file that could not be read, by id where it has one."""
    raw = checked.doc.data.get("actions") if isinstance(checked.doc.data, dict) else None
    read = {source.index for source in checked.sources.values()}
    return [
        str(item.get("id", f"entry {i + 1}"))[:64] if isinstance(item, dict) else f"entry {i + 1}"
        for i, item in enumerate(raw if isinstance(raw, list) else [])
        if i not in read
    ]


def resolve_plan_dir(option: Path | None) -> Path:
    """--plan wins, then $DATRACKER_PLAN, then ./plan."""
    if option is not None:
        return option
    return Path(os.environ.get(PLAN_ENV) or "plan")


def require_plan_dir(option: Path | None) -> Path:
    """The plan folder the user means, or the one error every command gives when it is not."""
    root = resolve_plan_dir(option)
    check_plan_dir(root, need_plan_file=False)
    return root


def check_plan_dir(root: Path, need_plan_file: bool = True) -> None:
    """Refuse a missing folder, a file given for the folder, and a folder without plan.yaml."""
    where = f"run datracker where the plan's folder is, or pass --plan DIR (or set {PLAN_ENV})"
    if root.is_file():
        holder = next((p for p in root.parents if (p / PLAN_FILE).is_file()), None)
        hint = f"give the folder that holds {PLAN_FILE}: --plan {holder}" if holder else where
        raise DatrackerError(f"{root} is a file; the plan is a folder holding {PLAN_FILE}", hint)
    if not root.is_dir():
        raise DatrackerError(f"no plan directory at {root}", where)
    plan_file = root / PLAN_FILE
    if os.path.lexists(plan_file) and not plan_file.is_file():
        raise DatrackerError(
            f"{plan_file} is not a file (a folder, a broken link or a device)",
            f"restore {PLAN_FILE} from git (git checkout -- {plan_file}), or pass --plan DIR",
        )
    if need_plan_file and not plan_file.is_file():
        raise DatrackerError(
            f"no {PLAN_FILE} in {root}, so it is not a plan folder",
            f"{where}; `datracker init DIR` starts a new plan",
        )


@dataclass(frozen=True)
class CheckedConfig:
    """plan.yaml read and checked: its problems are the document's, then the model's."""

    doc: Document
    config: PlanConfig | None
    problems: list[Problem]


@dataclass(frozen=True)
class CheckedPriority:
    """One priority file read and checked on its own.

    A file is checked without reference to the others, so the result can be reused wherever
    the same bytes recur: git history memoises it by blob id.
    """

    doc: Document
    priority: PriorityFile | None
    sources: dict[int, ActionSource]
    problems: list[Problem]


def load_plan(
    root: Path,
    overrides: Mapping[str, str] | None = None,
    reuse: LoadedPlan | None = None,
    only: Collection[str] | None = None,
) -> LoadedPlan:
    """Read and check every file of the plan at `root`.

    `overrides` maps a file (relative to the plan, e.g. 'priorities/a.yaml') to text to check
    instead of what is on disk: how a write validates the plan it is about to produce.
    `reuse` is an earlier load of the same plan whose other files are taken as they were
    checked, so checking a one-file change does not re-read and re-check the whole plan.
    `only` limits the priority files read to those named (plan.yaml is always read): an
    update edits one file, and cannot change what the others say, so it need not parse them.
    A reload with `reuse` keeps the earlier load's limit.
    """
    overrides = overrides or {}
    if only is None and reuse is not None:
        only = reuse.only
    check_plan_dir(root)
    with gcpause.paused():
        loaded = _load(root, overrides, reuse, only)
    loaded.only = frozenset(only) if only is not None else None
    return loaded


def _load(
    root: Path,
    overrides: Mapping[str, str],
    reuse: LoadedPlan | None,
    only: Collection[str] | None,
) -> LoadedPlan:
    plan_file = root / PLAN_FILE

    def document(path: Path) -> Document:
        rel = path.relative_to(root).as_posix()
        if rel in overrides:
            return parse_document(overrides[rel], rel, path)
        return _read(root, path)

    earlier = reuse.checked if reuse is not None else {}
    config = (
        reuse.checked_config
        if reuse is not None and reuse.checked_config is not None and PLAN_FILE not in overrides
        else check_config(document(plan_file))
    )
    priorities = [
        earlier[rel] if rel in earlier and rel not in overrides else check_priority(document(path))
        for path in _priority_paths(root)
        for rel in [path.relative_to(root).as_posix()]
        if only is None or rel in only
    ]
    loaded = assemble_plan(root, config, priorities)
    folder_link = _priorities_link(root)
    if folder_link is not None:
        loaded.problems.append(folder_link)
    if only is None:
        reported = {p.path for p in loaded.problems if p.code == "outside-link"}
        loaded.problems.extend(p for p in link_problems(root) if p.path not in reported)
    return loaded


def templates_beside(root: Path) -> Path:
    """The templates folder a plan's repository keeps beside the plan folder."""
    return root.resolve().parent / TEMPLATES_DIR


def link_problems(root: Path) -> list[Problem]:
    """Every symbolic link in the plan folder and in the templates folder beside it.

    A link is refused even when it points inside: git stores it as a link, so reviewers of a
    pull request see a path, not what it leads to, and the target can change under them.
    """
    problems = [link_problem(link.rel, link.target, link.outside) for link in links_in(root)]
    templates = templates_beside(root)
    rel = f"../{TEMPLATES_DIR}"
    if templates.is_symlink():
        outside = not templates.resolve().is_relative_to(templates.parent)
        problems.append(link_problem(rel, str(templates.readlink()), outside))
    else:
        for link in links_in(templates):
            problems.append(link_problem(f"{rel}/{link.rel}", link.target, link.outside))
    return problems


def link_problem(rel: str, target: str, outside: bool) -> Problem:
    """A symbolic link in the plan, as validate and check both report it."""
    if outside:
        message = f"this is a link to {target}, outside the plan; it is not read"
        return Problem(rel, 1, 1, "error", "outside-link", message, LINK_HINT)
    message = f"this is a symbolic link (to {target}); a plan holds files, not links"
    hint = "replace the link with the file itself; reviewers of a pull request see only the link"
    return Problem(rel, 1, 1, "error", "symlink", message, hint)


def _priorities_link(root: Path) -> Problem | None:
    """The priorities folder as a link leading out of the plan: none of its files are read."""
    found = link_leading_out(root, root / PRIORITIES_DIR)
    if found is None:
        return None
    return link_problem(PRIORITIES_DIR, found[1], outside=True)


def files_naming(root: Path, action_id: str) -> list[str] | None:
    """The priority files whose text holds `action_id` as a whole word, in any case.

    A cheap byte search, so that a command about one action parses only the files that can
    hold it. It may name more files than hold the action (an update's text can mention it);
    it cannot miss one that writes the id out, which is how ids are written. None when the id
    cannot be searched for as written (then read every file), and files too large to search
    are always named, so that reading them reports why.
    """
    wanted = action_id.strip().encode("utf-8", "replace")
    if not _SEARCHABLE_ID.fullmatch(wanted):
        return None
    word = wanted.lower()
    return [
        path.relative_to(root).as_posix()
        for path in _priority_paths(root)
        if _may_hold(root, path, word)
    ]


def _may_hold(root: Path, path: Path, word: bytes) -> bool:
    """Whether a file may hold the word; one that cannot be searched safely may.

    Such a file (a link out of the plan, one over the size cap, one that cannot be read) is
    then read the normal way, which reports what is wrong with it.
    """
    try:
        info = path.stat()
        if link_leading_out(root, path) or not stat.S_ISREG(info.st_mode):
            return True
        if info.st_size > max_file_bytes():
            return True
        return _holds_word(path.read_bytes().lower(), word)
    except OSError:
        return True


def _holds_word(text: bytes, word: bytes) -> bool:
    """Whether `word` occurs in `text` not run into other id characters (A1, but not A10).

    A plain find per occurrence: several times quicker than a regular expression with
    look-arounds on a large plan, where this is the only work done for the files skipped.
    """
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before_ok = start == 0 or text[start - 1] not in _ID_BYTES
        if before_ok and (end == len(text) or text[end] not in _ID_BYTES):
            return True
        start = text.find(word, start + 1)
    return False


_ID_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789._-")  # ids, once lowercased


_SEARCHABLE_ID = re.compile(rb"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def load_plan_from_files(root: Path, files: Mapping[str, bytes | Problem]) -> LoadedPlan:
    """A plan from the bytes of its files keyed by path relative to the plan directory.

    The same checks as `load_plan`; used for versions of the plan that are not on disk. A
    file given as a Problem was not read (e.g. a blob over the size cap, refused unread) and
    is reported as that problem.
    """
    if PLAN_FILE not in files:
        raise DatrackerError(f"no {PLAN_FILE} in the plan at {root}")
    with gcpause.paused():
        return _assemble_from_files(root, files)


def _assemble_from_files(root: Path, files: Mapping[str, bytes | Problem]) -> LoadedPlan:
    config = check_config(_from_file(root, PLAN_FILE, files[PLAN_FILE]))
    priorities = [
        check_priority(_from_file(root, rel, files[rel])) for rel in priority_file_names(files)
    ]
    return assemble_plan(root, config, priorities)


def _from_file(root: Path, rel: str, given: bytes | Problem) -> Document:
    if isinstance(given, Problem):
        return unread_document(rel, given, root / rel)
    return document_from_bytes(given, rel, root / rel)


def priority_file_names(rels: Iterable[str]) -> list[str]:
    """Those of the relative paths that are priority files, in the order priorities are listed."""
    return sorted(
        rel
        for rel in rels
        if rel.startswith(PRIORITIES_DIR + "/")
        and "/" not in rel[len(PRIORITIES_DIR) + 1 :]
        and rel.endswith((".yaml", ".yml"))
    )


def assemble_plan(
    root: Path, config: CheckedConfig, priorities: Iterable[CheckedPriority]
) -> LoadedPlan:
    """The one place a LoadedPlan is put together, whichever way its files were read."""
    loaded = LoadedPlan(root=root, config_doc=config.doc, config=config.config)
    loaded.checked_config = config
    loaded.problems.extend(config.problems)
    for checked in priorities:
        loaded.checked[checked.doc.rel] = checked
        loaded.priority_docs.append(checked.doc)
        loaded.problems.extend(checked.problems)
        if checked.priority is not None:
            loaded.priorities.append(checked.priority)
            loaded.sources.update(checked.sources)
    return loaded


def _priority_paths(root: Path) -> list[Path]:
    folder = root / PRIORITIES_DIR
    if not folder.is_dir() or link_leading_out(root, folder) is not None:
        return []
    # Every entry named like a plan file, files or not: a folder or a pipe called a.yaml is
    # reported by the reader ("not a plan file"), never silently left out of the plan.
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def _read(root: Path, path: Path) -> Document:
    rel = path.relative_to(root).as_posix()
    found = link_leading_out(root, path)
    if found is not None:
        return unread_document(rel, link_problem(rel, found[1], outside=True), path)
    return read_document(path, rel)


def check_config(doc: Document) -> CheckedConfig:
    problems = list(doc.problems)
    if doc.data is None:
        return CheckedConfig(doc, None, problems)
    if not isinstance(doc.data, dict):
        problems.append(_not_a_mapping(doc, "strategy, scale, reviews and owners"))
        return CheckedConfig(doc, None, problems)
    try:
        return CheckedConfig(doc, PlanConfig.model_validate(doc.data), problems)
    except ValidationError as error:
        problems.extend(problems_from_validation(doc, PlanConfig, error))
        return CheckedConfig(doc, None, problems)


def check_priority(doc: Document) -> CheckedPriority:
    problems = list(doc.problems)
    if doc.data is None:
        return CheckedPriority(doc, None, {}, problems)
    if not isinstance(doc.data, dict):
        problems.append(_not_a_mapping(doc, "id, title and actions"))
        return CheckedPriority(doc, None, {}, problems)
    header = {key: value for key, value in doc.data.items() if key != "actions"}
    raw_actions = doc.data.get("actions", [])
    try:
        priority = PriorityFile.model_validate(header)
    except ValidationError as error:
        problems.extend(problems_from_validation(doc, PriorityFile, error))
        return CheckedPriority(doc, None, {}, problems)
    if not isinstance(raw_actions, list):
        message = "'actions' should be a list of actions, each starting with '- id: …'"
        problems.append(doc.problem(("actions",), "error", "wrong-type", message))
        raw_actions = []
    sources: dict[int, ActionSource] = {}
    for index, raw in enumerate(raw_actions):
        try:
            action = Action.model_validate(raw)
        except ValidationError as error:
            problems.extend(problems_from_validation(doc, Action, error, prefix=("actions", index)))
            continue
        priority.actions.append(action)
        sources[id(action)] = ActionSource(doc, index, priority)
    return CheckedPriority(doc, priority, sources, problems)


def _not_a_mapping(doc: Document, what: str) -> Problem:
    message = f"the file should be a mapping of {what}"
    return doc.problem((), "error", "wrong-type", message, "see docs/plan-format.md")
