"""Run the `run:` steps of a GitHub Actions job (or composite action) on this machine.

What GitHub would do for these steps, and no more: each `run:` block in bash with the step's
and the job's `env:`, `${{ … }}` filled from a table of the few values a test gives (an
expression not in the table fails the test, rather than becoming an empty string), GitHub's
own variables (GITHUB_STEP_SUMMARY, RUNNER_TEMP, GITHUB_WORKSPACE…), and a failed step
skipping the later ones unless they say `if: ${{ !cancelled() }}`. `uses:` steps are not run:
the test stands in for them (a checkout is the repository it made, setup-python a venv first
on PATH) and lists which it expects.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
RUN_ANYWAY = "${{ !cancelled() }}"
# bash as GitHub runs a step: `bash -e {0}` by default, `-eo pipefail` with `shell: bash`
DEFAULT_SHELL = ["bash", "--noprofile", "--norc", "-e"]
BASH_SHELL = [*DEFAULT_SHELL, "-o", "pipefail"]


def expand(value: Any, context: dict[str, str]) -> str:
    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in context, f"the test gave no value for ${{{{ {name} }}}}"
        return expand(context[name], context)

    return EXPRESSION.sub(lookup, str(value))


@dataclass
class StepRun:
    name: str
    code: int | None  # None: not run (a `uses:` step, or skipped after a failure)
    out: str
    err: str


def run_steps(
    steps: list[dict[str, Any]],
    *,
    cwd: Path,
    env: dict[str, str],
    context: dict[str, str],
    job_env: dict[str, str] | None = None,
) -> list[StepRun]:
    results: list[StepRun] = []
    failed = False
    for step in steps:
        name = str(step.get("name") or step.get("uses") or step.get("run", "")[:40])
        condition = step.get("if")
        assert condition in (None, RUN_ANYWAY), f"{name}: the runner cannot judge if: {condition}"
        if "uses" in step or (failed and condition is None):
            results.append(StepRun(name, None, "", ""))
            continue
        step_env = {
            k: expand(v, context) for k, v in {**(job_env or {}), **step.get("env", {})}.items()
        }
        shell = BASH_SHELL if step.get("shell") == "bash" else DEFAULT_SHELL
        proc = subprocess.run(
            [*shell, "-c", step["run"]],
            cwd=cwd,
            env={**env, **step_env},
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
        results.append(StepRun(name, proc.returncode, proc.stdout, proc.stderr))
        failed = failed or proc.returncode != 0
    return results


GH_STUB = """\
#!/bin/sh
# stands in for GitHub's `gh`: records each call, keeps the body it would post, and, like gh
# on a pull request with no comment of ours yet, refuses --edit-last
echo "$*" >> "$GH_LOG"
echo "GH_TOKEN=$GH_TOKEN GH_REPO=$GH_REPO" >> "$GH_LOG"
while [ $# -gt 0 ]; do
  case "$1" in
    --edit-last) echo "no comments found for current user" >&2; exit 1 ;;
    --body-file) cp "$2" "$GH_LOG.body"; shift ;;
  esac
  shift
done
"""


def install_gh_stub(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stub = folder / "gh"
    stub.write_text(GH_STUB)
    stub.chmod(0o755)
    return folder
