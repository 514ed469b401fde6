"""What an import had to guess, normalise or leave out, each with where it came from.

The report is the honest half of `datracker import`: a plan produced in minutes is only
useful if the strategy lead can see, cell by cell, what was interpreted rather than copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from datracker.core.text import visible
from datracker.report.escape import md_escape

if TYPE_CHECKING:
    from datracker.core.problems import Problem
    from datracker.plan.models import ScaleLevel

Kind = Literal["guess", "warning", "unplaced", "skipped"]
HEADINGS: dict[Kind, str] = {
    "guess": "Guesses and normalisations",
    "warning": "Warnings",
    "unplaced": "Cells not placed",
    "skipped": "Tables skipped",
}
# The same lists in `--format json`, named as the headings name them.
JSON_KEYS: dict[Kind, str] = {
    "guess": "guesses",
    "warning": "warnings",
    "unplaced": "cells_not_placed",
    "skipped": "tables_skipped",
}


class Place(str):
    """A place in the source as a person finds it ("table 3, row 5, column 7"), carrying its
    position (the table's, then the row's) so the report is put in source order without
    reading the numbers back out of the words. It is the text wherever a string is wanted."""

    order: tuple[int, int]

    def __new__(cls, text: str, table: int, row: int = 0) -> Place:
        place = super().__new__(cls, text)
        place.order = (table, row)
        return place


@dataclass(frozen=True)
class ReportItem:
    where: str
    kind: Kind
    message: str


@dataclass
class ImportReport:
    source: str
    items: list[ReportItem] = field(default_factory=list)
    priorities: int = 0
    actions: int = 0
    owners: int = 0
    reviews: int = 0
    scale: list[ScaleLevel] | None = None  # the plan's own rating words, when not RED…GREEN

    def add(self, where: str, kind: Kind, message: str) -> None:
        self.items.append(ReportItem(where, kind, message))

    def of_kind(self, kind: Kind) -> list[ReportItem]:
        """This kind's items in source order, as every form of the report lists them."""
        return sorted((item for item in self.items if item.kind == kind), key=_order)

    @property
    def counts_line(self) -> str:
        return (
            f"{_plural(self.priorities, 'priority', 'priorities')}, "
            f"{_plural(self.actions, 'action')}, {_plural(self.owners, 'owner')}, "
            f"{_plural(self.reviews, 'review')}"
        )


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def report_text(report: ImportReport, output: str) -> str:
    """The report as printed after an import."""
    lines = [f"Imported {report.source} into {output}: {report.counts_line}"]
    for kind, heading in HEADINGS.items():
        items = report.of_kind(kind)
        if items:
            lines.append(f"{heading} ({len(items)}):")
            lines.extend(f"  {item.where}: {item.message}" for item in items)
    return visible("\n".join(lines))


def report_markdown(report: ImportReport, output: str) -> str:
    """The same report as a Markdown file, for the strategy lead to tick through."""
    lines = [
        f"# Import report: {report.source}",
        "",
        f"Written to `{output}`: {report.counts_line}.",
    ]
    for kind, heading in HEADINGS.items():
        items = report.of_kind(kind)
        if items:
            lines += ["", f"## {heading} ({len(items)})", "", "| Where | What |", "|---|---|"]
            lines += [f"| {md_escape(item.where)} | {md_escape(item.message)} |" for item in items]
    return "\n".join(lines) + "\n"


def report_json(
    report: ImportReport,
    output: str,
    problems: list[Problem],
    summary: str,
    written: list[str],
    next_command: str,
) -> dict[str, Any]:
    """The report as one object for `import --format json`: the same items, counts and
    validation the text gives, each as a value of its own; `problems` are what `validate`
    says about the written plan, their paths named from where the user stands (`output`)."""
    from datracker.core.problems import has_errors
    from datracker.report.problems import problems_payload

    return {
        "source": report.source,
        "output": output,
        "imported": {
            "priorities": report.priorities,
            "actions": report.actions,
            "owners": report.owners,
            "reviews": report.reviews,
        },
        "scale": None
        if report.scale is None
        else [
            {"id": level.id, "label": level.display, "colour": level.colour}
            for level in report.scale
        ],
        **{
            key: [{"where": item.where, "message": item.message} for item in report.of_kind(kind)]
            for kind, key in JSON_KEYS.items()
        },
        # `validate --format json`'s object, and the one-line summary the text report prints
        "validate": {
            "summary": summary,
            **problems_payload(problems, output, valid=not has_errors(problems)),
        },
        "written": written,
        "next": next_command,
    }


def _order(item: ReportItem) -> tuple[int, int, str]:
    """Source order: by table, then by row; what concerns the whole file (its name) first."""
    if isinstance(item.where, Place):
        return (*item.where.order, "")
    return -1, 0, item.where
