"""Print every dependency of datracker (runtime and dev) by name alone, for `make test-latest`.

pyproject.toml caps each dependency below its next major release; installing these bare names
with `pip install --upgrade` takes the newest release of each, caps lifted, so the suite shows
whether a new major breaks datracker before anyone raises a cap.

Usage: python scripts/latest_requirements.py > latest.txt
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
# A PEP 508 requirement starts with the distribution's name; the version bounds, extras and
# markers that follow are what we drop.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def requirement_names(pyproject: dict[str, object]) -> list[str]:
    project = pyproject["project"]
    assert isinstance(project, dict)
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    names = []
    for requirement in requirements:
        match = NAME.match(requirement)
        assert match, f"not a requirement: {requirement!r}"
        names.append(match.group())
    return names


def main() -> None:
    pyproject = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    print("\n".join(requirement_names(pyproject)))


if __name__ == "__main__":
    main()
