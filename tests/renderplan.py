"""A small plan that exercises every part of the refresh document, written to disk for tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import PLAN_YAML, write_plan

FIXTURE_NARRATIVE = Path(__file__).parent / "fixtures" / "narrative"

PRIORITY_A = """\
id: A
title: Promote healthy relationships
actions:
  - id: A1
    objective: Raise awareness
    action: Work with schools
    measures:
      - description: Number of requests
    owners:
      - amy-ford
    updates:
      - review: r2
        date: 2022-04-10
        rag: AMBER
        qualifier: stalled by Covid
        text: "Pipes | here,\\nnew line and <b>html</b> & a bell end"
  - id: A2
    status: complete
  - id: A3
    status: removed
    updates:
      - review: r1
        rag: RED
  - id: A4
    status: n/a
    note: Marac IT
  - id: A5
    objective: Monthly counts
    action: Count them
    measures:
      - description: Requests each month
        unit: requests
        data:
          - period: 2021-01
            value: 8
          - period: 2021-02
            value: 2
          - period: 2021-03
            value: 4
      - description: Two figures only
        data:
          - period: 2021
            value: 1
          - period: 2022
            value: 2
    owners:
      - bruce-marr
    updates:
      - review: r2
        rag: GREEN
        text: On track.
  - id: A6
    objective: Hard one
    action: Try
    measures:
      - description: Done or not
    owners:
      - bruce-marr
      - amy-ford
    updates:
      - review: r1
        rag: AMBER
        text: Started.
      - review: r2
        rag: RED
        text: Stuck.
"""

PRIORITY_B = """\
id: B
title: Improve identification
focus: true
actions:
  - id: B1
    status: new
    objective: A new measure
    action: Start it
    measures:
      - description: Something
    owners:
      - amy-ford
"""

SCALE_COLOURS = {
    "RED": "C00000",
    "AMBER/RED": "ED7D31",
    "AMBER": "FFC000",
    "AMBER/GREEN": "A9D08E",
    "GREEN": "00B050",
}


def make_render_plan(root: Path, narrative: bool = True, plan_yaml: str = PLAN_YAML) -> Path:
    """<root>/plan with priorities A and B (and the fixture narrative); returns the plan dir."""
    plan = write_plan(root / "plan", plan_yaml, a=PRIORITY_A, b=PRIORITY_B)
    if narrative:
        shutil.copytree(FIXTURE_NARRATIVE, plan / "narrative")
    return plan
