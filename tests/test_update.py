"""`datracker update` as a user meets it: every flag, every bad input, a real terminal,
real concurrent processes and a real git repository."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from conftest import PLAN_YAML, PRIORITY_A, write_plan
from datracker.edit.planwrite import Change, Options, write_change
from gitutil import commit_all, git, init_repo

PRIORITY_B = """\
id: B
title: Identification
actions:
  - id: B1
    measures:
      - description: Referrals
    owners:
      - bruce-marr
    updates:
      - review: r1
        rag: RED
        text: Not started.
  - id: B2
    status: new
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "plan", a=PRIORITY_A, b=PRIORITY_B)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def last_update(root: Path, name: str, index: int = 0) -> dict[str, object]:
    text = (root / "priorities" / f"{name}.yaml").read_text()
    data = yaml.load(text, Loader=yaml.BaseLoader)  # every scalar as the text it is
    return data["actions"][index]["updates"][-1]  # type: ignore[no-any-return]


def test_records_an_update_with_every_field(run, plan: Path) -> None:
    result = run(
        "update", "b1", "--plan", plan, "--rag", "amber/ red", "--qualifier", "police action",
        "--text", "Training booked.", "--date", "2022-04-12", "--review", "r2",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.startswith(
        "B1: recorded an update for Update April 2022 (RED → AMBER/RED) in "
    )
    assert last_update(plan, "b") == {
        "review": "r2", "date": "2022-04-12", "rag": "AMBER/RED",
        "qualifier": "police action", "text": "Training booked.",
    }  # fmt: skip
    assert run("validate", "--plan", plan).code == 0


def test_rerun_replaces_and_says_so(run, plan: Path) -> None:
    result = run("update", "A1", "--plan", plan, "--rag", "GREEN", "--date", "2022-04-20")
    assert result.code == 0, result.err
    assert "replaced the update for Update April 2022 (AMBER → GREEN)" in result.out
    assert last_update(plan, "a") == {
        "review": "r2", "date": "2022-04-20", "rag": "GREEN", "text": "Training planned.",
    }  # fmt: skip
    run("update", "A1", "--plan", plan, "--qualifier", "", "--text", "New.")
    assert last_update(plan, "a")["text"] == "New."


def test_date_defaults_to_today(run, plan: Path) -> None:
    assert run("update", "B1", "--plan", plan, "--text", "Started.").code == 0
    assert last_update(plan, "b")["date"] == dt.date.today().isoformat()


def test_text_file_and_stdin(run, plan: Path, tmp_path: Path) -> None:
    source = tmp_path / "update.txt"
    source.write_bytes(b"From a file,\r\nwith Windows line ends.\r\n")
    assert run("update", "B1", "--plan", plan, "--text-file", source).code == 0
    assert last_update(plan, "b")["text"] == "From a file,\nwith Windows line ends."
    proc = subprocess.run(
        [sys.executable, "-m", "datracker", "update", "A1", "--plan", str(plan),
         "--text-file", "-"],
        input="From standard input.\n", capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert last_update(plan, "a")["text"] == "From standard input."


def test_status_flag_edits_the_action_only(run, plan: Path) -> None:
    before = (plan / "priorities" / "b.yaml").read_text()
    result = run("update", "B2", "--plan", plan, "--status", "active")
    assert result.code == 0, result.err
    assert "status now active" in result.out
    assert (plan / "priorities" / "b.yaml").read_text() == before.replace(
        "status: new", "status: active"
    )
    assert run("update", "B2", "--plan", plan, "--status", "n/a").code == 0
    assert "status: n/a" in (plan / "priorities" / "b.yaml").read_text()


def test_dry_run_prints_the_diff_and_writes_nothing(run, plan: Path) -> None:
    before = snapshot(plan)
    result = run("update", "B1", "--plan", plan, "--rag", "green", "--text", "Ok.", "--dry-run")
    assert result.code == 0, result.err
    assert "+      - review: r2\n" in result.out
    assert "+        rag: GREEN\n" in result.out
    assert result.out.startswith("--- a/")
    assert snapshot(plan) == before


def _future() -> str:
    return (dt.date.today() + dt.timedelta(days=400)).isoformat()


BAD_INPUTS = [
    (["A9", "--rag", "red"], 2, "no action 'A9'"),
    (["A1", "--rag", "pink"], 2, "choose one of: RED, AMBER/RED, AMBER, AMBER/GREEN, GREEN"),
    (["A1", "--text", "   "], 2, "the text is empty"),
    (["A1", "--text", "bell\x07here"], 2, "control character (U+0007)"),
    (["A1", "--text", "x", "--date", "12/04/2022"], 2, "YYYY-MM-DD"),
    (["A1", "--text", "x", "--date", "FUTURE"], 2, "is in the future"),
    (["A1", "--text", "x", "--review", "r1"], 1, "is closed"),
    (["A1", "--text", "x", "--review", "r9"], 2, "no review 'r9'"),
    (["A1"], 2, "nothing to record"),
    (["A1", "--text", "x", "--text-file", "y"], 2, "not both"),
    (["A1", "--text", "x", "--author", "A <a@b.c>"], 2, "only applies with --commit"),
    (["A1", "--status", "done"], 2, "'done' is not one of"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_INPUTS)
def test_bad_input_is_one_message_and_leaves_the_plan(
    run, plan: Path, args: list[str], code: int, message: str
) -> None:
    args = [_future() if a == "FUTURE" else a for a in args]
    before = snapshot(plan)
    result = run("update", *args, "--plan", plan)
    assert result.code == code, result.out + result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert snapshot(plan) == before


def test_did_you_mean_for_a_mistyped_action(run, plan: Path) -> None:
    result = run("update", "B3", "--plan", plan, "--rag", "red")
    assert "did you mean B1, B2?" in result.err or "did you mean B2, B1?" in result.err


def test_no_open_review(run, tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plan", PLAN_YAML.replace("status: open", "status: closed"))
    before = snapshot(root)
    result = run("update", "A1", "--plan", root, "--rag", "red")
    assert result.code == 1
    assert "no review is open" in result.err
    assert "datracker review open 'Update April 2022'" in result.err
    assert snapshot(root) == before


def test_read_only_file(run, plan: Path) -> None:
    target = plan / "priorities" / "b.yaml"
    target.chmod(0o444)
    before = snapshot(plan)
    result = run("update", "B1", "--plan", plan, "--rag", "red")
    assert result.code == 1
    assert "read-only" in result.err
    assert snapshot(plan) == before
    assert target.stat().st_mode & 0o777 == 0o444


def test_broken_file_that_does_not_hold_the_action_does_not_block(run, plan: Path) -> None:
    # an update reads plan.yaml and the files naming the action; it cannot change the others
    broken = plan / "priorities" / "c.yaml"
    broken.write_text("id: C\ntitle: [broken\n")
    result = run("update", "A1", "--plan", plan, "--rag", "red")
    assert result.code == 0, result.err
    assert last_update(plan, "a")["rag"] == "RED"
    assert broken.read_text() == "id: C\ntitle: [broken\n"
    assert "priorities/c.yaml" in run("validate", "--plan", plan).out


def test_broken_file_holding_the_action_refuses(run, plan: Path) -> None:
    target = plan / "priorities" / "a.yaml"
    target.write_text(PRIORITY_A + "  - id: A2\n    objective: [unclosed\n")
    before = snapshot(plan)
    result = run("update", "A1", "--plan", plan, "--rag", "red")
    assert result.code == 1
    assert "the plan has errors" in result.err
    assert "priorities/a.yaml" in result.err
    assert snapshot(plan) == before


def test_broken_plan_yaml_refuses(run, plan: Path) -> None:
    (plan / "plan.yaml").write_text(PLAN_YAML.replace("owners:", "owners: [", 1))
    before = snapshot(plan)
    result = run("update", "B1", "--plan", plan, "--rag", "red")
    assert result.code == 1
    assert "plan.yaml" in result.err
    assert snapshot(plan) == before


def test_action_mentioned_in_another_file_is_found_where_it_is(run, plan: Path) -> None:
    mention = PRIORITY_B.replace("text: Not started.", "text: Waiting on A1 (see a.yaml).")
    (plan / "priorities" / "b.yaml").write_text(mention)
    result = run("update", "a1", "--plan", plan, "--rag", "green")
    assert result.code == 0, result.err
    assert last_update(plan, "a")["rag"] == "GREEN"
    assert (plan / "priorities" / "b.yaml").read_text() == mention


def test_unknown_id_suggests_ids_from_every_file(run, plan: Path) -> None:
    # no file names "B3", so the suggestions must come from reading them all
    result = run("update", "B3", "--plan", plan, "--rag", "red")
    assert result.code == 2
    assert "no action 'B3' in the plan; nothing was written" in result.err
    assert "B1" in result.err and "B2" in result.err


def test_file_mode_is_kept(run, plan: Path) -> None:
    target = plan / "priorities" / "b.yaml"
    target.chmod(0o640)
    assert run("update", "B1", "--plan", plan, "--rag", "red").code == 0
    assert target.stat().st_mode & 0o777 == 0o640
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


def test_a_change_that_makes_the_plan_invalid_is_refused(plan: Path) -> None:
    """The engine's last check, driven directly: an edit adding an error is never written."""
    from datracker.core.problems import DatrackerError

    target = plan / "priorities" / "a.yaml"
    before = target.read_bytes()
    new_text = PRIORITY_A.replace("rag: AMBER", "rag: PINK")

    def make(loaded: object) -> Change:
        data = yaml.safe_load(new_text)
        data["actions"][0]["updates"][0]["date"] = "2022-04-10"
        return Change("priorities/a.yaml", new_text, data, "", "")

    with pytest.raises(DatrackerError) as caught:
        write_change(plan, make, Options())
    assert "would make the plan invalid" in caught.value.message
    assert [p.code for p in caught.value.problems] == ["unknown-rag"]
    assert target.read_bytes() == before


# --- a real terminal -------------------------------------------------------------------------


def _spawn(args: list[str], env: dict[str, str]) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: a real terminal on stdin and stdout
        # as a shell would start it: Ctrl-C interrupts (a background test run may ignore it)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.execve(sys.executable, [sys.executable, "-m", "datracker", *args], env)
    return pid, fd


def _read_until(fd: int, wanted: str, timeout: float = 20.0) -> str:
    seen = b""
    deadline = dt.datetime.now() + dt.timedelta(seconds=timeout)
    while wanted.encode() not in seen:
        left = (deadline - dt.datetime.now()).total_seconds()
        ready, _, _ = select.select([fd], [], [], max(left, 0))
        if not ready:
            raise AssertionError(f"no {wanted!r} in {seen.decode(errors='replace')!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen.decode(errors="replace")


def _finish(pid: int, fd: int, timeout: float = 30.0) -> tuple[int, str]:
    rest = b""
    while True:
        if not select.select([fd], [], [], timeout)[0]:
            os.kill(pid, signal.SIGKILL)  # never hang the suite on a stuck child
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        rest += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), rest.decode(errors="replace")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VISUAL", "EDITOR", "DATRACKER_PLAN")}
    return {**env, "NO_COLOR": "1", **extra}


def test_interactive_with_an_editor(plan: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        textwrap.dedent("""\
            import sys
            path = sys.argv[1]
            old = open(path).read()
            open(path, "w").write("Written in the editor.\\n" + old)
            """)
    )
    pid, fd = _spawn(
        ["update", "A1", "--plan", str(plan), "--date", "2022-04-21"],
        _env(EDITOR=f"{sys.executable} {editor}"),
    )
    shown = _read_until(fd, "RAG (number or name) [AMBER]: ")
    assert "Current RAG: AMBER" in shown
    assert "Last update (r2): Training planned." in shown
    os.write(fd, b"5\n")
    code, out = _finish(pid, fd)
    assert code == 0, out
    assert last_update(plan, "a") == {
        "review": "r2", "date": "2022-04-21", "rag": "GREEN", "text": "Written in the editor.",
    }  # fmt: skip


def test_interactive_typed_text_and_default_rag(plan: Path) -> None:
    pid, fd = _spawn(["update", "B1", "--plan", str(plan), "--date", "2022-04-21"], _env())
    _read_until(fd, "[RED]: ")
    os.write(fd, b"\n")
    _read_until(fd, "finish with a line holding only '.'")
    os.write(fd, b"First line.\nSecond line.\n.\n")
    code, out = _finish(pid, fd)
    assert code == 0, out
    assert last_update(plan, "b")["rag"] == "RED"
    assert last_update(plan, "b")["text"] == "First line.\nSecond line."


def test_ctrl_c_writes_nothing(plan: Path) -> None:
    before = snapshot(plan)
    pid, fd = _spawn(["update", "A1", "--plan", str(plan)], _env())
    _read_until(fd, "RAG (number or name)")
    # The terminal turns ^C into SIGINT, as a keyboard would. Like a person, press it after
    # the prompt has settled, and again if it landed before readline started waiting.
    said = ""
    for _ in range(5):
        time.sleep(0.5)
        os.write(fd, b"\x03")
        try:
            said = _read_until(fd, "nothing was written", timeout=2)
            break
        except AssertionError:
            continue
    code, out = _finish(pid, fd)
    assert code == 130, said + out
    assert "interrupted; nothing was written" in said
    assert snapshot(plan) == before


# --- concurrency --------------------------------------------------------------------------------


def test_two_processes_updating_different_actions_both_land(plan: Path) -> None:
    argv = [sys.executable, "-m", "datracker", "update", "--plan", str(plan)]
    procs = [
        subprocess.Popen([*argv[:4], action, *argv[4:], "--rag", rag, "--text", "Concurrent."])
        for action, rag in (("A1", "GREEN"), ("B1", "AMBER"))
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert last_update(plan, "a")["rag"] == "GREEN"
    assert last_update(plan, "b")["rag"] == "AMBER"


STRESS = """\
import sys
from pathlib import Path
from datracker.edit.planwrite import Options
from datracker.edit.updates import UpdateRequest, record_update
root, worker = Path(sys.argv[1]), int(sys.argv[2])
for n in range(10):
    action = f"S{worker * 10 + n}"
    record_update(root, UpdateRequest(action, rag="GREEN", text=f"by {worker}"), Options())
"""


def test_stress_four_processes_ten_updates_each(tmp_path: Path) -> None:
    actions = "".join(
        f"  - id: S{i}\n    owners: [amy-ford]\n    measures: [{{description: M}}]\n"
        for i in range(40)
    )
    halves = {name: f"id: {name.upper()}\ntitle: T\nactions:\n" for name in ("s", "t")}
    lines = actions.splitlines(keepends=True)
    halves["s"] += "".join(lines[: 3 * 20])
    halves["t"] += "".join(lines[3 * 20 :])
    root = write_plan(tmp_path / "plan", a=PRIORITY_A, **halves)
    procs = [subprocess.Popen([sys.executable, "-c", STRESS, str(root), str(w)]) for w in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    for name, first in (("s", 0), ("t", 20)):
        data = yaml.load((root / "priorities" / f"{name}.yaml").read_text(), yaml.BaseLoader)
        for offset, action in enumerate(data["actions"]):
            worker = (first + offset) // 10
            assert action["updates"] == [
                {
                    "review": "r2",
                    "date": dt.date.today().isoformat(),
                    "rag": "GREEN",
                    "text": f"by {worker}",
                }
            ]


def test_a_file_changed_by_someone_else_is_reread_not_overwritten(plan: Path) -> None:
    """A change landing between read and write: the cycle starts again and keeps both."""
    from datracker.edit.updates import UpdateRequest, _update_change

    target = plan / "priorities" / "a.yaml"
    calls: list[int] = []

    def make(loaded: object) -> Change:
        from datracker.plan.store import LoadedPlan

        assert isinstance(loaded, LoadedPlan)
        change = _update_change(loaded, UpdateRequest("A1", rag="RED"), dt.date.today())
        if not calls:  # someone else edits the file after datracker read it
            target.write_text(target.read_text().replace("Raise awareness", "Raise it"))
        calls.append(1)
        return change

    write_change(plan, make, Options())
    assert len(calls) == 2
    text = target.read_text()
    assert "objective: Raise it" in text and "rag: RED" in text


# --- git ------------------------------------------------------------------------------------------


@pytest.fixture
def repo_plan(tmp_path: Path) -> tuple[Path, Path]:
    repo = init_repo(tmp_path / "repo")
    root = write_plan(repo / "strategy" / "plan", a=PRIORITY_A, b=PRIORITY_B)
    (repo / "README").write_text("other work\n")
    commit_all(repo, "plan")
    return repo, root


def test_commit_stages_and_commits_only_the_changed_file(run, repo_plan) -> None:
    repo, root = repo_plan
    (repo / "README").write_text("unrelated, uncommitted\n")
    (root / "plan.yaml").write_text((root / "plan.yaml").read_text() + "# staged elsewhere\n")
    git(repo, "add", "strategy/plan/plan.yaml")
    result = run(
        "update", "A1", "--plan", root, "--rag", "green", "--text", "Done.",
        "--commit", "--author", "Amy Ford <amy@example.org>",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "committed " in result.out
    log = git(repo, "log", "-1", "--format=%an <%ae>|%s").strip()
    assert log == "Amy Ford <amy@example.org>|A1: AMBER → GREEN (Update April 2022)"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "strategy/plan/priorities/a.yaml"
    ]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["strategy/plan/plan.yaml"]
    assert git(repo, "status", "--porcelain", "README").strip() == "M README"


def test_commit_message_when_the_rag_is_unchanged(run, repo_plan) -> None:
    repo, root = repo_plan
    assert run("update", "A1", "--plan", root, "--text", "More.", "--commit").code == 0
    assert git(repo, "log", "-1", "--format=%s").strip() == "A1: update (Update April 2022)"


def test_commit_refused_when_the_file_has_other_changes(run, repo_plan) -> None:
    repo, root = repo_plan
    target = root / "priorities" / "a.yaml"
    target.write_text(target.read_text() + "# someone's edit\n")
    before = snapshot(root)
    result = run("update", "A1", "--plan", root, "--rag", "red", "--commit")
    assert result.code == 1
    dirty = "already has uncommitted changes (strategy/plan/priorities/a.yaml (unstaged changes))"
    assert dirty in result.err
    assert "hint: see them with: git diff -- strategy/plan/priorities/a.yaml" in result.err
    assert snapshot(root) == before
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_commit_outside_git_is_refused(run, plan: Path) -> None:
    before = snapshot(plan)
    result = run("update", "A1", "--plan", plan, "--rag", "red", "--commit")
    assert result.code == 1
    assert "not in a git repository" in result.err
    assert snapshot(plan) == before
