"""How results look: text for people, JSON for machines, workflow annotations for CI.

Pure functions from core values to strings (or rich renderables), so they are tested without
a terminal. Nothing here reads files or decides exit codes.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from datracker.core.problems import Problem
from datracker.plan.models import Action, Measure, Plan
from datracker.plan.status import PriorityStatus, count_label, status_json

if TYPE_CHECKING:
    from rich.console import RenderableType

    from datracker.plan.chase import ChaseReport, MissingAction

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "notice": "\033[36m"}
_RESET = "\033[0m"


def use_colour(stream_is_tty: bool) -> bool:
    return stream_is_tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def problems_text(problems: list[Problem], prefix: str, colour: bool = False) -> str:
    lines = []
    for p in problems:
        severity = f"{_COLOURS[p.severity]}{p.severity}{_RESET}" if colour else p.severity
        lines.append(f"{_join(prefix, p.path)}:{p.line}:{p.column}: {severity}: {p.message}")
        if p.hint:
            lines.append(f"    hint: {p.hint}")
    return "\n".join(lines)


def problems_summary(problems: list[Problem], files: int, actions: int) -> str:
    tally = Counter(p.severity for p in problems)
    counted = ", ".join(_plural(tally[s], s) for s in ("error", "warning", "notice") if tally[s])
    scope = f"{_plural(files, 'file')}, {_plural(actions, 'action')}"
    if not tally["error"]:
        return f"plan is valid ({scope})" + (f": {counted}" if counted else "")
    return f"plan has problems ({scope}): {counted}"


def problems_json(problems: list[Problem], prefix: str, valid: bool) -> str:
    tally = Counter(p.severity for p in problems)
    payload = {
        "valid": valid,
        "counts": {s: tally[s] for s in ("error", "warning", "notice")},
        "problems": [{**p.as_dict(), "path": _join(prefix, p.path)} for p in problems],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def problems_github(problems: list[Problem], prefix: str) -> str:
    """GitHub workflow commands, so problems appear on the changed lines of a pull request."""
    kinds = {"error": "error", "warning": "warning", "notice": "notice"}
    lines = []
    for p in problems:
        message = p.message + (f" (hint: {p.hint})" if p.hint else "")
        where = f"file={_gh(_join(prefix, p.path), True)},line={p.line},col={p.column}"
        props = f"{where},title={_gh(p.code, True)}"
        lines.append(f"::{kinds[p.severity]} {props}::{_gh(message, False)}")
    return "\n".join(lines)


def _gh(text: str, is_property: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def _join(prefix: str, path: str) -> str:
    return path if prefix in ("", ".") else f"{prefix.rstrip('/')}/{path}"


# --- status -------------------------------------------------------------------------------


def priority_heading(status: PriorityStatus) -> str:
    """`A. Title — AMBER (stated: …); computed: AMBER/RED (…) [focus]`."""
    marks = " [focus]" if status.priority.focus else ""
    marks += " [draft for approval]" if status.priority.draft else ""
    return f"{status.priority.id}. {status.priority.title} — {status.line}{marks}"


def owner_names(plan: Plan, owner_ids: list[str]) -> str:
    names = []
    for owner_id in owner_ids:
        owner = plan.config.owner(owner_id)
        names.append(owner.name if owner else owner_id)
    return " / ".join(names)


def rag_cell(action: Action) -> str:
    label = count_label(action)
    return f"{label} ({action.qualifier})" if action.qualifier and action.is_open else label


def _last_update(action: Action) -> str:
    if not action.updates:
        return "—"
    last = action.updates[-1]
    return f"{last.review}" + (f" ({last.date})" if last.date else "")


def status_rows(plan: Plan, status: PriorityStatus) -> list[list[str]]:
    return [
        [a.id, rag_cell(a), owner_names(plan, a.owners) or "—", a.due or "—", _last_update(a)]
        for a in status.actions
    ]


STATUS_COLUMNS = ["ID", "RAG / status", "By whom", "By when", "Last update"]


def status_tables(plan: Plan, statuses: list[PriorityStatus]) -> list[RenderableType]:
    """Rich tables; every cell is a Text so a '[' in a name is never read as markup."""
    from rich.table import Table
    from rich.text import Text

    colours = {level.id: level.colour for level in plan.config.scale}
    renderables: list[RenderableType] = [Text(_title(plan), style="bold")]
    for status in statuses:
        table = Table(title=Text(priority_heading(status)), title_justify="left")
        for column in STATUS_COLUMNS:
            table.add_column(column, overflow="fold")
        for row, action in zip(status_rows(plan, status), status.actions, strict=True):
            colour = colours.get(action.rag or "") if action.is_open else None
            cells = [Text(cell) for cell in row]
            cells[1].stylize(f"bold {colour}" if colour else "")
            table.add_row(*cells)
        renderables.append(table)
    return renderables


def _title(plan: Plan) -> str:
    review = plan.config.latest_review
    strategy = plan.config.strategy
    period = f" {strategy.period}" if strategy.period else ""
    return f"{strategy.title}{period}" + (f" — {review.label}" if review else "")


def status_markdown(plan: Plan, statuses: list[PriorityStatus]) -> str:
    lines = [f"# {md_escape(_title(plan))}", ""]
    for status in statuses:
        lines += [f"## {md_escape(priority_heading(status))}", ""]
        lines.append("| " + " | ".join(STATUS_COLUMNS) + " |")
        lines.append("|" + "---|" * len(STATUS_COLUMNS))
        for row in status_rows(plan, status):
            lines.append("| " + " | ".join(md_escape(cell) for cell in row) + " |")
        lines.append("")
    return "\n".join(lines)


def status_json_text(plan: Plan, statuses: list[PriorityStatus]) -> str:
    return json.dumps(status_json(plan, statuses), indent=2, ensure_ascii=False)


def md_escape(text: str) -> str:
    """Safe inside a Markdown table cell: no pipes, no raw HTML, no line breaks."""
    if _CHANGED_CHARACTERS.search(text) or "  " in text or text[:1] == " " or text[-1:] == " ":
        return _escape_cell(text)
    return text  # most cells: two quick scans instead of six passes


def _escape_cell(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


# What _escape_cell changes besides spaces: its characters, and whitespace str.split() splits
# on other than the plain space (a character class alone: alternatives made it ten times slower).
_CHANGED_CHARACTERS = re.compile(
    "[\\\\|&<>\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)


# --- show ---------------------------------------------------------------------------------


def action_json(plan: Plan, priority_id: str, action: Action) -> dict[str, Any]:
    data = action.model_dump(exclude_none=True)
    data["priority"] = priority_id
    data["rag"] = action.rag
    data["qualifier"] = action.qualifier
    data["owner_names"] = [
        owner.name if (owner := plan.config.owner(o)) else o for o in action.owners
    ]
    return data


def action_text(plan: Plan, priority_id: str, action: Action) -> str:
    lines = [f"{action.id} ({priority_id}) — {rag_cell(action)}"]
    for label, value in (
        ("Objective", action.objective),
        ("Action", action.action),
        ("By whom", owner_names(plan, action.owners)),
        ("By when", action.due),
        ("Note", action.note),
    ):
        if value:
            lines.append(f"{label + ':':<11}{_wrap(value, 11)}")
    if action.measures:
        lines += ["", "Measures:"]
        for measure in action.measures:
            lines += _measure_lines(measure)
    lines += ["", "Updates:" if action.updates else "Updates: none yet"]
    for update in reversed(action.updates):
        review = plan.config.review(update.review)
        head = review.label if review else update.review
        rag = (
            f" — {update.rag}" + (f" ({update.qualifier})" if update.qualifier else "")
            if update.rag
            else ""
        )
        lines.append(f"  {head}{' (' + update.date + ')' if update.date else ''}{rag}")
        if update.text:
            lines.append(f"    {_wrap(update.text, 4)}")
    return "\n".join(lines)


def _measure_lines(measure: Measure) -> list[str]:
    unit = f" ({measure.unit})" if measure.unit else ""
    lines = [f"  - {measure.description}{unit}"]
    if measure.baseline:
        baseline = measure.baseline
        lines.append(f"      baseline {baseline.period_text}: {_number(baseline.value)}")
    if measure.target:
        target = measure.target
        wanted = _number(target.value) if target.value is not None else (target.text or "")
        lines.append(f"      target: {wanted}" + (f" by {target.by}" if target.by else ""))
    peak = max((abs(p.value) for p in measure.data), default=0) or 1
    width = max((len(p.period_text) for p in measure.data), default=0)
    for point in measure.data:
        bar = "█" * max(1 if point.value else 0, round(30 * abs(point.value) / peak))
        of = f" of {_number(point.of)}" if point.of is not None else ""
        lines.append(f"      {point.period_text:<{width}}  {bar} {_number(point.value)}{of}")
    return lines


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _wrap(text: str, indent: int) -> str:
    import textwrap

    return textwrap.fill(" ".join(text.split()), width=96, subsequent_indent=" " * indent)


# --- chase --------------------------------------------------------------------------------

CHASE_COLUMNS = ["Owner", "Action", "Priority", "RAG", "Last update", "By when"]


def _chase_cells(missing: MissingAction) -> list[str]:
    last = missing.last_date or missing.last_review or "never"
    due = (missing.due or "—") + (" (overdue)" if missing.overdue else "")
    return [missing.id, missing.priority, missing.rag or "NOT RATED", last, due]


def chase_rows(report: ChaseReport) -> list[list[str]]:
    return [[r.name, *_chase_cells(a)] for r in report.reminders for a in r.actions]


def chase_table(report: ChaseReport) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    title = f"No update yet for {report.review.label}: {_plural(report.missing_count, 'action')}"
    table = Table(title=Text(title), title_justify="left")
    for column in CHASE_COLUMNS:
        table.add_column(column, overflow="fold")
    for row in chase_rows(report):
        table.add_row(*(Text(cell) for cell in row))
    return table


def chase_markdown(plan: Plan, report: ChaseReport) -> str:
    """One reminder per owner, ready to paste into an e-mail or a pull-request comment."""
    strategy = plan.config.strategy.title
    if not report.reminders:
        return f"Every action has an update for {md_escape(report.review.label)}.\n"
    parts = []
    for reminder in report.reminders:
        lines = [
            f"## Reminder for {md_escape(reminder.name)}",
            "",
            f"The **{md_escape(report.review.label)}** review of the {md_escape(strategy)} "
            f"delivery plan is open, and there is no update yet for "
            f"{'this action' if len(reminder.actions) == 1 else 'these actions'}:",
            "",
            "| " + " | ".join(CHASE_COLUMNS[1:]) + " |",
            "|" + "---|" * (len(CHASE_COLUMNS) - 1),
        ]
        lines += [
            "| " + " | ".join(md_escape(c) for c in _chase_cells(a)) + " |"
            for a in reminder.actions
        ]
        lines += [
            "",
            "Please send a short update and a RAG rating for each, or propose them in a pull "
            "request to the plan.",
            "",
        ]
        parts.append("\n".join(lines))
    return "\n".join(parts)
