"""The plan store's read side: find a plan directory, read every file, check each against the model.

Each file is checked on its own and each action on its own, so one broken action does not hide
the mistakes in the others, and the cross-file rules (validation.py) still see every action
that could be read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from datracker.models import Action, Plan, PlanConfig, PriorityFile
from datracker.problems import DatrackerError, Problem
from datracker.schemaerrors import problems_from_validation
from datracker.yamlread import Document, parse_text, read_document

PLAN_FILE = "plan.yaml"
PRIORITIES_DIR = "priorities"
PLAN_ENV = "DATRACKER_PLAN"


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


@dataclass(frozen=True)
class _Checked:
    """One priority file's share of a LoadedPlan: its problems and, if readable, its priority."""

    doc: Document
    problems: list[Problem]
    priority: PriorityFile | None
    sources: list[ActionSource]


@dataclass
class LoadedPlan:
    root: Path
    config_doc: Document
    config: PlanConfig | None
    priority_docs: list[Document] = field(default_factory=list)
    priorities: list[PriorityFile] = field(default_factory=list)
    sources: dict[int, ActionSource] = field(default_factory=dict)  # id(action) -> source
    problems: list[Problem] = field(default_factory=list)
    # per priority file (by rel): what checking it produced, so a reload can reuse it
    checked: dict[str, _Checked] = field(default_factory=dict)

    @property
    def plan(self) -> Plan | None:
        return Plan(self.config, self.priorities) if self.config else None

    def source(self, action: Action) -> ActionSource:
        return self.sources[id(action)]

    def require_plan(self) -> Plan:
        """The plan, or an error listing why it could not be read at all."""
        plan = self.plan
        if plan is None:
            raise DatrackerError(
                f"the plan in {self.root} cannot be read",
                "run `datracker validate` to see every problem",
                [p for p in self.problems if p.severity == "error"],
            )
        return plan


def resolve_plan_dir(option: Path | None) -> Path:
    """--plan wins, then $DATRACKER_PLAN, then ./plan."""
    if option is not None:
        return option
    return Path(os.environ.get(PLAN_ENV) or "plan")


def load_plan(
    root: Path, overrides: Mapping[str, str] | None = None, reuse: LoadedPlan | None = None
) -> LoadedPlan:
    """Read and check every file of the plan at `root`.

    `overrides` maps a file (relative to the plan, e.g. 'priorities/a.yaml') to text to check
    instead of what is on disk: how a write validates the plan it is about to produce.
    `reuse` is an earlier load of the same plan whose other priority files are taken as they
    were, so checking a one-file change does not re-read and re-check the whole plan.
    """
    overrides = overrides or {}
    plan_file = root / PLAN_FILE
    if not root.is_dir() or not plan_file.is_file():
        what = "no plan directory" if not root.is_dir() else f"no {PLAN_FILE}"
        raise DatrackerError(
            f"{what} at {root}",
            f"run datracker where the plan's folder is, or pass --plan DIR (or set {PLAN_ENV})",
        )
    base = root.resolve()
    if PLAN_FILE in overrides:
        config_doc = parse_text(plan_file, PLAN_FILE, overrides[PLAN_FILE])
    elif reuse is not None:
        config_doc = reuse.config_doc
    else:
        config_doc = _read(root, plan_file, base)
    loaded = LoadedPlan(root=root, config_doc=config_doc, config=None)
    loaded.problems.extend(loaded.config_doc.problems)
    if reuse is not None and PLAN_FILE not in overrides:
        loaded.config = reuse.config
    else:
        loaded.config = _check_config(loaded.config_doc, loaded.problems)
    for path in _priority_paths(root):
        rel = path.relative_to(root).as_posix()
        earlier = reuse.checked.get(rel) if reuse is not None else None
        if earlier is not None and rel not in overrides:
            _reuse_priority(earlier, loaded)
            continue
        if rel in overrides:
            doc = parse_text(path, rel, overrides[rel])
        else:
            doc = _read(root, path, base)
        _check_priority_file(doc, loaded)
    return loaded


def _check_priority_file(doc: Document, loaded: LoadedPlan) -> None:
    loaded.priority_docs.append(doc)
    first_problem, count = len(loaded.problems), len(loaded.priorities)
    loaded.problems.extend(doc.problems)
    _check_priority(doc, loaded)
    priority = loaded.priorities[-1] if len(loaded.priorities) > count else None
    sources = [loaded.sources[id(a)] for a in priority.actions] if priority else []
    loaded.checked[doc.rel] = _Checked(doc, loaded.problems[first_problem:], priority, sources)


def _reuse_priority(earlier: _Checked, loaded: LoadedPlan) -> None:
    loaded.priority_docs.append(earlier.doc)
    loaded.problems.extend(earlier.problems)
    loaded.checked[earlier.doc.rel] = earlier
    if earlier.priority is None:
        return
    loaded.priorities.append(earlier.priority)
    for action, source in zip(earlier.priority.actions, earlier.sources, strict=True):
        loaded.sources[id(action)] = source


def _priority_paths(root: Path) -> list[Path]:
    folder = root / PRIORITIES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _read(root: Path, path: Path, base: Path) -> Document:
    rel = path.relative_to(root).as_posix()
    if path.is_symlink() and not path.resolve().is_relative_to(base):
        doc = Document(path=path, rel=rel, text="", root=None, data=None)
        message = "this file is a link to a file outside the plan directory"
        hint = "copy the file into the plan directory instead of linking to it"
        doc.problems.append(Problem(rel, 1, 1, "error", "outside-link", message, hint))
        return doc
    return read_document(path, rel)


def _check_config(doc: Document, problems: list[Problem]) -> PlanConfig | None:
    if doc.data is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(_not_a_mapping(doc, "strategy, scale, reviews and owners"))
        return None
    try:
        return PlanConfig.model_validate(doc.data)
    except ValidationError as error:
        problems.extend(problems_from_validation(doc, PlanConfig, error))
        return None


def _check_priority(doc: Document, loaded: LoadedPlan) -> None:
    if doc.data is None:
        return
    if not isinstance(doc.data, dict):
        loaded.problems.append(_not_a_mapping(doc, "id, title and actions"))
        return
    header = {key: value for key, value in doc.data.items() if key != "actions"}
    raw_actions = doc.data.get("actions", [])
    try:
        priority = PriorityFile.model_validate(header)
    except ValidationError as error:
        loaded.problems.extend(problems_from_validation(doc, PriorityFile, error))
        return
    if not isinstance(raw_actions, list):
        message = "'actions' should be a list of actions, each starting with '- id: …'"
        loaded.problems.append(doc.problem(("actions",), "error", "wrong-type", message))
        raw_actions = []
    for index, raw in enumerate(raw_actions):
        try:
            action = Action.model_validate(raw)
        except ValidationError as error:
            loaded.problems.extend(
                problems_from_validation(doc, Action, error, prefix=("actions", index))
            )
            continue
        priority.actions.append(action)
        loaded.sources[id(action)] = ActionSource(doc, index, priority)
    loaded.priorities.append(priority)


def _not_a_mapping(doc: Document, what: str) -> Problem:
    message = f"the file should be a mapping of {what}"
    return doc.problem((), "error", "wrong-type", message, "see docs/plan-format.md")
