"""Seed the fuzzing corpus from the shipped plan and the test fixtures (each file, both roles)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest import PLAN_YAML, PRIORITY_A  # noqa: E402


def seeds() -> list[bytes]:
    texts = [p.read_bytes() for p in sorted((REPO / "plan").rglob("*.yaml"))]
    texts += [PLAN_YAML.encode(), PRIORITY_A.encode()]
    return [prefix + text for text in texts for prefix in (b"\x00", b"\x01")]


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for seed in seeds():
        (target / hashlib.sha1(seed, usedforsecurity=False).hexdigest()).write_bytes(seed)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "fuzz" / "corpus" / "loader")
