"""Everything a refresh document is built from, as it was at one revision, read from git.

`render --at REV` rebuilds a paper tabled in the past: the plan files, the lead's narrative
and the plan repository's own templates (the `templates/` folder beside the plan folder), all
from REV's tree through git's object database. Nothing is checked out: the work tree, the
index and HEAD are never touched, so uncommitted work is safe while an old paper is rebuilt.

The files are held to the rules the work tree's are (core/paths.py, plan/yamlread.py): no
file over the size cap is read (its size is asked of git first), and a symbolic link in
what the paper is built from is refused with its name, never followed or silently skipped.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from datracker.core.paths import LINK_HINT
from datracker.core.problems import DatrackerError, InvalidValue, Problem
from datracker.vcs.gitrepo import (
    PlanRepo,
    blob_within_cap,
    folder_blobs,
    links_in_tree,
    plan_blobs,
)
from datracker.vcs.history import Revision, current_config, open_for_history, resolve_revision

NARRATIVE_DIR = "narrative"
TEMPLATES_DIR = "templates"


@dataclass(frozen=True)
class FilesAtRevision:
    revision: Revision
    plan: dict[str, bytes]  # plan.yaml and priorities/*, relative to the plan folder
    narrative: dict[str, bytes]  # the narrative folder's files, by file name
    templates: dict[str, bytes]  # the templates folder beside the plan, relative to it


def files_at(plan_dir: Path, rev: str) -> FilesAtRevision:
    """The files at `rev`: a commit, branch or tag, or a review id (read as its tag)."""
    plan_repo = open_for_history(plan_dir)
    revision = resolve_revision(plan_repo, current_config(plan_dir), rev)
    commit = revision.commit
    if commit is None:
        raise InvalidValue(
            f"'{rev}' is the files on disk, not a revision in git",
            "leave --at out to use the files on disk, or name a commit, tag or review",
        )
    prefix = plan_repo.plan_prefix
    templates_dir = _join(posixpath.dirname(prefix), TEMPLATES_DIR) if prefix else ""
    read_from = [_join(prefix, "plan.yaml"), _join(prefix, "priorities")]
    read_from += [_join(prefix, NARRATIVE_DIR), *([templates_dir] if templates_dir else [])]
    _refuse_links(plan_repo, commit, revision, read_from)
    blobs = plan_blobs(plan_repo, commit)
    if not blobs or "plan.yaml" not in blobs:
        raise DatrackerError(
            f"there is no plan at {revision.short} ({prefix or 'the top'} "
            "of the repository has no plan.yaml in that commit)",
            "name a revision that has the plan (git log --oneline -- <plan folder>)",
        )
    narrative = {
        name: sha
        for name, sha in folder_blobs(plan_repo, commit, _join(prefix, NARRATIVE_DIR)).items()
        if "/" not in name
    }
    templates = folder_blobs(plan_repo, commit, templates_dir) if templates_dir else {}
    return FilesAtRevision(
        revision,
        _read_all(plan_repo, revision, prefix, blobs),
        _read_all(plan_repo, revision, _join(prefix, NARRATIVE_DIR), narrative),
        _read_all(plan_repo, revision, templates_dir, templates),
    )


def _refuse_links(plan_repo: PlanRepo, commit: str, revision: Revision, paths: list[str]) -> None:
    """A link among the files a paper is built from stops the render, as on disk: followed,
    it would copy whatever it points at into a published document."""
    for path in paths:
        for rel, target in links_in_tree(plan_repo, commit, path) or []:
            shown = _join(path, rel) if rel else path
            raise DatrackerError(
                f"{shown} is a symbolic link (to {target}) at {revision.short}; datracker does "
                "not follow links, so that paper cannot be rebuilt from git",
                LINK_HINT,
            )


def _read_all(
    plan_repo: PlanRepo, revision: Revision, folder: str, blobs: dict[str, str]
) -> dict[str, bytes]:
    """Each blob's bytes, its size checked against the one size cap before it is read."""
    files: dict[str, bytes] = {}
    for rel, sha in blobs.items():
        got = blob_within_cap(plan_repo, _join(folder, rel), sha)
        if isinstance(got, Problem):
            raise DatrackerError(
                f"{got.path} at {revision.short}: {got.message}; nothing was written", got.hint
            )
        files[rel] = got
    return files


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
