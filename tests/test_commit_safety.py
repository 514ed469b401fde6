"""Every committing command is all or nothing, against real repositories that make git fail.

For each way git can fail (no identity, a bad --author, a merge under way, git busy, a
read-only .git, a hook refusing the commit, a tag that exists or cannot be written), the
plan files, `git status --porcelain`, HEAD and the tags are exactly as before, and the same
command succeeds once the cause is removed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import PLAN_YAML, write_plan
from gitutil import commit_all, git, init_repo

CLOSED = PLAN_YAML.replace("status: open", "status: closed")
HOOK_FAIL = '#!/bin/sh\necho "pre-commit: the plan is not valid (test hook)" >&2\nexit 1\n'
REFUSE_TAGS = """#!/bin/sh
[ "$1" = prepared ] || exit 0
if grep -q " refs/tags/"; then echo "no tags today (test hook)" >&2; exit 1; fi
exit 0
"""

# each committing command, the plan.yaml it starts from, and the file its commit holds
COMMANDS = {
    "update": (
        ["update", "A1", "--rag", "red", "--text", "Stalled.", "--date", "2022-04-20", "--commit"],
        PLAN_YAML,
        "plan/priorities/a.yaml",
    ),
    "measure": (
        ["measure", "A1", "1", "--period", "2022-03", "--value", "5", "--commit"],
        PLAN_YAML,
        "plan/priorities/a.yaml",
    ),
    "review open": (
        ["review", "open", "Update July 2022", "--id", "2022-07", "--date", "2022-07-28"],
        CLOSED,
        "plan/plan.yaml",
    ),
    "review close": (["review", "close"], PLAN_YAML, "plan/plan.yaml"),
    "review approve": (
        ["review", "approve", "r1", "--date", "2022-02-09", "--by", "The Board"],
        PLAN_YAML,
        "plan/plan.yaml",
    ),
}


def make_repo(tmp_path: Path, plan_yaml: str) -> tuple[Path, Path]:
    repo = init_repo(tmp_path / "repo")
    root = write_plan(repo / "plan", plan_yaml)
    commit_all(repo, "the plan")
    return repo, root


def state(repo: Path) -> dict[str, object]:
    """Everything a failed command must leave exactly as it was."""
    files = {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted((repo / "plan").rglob("*"))
        if p.is_file()
    }
    return {
        "files": files,
        "status": git(repo, "status", "--porcelain", "--untracked-files=all"),
        "staged": git(repo, "diff", "--staged", "--name-status"),
        "head": git(repo, "rev-parse", "HEAD"),
        "tags": git(repo, "tag", "--list"),
    }


def assert_committed(repo: Path, before: dict[str, object], committed: str) -> None:
    """One new commit holding exactly the command's file, and nothing left uncommitted."""
    assert git(repo, "rev-list", "--count", f"{before['head']}".strip() + "..HEAD").strip() == "1"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [committed]
    assert git(repo, "status", "--porcelain") == ""


def no_identity(tmp_path: Path, repo: Path) -> dict[str, str]:
    """An environment in which git knows nobody: no global or system config, none in the repo."""
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    home = tmp_path / "empty-home"
    home.mkdir()
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_identity_says_so_first_then_works_once_set(run, tmp_path: Path, name: str) -> None:
    args, plan_yaml, committed = COMMANDS[name]
    repo, root = make_repo(tmp_path, plan_yaml)
    env = no_identity(tmp_path, repo)
    before = state(repo)
    result = run(*args, "--plan", root, env=env)
    assert result.code == 1, result.err
    assert result.err.startswith("error: git does not know your name and e-mail")
    assert 'git config --global user.name "Your Name"' in result.err
    assert 'git config --global user.email "you@example.org"' in result.err
    assert "Traceback" not in result.err
    assert state(repo) == before
    git(repo, "config", "user.name", "Lee Lead")
    git(repo, "config", "user.email", "lee@example.org")
    result = run(*args, "--plan", root, env=env)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)
    assert git(repo, "log", "-1", "--format=%an <%ae>").strip() == "Lee Lead <lee@example.org>"


def test_a_bad_review_id_is_named_before_the_missing_identity(run, tmp_path: Path) -> None:
    """What the user typed is the first thing to fix: setting up git would not help."""
    repo, root = make_repo(tmp_path, CLOSED)
    env = no_identity(tmp_path, repo)
    before = state(repo)
    result = run("review", "open", "Update July 2022", "--id", "a..b", "--plan", root, env=env)
    assert result.code == 2, result.err
    assert result.err.startswith("error: the review id 'a..b' contains '..'")
    assert state(repo) == before


def test_a_rag_off_the_scale_is_named_before_the_missing_identity(run, tmp_path: Path) -> None:
    repo, root = make_repo(tmp_path, PLAN_YAML)
    env = no_identity(tmp_path, repo)
    before = state(repo)
    result = run(
        "update", "A1", "--rag", "purple", "--text", "x", "--commit", "--plan", root, env=env
    )
    assert result.code == 2, result.err
    assert result.err.startswith("error: 'purple' is not on the plan's RAG scale")
    assert state(repo) == before


@pytest.mark.parametrize("name", ["update", "review close"])
def test_no_identity_but_author_given_commits_as_the_author(run, tmp_path: Path, name: str) -> None:
    args, plan_yaml, committed = COMMANDS[name]
    repo, root = make_repo(tmp_path, plan_yaml)
    env = no_identity(tmp_path, repo)
    before = state(repo)
    result = run(*args, "--author", "Amy Ford <amy@example.org>", "--plan", root, env=env)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)
    who = git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip()
    assert who == "Amy Ford <amy@example.org>|Amy Ford <amy@example.org>"


BAD_AUTHORS = [
    ("Zorro", 2, "--author 'Zorro' is neither \"Name <email>\" nor an owner id"),
    ("Dee", 2, "--author 'Dee' is neither"),
    ("Amy Ford", 2, "did you mean --author amy-ford?"),
    ("amy-ford", 2, "the owners directory has no e-mail for Amy Ford"),
    ("Amy <not an email>", 2, "is not an author"),
    ("<amy@example.org>", 2, "is not an author"),
]


@pytest.mark.parametrize(("author", "code", "said"), BAD_AUTHORS)
def test_a_bad_author_is_refused_before_anything_changes(
    run, tmp_path: Path, author: str, code: int, said: str
) -> None:
    args, plan_yaml, committed = COMMANDS["update"]
    repo, root = make_repo(tmp_path, plan_yaml)
    # an earlier commit by "Dee Hutchinson": git's own --author matching would pick it for "Dee"
    (repo / "notes.txt").write_text("minutes\n")
    commit_all(repo, "minutes", author=("Dee Hutchinson", "dee@example.org"))
    before = state(repo)
    result = run(*args, "--author", author, "--plan", root)
    assert result.code == code, result.err
    assert said in result.err
    assert "Traceback" not in result.err
    assert state(repo) == before
    result = run(*args, "--author", "Dee Hutchinson <dee@example.org>", "--plan", root)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)


def test_an_owner_id_author_is_resolved_through_the_directory(run, tmp_path: Path) -> None:
    args, _, committed = COMMANDS["update"]
    with_email = PLAN_YAML.replace(
        "    name: Amy Ford\n", "    name: Amy Ford\n    email: amy.ford@example.org\n"
    )
    repo, root = make_repo(tmp_path, with_email)
    before = state(repo)
    result = run(*args, "--author", "amy-ford", "--plan", root)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)
    assert git(repo, "log", "-1", "--format=%an <%ae>").strip() == "Amy Ford <amy.ford@example.org>"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_failing_pre_commit_hook_leaves_everything_as_it_was(
    run, tmp_path: Path, name: str
) -> None:
    args, plan_yaml, committed = COMMANDS[name]
    repo, root = make_repo(tmp_path, plan_yaml)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(HOOK_FAIL)
    hook.chmod(0o755)
    before = state(repo)
    result = run(*args, "--plan", root)
    assert result.code == 1, result.err
    assert "pre-commit: the plan is not valid (test hook)" in result.err
    assert "nothing was changed" in result.err
    assert state(repo) == before
    hook.unlink()
    result = run(*args, "--plan", root)  # the retry does the whole job, and says so
    assert result.code == 0, result.err
    assert "committed " in result.out and "nothing to change" not in result.out
    assert_committed(repo, before, committed)


def test_an_existing_tag_refuses_close_before_writing(run, tmp_path: Path) -> None:
    args, plan_yaml, committed = COMMANDS["review close"]
    repo, root = make_repo(tmp_path, plan_yaml)
    git(repo, "tag", "review/r2")
    before = state(repo)
    result = run(*args, "--plan", root)
    assert result.code == 1
    assert "the tag review/r2 already exists; nothing was written" in result.err
    assert "git tag -d review/r2" in result.err
    assert state(repo) == before
    git(repo, "tag", "-d", "review/r2")
    result = run(*args, "--plan", root)
    assert result.code == 0, result.err
    assert (
        f"tagged review/r2 on {git(repo, 'rev-parse', '--short=7', 'HEAD').strip()}" in result.out
    )
    assert_committed(repo, before, committed)


def test_a_tag_git_cannot_write_undoes_the_commit_too(run, tmp_path: Path) -> None:
    """The commit is made, then the tag fails: the commit, index and file are all undone."""
    args, plan_yaml, committed = COMMANDS["review close"]
    repo, root = make_repo(tmp_path, plan_yaml)
    hook = repo / ".git" / "hooks" / "reference-transaction"
    hook.write_text(REFUSE_TAGS)
    hook.chmod(0o755)
    before = state(repo)
    result = run(*args, "--plan", root)
    assert result.code == 1, result.err
    assert "git could not tag the change" in result.err
    assert "no tags today (test hook)" in result.err
    assert "nothing was changed" in result.err
    assert state(repo) == before
    hook.unlink()
    result = run(*args, "--plan", root)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)
    assert git(repo, "rev-parse", "review/r2^{commit}") == git(repo, "rev-parse", "HEAD")


@pytest.mark.parametrize("name", ["update", "review close"])
def test_git_busy_with_an_index_lock_is_refused_before_writing(
    run, tmp_path: Path, name: str
) -> None:
    args, plan_yaml, committed = COMMANDS[name]
    repo, root = make_repo(tmp_path, plan_yaml)
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    before = state(repo)
    result = run(*args, "--plan", root)
    assert result.code == 1
    assert "git is busy" in result.err and "index.lock" in result.err
    lock.unlink()
    assert state(repo) == before
    result = run(*args, "--plan", root)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)


def _chattr(path: Path, flag: str) -> bool:
    try:
        done = subprocess.run(["chattr", flag, str(path)], capture_output=True, check=False)
    except OSError:
        return False
    return done.returncode == 0


@pytest.mark.parametrize("name", ["update", "review close"])
def test_a_read_only_git_folder_is_refused_before_writing(run, tmp_path: Path, name: str) -> None:
    """Tests run as root, who can write a chmod-ed folder: the immutable flag stops even root."""
    args, plan_yaml, committed = COMMANDS[name]
    repo, root = make_repo(tmp_path, plan_yaml)
    before = state(repo)
    if not _chattr(repo / ".git", "+i"):
        pytest.skip("chattr +i is not available here, and root can write any folder")
    try:
        result = run(*args, "--plan", root)
        immutable_state = state(repo)
    finally:
        _chattr(repo / ".git", "-i")
    assert result.code == 1, result.err
    assert "cannot be written, so datracker cannot commit; nothing was written" in result.err
    assert immutable_state == before
    result = run(*args, "--plan", root)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)


def test_a_read_only_object_store_after_the_write_is_undone(run, tmp_path: Path) -> None:
    """.git itself writable (so the checks pass) but the folder git must write a new object
    into is immutable: git fails after plan.yaml was written, and it is put back."""
    args, plan_yaml, committed = COMMANDS["review close"]
    repo, root = make_repo(tmp_path, plan_yaml)
    objects = repo / ".git" / "objects"
    made = [objects / f"{n:02x}" for n in range(256)]
    made = [d for d in made if not d.exists()]
    for folder in made:
        folder.mkdir()
    before = state(repo)
    locked = [d for d in objects.iterdir() if len(d.name) == 2]
    if not all(_chattr(d, "+i") for d in locked):
        for d in locked:
            _chattr(d, "-i")
        pytest.skip("chattr +i is not available here, and root can write any folder")
    try:
        result = run(*args, "--plan", root)
        after = state(repo)
    finally:
        for d in locked:
            _chattr(d, "-i")
    assert result.code == 1, result.err
    assert "git could not commit the change" in result.err  # it failed after the write
    assert "nothing was changed" in result.err
    assert after == before
    result = run(*args, "--plan", root)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)


def test_a_merge_in_progress_is_refused_before_writing(run, tmp_path: Path) -> None:
    args, plan_yaml, committed = COMMANDS["update"]
    repo, root = make_repo(tmp_path, plan_yaml)
    (repo / "README").write_text("one\n")
    commit_all(repo, "readme")
    git(repo, "checkout", "-q", "-b", "other")
    (repo / "README").write_text("two\n")
    commit_all(repo, "other readme")
    git(repo, "checkout", "-q", "main")
    (repo / "README").write_text("three\n")
    commit_all(repo, "main readme")
    merge = subprocess.run(["git", "merge", "other"], cwd=repo, capture_output=True, check=False)
    assert merge.returncode != 0 and (repo / ".git" / "MERGE_HEAD").exists()
    plan_before = state(repo)["files"]
    result = run(*args, "--plan", root)
    assert result.code == 1
    assert "a merge is in progress in this repository" in result.err
    assert "git merge --abort" in result.err
    assert state(repo)["files"] == plan_before
    git(repo, "merge", "--abort")
    before = state(repo)
    result = run(*args, "--plan", root)
    assert result.code == 0, result.err
    assert_committed(repo, before, committed)


def test_a_change_already_written_but_not_committed_is_not_silently_replaced(
    run, tmp_path: Path
) -> None:
    args, plan_yaml, _ = COMMANDS["update"]
    repo, root = make_repo(tmp_path, plan_yaml)
    assert run(*args[:-1], "--plan", root).code == 0  # the same update, without --commit
    before = state(repo)
    result = run(*args, "--plan", root)
    assert result.code == 1
    assert "plan/priorities/a.yaml already holds this change, but it is not committed" in (
        result.err
    )
    assert "see it with: git diff -- plan/priorities/a.yaml" in result.err
    assert 'git commit -m "A1: update (Update April 2022)" -- plan/priorities/a.yaml' in (
        result.err
    )
    assert state(repo) == before


def test_staged_changes_are_named_with_the_command_that_shows_them(run, tmp_path: Path) -> None:
    args, plan_yaml, _ = COMMANDS["update"]
    repo, root = make_repo(tmp_path, plan_yaml)
    target = root / "priorities" / "a.yaml"
    target.write_text(target.read_text() + "# staged edit\n")
    git(repo, "add", "plan/priorities/a.yaml")
    result = run(*args, "--plan", root)
    assert result.code == 1
    assert "(plan/priorities/a.yaml (staged changes))" in result.err
    assert "see them with: git diff --staged -- plan/priorities/a.yaml" in result.err
    target.write_text(target.read_text() + "# and an unstaged one\n")
    result = run(*args, "--plan", root)
    assert "staged and unstaged changes" in result.err
    assert "see them with: git diff HEAD -- plan/priorities/a.yaml" in result.err


def test_review_open_refuses_an_uncommitted_plan_yaml_without_mentioning_commit_options(
    run, tmp_path: Path
) -> None:
    args, plan_yaml, committed = COMMANDS["review open"]
    repo, root = make_repo(tmp_path, plan_yaml)
    original = (root / "plan.yaml").read_text()
    (root / "plan.yaml").write_text(original + "# a note not yet committed\n")
    before = state(repo)
    result = run(*args, "--plan", "plan", cwd=repo)
    assert result.code == 1
    assert "plan/plan.yaml already has uncommitted changes (plan/plan.yaml (unstaged" in result.err
    assert "which this command's commit would take in too" in result.err
    assert "see them with: git diff -- plan/plan.yaml" in result.err
    assert "--commit" not in result.err
    assert state(repo) == before
    (root / "plan.yaml").write_text(original)
    result = run(*args, "--plan", "plan", cwd=repo)
    assert result.code == 0, result.err
    assert_committed(repo, state(repo) | {"head": git(repo, "rev-parse", "HEAD~1")}, committed)
