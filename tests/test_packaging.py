"""datracker as others install it: the built package, a pinned git URL, init's workflow, the action.

One build per test session, from a copy of this working tree committed to a scratch git
repository (so uncommitted work is what is tested, and a `git+file://…@<commit>` URL can pin
it). The tools (build, twine, zizmor, check-jsonschema) run from their own venv, .venv-tools,
which `make test` installs from tests/release-tools.txt. Installing into fresh venvs takes
datracker's dependencies from the package index (pip's cache makes that quick after the
first time); nothing else is fetched. `pytest -m packaging` runs only these.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, SHIPPED_PLAN
from datracker import __version__
from gitutil import commit_all, git, init_repo
from workflowrun import install_gh_stub, run_steps

pytestmark = pytest.mark.packaging

TOOLS = REPO / ".venv-tools" / "bin"
AUTHOR = "Test Lead <lead@example.org>"
TEMPLATES = sorted(
    p.relative_to(REPO / "src").as_posix()
    for p in (REPO / "src" / "datracker" / "render" / "templates").rglob("*")
    if p.is_file()
)


def tool(name: str) -> Path:
    path = TOOLS / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make .venv-tools/.installed` (make test does)")
    return path


def clean_env(*bins: Path, **extra: str) -> dict[str, str]:
    """The environment of a user who has only these folders on PATH (and git)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join([*map(str, bins), "/usr/local/bin", "/usr/bin", "/bin"])
    env["NO_COLOR"] = "1"
    env.pop("DATRACKER_PLAN", None)
    return {**env, **extra}


def sh(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def make_venv(path: Path, *packages: str | Path) -> Path:
    """A fresh venv with `packages` installed by the tools' pip (a venv made with a pip of its
    own, by ensurepip, took up to 28 s on this shared machine)."""
    sh(sys.executable, "-m", "venv", "--without-pip", path, cwd=path.parent)
    if packages:
        pip = [tool("python"), "-m", "pip", "--python", path / "bin" / "python", "install"]
        sh(*pip, "--quiet", "--disable-pip-version-check", *packages, cwd=path.parent)
    return path / "bin"


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree (tracked and new files, not ignored ones) committed in a scratch repo."""
    listed = sh("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO)
    copy = init_repo(tmp_path_factory.mktemp("source") / "datracker")
    for rel in filter(None, listed.split("\0")):
        if (REPO / rel).is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, copy / rel)
    return copy, commit_all(copy, "the working tree under test")


@pytest.fixture(scope="session")
def dist(source: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build`: the sdist, then the wheel built from the unpacked sdist (build's
    default with neither --sdist nor --wheel), so a wheel that installs and runs proves that
    the sdist does too: pip installs an sdist by building that same wheel."""
    out = tmp_path_factory.mktemp("dist")
    log = sh(tool("python"), "-m", "build", "--outdir", out, source[0], cwd=out)
    assert f"Successfully built datracker-{__version__}.tar.gz and datracker-" in log, log
    return out


@pytest.fixture(scope="session")
def wheel_venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the built wheel installed by pip, as `pip install` or pipx would."""
    [wheel] = dist.glob("*.whl")
    return make_venv(tmp_path_factory.mktemp("wheel-venv") / "venv", wheel)


def test_build_makes_a_wheel_and_an_sdist_that_pass_twine_check(dist: Path) -> None:
    [wheel] = dist.glob(f"datracker-{__version__}-py3-none-any.whl")
    [sdist] = dist.glob(f"datracker-{__version__}.tar.gz")
    checked = sh(tool("twine"), "check", "--strict", wheel, sdist, cwd=dist)
    assert checked.count("PASSED") == 2, checked
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"datracker/py.typed", *TEMPLATES} <= names, set(TEMPLATES) - names
    metadata = zipfile.ZipFile(wheel).read(f"datracker-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    assert [d for d in declared if f"Requires-Dist: {d}\n" not in metadata] == [], metadata
    with tarfile.open(sdist) as archive:
        members = {m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name}
    assert {"pyproject.toml", "README.md", "src/datracker/py.typed"} <= members
    assert {f"src/{t}" for t in TEMPLATES} <= members


def test_installed_wheel_runs_the_shipped_plan_outside_the_source_tree(
    wheel_venv: Path, tmp_path: Path
) -> None:
    shutil.copytree(SHIPPED_PLAN, tmp_path / "plan")
    env = clean_env(wheel_venv)
    assert sh("datracker", "--version", cwd=tmp_path, env=env) == f"datracker {__version__}\n"
    where = sh("python", "-c", "import datracker; print(datracker.__file__)", cwd=tmp_path, env=env)
    assert Path(where.strip()).is_relative_to(wheel_venv.parent), where
    assert "plan is valid" in sh("datracker", "validate", cwd=tmp_path, env=env)
    sh("datracker", "render", "--output", "out", cwd=tmp_path, env=env)
    docx = tmp_path / "out" / "refresh-2022-01.docx"
    assert "word/document.xml" in zipfile.ZipFile(docx).namelist()
    assert (tmp_path / "out" / "refresh-2022-01.md").read_text().startswith("# ")
    for kind in ("plan", "priority"):
        printed = sh("datracker", "schema", kind, cwd=tmp_path, env=env)
        assert printed == (REPO / "schema" / f"{kind}.schema.json").read_text()


def test_generated_workflow_passes_zizmor_and_the_workflow_schema(run, tmp_path: Path) -> None:
    target = tmp_path / "new"
    pinned = "git+https://github.com/example/datracker@" + "a" * 40
    result = run("init", target, "--datracker", pinned, "--author", AUTHOR)
    assert result.code == 0, result.err
    workflows = target / ".github" / "workflows"
    generated = [workflows / "datracker.yml", workflows / "datracker-site.yml"]
    for audited in (*generated, REPO / "action.yml"):
        findings = zizmor(audited)
        assert [f for f in findings if severity(f) in ("Medium", "High")] == [], findings
    sh(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *generated,
        cwd=tmp_path,
    )
    sh(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-actions",
        REPO / "action.yml",
        cwd=tmp_path,
    )


def zizmor(path: Path) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [tool("zizmor"), "--offline", "--format", "json", "--persona", "auditor", path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.strip().startswith("["), proc.stderr
    findings: list[dict[str, Any]] = json.loads(proc.stdout)
    return findings


def severity(finding: dict[str, Any]) -> str:
    return str(finding["determinations"]["severity"])


def open_pull_request(repo: Path) -> None:
    """main as origin/main, then a branch on which the lead records an update for A1."""
    plan_yaml = repo / "plan" / "plan.yaml"
    plan_yaml.write_text(
        plan_yaml.read_text().replace("git_emails: []", "git_emails: [lead@example.org]")
    )
    commit_all(repo, "The lead's e-mail, so check knows who commits")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "switch", "-q", "-c", "april-updates")
    priority = repo / "plan" / "priorities" / "a-first-priority.yaml"
    priority.write_text(priority.read_text().replace("text: First update.", "text: Under way."))
    commit_all(repo, "A1: April update")


def github_variables(repo: Path, temp: Path) -> dict[str, str]:
    temp.mkdir(parents=True, exist_ok=True)
    return {
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_STEP_SUMMARY": str(temp / "step-summary.md"),
        "RUNNER_TEMP": str(temp),
        "GH_LOG": str(temp / "gh.log"),
        "GITHUB_ACTIONS": "true",
    }


EVENT = {
    "github.base_ref": "main",
    "github.token": "token-for-test",
    "github.repository": "example/plans",
    "github.event.pull_request.number": "7",
}


def test_git_url_pinned_to_a_commit_runs_init_s_workflow_as_generated(
    source: tuple[Path, str], wheel_venv: Path, tmp_path: Path
) -> None:
    """The installed datracker runs init; CI's steps then install exactly it and check a PR."""
    src, commit = source
    pinned = f"git+file://{src}@{commit}"
    repo = tmp_path / "plans"
    env = clean_env(wheel_venv)
    sh("datracker", "init", repo, "--datracker", pinned, "--author", AUTHOR, cwd=tmp_path, env=env)
    git(repo, "branch", "-M", "main")
    open_pull_request(repo)
    workflow = yaml.safe_load((repo / ".github/workflows/datracker.yml").read_text())
    job = workflow["jobs"]["plan"]
    assert job["env"]["DATRACKER"] == f"datracker @ {pinned}"
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["hooks"][0]["additional_dependencies"] == [job["env"]["DATRACKER"]]
    assert [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s] == [
        "actions/checkout",  # the repository made above
        "actions/setup-python",  # a fresh venv, first on PATH
    ]
    # setup-python's Python comes with a current pip (an older one misreads file:// pins)
    setup_python = make_venv(tmp_path / "setup-python", "pip")
    gh = install_gh_stub(tmp_path / "gh-bin")
    variables = github_variables(repo, tmp_path / "runner-temp")
    steps = run_steps(
        job["steps"],
        cwd=repo,
        env=clean_env(setup_python, gh, **variables),
        context=EVENT,
        job_env=job["env"],
    )
    assert [s.code for s in steps] == [None, None, 0, 0, 0, 0], [
        (s.code, s.err[-3000:]) for s in steps
    ]
    record = sh(setup_python / "python", "-c", DIRECT_URL, cwd=tmp_path)
    assert json.loads(record)["vcs_info"]["commit_id"] == commit
    summary = (repo / "datracker-summary.md").read_text()
    assert "A1" in summary
    assert (tmp_path / "runner-temp" / "step-summary.md").read_text() == summary
    calls = (tmp_path / "runner-temp" / "gh.log").read_text().splitlines()
    assert calls[0] == "pr comment 7 --edit-last --body-file datracker-summary.md"
    assert calls[1] == "GH_TOKEN=token-for-test GH_REPO=example/plans"
    assert calls[2] == "pr comment 7 --body-file datracker-summary.md"
    assert (tmp_path / "runner-temp" / "gh.log.body").read_text() == summary
    _run_the_site_workflow(repo, setup_python, tmp_path, pinned)


def _run_the_site_workflow(repo: Path, setup_python: Path, tmp_path: Path, pinned: str) -> None:
    """The site workflow's build job, run on the default branch: it renders the site that the
    deploy job (GitHub's own action, not run here) publishes; it may only read."""
    git(repo, "switch", "-q", "main")
    site = yaml.safe_load((repo / ".github/workflows/datracker-site.yml").read_text())
    build, deploy = site["jobs"]["build"], site["jobs"]["deploy"]
    assert site["permissions"] == {} and build["permissions"] == {"contents": "read"}
    assert deploy["needs"] == "build" and all("run" not in step for step in deploy["steps"])
    assert build["env"]["DATRACKER"] == f"datracker @ {pinned}"
    assert [s["uses"].split("@")[0] for s in build["steps"] if "uses" in s] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-pages-artifact",  # what the deploy job publishes: the folder below
    ]
    assert build["steps"][-1]["with"]["path"] == "site"
    variables = github_variables(repo, tmp_path / "site-runner-temp")
    steps = run_steps(
        build["steps"],
        cwd=repo,
        env=clean_env(setup_python, **variables),
        context=EVENT,
        job_env=build["env"],
    )
    assert [s.code for s in steps] == [None, None, 0, 0, None], [s.err[-2000:] for s in steps]
    index = (repo / "site" / "index.html").read_text()
    assert "<h1>" in index and "actions/A1.html" in (repo / "site" / "owners.html").read_text()


DIRECT_URL = (
    "from importlib.metadata import distribution; "
    "print(distribution('datracker').read_text('direct_url.json'))"
)


def test_action_installs_its_own_ref_and_checks_a_pull_request(
    source: tuple[Path, str], run, tmp_path: Path
) -> None:
    src, _ = source
    action = yaml.safe_load((src / "action.yml").read_text())
    assert action["branding"] and all(i["description"] for i in action["inputs"].values())
    repo = tmp_path / "plans"
    pinned = "git+https://github.com/example/datracker@" + "a" * 40
    assert run("init", repo, "--datracker", pinned, "--author", AUTHOR).code == 0
    git(repo, "branch", "-M", "main")
    open_pull_request(repo)
    (repo / "plan" / "priorities" / "a-first-priority.yaml").write_text("id: [\n")  # broken
    commit_all(repo, "A1: a slip of the keyboard")
    setup_python = make_venv(tmp_path / "setup-python", "pip")
    gh = install_gh_stub(tmp_path / "gh-bin")
    variables = github_variables(repo, tmp_path / "runner-temp")
    inputs = {f"inputs.{k}": str(v["default"]) for k, v in action["inputs"].items()}
    steps = run_steps(
        action["runs"]["steps"],
        cwd=repo,
        env=clean_env(setup_python, gh, GITHUB_ACTION_PATH=str(src), **variables),
        context={**EVENT, **inputs},
    )
    assert [s.code for s in steps] == [None, 0, 1, 1, 0], steps
    assert "::error file=plan/priorities/a-first-priority.yaml" in steps[2].out
    assert "::error" in steps[3].out  # check annotates too, then writes the summary
    summary = (tmp_path / "runner-temp" / "datracker-summary.md").read_text()
    assert "a-first-priority.yaml" in summary
    assert (tmp_path / "runner-temp" / "step-summary.md").read_text() == summary
    assert (tmp_path / "runner-temp" / "gh.log.body").read_text() == summary
    installed = tmp_path / "runner-temp" / "datracker" / "bin" / "datracker"
    assert sh(installed, "--version", cwd=tmp_path) == f"datracker {__version__}\n"


def test_make_run_installs_only_what_datracker_needs_to_run() -> None:
    """The quick start's first document waits for no dev tool (benchmarks/RESULTS.md)."""
    listed = sh("make", "-n", "-B", "run", cwd=REPO)
    installs = [line for line in listed.splitlines() if " install " in line]
    assert len(installs) == 1 and installs[0].endswith(" -e ."), listed
    assert "[dev]" not in listed and "--upgrade pip" not in listed
