"""`datracker init`: a new plan repository that validates, with CI and a pre-commit hook.

The scaffold is deliberately small (one priority, one action, one owner, one open review) so
a strategy lead can read all of it, then replace it with their own plan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from datracker.core.problems import DatrackerError
from datracker.plan.schema import schema_text

PLAN_YAML = """\
# yaml-language-server: $schema=../schema/plan.schema.json
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

WORKFLOW_YAML = """\
# Checks every pull request, and posts a summary as a comment. Not only those that change
# plan/: `datracker check` judges every file (workflows, templates, narrative included).
name: datracker
on:
  pull_request:
permissions:
  contents: read
  pull-requests: write
env:
  # the pip requirement that installs datracker: pin a version, or point at your copy
  DATRACKER: datracker
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install datracker
        run: pip install "$DATRACKER"
      - name: Validate the plan
        run: datracker validate --format github
      - name: Check who changed what
        run: datracker check --base "origin/${{{{ github.base_ref }}}}" --format github
      - name: Write the summary
        if: always()
        run: >-
          datracker check --base "origin/${{{{ github.base_ref }}}}" --format md
          > datracker-summary.md || true
      - name: Post the summary on the pull request
        if: always()
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          PR: ${{{{ github.event.pull_request.number }}}}
        run: |
          test -s datracker-summary.md || exit 0
          gh pr comment "$PR" --edit-last --body-file datracker-summary.md \\
            || gh pr comment "$PR" --body-file datracker-summary.md
"""

PRE_COMMIT_YAML = """\
# Runs `datracker validate` before each commit that touches the plan.
# This uses the datracker installed on your machine; see https://pre-commit.com
repos:
  - repo: local
    hooks:
      - id: datracker-validate
        name: datracker validate
        entry: datracker validate
        language: system
        pass_filenames: false
        files: ^plan/
"""


def scaffold_files(title: str, today: dt.date) -> dict[str, str]:
    review_id = f"{today:%Y-%m}"
    values = {
        "title": title,
        "period": f"{today.year}-{today.year + 3}",
        "body": "Health and Wellbeing Board",
        "review_id": review_id,
        "review_label": f"Update {today:%B %Y}",
        "review_date": review_id,
    }
    return {
        "plan/plan.yaml": PLAN_YAML.format(**values),
        "plan/priorities/a-first-priority.yaml": PRIORITY_YAML.format(**values),
        "schema/plan.schema.json": schema_text("plan"),
        "schema/priority.schema.json": schema_text("priority"),
        ".github/workflows/datracker.yml": WORKFLOW_YAML.format(),
        ".pre-commit-config.yaml": PRE_COMMIT_YAML,
    }


def write_scaffold(target: Path, files: dict[str, str], force: bool) -> list[Path]:
    """Write every file, or none: existing files are refused before anything is written."""
    existing = [rel for rel in files if (target / rel).exists()]
    if existing and not force:
        raise DatrackerError(
            f"{len(existing)} file(s) already exist in {target}: {', '.join(existing)}",
            "choose an empty folder, or pass --force to overwrite them",
        )
    written = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
