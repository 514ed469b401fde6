"""Time datracker's commands as whole processes against floors measured in the same run.

A plan of 10,000 actions is about 15 MB of YAML; what a user waits for is the whole process:
interpreter start, imports, parsing, checking, printing. So each benchmark runs the real
`datracker` executable with `subprocess.run`, and its median is compared with a floor, a
process doing only the unavoidable part of the same work (start Python, import the libraries,
parse the same files with libyaml). Floors are timed alongside the subjects, interleaved run by
run, so a slow or busy machine slows both and the ratio still means something.

Usage: python benchmarks/run.py [--quick] [--sizes 100 1000] [--runs 5] [--check]
                                [--write-results]

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
from collections.abc import Callable, Sequence
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
# Render is judged against `validate` on the same plan (loading is the cost both pay). Word's
# budget is absolute (under 3 s at 1,000 actions), so its ratio is reported, not judged.
FLOOR_VALIDATE = "datracker validate (floor)"


@dataclass(frozen=True)
class Floor:
    """A process doing only work no implementation of a command can avoid."""

    name: str
    command: Command


FLOORS = (
    Floor(FLOOR_PYTHON, lambda plan: [PYTHON, "-c", "pass"]),
    Floor(FLOOR_IMPORTS, lambda plan: [PYTHON, "-c", "import pydantic, yaml"]),
    Floor(FLOOR_TYPER, lambda plan: [PYTHON, "-c", "import typer"]),
    Floor(FLOOR_LOAD, lambda plan: [PYTHON, "-c", LOAD_SCRIPT, str(plan)]),
    Floor(FLOOR_VALIDATE, lambda plan: validate_command(plan)),
)


# --- benchmarks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """One datracker command, the floor it is judged against, and its budget.

    `budget` is the largest acceptable ratio of the command's median to the floor's; None
    reports the ratio without judging it. Small plans are dominated by start-up, which the
    import floor judges better than the load floor, hence `budget_from`.
    """

    name: str
    command: Command
    floor: str
    budget: float | None
    plans: PlanKind = "generated"
    budget_from: int = 0  # the budget applies to plans of at least this many actions
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


def render_md_command(plan: Path) -> list[str]:
    out = WORK_DIR / "render-out" / plan.name
    out.parent.mkdir(parents=True, exist_ok=True)
    return [DATRACKER, "render", "--plan", str(plan), "--format", "md", "--output", str(out)]


def render_docx_command(plan: Path) -> list[str]:
    out = WORK_DIR / "render-out" / plan.name
    out.parent.mkdir(parents=True, exist_ok=True)
    return [DATRACKER, "render", "--plan", str(plan), "--format", "docx", "--output", str(out)]


BENCHMARKS: list[Benchmark] = [
    Benchmark(VALIDATE, validate_command, FLOOR_LOAD, 1.5, budget_from=1_000),
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
    Benchmark(
        "datracker status --format json", status_json_command, FLOOR_LOAD, 1.5, budget_from=1_000
    ),
    Benchmark(
        "datracker render --format md",
        render_md_command,
        FLOOR_VALIDATE,
        1.3,
        budget_from=10_000,
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
    Benchmark("datracker validate", validate_command, FLOOR_IMPORTS, 3.0, plans="shipped"),
    Benchmark(
        "datracker status --format json", status_json_command, FLOOR_IMPORTS, 3.0, plans="shipped"
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
    """One command on one plan, and what happened when it ran."""

    name: str
    argv: list[str]
    ok_codes: tuple[int, ...]
    seconds: list[float] = field(default_factory=list)
    error: str | None = None
    prepare: Callable[[], None] | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds and not self.error else None


def time_once(argv: Sequence[str]) -> tuple[float, int]:
    """Wall-clock seconds of one whole process; output is discarded so no pipe is timed."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, done.returncode


def warm_up(job: Job, target: Target) -> None:
    """Run once untimed: fills the page cache and .pyc files, and shows what went wrong.

    A subject exiting 1 did its work (validate found errors), so it is still timed, but a
    generated plan should be clean, so say so once rather than on every run.
    """
    try:
        if job.prepare:
            job.prepare()
        done = subprocess.run(job.argv, capture_output=True, text=True, check=False)
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


def first_lines(done: subprocess.CompletedProcess[str]) -> str:
    lines = (done.stdout + done.stderr).splitlines()[:OUTPUT_LINES]
    return "\n".join(f"    {line}" for line in lines) or "    (no output)"


def jobs_for(target: Target, benchmarks: Sequence[Benchmark]) -> list[Job]:
    """Every floor and benchmark for one plan; names key the results, so they must differ."""
    floors = [Job(f.name, f.command(target.path), FLOOR_EXIT_CODES) for f in FLOORS]
    subjects = [
        Job(
            b.name,
            b.command(target.path),
            SUBJECT_EXIT_CODES,
            prepare=functools.partial(b.prepare, target.path) if b.prepare else None,
        )
        for b in benchmarks
    ]
    names = [job.name for job in floors + subjects]
    if len(set(names)) != len(names):
        raise ValueError(f"benchmark names must be unique per plan kind: {names}")
    return floors + subjects


def measure(target: Target, benchmarks: Sequence[Benchmark], runs: int) -> dict[str, Job]:
    """Interleave the jobs run by run, so drift in machine load hits floors and subjects alike."""
    jobs = jobs_for(target, benchmarks)
    for job in jobs:
        warm_up(job, target)
    for run in range(1, runs + 1):
        status_line(f"{target.label}: run {run}/{runs}")
        for job in jobs:
            if job.error:
                continue
            if job.prepare:
                job.prepare()  # untimed
            seconds, code = time_once(job.argv)
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

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor_median:
            return None
        return self.median / self.floor_median

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.max_seconds is not None and self.median is not None:
            return "PASS" if self.median < self.max_seconds else "MISS"
        if self.budget is None or self.ratio is None:
            return ""
        return "PASS" if self.ratio <= self.budget else "MISS"


def rows_for(target: Target, benchmarks: Sequence[Benchmark], jobs: dict[str, Job]) -> list[Row]:
    rows = [
        Row(target.label, f.name, jobs[f.name].median, error=jobs[f.name].error) for f in FLOORS
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
        f"≤ {row.budget:g}×"
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
command's median over its floor's, both measured in the same run. See benchmarks/README.md.

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
    rows: list[Row] = []
    for target in targets(args):
        benchmarks = [
            b
            for b in BENCHMARKS
            if b.plans == target.kind and (b.up_to is None or target.actions <= b.up_to)
        ]
        rows += rows_for(target, benchmarks, measure(target, benchmarks, args.runs))
    print(table(rows))
    if args.write_results:
        when = dt.datetime.now(dt.UTC).astimezone()
        RESULTS_FILE.write_text(results_markdown(rows, args, when), encoding="utf-8")
        progress(f"wrote {RESULTS_FILE}")
    missed = [row for row in rows if row.verdict in ("MISS", "ERROR")]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
