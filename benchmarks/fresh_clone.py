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
import shlex
import statistics
import subprocess
import tempfile
import time
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


def timed(command: list[str] | str, cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, shell=isinstance(command, str), capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed in {cwd}: {command}\n{result.stdout}\n{result.stderr}")
    return elapsed


def step_name(command: str) -> str:
    """The command without the folders of the programs it names, and without pip's
    --quiet --disable-pip-version-check, which change nothing timed."""
    quiet = ("--quiet", "--disable-pip-version-check")
    words = [Path(w).name if w.startswith("/") else w for w in shlex.split(command)]
    return " ".join(w for w in words if w not in quiet)


def one_round(rev: str, work: Path, label: str) -> dict[str, float]:
    times: dict[str, float] = {}
    steps = clone(rev, work / f"{label}-steps")
    for command in recipe(steps):
        times[step_name(command)] = timed(command, steps)
    times["all steps"] = sum(times.values())
    whole = clone(rev, work / f"{label}-make")
    times["make run (whole, fresh clone)"] = timed(["make", "run"], whole)
    assert (whole / "build" / "refresh-2022-01.docx").is_file()
    return times


def table(results: dict[str, list[dict[str, float]]]) -> str:
    lines = ["| revision | step | median s | runs (s) |", "|---|---|---:|---|"]
    for rev, rounds in results.items():
        for step in rounds[0]:
            figures = [r[step] for r in rounds]
            runs = ", ".join(f"{f:.1f}" for f in figures)
            lines.append(f"| {rev} | {step} | {statistics.median(figures):.1f} | {runs} |")
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
    results: dict[str, list[dict[str, float]]] = {name: [] for name in revisions}
    loads = []
    for round_number in range(args.rounds):
        for name, rev in revisions.items():
            loads.append(os.getloadavg()[0])
            with tempfile.TemporaryDirectory(prefix="fresh-clone-") as work:
                results[name].append(one_round(rev, Path(work), f"r{round_number}"))
            print(f"round {round_number + 1}, {name}: {results[name][-1]}", flush=True)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = (
        f"## `make run` from a fresh clone\n\n"
        f"Measured {when} with `python benchmarks/fresh_clone.py --rounds {args.rounds}` on the "
        f"machine below ({os.cpu_count()} CPUs, shared): each revision's `make run` recipe "
        f"(as `make -n run` lists it) timed command by command in a fresh clone, then the whole "
        f"`make run` in another fresh clone; wall-clock seconds, medians of {args.rounds} "
        f"interleaved rounds; pip's cache warm. One-minute load average before each round: "
        f"{', '.join(f'{x:.1f}' for x in loads)}.\n\n{table(results)}\n"
    )
    print(section)
    if args.write_results:
        write_results(section)
        print(f"wrote {RESULTS_FILE}")


if __name__ == "__main__":
    main()
