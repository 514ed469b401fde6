"""Time datracker's commands as whole processes against floors measured in the same run.

A plan of 10,000 actions is about 15 MB of YAML; what a user waits for is the whole process:
interpreter start, imports, parsing, checking, printing. So each benchmark runs the real
`datracker` executable with `subprocess.run`, and its median is compared with a floor, a
process doing only the unavoidable part of the same work (start Python, import the libraries,
parse the same files with libyaml). Floors are timed alongside the subjects, interleaved run by
run, so a slow or busy machine slows both and the ratio still means something.

Usage: python benchmarks/run.py [--quick] [--sizes 100 1000] [--runs 5] [--check]
                                [--write-results] [--no-peer]

Beside the floors, a peer a user could pick instead is timed on the same files:
check-jsonschema validating them against our exported JSON Schemas, installed into its own
virtual environment under benchmarks/.work/ (never a dependency of datracker).

Benchmarks report; they do not fail CI. Only `--check` turns a missed budget into exit 1.
To add a benchmark (update, render, diff, history), write a command function and add a
`Benchmark` to BENCHMARKS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Literal

from generate import GENERATOR_VERSION, generate_plan

REPO = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO / "benchmarks"
WORK_DIR = BENCH_DIR / ".work"
SHIPPED_PLAN = REPO / "plan"
RESULTS_FILE = BENCH_DIR / "RESULTS.md"
FRESH_CLONE_MARKER = "<!-- make run from a fresh clone: benchmarks/fresh_clone.py -->"

PYTHON = sys.executable
# Next to the interpreter running this script, i.e. the project's .venv, not whatever is on PATH.
DATRACKER = str(Path(sys.executable).parent / "datracker")

DEFAULT_SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (100, 1_000)
DEFAULT_RUNS = 5
DEFAULT_SEED = 0
OUTPUT_LINES = 12  # lines of output shown when a command fails or reports errors

PlanKind = Literal["generated", "shipped"]
Command = Callable[[Path], list[str]]
# Processes run one after another and timed together as one job.
Commands = Callable[[Path], list[list[str]]]


# --- floors -------------------------------------------------------------------------------

# Loads the plan's files the way the format defines them (plan.yaml, priorities/*.yaml) with
# the C loader: the least any YAML-based reader of this plan could do.
LOAD_SCRIPT = """\
import sys
from pathlib import Path
import yaml
plan = Path(sys.argv[1])
for path in [plan / "plan.yaml", *sorted((plan / "priorities").glob("*.yaml"))]:
    with path.open(encoding="utf-8") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""

FLOOR_PYTHON = "python -c pass"
FLOOR_IMPORTS = "import pydantic, yaml"
FLOOR_TYPER = "import typer"
FLOOR_LOAD = "load YAML (C loader)"
# Issue 19: a 100-action plan is judged against starting Python, importing the libraries every
# plan-reading command must import (Typer for the command line, pydantic for the model, PyYAML)
# and parsing the files with the C loader: start-up and parsing cost about the same there, so a
# floor with only one of them judged it unfairly.
FLOOR_STARTUP_LOAD = "import typer, pydantic, yaml + load YAML"
# Render is judged against `validate` on the same plan (loading is the cost both pay). Word's
# budget is absolute (under 3 s at 1,000 actions), so its ratio is reported, not judged.
FLOOR_VALIDATE = "datracker validate (floor)"
FLOOR_PEER = "check-jsonschema (peer)"


# --- the peer -----------------------------------------------------------------------------

# check-jsonschema is what a user could run instead of `datracker validate`: our exported
# schemas and a generic validator. It gets its own environment, so it never becomes one of
# datracker's dependencies and its libraries never change what datracker imports. ruamel.yaml
# 0.19 no longer pulls in its C parser (its `libyaml` extra installs ruamel.yaml.clibz, which
# 0.19.1's YAML() does not load); without it the peer parses in pure Python, about three times
# slower, and beating that would prove little, so ruamel.yaml.clib is installed too.
SCHEMA_DIR = REPO / "schema"
PEER_VENV = WORK_DIR / "peer-venv"
PEER_STAMP = WORK_DIR / "peer-venv.stamp"
PEER_PYTHON = PEER_VENV / "bin" / "python"
PEER_PACKAGE = "check-jsonschema"
PEER_C_PARSER = "ruamel.yaml.clib"
PEER_INSTALL_TIMEOUT = 600  # seconds for each pip run; offline, pip gives up well before
PEER_VERSIONS = ("check-jsonschema", "jsonschema", "ruamel.yaml", "ruamel.yaml.clib")

# The peer's console script, `from check_jsonschema import main`, behind an audit hook that
# ends the process on any attempt to reach the network: only local validation may be timed.
# os._exit cannot be caught by a fallback in the peer, so an attempt shows as a failed run.
PEER_SCRIPT = """\
import os
import sys

NETWORK_EVENTS = {
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
    "socket.gethostbyname_ex", "socket.gethostbyaddr", "urllib.Request",
}

def refuse_network(event, args):
    if event in NETWORK_EVENTS:
        os.write(2, f"check-jsonschema reached for the network: {event} {args!r}\\n".encode())
        os._exit(3)

sys.addaudithook(refuse_network)
from check_jsonschema import main
sys.argv[0] = "check-jsonschema"
sys.exit(main())
"""


def peer_commands(plan: Path) -> list[list[str]]:
    """One process per schema, as a user would run it: check-jsonschema takes one schema."""
    peer = [str(PEER_PYTHON), "-c", PEER_SCRIPT, "--schemafile"]
    priorities = [str(path) for path in sorted((plan / "priorities").glob("*.yaml"))]
    return [
        [*peer, str(SCHEMA_DIR / "plan.schema.json"), str(plan / "plan.yaml")],
        [*peer, str(SCHEMA_DIR / "priority.schema.json"), *priorities],
    ]


def install_peer() -> str | None:
    """Make the peer's environment, or reuse it; return why the peer is unavailable, if it is.

    The stamp is written last, so an interrupted install is never reused. Failing to install
    (no network, say) is not an error of the benchmarks: the peer's rows say unavailable.
    """
    wanted = f"python={sys.version} package={PEER_PACKAGE} c-parser={PEER_C_PARSER}\n"
    if not PEER_STAMP.exists() or PEER_STAMP.read_text(encoding="utf-8") != wanted:
        PEER_STAMP.unlink(missing_ok=True)
        if PEER_VENV.exists():
            shutil.rmtree(PEER_VENV)
        progress(f"installing {PEER_PACKAGE} into {PEER_VENV} (once; reused while present)")
        failure = create_peer_venv()
        if failure:
            progress(f"warning: {PEER_PACKAGE} cannot be installed, so it is not timed:\n{failure}")
            return "not installed"
        failure = pip_install(PEER_C_PARSER)
        if failure:
            progress(f"warning: {PEER_C_PARSER} cannot be installed:\n{failure}")
        PEER_STAMP.write_text(wanted, encoding="utf-8")
    if not peer_has_c_parser():
        progress(f"warning: {PEER_C_PARSER} is missing; the peer parses YAML in pure Python")
    return None


def create_peer_venv() -> str | None:
    """The venv with check-jsonschema in it; None on success, else what went wrong."""
    return run_step([PYTHON, "-m", "venv", str(PEER_VENV)]) or pip_install(PEER_PACKAGE)


def pip_install(package: str) -> str | None:
    """Installed with the peer's own pip, so nothing lands in datracker's environment."""
    pip = [str(PEER_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    return run_step([*pip, package])


def run_step(argv: list[str]) -> str | None:
    """None on success, else the end of the output, where pip puts its reason."""
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, check=False, timeout=PEER_INSTALL_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"    {error}"
    return first_lines(done, last=True) if done.returncode != 0 else None


def peer_has_c_parser() -> bool:
    """ruamel.yaml uses libyaml only if this module imports; nothing says so otherwise."""
    probe = [str(PEER_PYTHON), "-c", "import _ruamel_yaml"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def peer_versions() -> str:
    """The peer's own packages, for RESULTS.md: its speed depends on them, not on ours."""
    if not PEER_PYTHON.exists():
        return "not installed"
    script = (
        "from importlib import metadata\n"
        f"for name in {PEER_VERSIONS!r}:\n"
        "    try: print(name, metadata.version(name))\n"
        "    except metadata.PackageNotFoundError: print(name, 'not installed')\n"
    )
    done = subprocess.run(
        [str(PEER_PYTHON), "-c", script], capture_output=True, text=True, check=False
    )
    return ", ".join(done.stdout.splitlines()) or "unknown"


# Floors and the peer, in the order each run goes through them.


@dataclass(frozen=True)
class Floor:
    """A process doing only work no implementation of a command can avoid, or a peer's run."""

    name: str
    commands: Commands


FLOORS = (
    Floor(FLOOR_PYTHON, lambda plan: [[PYTHON, "-c", "pass"]]),
    Floor(FLOOR_IMPORTS, lambda plan: [[PYTHON, "-c", "import pydantic, yaml"]]),
    Floor(FLOOR_TYPER, lambda plan: [[PYTHON, "-c", "import typer"]]),
    Floor(FLOOR_LOAD, lambda plan: [[PYTHON, "-c", LOAD_SCRIPT, str(plan)]]),
    Floor(
        FLOOR_STARTUP_LOAD,
        lambda plan: [[PYTHON, "-c", "import typer, pydantic\n" + LOAD_SCRIPT, str(plan)]],
    ),
    Floor(FLOOR_VALIDATE, lambda plan: [validate_command(plan)]),
    Floor(FLOOR_PEER, peer_commands),
)


# --- benchmarks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """One datracker command, the floor it is judged against, and its budget.

    `budget` is the largest acceptable ratio of the command's median to the floor's; None
    reports the ratio without judging it. Small plans are dominated by start-up, which the
    import floor judges better than the load floor, hence `budget_from`. A command judged
    against several floors has one entry per floor, with the same name and command: it runs
    once per run and each entry adds a row.
    """

    name: str
    command: Command
    floor: str
    budget: float | None
    plans: PlanKind = "generated"
    budget_from: int = 0  # the budget applies to plans of at least this many actions
    strictly_under: bool = False  # the ratio must be under the budget, not merely reach it
    max_seconds: float | None = None  # an absolute budget on the median ...
    max_seconds_up_to: int = 0  # ... for plans of at most this many actions
    # Commands that write: copy the pristine plan afresh before each run (untimed), so every
    # run does the same work and the cached plan is never changed.
    prepare: Callable[[Path], None] | None = None
    up_to: int | None = None  # skip plans larger than this (no budget is defined for them)


def validate_command(plan: Path) -> list[str]:
    return [DATRACKER, "validate", "--plan", str(plan)]


def status_json_command(plan: Path) -> list[str]:
    return [DATRACKER, "status", "--plan", str(plan), "--format", "json"]


UPDATE_ACTION = "P1A1"  # in every generated plan; it already has an update for the open review


def _writable_copy(plan: Path) -> Path:
    return WORK_DIR / f"{plan.name}-update-copy"


def update_command(plan: Path) -> list[str]:
    copy = _writable_copy(plan)
    text = "Benchmark update: the text differs from the generated one, so the file is written."
    return [
        DATRACKER,
        "update",
        UPDATE_ACTION,
        "--plan",
        str(copy),
        "--rag",
        "amber",
        "--text",
        text,
    ]


def fresh_copy(plan: Path) -> None:
    copy = _writable_copy(plan)
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(plan, copy)


UPDATE = "datracker update"
VALIDATE = "datracker validate"
STATUS_JSON = "datracker status --format json"


def render_md_command(plan: Path) -> list[str]:
    out = WORK_DIR / "render-out" / plan.name
    out.parent.mkdir(parents=True, exist_ok=True)
    return [DATRACKER, "render", "--plan", str(plan), "--format", "md", "--output", str(out)]


def first_render_dir(plan: Path) -> Path:
    return WORK_DIR / "first-render-out" / plan.name


def first_render_md_command(plan: Path) -> list[str]:
    out = first_render_dir(plan)
    return [DATRACKER, "render", "--plan", str(plan), "--format", "md", "--output", str(out)]


def empty_first_render_dir(plan: Path) -> None:
    """Untimed: an output folder that does not exist yet, as on a fresh clone or in CI."""
    out = first_render_dir(plan)
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)


def render_html_command(plan: Path) -> list[str]:
    out = WORK_DIR / "site-out" / plan.name
    out.parent.mkdir(parents=True, exist_ok=True)
    return [DATRACKER, "render", "--plan", str(plan), "--format", "html", "--output", str(out)]


def render_docx_command(plan: Path) -> list[str]:
    out = WORK_DIR / "render-out" / plan.name
    out.parent.mkdir(parents=True, exist_ok=True)
    return [DATRACKER, "render", "--plan", str(plan), "--format", "docx", "--output", str(out)]


BENCHMARKS: list[Benchmark] = [
    Benchmark(VALIDATE, validate_command, FLOOR_LOAD, 1.5, budget_from=1_000),
    # issue 8: faster than check-jsonschema validating the same files, at every size
    Benchmark(VALIDATE, validate_command, FLOOR_PEER, 1.0, strictly_under=True),
    # issue 3: under 0.5 s on 1,000 actions, within 1.3x of validate on 10,000
    Benchmark(
        UPDATE,
        update_command,
        VALIDATE,
        1.3,
        budget_from=10_000,
        max_seconds=0.5,
        max_seconds_up_to=1_000,
        prepare=fresh_copy,
    ),  # fmt: skip
    Benchmark(STATUS_JSON, status_json_command, FLOOR_LOAD, 1.5, budget_from=1_000),
    # issue 19 (re-basing issue 8's small-plan budget): within 2x of start-up plus parsing
    Benchmark(VALIDATE, validate_command, FLOOR_STARTUP_LOAD, 2.0, up_to=100),
    Benchmark(STATUS_JSON, status_json_command, FLOOR_STARTUP_LOAD, 2.0, up_to=100),
    Benchmark(STATUS_JSON, status_json_command, FLOOR_PEER, 1.0, strictly_under=True),
    Benchmark(
        "datracker render --format md",
        render_md_command,
        FLOOR_VALIDATE,
        1.3,
        budget_from=10_000,
    ),
    # Re-rendering (above) leaves unchanged chart files alone; a first render writes them all.
    # Reported, not judged: issue 5's budget does not say which, and re-rendering into the
    # same folder is what a strategy lead does review after review.
    Benchmark(
        "datracker render --format md, first render",
        first_render_md_command,
        FLOOR_VALIDATE,
        None,
        prepare=empty_first_render_dir,
    ),
    # issue 20: the progress site within 1.5x the Markdown render of the same plan, same run
    # (re-rendering into the same folder, as the Markdown row does); not run on 10,000 actions,
    # for which no budget is set (10,000 pages)
    Benchmark(
        "datracker render --format html",
        render_html_command,
        "datracker render --format md",
        1.5,
        budget_from=1_000,
        up_to=1_000,
    ),
    # issue 5: Word for 1,000 actions under 3 s; no budget is set for 10,000
    Benchmark(
        "datracker render --format docx",
        render_docx_command,
        FLOOR_VALIDATE,
        None,
        max_seconds=3.0,
        max_seconds_up_to=1_000,
        up_to=1_000,
    ),
    # issue 8: cold start within 1.5x of importing typer
    Benchmark(
        "datracker --help", lambda plan: [DATRACKER, "--help"], FLOOR_TYPER, 1.5, plans="shipped"
    ),
    Benchmark(VALIDATE, validate_command, FLOOR_IMPORTS, 3.0, plans="shipped"),
    Benchmark(VALIDATE, validate_command, FLOOR_PEER, 1.0, plans="shipped", strictly_under=True),
    Benchmark(STATUS_JSON, status_json_command, FLOOR_IMPORTS, 3.0, plans="shipped"),
    Benchmark(
        STATUS_JSON, status_json_command, FLOOR_PEER, 1.0, plans="shipped", strictly_under=True
    ),
]

# validate exits 1 when the plan has errors: the run still did all its work, so it counts.
SUBJECT_EXIT_CODES = (0, 1)
FLOOR_EXIT_CODES = (0,)


# --- plans --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A plan to benchmark on."""

    label: str
    path: Path
    actions: int
    kind: PlanKind


def generated_target(actions: int, seed: int, regenerate: bool) -> Target:
    """Generate a plan into benchmarks/.work/, or reuse it if made by this generator version.

    The stamp is written last and outside the plan directory, so an interrupted generation is
    never reused and datracker never sees a file that is not part of the plan.
    """
    path = WORK_DIR / f"plan-{actions}-seed{seed}"
    stamp = WORK_DIR / f"plan-{actions}-seed{seed}.stamp"
    wanted = f"actions={actions} seed={seed} generator={GENERATOR_VERSION}\n"
    if regenerate or not stamp.exists() or stamp.read_text(encoding="utf-8") != wanted:
        stamp.unlink(missing_ok=True)
        if path.exists():
            shutil.rmtree(path)
        start = time.perf_counter()
        generate_plan(path, actions, seed)
        size = sum(p.stat().st_size for p in path.rglob("*.yaml")) / 1e6
        elapsed = time.perf_counter() - start
        progress(f"generated {actions:,} actions in {elapsed:.2f} s ({size:.1f} MB): {path}")
        stamp.write_text(wanted, encoding="utf-8")
    return Target(f"{actions:,}", path, actions, "generated")


def shipped_target() -> Target | None:
    """The plan in the repository, if it is there yet; its size is counted, not assumed."""
    if not (SHIPPED_PLAN / "plan.yaml").exists():
        progress(f"no shipped plan at {SHIPPED_PLAN}; skipping it")
        return None
    actions = count_actions(SHIPPED_PLAN)
    return Target(f"shipped ({actions:,})", SHIPPED_PLAN, actions, "shipped")


def count_actions(plan: Path) -> int:
    """Counted with the base loader, which cannot fail on dates or odd scalars."""
    import yaml

    total = 0
    for path in sorted((plan / "priorities").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CBaseLoader)
        actions = data.get("actions") if isinstance(data, dict) else None
        total += len(actions) if isinstance(actions, list) else 0
    return total


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Job:
    """One command on one plan (or a few processes timed as one), and how its runs went."""

    name: str
    argvs: list[list[str]]
    ok_codes: tuple[int, ...]
    seconds: list[float] = field(default_factory=list)
    error: str | None = None
    prepare: Callable[[], None] | None = None
    unavailable: str | None = None  # why it cannot run at all (the peer is not installed)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds and not self.error else None


def time_once(argvs: Sequence[Sequence[str]]) -> tuple[float, int]:
    """Wall-clock seconds of whole processes run one after another, and the first failing exit
    code (0 if none failed). Output is discarded so no pipe is timed."""
    code = 0
    start = time.perf_counter()
    for argv in argvs:
        done = subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        code = code or done.returncode
    return time.perf_counter() - start, code


def warm_up(job: Job, target: Target) -> None:
    """Run once untimed: fills the page cache and .pyc files, and shows what went wrong.

    A subject exiting 1 did its work (validate found errors), so it is still timed, but a
    generated plan should be clean, so say so once rather than on every run.
    """
    try:
        if job.prepare:
            job.prepare()
        done = run_until_failure(job.argvs)
    except OSError as error:
        job.error = str(error)
        progress(f"{job.name}: cannot run: {error}")
        return
    if done.returncode not in job.ok_codes:
        job.error = f"exit {done.returncode}"
        progress(f"{job.name} on {target.label}: {job.error}\n{first_lines(done)}")
    elif done.returncode != 0:
        progress(
            f"warning: {job.name} exits {done.returncode} on {target.label}; "
            f"timings count, but the plan has errors:\n{first_lines(done)}"
        )


def run_until_failure(argvs: Sequence[Sequence[str]]) -> subprocess.CompletedProcess[str]:
    """The first process that exits non-zero, or the last, so a warning shows the culprit."""
    if not argvs:
        raise ValueError("a job needs at least one process")
    for argv in argvs:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            break
    return done


def first_lines(done: subprocess.CompletedProcess[str], last: bool = False) -> str:
    """The start of the output, or its end where the cause comes last (pip's errors)."""
    lines = (done.stdout + done.stderr).splitlines()
    shown = lines[-OUTPUT_LINES:] if last else lines[:OUTPUT_LINES]
    return "\n".join(f"    {line}" for line in shown) or "    (no output)"


def jobs_for(
    target: Target, benchmarks: Sequence[Benchmark], unavailable: Mapping[str, str]
) -> list[Job]:
    """Every floor and command for one plan, each once; names key the results.

    Entries of one command against different floors share a job, so they must share its
    command line too; a floor and a command may not share a name.
    """
    floors = [
        Job(f.name, f.commands(target.path), FLOOR_EXIT_CODES, unavailable=unavailable.get(f.name))
        for f in FLOORS
    ]
    subjects: dict[str, Job] = {}
    for bench in benchmarks:
        job = Job(
            bench.name,
            [bench.command(target.path)],
            SUBJECT_EXIT_CODES,
            prepare=functools.partial(bench.prepare, target.path) if bench.prepare else None,
        )
        earlier = subjects.setdefault(bench.name, job)
        if earlier.argvs != job.argvs:
            raise ValueError(f"entries named {bench.name!r} must run the same command")
    names = [job.name for job in floors] + list(subjects)
    if len(set(names)) != len(names):
        raise ValueError(f"floor and benchmark names must differ: {names}")
    return floors + list(subjects.values())


def measure(
    target: Target, benchmarks: Sequence[Benchmark], runs: int, unavailable: Mapping[str, str]
) -> dict[str, Job]:
    """Interleave the jobs run by run, so drift in machine load hits floors and subjects alike."""
    jobs = jobs_for(target, benchmarks, unavailable)
    runnable = [job for job in jobs if not job.unavailable]
    for job in runnable:
        warm_up(job, target)
    for run in range(1, runs + 1):
        status_line(f"{target.label}: run {run}/{runs}")
        for job in runnable:
            if job.error:
                continue
            if job.prepare:
                job.prepare()  # untimed
            seconds, code = time_once(job.argvs)
            if code not in job.ok_codes:
                job.error = f"exit {code}"
            job.seconds.append(seconds)
    status_line("")
    return {job.name: job for job in jobs}


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    size: str
    command: str
    median: float | None
    floor: str = ""
    floor_median: float | None = None
    budget: float | None = None
    error: str | None = None
    max_seconds: float | None = None
    strictly_under: bool = False
    unavailable: bool = False  # the command or its floor could not run here (no peer)

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor_median:
            return None
        return self.median / self.floor_median

    @property
    def verdict(self) -> str:
        """PASS, MISS or ERROR; `unavailable` is no verdict, so `--check` does not fail on it."""
        if self.error:
            return "ERROR"
        if self.unavailable:
            return "unavailable"
        if self.max_seconds is not None and self.median is not None:
            return "PASS" if self.median < self.max_seconds else "MISS"
        if self.budget is None or self.ratio is None:
            return ""
        within = self.ratio < self.budget if self.strictly_under else self.ratio <= self.budget
        return "PASS" if within else "MISS"


def rows_for(target: Target, benchmarks: Sequence[Benchmark], jobs: dict[str, Job]) -> list[Row]:
    rows = [
        Row(
            target.label,
            f.name,
            jobs[f.name].median,
            error=jobs[f.name].error,
            unavailable=bool(jobs[f.name].unavailable),
        )
        for f in FLOORS
    ]
    for bench in benchmarks:
        job, floor = jobs[bench.name], jobs[bench.floor]
        judged = target.kind == "shipped" or target.actions >= bench.budget_from
        error = job.error or (f"floor {floor.error}" if floor.error else None)
        budget = bench.budget if judged else None
        absolute = bench.max_seconds if target.actions <= bench.max_seconds_up_to else None
        if target.kind == "shipped":
            absolute = None
        rows.append(
            Row(
                target.label,
                bench.name,
                job.median,
                bench.floor,
                floor.median,
                None if absolute is not None else budget,
                error,
                absolute,
                bench.strictly_under,
                bool(job.unavailable or floor.unavailable),
            )  # fmt: skip
        )
    return rows


HEADERS = ("size", "command", "median s", "floor", "floor s", "ratio", "budget", "result")


def cells(row: Row) -> tuple[str, ...]:
    return (
        row.size,
        row.command,
        seconds(row.median),
        row.floor,
        seconds(row.floor_median),
        f"{row.ratio:.2f}×" if row.ratio is not None else "",
        f"{'<' if row.strictly_under else '≤'} {row.budget:g}×"
        if row.budget is not None
        else f"< {row.max_seconds:g} s"
        if row.max_seconds is not None
        else "",
        row.verdict,
    )


def seconds(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else ""


def table(rows: Sequence[Row]) -> str:
    """A Markdown table padded to line up, so the terminal and RESULTS.md show the same text."""
    body = [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in [HEADERS, *body]) for i in range(len(HEADERS))]
    numeric = {2, 4, 5, 6}

    def line(values: Sequence[str]) -> str:
        padded = [
            v.rjust(w) if i in numeric else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    dashes = ["-" * (w + 1) + ":" if i in numeric else "-" * (w + 2) for i, w in enumerate(widths)]
    rule = "|" + "|".join(dashes) + "|"
    return "\n".join([line(HEADERS), rule, *(line(values) for values in body)])


def compile_bytecode() -> None:
    """Time datracker as pip installs it: with its bytecode compiled ahead.

    An editable install gets no .pyc files from pip, and where PYTHONDONTWRITEBYTECODE is set
    (as on the machine these figures were first taken on) Python never writes them, so every
    run would recompile each module it imports: about 60 ms on `validate`, none of it
    datracker's work. Compiling here measures what a user's installed copy does.
    """
    import compileall

    compileall.compile_dir(REPO / "src", quiet=1)


def machine() -> list[tuple[str, str]]:
    """What a reader needs to compare these figures with their own."""
    details = [
        ("Platform", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("CPU", cpu_model() or platform.processor() or "unknown"),
        ("CPU count (os.cpu_count())", str(os.cpu_count())),
    ]
    if hasattr(os, "sched_getaffinity"):
        details.append(("CPUs usable by this process", str(len(os.sched_getaffinity(0)))))
    for package in ("datracker", "pydantic", "PyYAML"):
        details.append((package, package_version(package)))
    details.append(("Peer (own venv in benchmarks/.work/)", peer_versions()))
    details.append(("Bytecode", "compiled ahead by the harness (see compile_bytecode)"))
    return details


def cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return None


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def results_markdown(rows: Sequence[Row], args: argparse.Namespace, when: dt.datetime) -> str:
    sizes = " ".join(str(size) for size in args.sizes)
    details = "\n".join(f"- {name}: {value}" for name, value in machine())
    return f"""# Benchmark results

Measured {when:%Y-%m-%d %H:%M %Z} with `benchmarks/run.py --sizes {sizes} --runs {args.runs}`
(seed {args.seed}). Figures are medians of whole-process wall-clock seconds; each ratio is the
command's median over its floor's, both measured in the same run. Against check-jsonschema (the
peer), a ratio under 1× means datracker was the faster. See benchmarks/README.md.

{table(rows)}

## Machine

{details}
"""


# --- command line -------------------------------------------------------------------------


def progress(message: str, end: str = "\n") -> None:
    """Progress and warnings go to stderr, so stdout is only the table."""
    print(message, end=end, file=sys.stderr, flush=True)


def status_line(message: str) -> None:
    """A line that overwrites itself on a terminal; in a log it would only be clutter."""
    if sys.stderr.isatty():
        print(f"\r{message:<40}\r", end="", file=sys.stderr, flush=True)


def parse_sizes(values: Sequence[str]) -> list[int]:
    """Accept `--sizes 100 1000` and `--sizes 100,1000`; underscores as in 10_000 are fine."""
    sizes = [int(part) for value in values for part in value.split(",") if part.strip()]
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive numbers of actions")
    return sizes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark datracker against same-run floors.")
    parser.add_argument("--sizes", nargs="+", help="plan sizes in actions (default 100 1000 10000)")
    parser.add_argument("--quick", action="store_true", help="only 100 and 1,000 actions")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="timed runs per command")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument("--regenerate", action="store_true", help="regenerate cached plans")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument("--write-results", action="store_true", help="write benchmarks/RESULTS.md")
    parser.add_argument(
        "--no-peer", action="store_true", help="do not install or time check-jsonschema"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        args.sizes = parse_sizes(args.sizes) if args.sizes else None
    except (ValueError, argparse.ArgumentTypeError) as error:
        parser.error(f"--sizes: {error}")
    args.sizes = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    return args


def targets(args: argparse.Namespace) -> list[Target]:
    found = [generated_target(size, args.seed, args.regenerate) for size in args.sizes]
    shipped = shipped_target()
    return found + ([shipped] if shipped else [])


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(DATRACKER).exists():
        progress(f"warning: {DATRACKER} not found; install the project first (make bench does)")
    compile_bytecode()
    peer_missing = "skipped (--no-peer)" if args.no_peer else install_peer()
    unavailable = {FLOOR_PEER: peer_missing} if peer_missing else {}
    rows: list[Row] = []
    for target in targets(args):
        benchmarks = [
            b
            for b in BENCHMARKS
            if b.plans == target.kind and (b.up_to is None or target.actions <= b.up_to)
        ]
        rows += rows_for(target, benchmarks, measure(target, benchmarks, args.runs, unavailable))
    print(table(rows))
    if args.write_results:
        when = dt.datetime.now(dt.UTC).astimezone()
        # benchmarks/fresh_clone.py keeps its own section at the end: carried over as it is
        previous = RESULTS_FILE.read_text(encoding="utf-8") if RESULTS_FILE.exists() else ""
        kept = (
            previous[previous.find(FRESH_CLONE_MARKER) :] if FRESH_CLONE_MARKER in previous else ""
        )
        text = results_markdown(rows, args, when) + (f"\n{kept}" if kept else "")
        RESULTS_FILE.write_text(text, encoding="utf-8")
        progress(f"wrote {RESULTS_FILE}")
    missed = [row for row in rows if row.verdict in ("MISS", "ERROR")]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
