"""`datracker check` guards every file, reports a broken file once, and recognises owners safely.

Real repositories with commits by named authors; the CLI in a real process.
"""

from __future__ import annotations

import json
import os
import shutil
import zlib
from pathlib import Path

import pytest

from conftest import PLAN_YAML, PRIORITY_A, SHIPPED_PLAN, write_plan
from gitutil import commit_all, git, init_repo

AMY = ("Amy Ford", "amy@example.org")
BRUCE = ("Bruce Marr", "bruce@example.org")
LEAD = ("Strategy Lead", "lead@example.org")
MARKER = "SECRET-MARKER-51c9"

OWNERS = """\
owners:
  - id: amy-ford
    name: Amy Ford
    git_emails: [amy@example.org]
  - id: bruce-marr
    name: Bruce Marr
    git_emails: [bruce@example.org]
  - id: lead
    name: Strategy Lead
    git_emails: [lead@example.org]
maintainers:
  - lead
"""

PRIORITY_B = """\
# yaml-language-server: $schema=../../schema/priority.schema.json
id: B
title: Improve identification
actions:
  - id: B1
    objective: Audit health services
    measures:
      - description: Referrals from health services
    owners:
      - bruce-marr
    # reviewed with the health partners
    updates:
      - review: r2
        date: 2022-04-11
        rag: RED
        text: Not started.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    write_plan(root / "plan", PLAN_YAML.split("owners:")[0] + OWNERS, a=PRIORITY_A, b=PRIORITY_B)
    (root / "plan" / "narrative").mkdir()
    (root / "plan" / "narrative" / "01-intro.md").write_text("# Introduction\n")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "datracker.yml").write_text("name: datracker\n")
    (root / "schema").mkdir()
    (root / "schema" / "plan.schema.json").write_text("{}\n")
    commit_all(root, "plan", author=LEAD)
    git(root, "branch", "base")
    return root


def check(run, repo: Path, *extra: str):  # type: ignore[no-untyped-def]
    result = run("check", "--base", "base", "--plan", "plan", "--format", "json", *extra, cwd=repo)
    assert "Traceback" not in result.err, result.err
    return result, (json.loads(result.out) if result.out.startswith("{") else None)


def violations(data: dict) -> list[tuple[str, str, str | None, int | None]]:  # type: ignore[type-arg]
    return [
        (v["target"], v["reason"], v["path"], v["line"])
        for author in data["authors"]
        for v in author["violations"]
    ]


def change(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new))


# --- every file is judged -------------------------------------------------------------------


FILE_EDITS = {
    "adds a narrative file": (
        lambda r: (r / "plan/narrative/07-new.md").write_text("# New\n"),
        ("plan/narrative/07-new.md", "added the file: only a maintainer may do this", 1),
    ),
    "changes a narrative file": (
        lambda r: change(r, "plan/narrative/01-intro.md", "Introduction", "Intro"),
        ("plan/narrative/01-intro.md", "changed the file: only a maintainer may do this", 1),
    ),
    "deletes a narrative file": (
        lambda r: (r / "plan/narrative/01-intro.md").unlink(),
        ("plan/narrative/01-intro.md", "deleted the file: only a maintainer may do this", None),
    ),
    "changes plan.yaml": (
        lambda r: change(r, "plan/plan.yaml", "title: Test Strategy", "title: Test Strategy 2"),
        ("plan/plan.yaml", "changed the file: only a maintainer may do this", 2),
    ),
    "changes only a comment in plan.yaml": (
        lambda r: change(r, "plan/plan.yaml", "owners:\n", "# who\nowners:\n"),
        ("plan/plan.yaml", "changed the file: only a maintainer may do this", 14),
    ),
    "changes a workflow": (
        lambda r: change(r, ".github/workflows/datracker.yml", "name", "on: push\nname"),
        (".github/workflows/datracker.yml", "changed the file: only a maintainer may do this", 1),
    ),
    "changes the schema": (
        lambda r: change(r, "schema/plan.schema.json", "{}", '{"type": "object"}'),
        ("schema/plan.schema.json", "changed the file: only a maintainer may do this", 1),
    ),
    "adds a template": (
        lambda r: (r / "templates").mkdir() or (r / "templates/x.md.j2").write_text("x\n"),
        ("templates/x.md.j2", "added the file: only a maintainer may do this", 1),
    ),
    "renames a priority file": (
        lambda r: os.rename(r / "plan/priorities/b.yaml", r / "plan/priorities/b2.yaml"),
        (
            "plan/priorities/b2.yaml",
            "renamed the file from plan/priorities/b.yaml: only a maintainer may do this",
            1,
        ),
    ),
}


@pytest.mark.parametrize("what", sorted(FILE_EDITS))
def test_an_owner_may_not_change_other_files(run, repo: Path, what: str) -> None:
    edit, (path, reason, line) = FILE_EDITS[what]
    edit(repo)
    commit_all(repo, what, author=AMY)
    result, data = check(run, repo)
    assert result.code == 1
    assert violations(data) == [(path, reason, path, line)]
    hint = data["authors"][0]["violations"][0]["hint"]
    assert hint == "ask a maintainer (Strategy Lead) to make or approve this change"


@pytest.mark.parametrize("what", sorted(FILE_EDITS))
def test_a_maintainer_may_change_any_file(run, repo: Path, what: str) -> None:
    FILE_EDITS[what][0](repo)
    commit_all(repo, what, author=LEAD)
    result, data = check(run, repo)
    assert data["permitted"] is True, data
    assert result.code == 0, result.out


def test_comments_are_charged_to_the_action_they_sit_in(run, repo: Path) -> None:
    change(repo, "plan/priorities/b.yaml", "# reviewed with", "# not really reviewed with")
    commit_all(repo, "comment in B1", author=AMY)
    result, data = check(run, repo)
    assert result.code == 1
    assert violations(data) == [
        (
            "B1",
            "changed the comments or layout: B1 is owned by Bruce Marr",
            "plan/priorities/b.yaml",
            11,
        )
    ]
    assert data["authors"][0]["violations"][0]["hint"] == (
        "ask Bruce Marr to make this change, or a maintainer to approve it"
    )


def test_an_owner_may_change_comments_in_their_own_action(run, repo: Path) -> None:
    change(repo, "plan/priorities/b.yaml", "# reviewed with", "# reviewed in May with")
    change(repo, "plan/priorities/b.yaml", "rag: RED", "rag: AMBER")
    commit_all(repo, "B1", author=BRUCE)
    result, data = check(run, repo)
    assert result.code == 0, violations(data)


def test_lines_outside_the_actions_need_a_maintainer(run, repo: Path) -> None:
    change(repo, "plan/priorities/b.yaml", "actions:\n", "# owners, please update\nactions:\n")
    commit_all(repo, "note", author=BRUCE)
    _, data = check(run, repo)
    assert violations(data) == [
        (
            "priority B",
            "changed the comments or layout outside the actions: only a maintainer may do this",
            "plan/priorities/b.yaml",
            4,
        )
    ]


def test_an_update_is_placed_on_its_changed_line(run, repo: Path) -> None:
    change(repo, "plan/priorities/b.yaml", "text: Not started.", "text: Started.")
    commit_all(repo, "B1 by Amy", author=AMY)
    _, data = check(run, repo)
    assert violations(data) == [
        ("B1", "updates: B1 is owned by Bruce Marr", "plan/priorities/b.yaml", 16)
    ]


# --- links ----------------------------------------------------------------------------------


LINKS = {
    # the link committed, whether it replaces a folder, the error's path in the plan
    "narrative file": ("plan/narrative/07-leak.md", False, "narrative/07-leak.md"),
    "narrative folder": ("plan/narrative", True, "narrative"),
    "priority file": ("plan/priorities/z-link.yaml", False, "priorities/z-link.yaml"),
    "priorities folder": ("plan/priorities", True, "priorities"),
    "template file": ("templates/title.md.j2", False, "../templates/title.md.j2"),
    "templates folder": ("templates", True, "../templates"),
}


@pytest.mark.parametrize("case", sorted(LINKS))
@pytest.mark.parametrize("who", [AMY, LEAD], ids=["owner", "maintainer"])
def test_a_link_is_refused_whoever_commits_it(
    run, repo: Path, tmp_path: Path, case: str, who: tuple[str, str]
) -> None:
    link, is_folder, shown = LINKS[case]
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "a.yaml").write_text(PRIORITY_A.replace("id: A", "id: Z").replace("Training", MARKER))
    (secret / "01-intro.md").write_text(f"# {MARKER}\n")
    target = secret if is_folder else secret / "a.yaml"
    if (repo / link).is_dir():
        shutil.rmtree(repo / link)
    (repo / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, repo / link)
    commit_all(repo, "link", author=who)
    forms = ("json", "text", "md", "github") if who == AMY else ("json",)
    for output in forms:
        result = run("check", "--base", "base", "--plan", "plan", "--format", output, cwd=repo)
        assert result.code == 1, (output, result.out)
        assert MARKER not in result.out + result.err
        assert "Traceback" not in result.err
    result, data = check(run, repo)
    message = f"this is a link to {target}, outside the plan; it is not read"
    problems = [(p["path"], p["code"], p["message"]) for p in data["problems"]]
    assert (shown, "outside-link", message) in problems
    refused = [(t, r) for t, r, _, _ in violations(data) if "symbolic link" in r]
    if who == AMY:
        assert refused == [(link, "added the symbolic link: only a maintainer may do this")]
    else:
        assert refused == []


# --- a broken file is reported once ---------------------------------------------------------


def test_a_syntax_error_is_one_error_not_a_list_of_accusations(run, repo: Path) -> None:
    change(repo, "plan/priorities/b.yaml", "text: Not started.", 'text: "Not started.')
    commit_all(repo, "oops", author=BRUCE)
    result, data = check(run, repo)
    assert result.code == 1
    assert data["permitted"] is True and violations(data) == []
    assert [(p["path"], p["line"], p["column"]) for p in data["problems"]] == [
        ("priorities/b.yaml", 16, 15)
    ]
    assert data["warnings"] == []  # reported once, as a validation error
    assert data["authors"][0]["unjudged"] == ["plan/priorities/b.yaml"]
    text = run("check", "--base", "base", "--plan", "plan", cwd=repo).out
    assert "deleted" not in text and "heading" not in text
    assert text.count("never closed") == 1
    assert "not judged yet: a file they changed does not parse (plan/priorities/b.yaml)" in text


def test_conflict_markers_are_named_as_a_merge_conflict(run, repo: Path) -> None:
    change(
        repo,
        "plan/priorities/b.yaml",
        "        rag: RED\n",
        "<<<<<<< HEAD\n        rag: RED\n=======\n        rag: AMBER\n>>>>>>> bruce\n",
    )
    commit_all(repo, "merge", author=BRUCE)
    result, data = check(run, repo)
    assert result.code == 1 and violations(data) == []
    (problem,) = data["problems"]
    assert (problem["code"], problem["line"]) == ("merge-conflict", 15)
    assert "unresolved merge conflict" in problem["message"]


def test_breaking_a_file_first_cannot_hide_an_edit(run, repo: Path) -> None:
    change(repo, "plan/priorities/b.yaml", "text: Not started.", 'text: "Not started.')
    commit_all(repo, "break it", author=AMY)
    change(repo, "plan/priorities/b.yaml", 'text: "Not started.', "text: Done.")
    change(repo, "plan/priorities/b.yaml", "rag: RED", "rag: GREEN")
    commit_all(repo, "mend it", author=AMY)
    result, data = check(run, repo)
    assert result.code == 1
    assert data["valid"] is True
    reasons = {reason for _, reason, _, _ in violations(data)}
    assert reasons == {"updates: B1 is owned by Bruce Marr"}
    assert data["authors"][0]["unjudged"] == []  # mended by head: judged by the mending commit


def test_the_size_cap_applies_to_a_file_in_a_pull_request(run, repo: Path) -> None:
    change(repo, "plan/priorities/a.yaml", "Training planned.", "Training planned. " + "x" * 3000)
    commit_all(repo, "long", author=AMY)
    result, data = check(run, repo)
    assert result.code == 0, data
    result = run(
        "check", "--base", "base", "--plan", "plan", "--format", "json", cwd=repo,
        env={"DATRACKER_MAX_FILE_MB": "0.002"},
    )  # fmt: skip
    data = json.loads(result.out)
    assert result.code == 1
    codes = {(p["path"], p["code"]) for p in data["problems"]}
    assert ("priorities/a.yaml", "file-too-large") in codes
    validate = run("validate", "--plan", "plan", cwd=repo, env={"DATRACKER_MAX_FILE_MB": "0.002"})
    assert "priorities/a.yaml:1:1: error: the file is 3 KB, over the limit of 2 KB" in validate.out


def _cut_short(repo: Path, sha: str) -> None:
    """Leave a loose blob's header whole and cut its content short: git can still say its
    size, but any read of its bytes fails, so a command that reads it cannot go unnoticed."""
    path = repo / ".git" / "objects" / sha[:2] / sha[2:]
    whole = zlib.decompress(path.read_bytes())
    squeezer = zlib.compressobj()
    path.chmod(0o644)
    path.write_bytes(squeezer.compress(whole[:200]) + squeezer.flush(zlib.Z_SYNC_FLUSH))


def test_a_file_over_the_cap_in_a_pull_request_is_refused_unread(run, repo: Path) -> None:
    change(repo, "plan/priorities/a.yaml", "Training planned.", "Training planned. " + "x" * 9000)
    commit_all(repo, "long", author=AMY)
    _cut_short(repo, git(repo, "rev-parse", "HEAD:plan/priorities/a.yaml").strip())
    result = run(
        "check", "--base", "base", "--plan", "plan", "--format", "json", cwd=repo,
        env={"DATRACKER_MAX_FILE_MB": "0.002"},
    )  # fmt: skip
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    problems = json.loads(result.out)["problems"]
    assert ("priorities/a.yaml", "file-too-large") in {(p["path"], p["code"]) for p in problems}


# --- merges -------------------------------------------------------------------------------


def test_a_merge_is_charged_with_its_own_edit_of_an_action_a_branch_added(run, repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "lead-work")
    new = PRIORITY_B + (
        "  - id: B2\n    objective: New work\n    measures:\n      - description: Something\n"
        "    owners:\n      - bruce-marr\n    status: new\n"
    )
    (repo / "plan/priorities/b.yaml").write_text(new)
    commit_all(repo, "add B2", author=LEAD)
    git(repo, "checkout", "-q", "main")
    change(repo, "plan/priorities/a.yaml", "Training planned.", "Training done.")
    commit_all(repo, "A1", author=AMY)
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "lead-work", author=AMY)
    change(repo, "plan/priorities/b.yaml", "    status: new\n", "    status: active\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "merge, and start B2", author=AMY)
    _, data = check(run, repo)
    amy = next(a for a in data["authors"] if a["owner"] == "amy-ford")
    assert [(v["target"], v["reason"]) for v in amy["violations"]] == [
        ("B2", "status: B2 is owned by Bruce Marr")
    ]


# --- owners recognised safely -------------------------------------------------------------


def shipped_repo(tmp_path: Path) -> Path:
    """The shipped plan as a strategy lead would first commit it, with a review open."""
    root = init_repo(tmp_path / "portsmouth")
    shutil.copytree(SHIPPED_PLAN, root / "plan")
    commit_all(root, "The delivery plan", author=("Hannah Byrne", "hannah@example.org"))
    return root


def dee_updates_a5(run, root: Path, author: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    git(root, "checkout", "-q", "-b", f"a5-{author[1]}", "main")
    path = root / "plan/priorities/a-healthy-relationships.yaml"
    text = path.read_text()
    # as the GitHub web editor would: the RAG of her own action, one line changed
    path.write_text(
        text.replace(
            "        rag: AMBER\n        text: >-\n          Domestic",
            "        rag: AMBER/GREEN\n        text: >-\n          Domestic",
        )
    )
    assert path.read_text() != text
    commit_all(root, "A5: AMBER/GREEN", author=author)


def test_an_owner_of_the_shipped_plan_is_told_exactly_what_to_add(run, tmp_path: Path) -> None:
    root = shipped_repo(tmp_path)
    dee_updates_a5(run, root, ("Dee Hutchinson", "dee@example.org"))
    result = run("check", "--base", "main", "--format", "json", cwd=root)
    assert result.code == 1
    (dee,) = json.loads(result.out)["authors"]
    assert (dee["role"], dee["owner"], dee["same_name_as"]) == (
        "unknown",
        None,
        "dee-hutchinson",
    )
    hint = dee["violations"][0]["hint"]
    assert hint.startswith("if this is Dee Hutchinson (dee-hutchinson), a maintainer adds ")
    assert "`git_emails: [dee@example.org]`" in hint
    assert "datracker owner email dee-hutchinson dee@example.org" in hint
    text = run("check", "--base", "main", cwd=root).out
    assert "git_emails: [dee@example.org]" in text


def test_once_the_plan_says_who_she_is_her_edit_passes(run, tmp_path: Path) -> None:
    root = shipped_repo(tmp_path)
    added = run(
        "owner", "email", "dee-hutchinson", "dee@example.org", "--commit", cwd=root
    )  # on main, by the lead
    assert added.code == 0, added.err
    dee_updates_a5(run, root, ("Dee Hutchinson", "dee@example.org"))
    result = run("check", "--base", "main", cwd=root)
    assert result.code == 0, result.out
    assert "datracker check: ready to merge" in result.out
    assert "Dee Hutchinson <dee@example.org> (dee-hutchinson): owner, 1 commit, permitted" in (
        result.out
    )


def test_an_update_typed_above_the_older_ones_is_not_ready_to_merge(run, tmp_path: Path) -> None:
    """In a web editor the natural place for a new entry is the top of `updates:`; the last
    update gives the RAG, so the check must say where it goes instead of passing it."""
    root = shipped_repo(tmp_path)
    for args in (
        ["owner", "email", "dee-hutchinson", "dee@example.org", "--commit"],
        ["review", "open", "Update April 2022", "--id", "2022-04", "--date", "2022-04-28"],
    ):
        assert run(*args, cwd=root).code == 0
    git(root, "checkout", "-q", "-b", "a5-top", "main")
    path = root / "plan/priorities/a-healthy-relationships.yaml"
    text = path.read_text()
    start = text.index("  - id: A5")
    at = text.index("updates:\n", start) + len("updates:\n")
    indent = text[at:].split("-", 1)[0]
    entry = (
        f"{indent}- review: 2022-04\n{indent}  rag: AMBER/GREEN\n{indent}  text: Two workshops.\n"
    )
    path.write_text(text[:at] + entry + text[at:])
    commit_all(root, "A5: April update", author=("Dee Hutchinson", "dee@example.org"))
    result = run("check", "--base", "main", cwd=root)
    assert result.code == 1, result.out
    assert "datracker check: needs attention" in result.out
    assert "A5: the update for '2022-04' is above the one for '2022-01'" in result.out
    assert "move it below the update for '2022-01'" in result.out


def test_a_name_alone_never_grants_anything(run, tmp_path: Path) -> None:
    root = shipped_repo(tmp_path)
    assert (
        run("owner", "email", "dee-hutchinson", "dee@example.org", "--commit", cwd=root).code == 0
    )
    dee_updates_a5(run, root, ("Dee Hutchinson", "impostor@example.net"))
    result = run("check", "--base", "main", "--format", "json", cwd=root)
    assert result.code == 1
    (author,) = json.loads(result.out)["authors"]
    assert (author["role"], author["permitted"]) == ("unknown", False)


# --- the three forms carry the same facts ---------------------------------------------------


def test_text_markdown_and_annotations_carry_the_same_facts_and_hints(run, repo: Path) -> None:
    change(repo, "plan/priorities/b.yaml", "text: Not started.", "text: Started.")
    change(repo, "plan/priorities/a.yaml", "rag: AMBER", "rag: AMBERISH")
    commit_all(repo, "two mistakes", author=AMY)
    _, data = check(run, repo)
    (problem,) = data["problems"]
    ((target, reason, path, line),) = violations(data)
    hint = data["authors"][0]["violations"][0]["hint"]
    forms = {
        form: run("check", "--base", "base", "--plan", "plan", "--format", form, cwd=repo)
        for form in ("text", "md", "github")
    }
    for form, result in forms.items():
        assert result.code == 1, form
        out = result.out.replace("&lt;", "<").replace("&gt;", ">")
        for fact in (problem["message"], problem["hint"], reason, hint, target):
            assert fact in out, (form, fact)
        assert f"plan/{problem['path']}:{problem['line']}:{problem['column']}" in out or (
            f"file=plan/{problem['path']},line={problem['line']},col={problem['column']}" in out
        ), form
    assert f"{path}:{line}: Amy Ford <amy@example.org> (amy-ford) in " in forms["text"].out
    assert "&lt;" not in forms["text"].out
    assert "The plan has 1 error:" in forms["text"].out
    assert "owner, 1 commit, not permitted (B1)" in forms["text"].out
    assert "❌ The plan has 1 error:" in forms["md"].out
    assert f"- `{path}:{line}`: Amy Ford &lt;amy@example.org&gt; (amy-ford)" in forms["md"].out
    assert f"  - hint: {hint}" in forms["md"].out
    annotations = [line for line in forms["github"].out.splitlines() if line.startswith("::")]
    errors = [a for a in annotations if a.startswith("::error ")]
    assert len(errors) == 2
    assert all("file=" in a and "line=" in a for a in errors)
    assert f"::error file={path},line={line},title=not permitted::" in forms["github"].out
    assert annotations[-1].startswith("::notice title=datracker check::needs attention")
    assert "1 change not permitted" in annotations[-1]


def test_odd_files_are_named_not_crashed_on(run, repo: Path) -> None:
    """A submodule (a commit id, not a file) and a name with a newline in it."""
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},vendor")
    (repo / "odd\nname é.md").write_text("x\n")
    git(repo, "add", "odd\nname é.md")
    git(repo, "commit", "-q", "-m", "odd", author=AMY)
    git(repo, "update-index", "--cacheinfo", f"160000,{'2' * 40},vendor")
    git(repo, "commit", "-q", "-m", "odder", author=AMY)
    result, data = check(run, repo)
    assert result.code == 1
    assert sorted(violations(data)) == [
        ("odd\nname é.md", "added the file: only a maintainer may do this", "odd\nname é.md", 1),
        ("vendor", "added the file: only a maintainer may do this", "vendor", 1),
        ("vendor", "changed the file: only a maintainer may do this", "vendor", None),
    ]
    github = run("check", "--base", "base", "--plan", "plan", "--format", "github", cwd=repo)
    assert "file=odd%0Aname é.md,line=1," in github.out
