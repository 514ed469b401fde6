"""Everything a refresh document is built from, as it was at one revision, read from git.

`render --at REV` rebuilds a paper tabled in the past: the plan files, the lead's narrative
and the plan repository's own templates (the `templates/` folder beside the plan folder), all
from REV's tree through git's object database. Nothing is checked out: the work tree, the
index and HEAD are never touched, so uncommitted work is safe while an old paper is rebuilt.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from datracker.core.problems import DatrackerError, InvalidValue
from datracker.vcs.gitrepo import folder_blobs, plan_blobs, read_blob
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
    blobs = plan_blobs(plan_repo, commit)
    if not blobs or "plan.yaml" not in blobs:
        raise DatrackerError(
            f"there is no plan at {revision.short} ({plan_repo.plan_prefix or 'the top'} "
            "of the repository has no plan.yaml in that commit)",
            "name a revision that has the plan (git log --oneline -- <plan folder>)",
        )
    prefix = plan_repo.plan_prefix
    narrative = {
        name: sha
        for name, sha in folder_blobs(plan_repo, commit, _join(prefix, NARRATIVE_DIR)).items()
        if "/" not in name
    }
    parent = posixpath.dirname(prefix)
    templates = folder_blobs(plan_repo, commit, _join(parent, TEMPLATES_DIR)) if prefix else {}
    return FilesAtRevision(
        revision,
        {rel: read_blob(plan_repo, sha) for rel, sha in blobs.items()},
        {name: read_blob(plan_repo, sha) for name, sha in narrative.items()},
        {rel: read_blob(plan_repo, sha) for rel, sha in templates.items()},
    )


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
