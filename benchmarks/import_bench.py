"""Time `datracker import` of a 1,000-action Excel plan, beside `validate` of the result.

The input is the generated 1,000-action benchmark plan exported with `datracker export
--format xlsx` (one row per action: priority, id, objective, action, measures, owners, due,
status, RAG, qualifier, note, latest update), the shape a lead's spreadsheet takes. Budget:
under 2 s, whole process, on this machine.

The floor, measured in the same run and interleaved run by run, is `datracker validate` of
the plan the import wrote: reading and checking those same 1,000 actions, with none of the
import's work (opening the workbook, reading headers and cells, writing the YAML). The ratio
says how much an import costs over looking at the plan it makes.

Usage: python benchmarks/import_bench.py [--runs 5] [--actions 1000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from generate import generate_plan
from run import DATRACKER, WORK_DIR, compile_bytecode, time_once

BUDGET_SECONDS = 2.0


def prepare(actions: int) -> tuple[Path, Path]:
    """The exported workbook, and the folder each import writes into."""
    work = WORK_DIR / f"import-{actions}"
    plan, workbook, output = work / "plan", work / "plan.xlsx", work / "imported"
    if not workbook.exists():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        generate_plan(plan, actions)
        export = [DATRACKER, "export", "--plan", str(plan), "--format", "xlsx"]
        subprocess.run([*export, "--output", str(workbook)], check=True, capture_output=True)
    return workbook, output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--actions", type=int, default=1_000)
    args = parser.parse_args(argv)
    compile_bytecode()
    workbook, output = prepare(args.actions)
    importing = [DATRACKER, "import", str(workbook), "--output", str(output), "--force"]
    validating = [DATRACKER, "validate", "--plan", str(output)]
    for argv_ in (importing, validating):  # untimed warm-up; also checks both succeed
        done = subprocess.run(argv_, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{' '.join(argv_)} failed:\n{done.stdout}{done.stderr}", file=sys.stderr)
            return 1
    imports, floors = [], []
    for run in range(args.runs):
        seconds, code = time_once([validating])
        floors.append(seconds)
        seconds, code = time_once([importing])
        if code:
            print(f"import failed on run {run + 1}", file=sys.stderr)
            return 1
        imports.append(seconds)
        print(
            f"run {run + 1}: import {imports[-1]:.3f} s, validate {floors[-1]:.3f} s",
            file=sys.stderr,
        )
    median, floor = statistics.median(imports), statistics.median(floors)
    verdict = "PASS" if median < BUDGET_SECONDS else "MISS"
    print("| benchmark | median | floor (validate of the result) | ratio | budget | verdict |")
    print("|---|---|---|---|---|---|")
    print(
        f"| import {args.actions:,}-action .xlsx | {median:.3f} s | {floor:.3f} s | "
        f"{median / floor:.2f}× | under {BUDGET_SECONDS:.0f} s | {verdict} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
