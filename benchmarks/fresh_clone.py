"""How long `make run` takes on a fresh clone, and where the time goes (issue 13: under 20 s).

For each revision (this branch's HEAD and a baseline), interleaved round by round:
- a fresh `git clone` of this repository at that revision, then each command `make -n run`
  lists (the recipe itself, so the steps timed are the ones make runs), one by one;
- another fresh clone, and the whole `make run` as a user types it.
Wall-clock seconds, medians over the rounds. pip's cache is left as it is: warm on a machine
that has installed these packages before (as this one has), which is the case measured;
a first install ever adds the downloads. The load average before each round is recorded,
because this machine is shared and a loaded machine slows every step.

Usage: python benchmarks/fresh_clone.py [--baseline REV] [--rounds N] [--write-results]
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS_FILE = Path(__file__).resolve().parent / "RESULTS.md"
MARKER = "<!-- make run from a fresh clone: benchmarks/fresh_clone.py -->"


def clone(rev: str, into: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(REPO), str(into)], check=True)
    subprocess.run(["git", "-C", str(into), "checkout", "-q", rev], check=True)
    return into


def recipe(folder: Path) -> list[str]:
    """The commands `make run` would run in a fresh clone, in order."""
    listed = subprocess.run(
        ["make", "-n", "run"], cwd=folder, capture_output=True, text=True, check=True
    )
    return [line for line in listed.stdout.splitlines() if line.strip()]


@dataclass(frozen=True)
class Timing:
    wall: float  # what the user waits
    cpu: float  # user + system seconds of the processes: what the work costs on an idle machine


def timed(command: list[str] | str, cwd: Path) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, shell=isinstance(command, str), capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"failed in {cwd}: {command}\n{result.stdout}\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(elapsed, cpu)


def step_name(command: str) -> str:
    """The command without the folders of the programs it names, and without pip's
    --quiet --disable-pip-version-check, which change nothing timed."""
    quiet = ("--quiet", "--disable-pip-version-check")
    words = [Path(w).name if w.startswith("/") else w for w in shlex.split(command)]
    return " ".join(w for w in words if w not in quiet)


def one_round(rev: str, work: Path, label: str) -> dict[str, Timing]:
    times: dict[str, Timing] = {}
    steps = clone(rev, work / f"{label}-steps")
    for command in recipe(steps):
        times[step_name(command)] = timed(command, steps)
    all_wall = sum(t.wall for t in times.values())
    times["all steps"] = Timing(all_wall, sum(t.cpu for t in times.values()))
    whole = clone(rev, work / f"{label}-make")
    times["make run (whole, fresh clone)"] = timed(["make", "run"], whole)
    assert (whole / "build" / "refresh-2022-01.docx").is_file()
    return times


def table(results: dict[str, list[dict[str, Timing]]]) -> str:
    lines = [
        "| revision | step | wall s (median) | wall s (runs) | CPU s (median) |",
        "|---|---|---:|---|---:|",
    ]
    for rev, rounds in results.items():
        for step in rounds[0]:
            walls = [r[step].wall for r in rounds]
            cpu = statistics.median(r[step].cpu for r in rounds)
            runs = ", ".join(f"{w:.1f}" for w in walls)
            median = statistics.median(walls)
            lines.append(f"| {rev} | `{step}` | {median:.1f} | {runs} | {cpu:.1f} |")
    return "\n".join(lines)


def write_results(section: str) -> None:
    """Replace this script's section of RESULTS.md (from MARKER to the end), or add it."""
    text = RESULTS_FILE.read_text(encoding="utf-8")
    kept = text.split(MARKER)[0].rstrip("\n")
    RESULTS_FILE.write_text(f"{kept}\n\n{MARKER}\n{section}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="ea81008", help="the revision to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    revisions = {f"baseline {args.baseline}": args.baseline, f"HEAD {head}": head}
    results: dict[str, list[dict[str, Timing]]] = {name: [] for name in revisions}
    loads = []
    for round_number in range(args.rounds):
        for name, rev in revisions.items():
            loads.append(os.getloadavg()[0])
            with tempfile.TemporaryDirectory(prefix="fresh-clone-") as work:
                results[name].append(one_round(rev, Path(work), f"r{round_number}"))
            whole = results[name][-1]["make run (whole, fresh clone)"]
            print(f"round {round_number + 1}, {name}: make run {whole}", flush=True)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = (
        f"## `make run` from a fresh clone\n\n"
        f"Measured {when} with `python benchmarks/fresh_clone.py --rounds {args.rounds}` on the "
        f"machine below ({os.cpu_count()} CPUs, shared): each revision's `make run` recipe "
        f"(as `make -n run` lists it) timed command by command in a fresh clone, then the whole "
        f"`make run` in another fresh clone; wall-clock seconds, medians of {args.rounds} "
        f"interleaved rounds; pip's cache warm. CPU s: user + system time of the step's "
        f"processes, what it costs on an idle machine; on a loaded one the wall time grows "
        f"and the CPU time does not. One-minute load average before each round: "
        f"{', '.join(f'{x:.1f}' for x in loads)}.\n\n{table(results)}\n"
    )
    print(section)
    if args.write_results:
        write_results(section)
        print(f"wrote {RESULTS_FILE}")


if __name__ == "__main__":
    main()
