"""The hostile corpus (tests/hostile/README.md): every input issue 16 found, and variants.

Each case runs the real command on a copy of the shipped plan and checks what every command
owes any input: exit 0 with a right answer, or 1/2 with a message saying where; never exit 3
or a traceback; nothing written outside the target; a refused write leaves the old bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from conftest import SHIPPED_PLAN, Result
from gitutil import commit_all, init_repo

CORPUS = Path(__file__).parent / "hostile"
A_FILE = "priorities/a-healthy-relationships.yaml"
B_FILE = "priorities/b-identification-assessment.yaml"
ESC_TITLE = 'title: "Promote \\e]0;pwned\\a\\e[2J healthy relationships"'


# --- helpers ------------------------------------------------------------------------------


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` and a digest of its bytes (links and devices by kind)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode):
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif not stat.S_ISDIR(mode):
            found[rel] = f"special {stat.S_IFMT(mode):o}"
    return found


def sane(result: Result) -> Result:
    """What every run owes: no bug exit, no traceback, no raw escape sequence."""
    assert result.code in (0, 1, 2), f"exit {result.code}\n{result.err}"
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert "\x1b" not in result.out + result.err, "a raw ESC reached the terminal"
    assert "\u202e" not in result.out + result.err, "a raw bidi override reached the terminal"
    return result


def refused(result: Result, *fragments: str) -> None:
    sane(result)
    assert result.code == 1, f"expected a refusal, got {result.code}\n{result.out}{result.err}"
    for fragment in fragments:
        assert fragment in result.err, f"{fragment!r} not in:\n{result.err}"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A copy of the shipped plan, in a folder of its own (to see every file written)."""
    root = tmp_path / "work" / "plan"
    shutil.copytree(SHIPPED_PLAN, root)
    return root


def edit(plan: Path, rel: str, old: str, new: str) -> None:
    path = plan / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def untouched(
    run: Callable[..., Result], plan: Path, *args: str | Path, env: dict[str, str] | None = None
) -> Result:
    """Run a command that must write nothing at all: the folder is the same after."""
    before = tree(plan.parent)
    result = sane(run(*args, env=env))
    assert tree(plan.parent) == before
    return result


# --- figures out of range ---------------------------------------------------------------

HUGE_FIGURES = {
    "401 digits": "1" + "0" * 400,
    "long hex literal": "0x" + "f" * 5000,
    "long binary literal": "0b" + "1" * 3000,
    "1e400 (infinity)": "1e400",
    "one past 2**53": str(2**53 + 1),
    "99-digit hex": "0x" + "F" * 99,
}


@pytest.mark.parametrize("figure", HUGE_FIGURES.values(), ids=HUGE_FIGURES.keys())
def test_figures_too_large_are_refused_by_validate(run, plan: Path, figure: str) -> None:
    edit(plan, A_FILE, "value: 42\n", f"value: {figure}\n")
    result = untouched(run, plan, "validate", "--plan", plan)
    assert result.code == 1
    assert f"{A_FILE}:24:20: error:" in result.out
    assert "too large" in result.out or "should be a number" in result.out
    assert len(figure) < 60 or figure[:60] not in result.out  # described, never printed whole


@pytest.mark.parametrize(
    "command",
    [
        ["show", "A1"],
        ["status"],
        ["export"],
        ["chase", "--review", "2022-01"],
        ["codeowners"],
        ["render", "--format", "md"],
    ],
    ids=lambda c: c[0],
)
def test_commands_refuse_a_huge_figure_with_its_location(
    run, plan: Path, command: list[str]
) -> None:
    edit(plan, A_FILE, "value: 42\n", "value: " + "9" * 401 + "\n")
    output = plan.parent / "out"
    extra = ["--output", output] if command[0] == "render" else []
    result = untouched(run, plan, *command, "--plan", plan, *extra)
    assert result.code == 1
    where = f"{A_FILE}:24:20: " + ("" if command[0] == "status" else "error: ")
    assert where + "value: a number of 401 digits is too large" in result.err
    if command[0] == "status":  # the partial answer: what is left out, by action
        assert f"{A_FILE}: action A1 (" in result.err


def test_the_largest_allowed_figure_works_everywhere(run, plan: Path) -> None:
    """2**53 is allowed: charts, text bars, sums and the Word document all cope with it."""
    edit(plan, A_FILE, "value: 42\n", f"value: {2**53}\n")
    assert sane(run("validate", "--plan", plan)).code == 0
    assert f"{2**53}" in sane(run("show", "A1", "--plan", plan)).out
    rendered = sane(run("render", "--plan", plan, "--output", plan.parent / "out"))
    assert rendered.code == 0, rendered.err


def test_a_duplicate_huge_key_is_reported_without_printing_it(run, plan: Path) -> None:
    key = "0x" + "f" * 900
    edit(plan, A_FILE, "id: A\n", f"id: A\n{key}: 1\n{key}: 2\n")
    result = untouched(run, plan, "validate", "--plan", plan)
    assert result.code == 1
    assert "is given twice" in result.out
    assert key not in result.out  # quoted in part, never all 900 digits


# --- text that would act on a terminal -----------------------------------------------------


def test_escape_sequences_in_plan_text_are_errors(run, plan: Path) -> None:
    edit(plan, A_FILE, "title: Promote healthy relationships", ESC_TITLE)
    result = untouched(run, plan, "validate", "--plan", plan)
    assert result.code == 1
    assert f"{A_FILE}:3:8: error: the text holds ESC (U+001B), a control character" in result.out


@pytest.mark.parametrize(
    "command",
    [["status"], ["status", "-f", "json"], ["status", "-f", "md"], ["show", "A1"], ["export"]],
    ids=" ".join,
)
def test_escape_sequences_never_reach_the_terminal(run, plan: Path, command: list[str]) -> None:
    edit(plan, A_FILE, "title: Promote healthy relationships", ESC_TITLE)
    result = untouched(run, plan, *command, "--plan", plan)
    assert result.code == 1  # status answers in part and says so; the others refuse
    assert "priorities/a-healthy-relationships.yaml" in result.err


def test_a_bidi_override_is_a_warning_and_shown_escaped(run, plan: Path) -> None:
    edit(plan, A_FILE, "title: Promote healthy", "title: Promote \u202ehealthy")
    result = untouched(run, plan, "validate", "--plan", plan)
    assert result.code == 0
    assert "warning: the text holds RIGHT-TO-LEFT OVERRIDE (U+202E)" in result.out
    status = untouched(run, plan, "status", "--plan", plan)
    assert "Promote \\u202ehealthy" in status.out
    as_json = untouched(run, plan, "status", "--plan", plan, "-f", "json")
    assert "Promote \\u202ehealthy" in as_json.out
    title = json.loads(as_json.out)["priorities"][0]["title"]
    assert title == "Promote \u202ehealthy relationships"  # the same value, escaped in JSON


BIDI_LISTINGS = [
    ["status"],
    ["status", "-f", "md"],
    ["review", "list"],
    ["review", "list", "-f", "md"],
    ["review", "list", "-f", "json"],
    ["chase", "--review", "2022-01"],
    ["chase", "--review", "2022-01", "-f", "md"],
    ["show", "A1"],
    ["diff", "HEAD~1", "HEAD"],
    ["diff", "HEAD~1", "HEAD", "-f", "md"],
    ["history", "A1"],
]


@pytest.mark.parametrize("command", BIDI_LISTINGS, ids=" ".join)
def test_a_bidi_override_is_shown_escaped_in_every_listing(
    run, plan: Path, command: list[str]
) -> None:
    """The table model escapes once for every listing: a warning-only character (so the plan
    still loads) in a title, a label, an objective and an update never reaches the terminal."""
    from gitutil import commit_all, init_repo

    init_repo(plan.parent)
    commit_all(plan.parent, "the plan")
    edit(plan, A_FILE, "title: Promote healthy", "title: Promote \u202ehealthy")
    edit(plan, A_FILE, "objective: Influence the", "objective: Influence \u202ethe")
    edit(plan, A_FILE, "PCC undertake an annual", "PCC \u202eundertake an annual")
    edit(plan, "plan.yaml", "label: Update January 2022", "label: Update \u202eJanuary 2022")
    commit_all(plan.parent, "overrides")
    result = sane(run(*command, "--plan", plan))
    assert result.code in (0, 1), result.err
    assert "\\u202e" in result.out, result.out


def test_an_escape_typed_as_an_argument_is_shown_escaped(run, plan: Path) -> None:
    result = untouched(run, plan, "show", "\x1b]0;x\x07", "--plan", plan)
    assert result.code == 2  # an id that cannot exist is an invalid argument value
    assert "\\x1b]0;x\\x07" in result.err


@pytest.mark.parametrize("command", [["validate"], ["status"], ["show", "A5"], ["export"]])
def test_cr_only_line_endings_are_read(run, plan: Path, command: list[str]) -> None:
    path = plan / A_FILE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    result = untouched(run, plan, *command, "--plan", plan)
    assert result.code in (0, 1)  # read as YAML line breaks, or refused with a location


# --- whole or nothing ----------------------------------------------------------------------


def break_file(plan: Path, rel: str) -> None:
    edit(plan, rel, "actions:\n", "actions: [unclosed\n")


@pytest.mark.parametrize(
    "command",
    [["export"], ["export", "-f", "json"], ["chase", "--review", "2022-01"], ["codeowners"]],
    ids=" ".join,
)
def test_a_broken_file_stops_commands_that_need_the_whole_plan(
    run, plan: Path, command: list[str]
) -> None:
    break_file(plan, B_FILE)
    result = untouched(run, plan, *command, "--plan", plan)
    refused(
        result,
        f"{B_FILE} cannot be read whole",
        f"{B_FILE}:14:10: error: the '[' opened here is never closed",
    )
    assert result.out == ""


def test_show_names_the_broken_file_that_holds_the_action(run, plan: Path) -> None:
    break_file(plan, A_FILE)
    result = untouched(run, plan, "show", "A5", "--plan", plan)
    refused(result, f"{A_FILE} cannot be read, and A5 may be in it", f"{A_FILE}:14:10")
    assert "no action" not in result.err


def test_status_answers_in_part_and_says_exactly_what_is_missing(run, plan: Path) -> None:
    break_file(plan, B_FILE)
    edit(plan, A_FILE, "  - id: A2\n    status: complete", "  - id: A2\n    stauts: complete")
    result = untouched(run, plan, "status", "--plan", plan)
    refused(result, "leaves out:", f"{B_FILE}: the whole file", f"{A_FILE}: action A2")
    assert "A1" in result.out and "B1" not in result.out


def test_a_folder_named_like_a_plan_file_is_reported(run, plan: Path) -> None:
    (plan / "priorities" / "g-folder.yaml").mkdir()
    result = untouched(run, plan, "validate", "--plan", plan)
    assert result.code == 1
    assert "priorities/g-folder.yaml:1:1: error: this is a folder, not a plan file" in result.out
    refused(untouched(run, plan, "export", "--plan", plan), "g-folder.yaml cannot be read whole")


def test_a_named_pipe_is_reported_without_waiting(run, plan: Path) -> None:
    os.mkfifo(plan / "priorities" / "g-pipe.yaml")
    result = untouched(run, plan, "validate", "--plan", plan)
    assert result.code == 1
    assert "g-pipe.yaml:1:1: error: this is a device, pipe or socket" in result.out


@pytest.mark.parametrize("command", [["validate"], ["status"], ["export"], ["show", "A1"]])
def test_plan_yaml_replaced_by_a_folder(run, plan: Path, command: list[str]) -> None:
    (plan / "plan.yaml").unlink()
    (plan / "plan.yaml").mkdir()
    refused(untouched(run, plan, *command, "--plan", plan), "plan.yaml is not a file")


@pytest.fixture
def repo(plan: Path) -> Path:
    init_repo(plan.parent)
    commit_all(plan.parent, "the shipped plan")
    return plan.parent


def test_diff_refuses_plan_yaml_replaced_by_a_folder(run, repo: Path, plan: Path) -> None:
    (plan / "plan.yaml").unlink()
    (plan / "plan.yaml").mkdir()
    result = sane(run("diff", "HEAD", "--plan", plan))
    refused(result, "plan.yaml is not a file")
    assert "deleted" not in result.out


def test_diff_with_a_broken_file_says_what_it_leaves_out(run, repo: Path, plan: Path) -> None:
    break_file(plan, B_FILE)
    result = sane(run("diff", "HEAD", "--plan", plan))
    refused(
        result, f"{B_FILE}:14:10: the '[' opened here is never closed", "left out: the whole file"
    )


def test_diff_checks_the_size_cap_before_reading_a_revision(run, repo: Path, plan: Path) -> None:
    edit(plan, A_FILE, "text: >-", "text: >-\n          Longer.")
    commit_all(repo, "a change")
    env = {"DATRACKER_MAX_FILE_MB": "0.004"}  # 4 KB: smaller than priority A's 6 KB file
    result = sane(run("diff", "HEAD~1", "HEAD", "--plan", plan, env=env))
    refused(result, f"{A_FILE}:1:1: the file is 6 KB, over the limit of 4 KB")


def test_history_checks_the_size_cap_too(run, repo: Path, plan: Path) -> None:
    result = sane(run("history", "A5", "--plan", plan, env={"DATRACKER_MAX_FILE_MB": "0.004"}))
    refused(
        result,
        f"{A_FILE}:1:1: error: the file is 6 KB, over the limit of 4 KB",
        "and A5 may be in it",
    )


# --- writing: targets that are not files, full disks ---------------------------------------


@pytest.mark.parametrize("form", ["csv", "json", "xlsx"])
def test_export_to_a_missing_folder_is_refused(run, plan: Path, form: str) -> None:
    target = plan.parent / "missing" / f"plan.{form}"
    result = untouched(run, plan, "export", "--plan", plan, "-f", form, "-o", target)
    refused(result, "the folder", "does not exist; nothing was written")


def test_export_to_a_folder_is_refused(run, plan: Path) -> None:
    result = untouched(run, plan, "export", "--plan", plan, "-o", plan.parent)
    refused(result, "it is a folder; nothing was written")


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_export_to_dev_full_is_refused_and_the_device_kept(run, plan: Path, form: str) -> None:
    result = untouched(run, plan, "export", "--plan", plan, "-f", form, "-o", "/dev/full")
    refused(result, "it is not a regular file")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_import_output_in_proc_is_refused(run, plan: Path) -> None:
    source = plan.parent / "plan.csv"
    source.write_text(sane(run("export", "--plan", plan)).out, encoding="utf-8")
    refused(untouched(run, plan, "import", source, "--output", "/proc/datracker-x"))


def stdout_to(path: str, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    with open(path, "wb") as sink:
        return subprocess.run(
            [sys.executable, "-m", "datracker", *map(str, args)],
            stdout=sink,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        )


@pytest.mark.parametrize(
    "command", [["status"], ["status", "-f", "json"], ["export"], ["validate"], ["show", "A5"]]
)
def test_stdout_on_a_full_device_exits_1_quietly(plan: Path, command: list[str]) -> None:
    proc = stdout_to("/dev/full", *command, "--plan", plan)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err.strip() == "error: the output could not be written: No space left on device"


def test_stdout_closed_early_exits_1_silently(plan: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "datracker", "export", "-f", "json", "--plan", str(plan)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    assert proc.wait(timeout=60) in (0, 1)
    assert b"Traceback" not in proc.stderr.read()


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 1 MB tmpfs, mounted for the test (root only), to fill up for real."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill the disk until fewer than `leave` bytes are free."""
    with open(disk / "filler", "wb") as filler:
        try:
            while os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize > leave:
                filler.write(b"\0" * 4096)
                filler.flush()
        except OSError:
            pass


def test_export_over_a_file_on_a_full_disk_keeps_the_old_file(
    run, plan: Path, small_disk: Path
) -> None:
    target = small_disk / "plan.csv"
    target.write_bytes(b"the old export\n")
    fill(small_disk)
    result = sane(run("export", "--plan", plan, "--output", target))
    refused(result, "No space left on device; nothing was written", "free some space")
    assert target.read_bytes() == b"the old export\n"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "plan.csv"]


@pytest.mark.parametrize(
    "command",
    [
        ["update", "A5", "--rag", "green", "--text", "Full disk test."],
        ["measure", "A1", "2", "--period", "2022-02", "--value", "43"],
    ],
    ids=lambda c: c[0],
)
def test_writes_to_a_plan_on_a_full_disk_change_nothing(
    run, small_disk: Path, command: list[str]
) -> None:
    plan = small_disk / "plan"
    shutil.copytree(SHIPPED_PLAN, plan, ignore=shutil.ignore_patterns("narrative"))
    opened = run("review", "open", "Update April 2022", "--id", "2022-04", "--plan", plan)
    assert opened.code == 0, opened.err
    before = tree(plan)
    fill(small_disk)
    refused(sane(run(*command, "--plan", plan)), "No space left on device; nothing was written")
    assert tree(plan) == before


def test_a_huge_text_file_is_refused_before_it_reaches_the_plan(run, plan: Path) -> None:
    text = plan.parent.parent / "long.txt"
    text.write_text("word " * 300_000, encoding="utf-8")  # 1.5 MB
    result = untouched(run, plan, "update", "A5", "--text-file", text, "--plan", plan)
    refused(result, "is over 1 MB, more than an update can hold")


def test_an_edit_that_would_pass_the_size_cap_is_refused(run, plan: Path) -> None:
    text = plan.parent.parent / "text.txt"
    text.write_text("word " * 4_000, encoding="utf-8")  # 20 KB, fine for an update
    env = {"DATRACKER_MAX_FILE_MB": "0.02"}  # but the file would pass 20 KB
    sane(run("review", "open", "Update April 2022", "--id", "2022-04", "--plan", plan))
    result = untouched(run, plan, "update", "A5", "--text-file", text, "--plan", plan, env=env)
    refused(result, f"{A_FILE} would become too large (the file is", "over the limit of 20 KB)")


# --- spreadsheets, both ways ---------------------------------------------------------------

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', "+1+1", "-2", "@SUM(1)"]


def formula_plan(plan: Path) -> None:
    for number, formula in enumerate(FORMULAS, start=1):
        quoted = json.dumps(formula)
        if number == 1:
            edit(plan, A_FILE, "title: Promote healthy relationships", f"title: {quoted}")
        else:
            edit(plan, A_FILE, f"  - id: A{number}\n", f"  - id: A{number}\n    note: {quoted}\n")


def test_csv_export_neutralises_formulas_and_import_restores_them(run, plan: Path) -> None:
    formula_plan(plan)
    result = sane(run("export", "--plan", plan))
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[1][1] == "'" + FORMULAS[0]
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    source = plan.parent / "plan.csv"
    source.write_text(result.out, encoding="utf-8")
    imported = plan.parent / "imported"
    sane(run("import", source, "--output", imported))
    back = json.loads(sane(run("export", "--plan", imported, "-f", "json")).out)
    assert back[0]["priority_title"] == FORMULAS[0]


def test_xlsx_export_writes_formulas_as_text(run, plan: Path) -> None:
    formula_plan(plan)
    out = plan.parent / "plan.xlsx"
    sane(run("export", "--plan", plan, "-f", "xlsx", "-o", out))
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert sheet["B2"].value == FORMULAS[0] and sheet["B2"].data_type == "s"
    with zipfile.ZipFile(out) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")  # no formula anywhere


def test_xlsx_formula_cells_on_import_are_reported_not_dropped(run, tmp_path: Path) -> None:
    source = tmp_path / "plan.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Priority A: Healthy relationships"])
    sheet.append(["ID", "Objective", "Action", "By whom", "RAG"])
    sheet.append(["A1", '=HYPERLINK("http://evil.example","click")', "Train staff", "Amy", "RED"])
    workbook.save(source)
    result = sane(run("import", source, "--output", tmp_path / "out"))
    assert result.code == 0, result.err
    assert "sheet Sheet, cell B3: holds a formula, imported as its text" in result.out
    plan_text = (tmp_path / "out" / "priorities").glob("*.yaml")
    assert any("HYPERLINK" in p.read_text(encoding="utf-8") for p in plan_text)


def test_xlsx_export_refuses_a_text_longer_than_a_cell(run, plan: Path) -> None:
    text = plan.parent.parent / "long.txt"
    text.write_text("x" * 40_000, encoding="utf-8")
    sane(run("review", "open", "Update April 2022", "--id", "2022-04", "--plan", plan))
    recorded = run("update", "A5", "--text-file", text, "--date", "2022-04-20", "--plan", plan)
    assert recorded.code == 0, recorded.err
    out = plan.parent / "plan.xlsx"
    result = untouched(run, plan, "export", "--plan", plan, "-f", "xlsx", "-o", out)
    refused(result, "A5: the update is 40,000 characters, more than the 32,767")
    assert not out.exists()
    assert len(sane(run("export", "--plan", plan)).out) > 40_000  # CSV holds it whole


def office_file(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def exported_xlsx(run, plan: Path) -> dict[str, bytes]:
    out = plan.parent / "clean.xlsx"
    sane(run("export", "--plan", plan, "-f", "xlsx", "-o", out))
    with zipfile.ZipFile(out) as package:
        return {name: package.read(name) for name in package.namelist()}


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
)


def with_dtd(xml: bytes) -> bytes:
    """The part with a DTD declaring entities before its root element."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return LAUGHS + body


def test_xlsx_with_an_entity_declaration_is_refused(run, plan: Path) -> None:
    parts = exported_xlsx(run, plan)
    parts["xl/worksheets/sheet1.xml"] = with_dtd(parts["xl/worksheets/sheet1.xml"])
    source = office_file(plan.parent / "laughs.xlsx", parts)
    result = sane(run("import", source, "--output", plan.parent / "out"))
    refused(result, "xl/worksheets/sheet1.xml declares XML entities (a DTD)")
    assert not (plan.parent / "out").exists()


def test_xlsx_with_an_undeclared_entity_is_refused(run, plan: Path) -> None:
    parts = exported_xlsx(run, plan)
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>",
        b"<row r='99'><c r='A99' t='inlineStr'><is><t>&xxe;</t></is></c></row></sheetData>",
    )
    source = office_file(plan.parent / "entity.xlsx", parts)
    refused(sane(run("import", source, "--output", plan.parent / "out")), "corrupt")


def test_xml_part_with_another_name_is_checked_too(run, plan: Path) -> None:
    parts = exported_xlsx(run, plan)
    parts["xl/other.bin"] = LAUGHS + b"<x/>"
    source = office_file(plan.parent / "hidden.xlsx", parts)
    refused(sane(run("import", source, "--output", plan.parent / "out")), "xl/other.bin declares")


def test_docx_with_an_entity_declaration_is_refused(run, plan: Path, tmp_path: Path) -> None:
    import docx

    clean = tmp_path / "clean.docx"
    document = docx.Document()
    document.add_paragraph("Priority A: Healthy relationships")
    document.save(str(clean))
    with zipfile.ZipFile(clean) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document.xml"] = with_dtd(parts["word/document.xml"])
    source = office_file(tmp_path / "laughs.docx", parts)
    refused(sane(run("import", source, "--output", tmp_path / "out")), "declares XML entities")


def test_zip_bomb_is_refused_by_its_unpacked_size(run, tmp_path: Path) -> None:
    parts = {"word/document.xml": b"<w/>" + b" " * (3 * 2**20)}  # 3 MB of spaces: ~3 KB zipped
    source = office_file(tmp_path / "bomb.docx", parts)
    assert source.stat().st_size < 50_000
    env = {"DATRACKER_MAX_IMPORT_MB": "1"}
    result = sane(run("import", source, "--output", tmp_path / "out", env=env))
    refused(result, "it unpacks to 3.0 MB, over the import limit of 1.0 MB")


def test_too_many_rows_are_refused_with_the_limit(run, tmp_path: Path) -> None:
    source = tmp_path / "rows.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for number in range(300):
        sheet.append([f"A{number}", "text"])
    workbook.save(source)
    env = {"DATRACKER_MAX_IMPORT_ROWS": "200"}
    result = sane(run("import", source, "--output", tmp_path / "out", env=env))
    refused(result, "more than 200 rows, the import limit")


def test_csv_rows_are_capped_too(run, tmp_path: Path) -> None:
    source = tmp_path / "rows.csv"
    source.write_text("ID,Action\n" + "A1,x\n" * 300, encoding="utf-8")
    env = {"DATRACKER_MAX_IMPORT_ROWS": "200"}
    refused(sane(run("import", source, "-o", tmp_path / "out", env=env)), "more than 200 rows")


def test_a_csv_cell_over_the_field_limit_is_refused_with_the_limit(run, tmp_path: Path) -> None:
    source = tmp_path / "big-cell.csv"
    source.write_text('ID,Action\nA1,"' + "x" * 140_000 + '"\n', encoding="utf-8")
    result = sane(run("import", source, "--output", tmp_path / "out"))
    refused(result, "longer than 131,072 characters")


def test_a_csv_over_the_size_cap_is_refused_before_reading(run, tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    with open(source, "wb") as sparse:
        sparse.truncate(3 * 2**20)
    env = {"DATRACKER_MAX_IMPORT_MB": "1"}
    refused(sane(run("import", source, "-o", tmp_path / "out", env=env)), "over the import limit")


def test_a_csv_with_nul_bytes_does_not_crash(run, tmp_path: Path) -> None:
    source = tmp_path / "nul.csv"
    source.write_bytes(b"ID,Action\nA1,x\x00y\n")
    sane(run("import", source, "--output", tmp_path / "out"))


@pytest.mark.parametrize("kind", ["link", "file"])
def test_import_force_refuses_priorities_that_is_not_a_folder(
    run, plan: Path, tmp_path: Path, kind: str
) -> None:
    source = tmp_path / "plan.csv"
    source.write_text(sane(run("export", "--plan", plan)).out, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.yaml").write_text("old\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.yaml").write_text("keep\n", encoding="utf-8")
    if kind == "link":
        (out / "priorities").symlink_to(elsewhere)
    else:
        (out / "priorities").write_text("a file\n", encoding="utf-8")
    before, kept = tree(out), tree(elsewhere)
    result = sane(run("import", source, "--output", out, "--force"))
    refused(result, f"priorities is a {kind}, not a folder, so --force will not replace it")
    assert tree(out) == before and tree(elsewhere) == kept


def test_import_report_to_a_folder_is_refused_before_importing(run, plan: Path) -> None:
    source = plan.parent / "plan.csv"
    source.write_text(sane(run("export", "--plan", plan)).out, encoding="utf-8")
    out = plan.parent / "imported"
    result = sane(run("import", source, "-o", out, "--report", plan.parent))
    refused(result, "it is a folder")
    assert not out.exists()


# --- templates -----------------------------------------------------------------------------

TEMPLATES = {
    "self-include.md.j2": "includes or calls itself without end",
    "macro-recursion.md.j2": "includes or calls itself without end",
    "huge-range.md.j2": "range() of 100,000,000 numbers; a template may use 100,000",
    "nested-range.md.j2": "reach 1,099,989 numbers in all; a template may use 1,000,000",
    "mutate-list.md.j2": "access to attribute 'clear' of 'list' object is unsafe",
    "mutate-append.md.j2": "access to attribute 'append' of 'list' object is unsafe",
    "repeat-text.md.j2": "repeating a text or list 1,000,000,000 times",
    "huge-power.md.j2": "a power of 100000000",
    "slow-loop.md.j2": "ran for more than 2 seconds and was stopped",
    "reach-python.md.j2": "not allowed in a template",
}


@pytest.mark.parametrize("name", TEMPLATES)
def test_hostile_templates_are_refused_with_name_and_line(run, plan: Path, name: str) -> None:
    folder = plan.parent / "templates" / "markdown"
    folder.mkdir(parents=True)
    shutil.copy(CORPUS / "templates" / name, folder / "refresh.md.j2")
    out = plan.parent / "out"
    env = {"DATRACKER_TEMPLATE_SECONDS": "2"}
    result = sane(run("render", "--plan", plan, "--output", out, env=env))
    refused(result, "templates/markdown/refresh.md.j2, line ", TEMPLATES[name])
    assert not out.exists() or not any(out.iterdir())


def test_a_template_cannot_change_what_the_word_document_shows(run, plan: Path) -> None:
    """The view is read-only to templates: a template that tries to empty it stops the
    render, and no Word document with the priorities missing is written."""
    folder = plan.parent / "templates" / "markdown"
    folder.mkdir(parents=True)
    (folder / "priorities.md.j2").write_text(
        "{% for p in doc.priorities %}{{ p.rows.pop() }}{% endfor %}", encoding="utf-8"
    )
    out = plan.parent / "out"
    result = sane(run("render", "--plan", plan, "--output", out))
    refused(result, "priorities.md.j2, line 1", "unsafe")
    assert not out.exists() or not any(out.iterdir())
