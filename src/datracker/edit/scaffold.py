"""`datracker init`: a ready plan repository: a plan that validates, CI, a hook, a first commit.

The scaffold is deliberately small (one priority, one action, one owner, one open review) so
a strategy lead can read all of it, then replace it with their own plan. Making it is all or
nothing: every check (existing files, who commits) comes before the first write, and when git
refuses a step, every file written, the index and a repository made for it are taken back.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from datracker import __version__
from datracker.core.atomic import write_atomic
from datracker.core.problems import DatrackerError
from datracker.edit.installsource import InstallSource
from datracker.edit.yamlscalar import double_quoted, inline_scalar
from datracker.plan.schema import schema_text
from datracker.vcs import newrepo
from datracker.vcs.gitcommit import Identity, check_identity

PLAN_YAML = """\
# yaml-language-server: $schema=../schema/plan.schema.json
version: 1
strategy:
  title: {title}
  period: {period}
  approving_body: {body}
reviews:
  - id: {review_id}
    label: {review_label}
    date: {review_date}
    status: open
owners:
  - id: strategy-lead
    name: Strategy Lead
    # the e-mail the lead commits with, and their forge handle, for `datracker check`
    git_emails: []
    handles: []
maintainers:
  - strategy-lead
"""

PRIORITY_YAML = """\
# yaml-language-server: $schema=../../schema/priority.schema.json
id: A
title: First priority
focus: false
actions:
  - id: A1
    objective: What this action is for
    action: What will be done
    measures:
      - description: How progress will be judged
    owners:
      - strategy-lead
    due: TBC
    updates:
      - review: {review_id}
        rag: AMBER
        text: First update.
"""

# The actions the workflow uses, pinned to the commit of a release (the comment names it):
# a tag can be moved to other code, a commit cannot.
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
SETUP_PYTHON = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0"
UPLOAD_PAGES = "actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa  # v3.0.1"
DEPLOY_PAGES = "actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e  # v4.0.5"

# No ${{ }} inside a `run:` block: values from the event reach the shell through `env:`, so
# a branch name can never be read as a command. The token can read the code and comment on
# the pull request, nothing else; checkout does not leave it in .git/config.
WORKFLOW_YAML = """\
# Checks every pull request, not only those that change plan/: `datracker check` judges every
# file (workflows, templates, narrative included). It validates the plan and checks who changed
# what (problems appear as annotations on the files), and posts the summary as a comment.
# Written by datracker {version} (`datracker init`), which it installs: change DATRACKER to
# move to another version (a git URL pinned to a tag or commit, or a wheel URL with its hash).
name: datracker
on:
  pull_request:
permissions: {{}}
concurrency: # a newer push to the pull request replaces a run still going
  group: datracker-${{{{ github.event.pull_request.number }}}}
  cancel-in-progress: true
jobs:
  plan:
    name: Check the plan
    runs-on: ubuntu-latest
    permissions:
      contents: read # read the plan and its history
      pull-requests: write # post the summary as a comment
    env:
      DATRACKER: {requirement}
    steps:
      - uses: {checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: {setup_python}
        with:
          python-version: "3.11"
      - name: Install datracker
        run: python -m pip install "$DATRACKER"
      - name: Validate the plan
        run: datracker validate --format github
      - name: Check who changed what
        if: ${{{{ !cancelled() }}}}
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        # annotations on the changed lines, then the same findings as the summary to post;
        # the step fails when a change is not permitted
        run: |
          status=0
          datracker check --base "origin/$BASE_REF" --format github || status=$?
          datracker check --base "origin/$BASE_REF" --format md > datracker-summary.md || true
          exit "$status"
      - name: Post the summary on the pull request
        if: ${{{{ !cancelled() }}}}
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          GH_REPO: ${{{{ github.repository }}}}
          PR: ${{{{ github.event.pull_request.number }}}}
        run: |
          test -s datracker-summary.md || exit 0
          cat datracker-summary.md >> "$GITHUB_STEP_SUMMARY"
          gh pr comment "$PR" --edit-last --body-file datracker-summary.md \\
            || gh pr comment "$PR" --body-file datracker-summary.md
"""

# The progress site, published from the default branch: the build job can only read the
# plan; only the deploy job, which runs no code of the plan's, may write to Pages.
SITE_WORKFLOW_YAML = """\
# Publishes the plan's progress site (`datracker render --format html`) to GitHub Pages each
# time the default branch changes, so partners and the public can follow progress between
# board meetings. Turn Pages on once: Settings > Pages > Source: GitHub Actions. To stop
# publishing, delete this file (or start the repository with `datracker init --no-site`).
# Written by datracker {version} (`datracker init`), which it installs.
name: datracker site
on:
  push:
permissions: {{}}
concurrency: # one publication at a time; a newer push waits for the one going
  group: datracker-site
  cancel-in-progress: false
jobs:
  build:
    name: Render the site
    if: github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    permissions:
      contents: read # read the plan, its history and its review tags
    env:
      DATRACKER: {requirement}
    steps:
      - uses: {checkout}
        with:
          fetch-depth: 0 # the history: changes since the last review
          persist-credentials: false
      - uses: {setup_python}
        with:
          python-version: "3.11"
      - name: Install datracker
        run: python -m pip install "$DATRACKER"
      - name: Render the site
        run: datracker render --format html --output site
      - uses: {upload_pages}
        with:
          path: site
  deploy:
    name: Publish the site
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write # publish to GitHub Pages
      id-token: write # prove to Pages that this workflow is publishing
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: {deploy_pages}
"""

# The hook installs the same datracker as the workflow, into pre-commit's own environment.
PRE_COMMIT_YAML = """\
# Runs `datracker validate` before each commit that touches the plan (https://pre-commit.com:
# `pre-commit install` once). It installs datracker {version}, as the CI workflow does.
repos:
  - repo: local
    hooks:
      - id: datracker-validate
        name: datracker validate
        entry: datracker validate
        language: python
        additional_dependencies: [{requirement}]
        pass_filenames: false
        files: ^plan/
"""

GITIGNORE = """\
# What datracker writes that is not the plan: rendered documents and charts
# (datracker render --output build), and Word's lock files while one is open.
build/
~$*
# A write interrupted by a crash can leave a temporary file beside a plan file.
.*.tmp
"""


WORKFLOW = ".github/workflows/datracker.yml"
SITE_WORKFLOW = ".github/workflows/datracker-site.yml"
PRE_COMMIT = ".pre-commit-config.yaml"


def scaffold_files(
    title: str, today: dt.date, source: InstallSource | None, site: bool = True
) -> dict[str, str]:
    """Every file of a new plan repository; no workflow or hook without a source to pin, and
    the site's workflow only when `site`."""
    review_id = f"{today:%Y-%m}"
    values = {
        "title": inline_scalar(title),
        "period": f"{today.year}-{today.year + 3}",
        "body": "Health and Wellbeing Board",
        "review_id": review_id,
        "review_label": f"Update {today:%B %Y}",
        "review_date": review_id,
    }
    files = {
        ".gitignore": GITIGNORE,
        "plan/plan.yaml": PLAN_YAML.format(**values),
        "plan/priorities/a-first-priority.yaml": PRIORITY_YAML.format(**values),
        "schema/plan.schema.json": schema_text("plan"),
        "schema/priority.schema.json": schema_text("priority"),
    }
    if source is not None:
        pinned = {"version": __version__, "requirement": double_quoted(source.requirement)}
        files[WORKFLOW] = WORKFLOW_YAML.format(
            checkout=CHECKOUT, setup_python=SETUP_PYTHON, **pinned
        )
        files[PRE_COMMIT] = PRE_COMMIT_YAML.format(**pinned)
        if site:
            files[SITE_WORKFLOW] = SITE_WORKFLOW_YAML.format(
                checkout=CHECKOUT,
                setup_python=SETUP_PYTHON,
                upload_pages=UPLOAD_PAGES,
                deploy_pages=DEPLOY_PAGES,
                **pinned,
            )
    return files


@dataclass(frozen=True)
class Created:
    written: list[Path]
    new_repository: bool  # git init was run
    commit: str | None  # None: the files were already committed as they are


def create_repository(
    target: Path, files: dict[str, str], force: bool, author: Identity | None
) -> Created:
    """Write every file and commit them, in a new repository unless `target` is inside one."""
    existing = [rel for rel in files if (target / rel).exists()]
    if existing and not force:
        raise DatrackerError(
            f"{len(existing)} file(s) already exist in {target}: {', '.join(existing)}; "
            "nothing was written",
            "choose an empty folder, or pass --force to overwrite them",
        )
    top = newrepo.enclosing_work_tree(target)
    # asked where the commit will be made: the repository, or (before git init) beside it;
    # the same rule as every committing command (a set identity, or --author)
    committer = check_identity(newrepo.nearest_existing(top or target.absolute().parent), author)
    with _undo_on_failure() as undo:
        written = [undo.write(target / rel, text) for rel, text in files.items()]
        if top is None:
            if not (target / ".git").exists():  # one git cannot read is the user's: kept
                undo.created_repository = target / ".git"
            newrepo.init_repository(target)
        repo_top = top or target.resolve()
        paths = [path.resolve().relative_to(repo_top).as_posix() for path in written]
        undo.index = newrepo.IndexEntries.read(repo_top, paths)
        message = "Start the delivery plan"
        commit = newrepo.commit_new_files(repo_top, paths, message, author, committer)
    return Created(written, top is None, commit)


@dataclass
class _Undo:
    """What init has done so far, to take back in reverse when a later step fails."""

    files: list[tuple[Path, bytes | None]] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    created_repository: Path | None = None
    index: newrepo.IndexEntries | None = None

    def write(self, path: Path, text: str) -> Path:
        missing = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
        try:
            for folder in reversed(missing):
                folder.mkdir()
                self.folders.append(folder)
            self.files.append((path, path.read_bytes() if path.exists() else None))
        except OSError as error:
            raise DatrackerError(
                f"cannot write {path}: {error.strerror}; nothing was written",
                "choose a folder you can write to",
            ) from error
        write_atomic(path, text.encode("utf-8"))
        return path

    def roll_back(self) -> None:
        if self.index is not None and self.created_repository is None:
            self.index.restore()
        if self.created_repository is not None:
            shutil.rmtree(self.created_repository, ignore_errors=True)
        for path, before in reversed(self.files):
            if before is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, before)
        for folder in reversed(self.folders):
            with suppress(OSError):  # not empty: it held files before
                folder.rmdir()


@contextmanager
def _undo_on_failure() -> Iterator[_Undo]:
    undo = _Undo()
    try:
        yield undo
    except BaseException:  # Ctrl-C included: nothing half-made is left behind
        undo.roll_back()
        raise
