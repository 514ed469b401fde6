"""`datracker init DIR`: a ready repository, made all or nothing, pinned to this datracker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from datracker import __version__
from datracker.core.problems import InvalidValue
from datracker.edit.installsource import parse_source, running_source
from gitutil import commit_all, git, init_repo

COMMIT = "0123456789abcdef0123456789abcdef01234567"
PINNED = f"git+https://github.com/example/datracker@{COMMIT}"


def no_identity(home: Path) -> dict[str, str]:
    """A git that knows nobody: no global or system config, and no guessing from the host."""
    env = {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "user.useConfigOnly",
        "GIT_CONFIG_VALUE_0": "true",
    }
    return env


def identity(home: Path) -> dict[str, str]:
    env = no_identity(home)
    (home / "gitconfig").write_text("[user]\n\tname = Test Lead\n\temail = lead@example.org\n")
    return env


def tree_state(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts[:-1]
    }


def test_init_makes_a_ready_repository(run, tmp_path: Path) -> None:
    target = tmp_path / "my strategy"
    result = run("init", target, "--datracker", PINNED, env=identity(tmp_path))
    assert result.code == 0, result.err
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=target, capture_output=True, text=True
    )
    assert status.returncode == 0 and status.stdout == ""
    log = git(target, "log", "--format=%an <%ae>|%s", "--name-only")
    assert log.startswith("Test Lead <lead@example.org>|Start the delivery plan")
    assert (
        "plan/plan.yaml" in log and ".gitignore" in log and ".github/workflows/datracker.yml" in log
    )
    assert "build/" in (target / ".gitignore").read_text().splitlines()
    shipped = (REPO / "plan" / "plan.yaml").read_text().splitlines()
    made = (target / "plan" / "plan.yaml").read_text().splitlines()
    assert (
        made[:2]
        == shipped[:2]
        == [
            "# yaml-language-server: $schema=../schema/plan.schema.json",
            "version: 1",
        ]
    )
    assert f"next: cd '{target}' && datracker validate" in result.out
    rendered = run("render", "--plan", target / "plan", "--output", target / "build")
    assert rendered.code == 0, rendered.err
    assert git(target, "status", "--porcelain") == ""  # build/ is ignored


def test_init_inside_a_repository_commits_only_its_files(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "notes.txt").write_text("mine\n")
    commit_all(repo, "notes")
    (repo / "staged.txt").write_text("staged, not init's\n")
    git(repo, "add", "staged.txt")
    result = run("init", repo / "strategy", "--datracker", PINNED, env=identity(tmp_path))
    assert result.code == 0, result.err
    assert not (repo / "strategy" / ".git").exists()
    assert "plan/plan.yaml" not in git(repo, "show", "--stat", "HEAD~1")
    assert "strategy/plan/plan.yaml" in git(repo, "show", "--name-only", "HEAD")
    assert git(repo, "status", "--porcelain") == "A  staged.txt\n"


def test_init_without_a_git_identity_says_how_and_writes_nothing(run, tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run("init", target, "--datracker", PINNED, env=no_identity(tmp_path))
    assert result.code == 1
    assert "git does not know your name and e-mail" in result.err
    assert 'git config --global user.name "Your Name"' in result.err
    assert 'git config --global user.email "you@example.org"' in result.err
    assert "--author" in result.err and "Traceback" not in result.err
    assert not target.exists()
    author = "Dee Hutchinson <dee@example.org>"
    again = run(
        "init", target, "--datracker", PINNED, "--author", author, env=no_identity(tmp_path)
    )
    assert again.code == 0, again.err
    assert git(target, "log", "--format=%an <%ae>") == author + "\n"


@pytest.mark.parametrize("author", ["Dee", "dee@example.org", "<dee@example.org>", "Dee <dee>"])
def test_init_refuses_an_author_that_is_not_name_and_email(
    run, tmp_path: Path, author: str
) -> None:
    result = run("init", tmp_path / "new", "--datracker", PINNED, "--author", author)
    # the author rule of every committing command (vcs/gitcommit.py): a word is looked up as
    # an owner id, and a new plan has none
    assert result.code == 2, result.err
    assert "is not an author" in result.err or 'is neither "Name <email>"' in result.err
    assert '--author "Dee Hutchinson <dee@example.org>"' in result.err
    assert not (tmp_path / "new").exists()
    assert not (tmp_path / "new").exists()


def test_a_failing_commit_hook_takes_everything_back(run, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "notes.txt").write_text("mine\n")
    commit_all(repo, "notes")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    (repo / "strategy").mkdir()
    (repo / "strategy" / "plan").mkdir()
    before_tree = tree_state(repo)
    before_index = git(repo, "ls-files", "--stage")
    result = run("init", repo / "strategy", "--datracker", PINNED, env=identity(tmp_path))
    assert result.code == 1, result.out
    assert "git could not make the first commit: hook says no; nothing was written" in result.err
    assert tree_state(repo) == before_tree
    assert git(repo, "ls-files", "--stage") == before_index
    assert (repo / "strategy" / "plan").is_dir()  # it was there before: left alone
    hook.unlink()
    assert run("init", repo / "strategy", "--datracker", PINNED, env=identity(tmp_path)).code == 0


def test_a_failing_git_init_takes_everything_back(run, tmp_path: Path) -> None:
    target = tmp_path / "new"
    target.mkdir()
    (target / ".git").write_text("not a repository\n")  # git can neither read nor replace it
    before = tree_state(target)
    result = run("init", target, "--datracker", PINNED, env=identity(tmp_path))
    assert result.code == 1 and "git could not create a repository" in result.err
    assert "nothing was written" in result.err
    assert tree_state(target) == before and sorted(target.iterdir()) == [target / ".git"]


def test_a_folder_that_cannot_be_made_is_an_error_not_a_bug(run, tmp_path: Path) -> None:
    (tmp_path / "a-file.txt").write_text("a file, not a folder\n")
    result = run("init", tmp_path / "a-file.txt" / "new", "--datracker", PINNED)
    assert result.code == 1 and "cannot write" in result.err and "nothing was written" in result.err
    assert "Traceback" not in result.err
    assert (tmp_path / "a-file.txt").read_text() == "a file, not a folder\n"


@pytest.mark.parametrize(
    "given",
    [
        "datracker",
        "datracker==0.1.0",
        "datracker>=0.1",
        "git+https://github.com/example/datracker",
        "git+https://github.com/example/datracker@main",
        "git+https://github.com/example/datracker@0123abc",
        "git+https://github.com/example/datracker@v99.0.0",
        "https://example.org/datracker-0.1.0-py3-none-any.whl",
        "http://example.org/datracker-0.1.0-py3-none-any.whl#sha256=" + "a" * 64,
        "https://example.org/datracker-9.9.9-py3-none-any.whl#sha256=" + "a" * 64,
    ],
)
def test_init_refuses_a_source_that_is_not_pinned_to_this_version(
    run, tmp_path: Path, given: str
) -> None:
    result = run("init", tmp_path / "new", "--datracker", given)
    assert result.code == 2, result.err
    assert result.err.startswith("error: ") and "hint: " in result.err
    assert not (tmp_path / "new").exists()


def test_pinned_sources_become_one_requirement() -> None:
    wheel = f"https://example.org/dist/datracker-{__version__}-py3-none-any.whl#sha256=" + "b" * 64
    assert parse_source(PINNED).requirement == f"datracker @ {PINNED}"
    assert parse_source(f"datracker @ {PINNED}").requirement == f"datracker @ {PINNED}"
    tag = f"git+ssh://git@example.org/team/datracker@v{__version__}"
    assert parse_source(tag).requirement == f"datracker @ {tag}"
    assert parse_source(wheel).requirement == f"datracker @ {wheel}"
    with pytest.raises(InvalidValue):
        parse_source("datracker")


def test_the_running_install_is_pinned_from_what_pip_recorded() -> None:
    """PEP 610 records, as pip writes them: a git install, a wheel URL, a local folder."""
    from_git = {
        "url": "https://github.com/example/datracker",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "v0.1.0"},
    }
    found = running_source(json.dumps(from_git))
    assert found is not None and found.requirement == f"datracker @ {PINNED}"
    wheel = "https://example.org/datracker-0.1.0-py3-none-any.whl"
    from_url = {"url": wheel, "archive_info": {"hashes": {"sha256": "c" * 64}}}
    found = running_source(json.dumps(from_url))
    assert found is not None and found.requirement == f"datracker @ {wheel}#sha256={'c' * 64}"
    local = {"url": "file:///home/lead/datracker", "dir_info": {"editable": True}}
    assert running_source(json.dumps(local)) is None
    on_disk = {"url": "file:///tmp/datracker-0.1.0-py3-none-any.whl", "archive_info": {}}
    assert running_source(json.dumps(on_disk)) is None
    assert running_source(None) is None


def test_init_from_an_editable_install_asks_where_ci_gets_datracker(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "new", env=identity(tmp_path))
    assert result.code == 1
    assert "cannot tell where the plan repository's CI should install this datracker" in result.err
    assert "--datracker" in result.err and "--no-ci" in result.err
    assert not (tmp_path / "new").exists()
    plain = run("init", tmp_path / "new", "--no-ci", env=identity(tmp_path))
    assert plain.code == 0, plain.err
    assert not (tmp_path / "new" / ".github").exists()
    assert not (tmp_path / "new" / ".pre-commit-config.yaml").exists()


def test_workflow_and_hook_install_the_same_pinned_datracker(run, tmp_path: Path) -> None:
    target = tmp_path / "new"
    assert run("init", target, "--datracker", PINNED, env=identity(tmp_path)).code == 0
    workflow = yaml.safe_load((target / ".github/workflows/datracker.yml").read_text())
    hooks = yaml.safe_load((target / ".pre-commit-config.yaml").read_text())
    [hook] = hooks["repos"][0]["hooks"]
    assert workflow["jobs"]["plan"]["env"]["DATRACKER"] == f"datracker @ {PINNED}"
    assert hook["additional_dependencies"] == [f"datracker @ {PINNED}"]
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["plan"]["permissions"] == {
        "contents": "read",
        "pull-requests": "write",
    }
    for step in workflow["jobs"]["plan"]["steps"]:
        assert "${{" not in step.get("run", ""), step
        if "uses" in step:
            assert len(step["uses"].split("@")[1]) == 40, step["uses"]
    checkout = workflow["jobs"]["plan"]["steps"][0]
    assert checkout["with"]["persist-credentials"] is False
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=target,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_no_ci_and_a_source_together_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("init", tmp_path / "new", "--no-ci", "--datracker", PINNED)
    assert result.code == 2 and "--datracker has no use with --no-ci" in result.err
    assert not (tmp_path / "new").exists()


def test_the_site_workflow_is_written_unless_declined(run, tmp_path: Path) -> None:
    site = Path(".github/workflows/datracker-site.yml")
    made = run("init", tmp_path / "with", "--datracker", PINNED, env=identity(tmp_path))
    assert made.code == 0, made.err
    assert str(site) in git(tmp_path / "with", "log", "--name-only", "--format=")
    assert "render --format html" in (tmp_path / "with" / site).read_text()
    declined = run(
        "init", tmp_path / "without", "--datracker", PINNED, "--no-site", env=identity(tmp_path)
    )
    assert declined.code == 0, declined.err
    assert not (tmp_path / "without" / site).exists()
    assert (tmp_path / "without" / ".github" / "workflows" / "datracker.yml").exists()
