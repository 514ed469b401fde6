"""How `datracker check` reads: in a terminal, in a pull-request comment, in JSON, as annotations.

The three forms for people (text, Markdown, GitHub annotations) are written from one list of
findings, so each carries the same facts and the same hints: a validation error or a change
the author may not make, with its file and line wherever it concerns one. Only escaping
differs: Markdown escapes what the plan and the authors wrote, text shows it as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from datracker.core.text import visible
from datracker.report.escape import md_escape
from datracker.report.problems import gh_escape, join_path, plural, problems_github
from datracker.report.table import Table, columns, json_text, markdown
from datracker.vcs.check import AuthorVerdict, CheckResult, Violation

_ROLE_WORDS = {"maintainer": "maintainer", "owner": "owner", "unknown": "unknown identity"}
MAX_LISTED = 20


@dataclass(frozen=True)
class Finding:
    """One thing wrong, as every form reports it."""

    path: str | None  # as the user names it, from where they stand
    line: int | None
    column: int | None
    title: str
    message: str
    hint: str | None

    @property
    def place(self) -> str:
        if self.path is None:
            return ""
        return self.path + "".join(f":{n}" for n in (self.line, self.column) if n is not None)


@dataclass(frozen=True)
class Prefixes:
    """How to name files: plan files from the plan folder, others from the repository's top."""

    plan: str
    top: str


def _who(author: AuthorVerdict) -> str:
    identity = author.identity
    owner = f" ({identity.owner_id})" if identity.owner_id else ""
    return f"{identity.name} <{identity.email}>{owner}"


def _errors(result: CheckResult, prefixes: Prefixes) -> list[Finding]:
    return [
        Finding(join_path(prefixes.plan, p.path), p.line, p.column, p.code, p.message, p.hint)
        for p in result.problems
        if p.severity == "error"
    ]


def _violations(result: CheckResult, prefixes: Prefixes) -> list[Finding]:
    return [
        _violation_finding(author, v, prefixes)
        for author in result.authors
        for v in author.violations
    ]


def _violation_finding(author: AuthorVerdict, v: Violation, prefixes: Prefixes) -> Finding:
    path = join_path(prefixes.top, v.path) if v.path is not None else None
    what = "" if v.target == v.path else f"{v.target}: "  # a file is named by its place
    message = f"{_who(author)} in {v.commit[:10]}: {what}{v.reason}"
    return Finding(path, v.line, None, "not permitted", message, v.hint)


def _verdict(result: CheckResult) -> bool:
    return result.valid and result.permitted


def _validation_summary(result: CheckResult) -> str:
    errors = sum(1 for p in result.problems if p.severity == "error")
    warnings = sum(1 for p in result.problems if p.severity == "warning")
    if not errors:
        return f"The plan is valid ({plural(warnings, 'warning')})."
    return f"The plan has {plural(errors, 'error')}:"


def _rag_rows(result: CheckResult) -> list[list[str]]:
    return [
        [str(c.priority), c.id, str(c.before or "—"), str(c.after or "—"), str(c.direction or "—")]
        for c in result.changes.diff.changes
        if c.field == "rag"
    ]


def _changed(author: AuthorVerdict) -> str:
    """What the author changed: what they may not have changed, when there is any."""
    offending = sorted({v.target for v in author.violations})
    return ", ".join(offending or sorted(author.targets | author.unjudged)) or "—"


def _permitted_words(author: AuthorVerdict) -> str:
    if not author.permitted:
        return "not permitted"
    if author.unjudged:
        return "not judged yet: a file they changed does not parse"
    return "permitted"


def _mark(author: AuthorVerdict) -> str:
    return "❌ " if not author.permitted else "⚠️ " if author.unjudged else "✅ "


# --- text, for a terminal -------------------------------------------------------------------


def check_text(result: CheckResult, prefixes: Prefixes) -> str:
    ok = _verdict(result)
    lines = [
        f"datracker check: {'ready to merge' if ok else 'needs attention'}",
        f"Changes from {result.base.short} to {result.head.short}.",
        "",
        "Validation: " + _validation_summary(result),
    ]
    errors = _errors(result, prefixes)
    lines += _text_findings(errors[:MAX_LISTED])
    if len(errors) > MAX_LISTED:
        lines.append(f"  … and {len(errors) - MAX_LISTED} more")
    rag = _rag_rows(result)
    lines += ["", "RAG changes:" if rag else "RAG changes: none."]
    lines += [f"  {a}: {before} → {after} ({d})" for _, a, before, after, d in rag]
    lines += [
        "",
        "Who changed what:" if result.authors else "Who changed what: no commit changes anything.",
    ]
    for author in result.authors:
        role, count = _ROLE_WORDS[author.identity.role], plural(len(author.commits), "commit")
        facts = f"{role}, {count}, {_permitted_words(author)} ({_changed(author)})"
        lines.append(f"  {_who(author)}: {facts}")
    findings = _violations(result, prefixes)
    if findings:
        lines += ["", "Not permitted:", *_text_findings(findings)]
    lines += [f"warning: {warning}" for warning in result.changes.warnings]
    return visible("\n".join(lines)) + "\n"  # names and messages come from commits too


def _text_findings(findings: list[Finding]) -> list[str]:
    lines = []
    for finding in findings:
        place = f"{finding.place}: " if finding.place else ""
        lines.append(f"  {place}{finding.message}")
        if finding.hint:
            lines.append(f"      hint: {finding.hint}")
    return lines


# --- Markdown, for a pull-request comment ---------------------------------------------------


def check_markdown(result: CheckResult, prefixes: Prefixes) -> str:
    ok = _verdict(result)
    lines = [
        f"## datracker check: {'✅ ready to merge' if ok else '❌ needs attention'}",
        "",
        f"Changes from `{result.base.short}` to `{result.head.short}`.",
        "",
        "### Validation",
        "",
        ("✅ " if result.valid else "❌ ") + _validation_summary(result),
    ]
    errors = _errors(result, prefixes)
    if errors:
        lines += ["", *_md_findings(errors[:MAX_LISTED])]
        if len(errors) > MAX_LISTED:
            lines.append(f"- … and {len(errors) - MAX_LISTED} more")
    lines += ["", "### RAG changes", "", *_rag_table(result)]
    lines += ["", "### Who changed what", "", *_author_table(result)]
    findings = _violations(result, prefixes)
    if findings:
        lines += ["", "Not permitted:", "", *_md_findings(findings)]
    for warning in result.changes.warnings:
        lines.append(f"\n> warning: {md_escape(warning)}")
    return "\n".join(lines) + "\n"


def _md_findings(findings: list[Finding]) -> list[str]:
    lines = []
    for finding in findings:
        place = f"`{finding.place}`: " if finding.place else ""
        lines.append(f"- {place}{md_escape(finding.message)}")
        if finding.hint:
            lines.append(f"  - hint: {md_escape(finding.hint)}")
    return lines


def _rag_table(result: CheckResult) -> list[str]:
    rows = _rag_rows(result)
    if not rows:
        return ["No RAG ratings changed."]
    table = Table(columns("Priority", "Action", "Before", "After", "Direction"))
    for row in rows:
        table.add(*row)
    return markdown(table)


def _author_table(result: CheckResult) -> list[str]:
    if not result.authors:
        return ["No commit changes anything."]
    table = Table(columns("Author", "Role", "Commits", "Verdict", "Changed"))
    for author in result.authors:
        table.add(
            _who(author),
            _ROLE_WORDS[author.identity.role],
            str(len(author.commits)),
            _mark(author) + _permitted_words(author),
            _changed(author),
        )
    return markdown(table)


# --- GitHub workflow annotations ------------------------------------------------------------


def check_github(result: CheckResult, prefixes: Prefixes) -> str:
    """Errors and refusals on the lines they concern, then one notice with the summary."""
    lines = [problems_github([p for p in result.problems if p.severity == "error"], prefixes.plan)]
    for finding in _violations(result, prefixes):
        where = "".join(
            f"{key}={gh_escape(str(value), True)},"
            for key, value in (("file", finding.path), ("line", finding.line))
            if value is not None
        )
        message = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
        lines.append(f"::error {where}title=not permitted::{gh_escape(message, False)}")
    for warning in result.changes.warnings:
        lines.append(f"::warning title=datracker check::{gh_escape(warning, False)}")
    lines.append(f"::notice title=datracker check::{gh_escape(_summary(result), False)}")
    return "\n".join(line for line in lines if line)


def _summary(result: CheckResult) -> str:
    verdict = "ready to merge" if _verdict(result) else "needs attention"
    rag = [f"{a} {before} → {after} ({d})" for _, a, before, after, d in _rag_rows(result)]
    refused = sum(len(a.violations) for a in result.authors)
    return "\n".join(
        [
            f"{verdict}: changes from {result.base.short} to {result.head.short}",
            _validation_summary(result).rstrip(":."),
            f"{plural(refused, 'change')} not permitted",
            "RAG changes: " + ("; ".join(rag) if rag else "none"),
        ]
    )


# --- JSON -----------------------------------------------------------------------------------


def check_json(result: CheckResult) -> str:
    payload: dict[str, Any] = {
        "base": result.base.as_json(),
        "head": result.head.as_json(),
        "valid": result.valid,
        "permitted": result.permitted,
        "problems": [p.as_dict() for p in result.problems if p.severity == "error"],
        "rag_changes": [
            {
                "priority": c.priority,
                "id": c.id,
                "before": c.before,
                "after": c.after,
                "direction": c.direction,
            }
            for c in result.changes.diff.changes
            if c.field == "rag"
        ],
        "authors": [
            {
                "name": a.identity.name,
                "email": a.identity.email,
                "owner": a.identity.owner_id,
                "role": a.identity.role,
                "same_name_as": a.identity.same_name,
                "commits": a.commits,
                "permitted": a.permitted,
                "violations": [v.__dict__ for v in a.violations],
                "unjudged": sorted(a.unjudged),
            }
            for a in result.authors
        ],
        "warnings": result.changes.warnings,
    }
    return json_text(payload)
