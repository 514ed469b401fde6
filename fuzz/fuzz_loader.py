"""Coverage-guided fuzzing of the plan loader and validation (atheris / libFuzzer).

Any exception escaping `load_plan_from_files` + `validate_plan` is a crash: bad input must
always become a Problem with a location. Run by `make fuzz` (and `make test`) for a bounded
time; a crash writes the input to fuzz/crashes/, and each crash found becomes a regression
test in tests/test_fuzz_regressions.py.

    python fuzz/fuzz_loader.py fuzz/corpus/loader -max_total_time=20
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["datracker"]):
    from datracker.plan.store import load_plan_from_files
    from datracker.plan.validation import validate_plan

REPO = Path(__file__).resolve().parents[1]
PLAN_YAML = (REPO / "plan" / "plan.yaml").read_bytes()
PRIORITY = (REPO / "plan" / "priorities" / "a-healthy-relationships.yaml").read_bytes()


def one_input(data: bytes) -> None:
    """The input replaces plan.yaml or a priority file, chosen by its first byte."""
    if not data:
        return
    files = {"plan.yaml": PLAN_YAML, "priorities/a.yaml": PRIORITY}
    target = "plan.yaml" if data[0] % 2 else "priorities/a.yaml"
    files[target] = data[1:]
    problems = validate_plan(load_plan_from_files(REPO / "plan", files))
    for problem in problems:
        if problem.line < 1 or problem.column < 1 or not problem.message:
            raise AssertionError(f"a problem without a usable location: {problem}")


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
