"""Time `datracker diff` and `datracker history` on generated git repositories.

- diff: a 10,000-action plan in two commits that differ in one priority file (budget 1 s, and
  within 2x of a floor that also imports what any implementation must: Typer, pydantic and
  GitPython; issue 19 re-based issue 4's budget on it, because start-up alone was 2.7x the
  bare floor).
- history: a 1,000-action plan with 1,000 commits, each changing one RAG in one priority
  file, by one of several authors (budget 3 s).

Each is compared with a floor measured in the same run, interleaved run by run: a fresh
Python process that reads, through one `git cat-file --batch`, exactly the blobs the command
needs, and parses each once with PyYAML's C loader (the issue's definition of the floor).
For diff those are plan.yaml and the changed file in both commits; for history, every plan
file of the first commit plus each later version of the file holding the action.

The 1,000 commits are written with one `git fast-import` stream, not 1,000 `git commit`s.

Usage: python benchmarks/history_bench.py [--runs 5] [--regenerate]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from generate import GENERATOR_VERSION, generate_plan
from run import DATRACKER, PYTHON, WORK_DIR, compile_bytecode, time_once

AUTHORS = ("Amy Ford", "Bruce Marr", "Carys Evans", "Imran Khan")
RAGS = ("RED", "AMBER/RED", "AMBER", "AMBER/GREEN", "GREEN")
RAG_LINE = re.compile(r"^(        rag: )(\S+)$", re.MULTILINE)
HISTORY_ACTION = "P1A5"

FLOOR_SCRIPT = """\
import subprocess, sys, yaml
repo, shas = sys.argv[1], sys.argv[2:]
proc = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
proc.stdin.write("".join(s + "\\n" for s in shas).encode())
proc.stdin.close()
for _ in shas:
    header = proc.stdout.readline().split()
    data = proc.stdout.read(int(header[2]))
    proc.stdout.read(1)
    yaml.load(data, Loader=yaml.CSafeLoader)
proc.wait()
"""


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode())
    return done.stdout.decode()


def fast_import(repo: Path, commits: list[tuple[str, dict[str, bytes]]]) -> None:
    """Write commits (author, {path: bytes}) on main in one fast-import stream."""
    chunks: list[bytes] = []
    for number, (author, files) in enumerate(commits):
        email = author.lower().replace(" ", ".") + "@example.org"
        when = 1_640_995_200 + number * 3_600
        message = f"commit {number}".encode()
        chunks.append(b"commit refs/heads/main\n")
        chunks.append(f"author {author} <{email}> {when} +0000\n".encode())
        chunks.append(f"committer {author} <{email}> {when} +0000\n".encode())
        chunks.append(b"data %d\n%s\n" % (len(message), message))
        for path, data in files.items():
            chunks.append(f"M 100644 inline {path}\n".encode())
            chunks.append(b"data %d\n%s\n" % (len(data), data))
    git(repo, "fast-import", "--quiet", stdin=b"".join(chunks))
    git(repo, "checkout", "-q", "-f", "main")


def plan_files(plan: Path) -> dict[str, bytes]:
    return {f"plan/{p.relative_to(plan).as_posix()}": p.read_bytes() for p in plan.rglob("*.yaml")}


def new_repo(path: Path, actions: int) -> dict[str, bytes]:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    generate_plan(path / "plan", actions)
    return plan_files(path / "plan")


def change_one_rag(text: bytes, rng: random.Random) -> bytes:
    decoded = text.decode()
    matches = list(RAG_LINE.finditer(decoded))
    match = rng.choice(matches)
    new = rng.choice([r for r in RAGS if r != match.group(2)])
    return (decoded[: match.start(2)] + new + decoded[match.end(2) :]).encode()


def diff_repo(regenerate: bool) -> Path:
    repo = WORK_DIR / f"diff-10000-v{GENERATOR_VERSION}"
    if repo.exists() and not regenerate:
        return repo
    files = new_repo(repo, 10_000)
    rng = random.Random(1)
    changed = dict(files)
    target = sorted(p for p in files if "/priorities/" in p)[3]
    for _ in range(5):
        changed[target] = change_one_rag(changed[target], rng)
    fast_import(repo, [(AUTHORS[0], files), (AUTHORS[1], {target: changed[target]})])
    return repo


def history_repo(regenerate: bool) -> Path:
    repo = WORK_DIR / f"history-1000x1000-v{GENERATOR_VERSION}"
    if repo.exists() and not regenerate:
        return repo
    files = new_repo(repo, 1_000)
    rng = random.Random(2)
    priorities = sorted(p for p in files if "/priorities/" in p)
    commits: list[tuple[str, dict[str, bytes]]] = [(AUTHORS[0], dict(files))]
    for number in range(1, 1_000):
        path = rng.choice(priorities)
        files[path] = change_one_rag(files[path], rng)
        commits.append((AUTHORS[number % len(AUTHORS)], {path: files[path]}))
    fast_import(repo, commits)
    return repo


def diff_blobs(repo: Path) -> list[str]:
    changed = git(repo, "diff", "--name-only", "HEAD~1", "HEAD", "--", "plan").split()
    paths = ["plan/plan.yaml", *changed]
    return [
        git(repo, "rev-parse", f"{rev}:{p}").strip() for rev in ("HEAD~1", "HEAD") for p in paths
    ]


def history_blobs(repo: Path) -> list[str]:
    root = git(repo, "rev-list", "--max-parents=0", "HEAD").split()[0]
    first = [line.split()[2] for line in git(repo, "ls-tree", "-r", root, "plan").splitlines()]
    holder = _holder(repo)
    raw = git(repo, "log", "--format=", "--raw", "--no-abbrev", "HEAD", "--", holder)
    later = [line.split()[3] for line in raw.splitlines() if line.startswith(":")]
    return list(dict.fromkeys(first + later))


def _holder(repo: Path) -> str:
    found = git(repo, "grep", "-l", f"id: {HISTORY_ACTION}$", "HEAD", "--", "plan").split()
    return found[0].split(":", 1)[1]


# What any implementation on the required libraries pays before reading a blob: Python,
# Typer, GitPython and the plan model (pydantic). Timed beside the floor to show how much of
# a command's time no change to datracker's own code could remove.
STARTUP = [PYTHON, "-c", "import typer, git, datracker.plan.models"]


# Issue 19's floor for diff: the bare floor after the imports a diff on the required libraries
# cannot avoid. history keeps the bare floor: over 1,000 commits its reading dominates.
FLOOR_WITH_IMPORTS = "import typer, pydantic, git\n" + FLOOR_SCRIPT


def measure(subject: list[str], floor: list[str], runs: int) -> tuple[float, float, float]:
    """Medians of the command, its floor and the start-up reference, interleaved run by run."""
    argvs = (subject, floor, STARTUP)
    for argv in argvs:  # warm-up, and a failure shows here rather than in a timing
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{argv[:3]} failed: {done.stderr[-800:]}")
    times: tuple[list[float], ...] = ([], [], [])
    for _ in range(runs):
        for bucket, argv in zip(times, argvs, strict=True):
            seconds, _code = time_once([argv])
            bucket.append(seconds)
    subject_s, floor_s, startup_s = (statistics.median(bucket) for bucket in times)
    return subject_s, floor_s, startup_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    compile_bytecode()
    rows = []
    repo = diff_repo(args.regenerate)
    subject = [DATRACKER, "diff", "HEAD~1", "HEAD", "--plan", str(repo / "plan"), "-f", "json"]
    floor = [PYTHON, "-c", FLOOR_WITH_IMPORTS, str(repo), *diff_blobs(repo)]
    rows.append(
        (
            "diff, 10,000 actions, 1 file changed (floor with imports)",
            1.0,
            *measure(subject, floor, args.runs),
        )
    )
    repo = history_repo(args.regenerate)
    subject = [DATRACKER, "history", HISTORY_ACTION, "--plan", str(repo / "plan"), "-f", "json"]
    floor = [PYTHON, "-c", FLOOR_SCRIPT, str(repo), *history_blobs(repo)]
    rows.append(
        ("history, 1,000 actions x 1,000 commits", 3.0, *measure(subject, floor, args.runs))
    )
    print("| benchmark | median | floor | ratio | start-up alone | budget | verdict |")
    print("|---|---|---|---|---|---|---|")
    for name, budget, median, floor_median, startup in rows:
        ok = median <= budget and median <= 2 * floor_median
        print(
            f"| {name} | {median:.3f} s | {floor_median:.3f} s | {median / floor_median:.2f}× "
            f"| {startup:.3f} s ({startup / floor_median:.2f}×) "
            f"| {budget:.0f} s and 2× floor | {'PASS' if ok else 'MISS'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
