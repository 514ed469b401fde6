"""How `datracker check` reads in a pull-request comment, in JSON and as CI annotations."""

from __future__ import annotations

from typing import Any

from datracker.report.escape import md_escape
from datracker.report.problems import problems_github
from datracker.report.table import Table, columns, json_text, markdown
from datracker.vcs.check import AuthorVerdict, CheckResult

_ROLE_WORDS = {"maintainer": "maintainer", "owner": "owner", "unknown": "unknown identity"}
MAX_LISTED = 20


def _verdict_word(ok: bool) -> str:
    return "✅ permitted" if ok else "❌ not permitted"


def _who(author: AuthorVerdict) -> str:
    identity = author.identity
    owner = f" ({identity.owner_id})" if identity.owner_id else ""
    return f"{identity.name} <{identity.email}>{owner}"


def check_markdown(result: CheckResult, prefix: str) -> str:
    ok = result.valid and result.permitted
    lines = [
        f"## datracker check: {'✅ ready to merge' if ok else '❌ needs attention'}",
        "",
        f"Changes from `{result.base.short}` to `{result.head.short}`.",
        "",
        "### Validation",
        "",
    ]
    lines += _validation_lines(result, prefix)
    lines += ["", "### RAG changes", ""] + _rag_lines(result)
    lines += ["", "### Who changed what", ""] + _author_lines(result)
    for warning in result.changes.warnings:
        lines.append(f"\n> warning: {md_escape(warning)}")
    return "\n".join(lines) + "\n"


def _validation_lines(result: CheckResult, prefix: str) -> list[str]:
    errors = [p for p in result.problems if p.severity == "error"]
    warnings = [p for p in result.problems if p.severity == "warning"]
    if not errors:
        return [f"✅ The plan is valid ({len(warnings)} warnings)."]
    listed = [
        f"- `{prefix}/{p.path}:{p.line}:{p.column}`: {md_escape(p.message)}"
        for p in errors[:MAX_LISTED]
    ]
    more = [f"- … and {len(errors) - MAX_LISTED} more"] if len(errors) > MAX_LISTED else []
    return [f"❌ The plan has {len(errors)} errors:", "", *listed, *more]


def _rag_lines(result: CheckResult) -> list[str]:
    rag = [c for c in result.changes.diff.changes if c.field == "rag"]
    if not rag:
        return ["No RAG ratings changed."]
    table = Table(columns("Priority", "Action", "Before", "After", "Direction"))
    for change in rag:
        cells = [change.priority, change.id, change.before, change.after, change.direction]
        table.add(*(str(c) if c else None for c in cells))
    return markdown(table)


def _author_lines(result: CheckResult) -> list[str]:
    if not result.authors:
        return ["No commits change the plan."]
    table = Table(columns("Author", "Role", "Commits", "Verdict", "Actions"))
    for author in result.authors:
        offending = sorted({v.target for v in author.violations})
        actions = ", ".join(offending) if offending else ", ".join(sorted(author.targets))
        table.add(
            _who(author),
            _ROLE_WORDS[author.identity.role],
            str(len(author.commits)),
            _verdict_word(author.permitted),
            actions or None,
        )
    details = [
        f"- `{v.commit[:10]}` {md_escape(v.target)}: {md_escape(v.reason)}"
        for author in result.authors
        for v in author.violations
    ]
    return markdown(table) + (["", "Not permitted:", "", *details] if details else [])


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
                "commits": a.commits,
                "permitted": a.permitted,
                "violations": [v.__dict__ for v in a.violations],
            }
            for a in result.authors
        ],
        "warnings": result.changes.warnings,
    }
    return json_text(payload)


def check_github(result: CheckResult, prefix: str) -> str:
    lines = [problems_github([p for p in result.problems if p.severity == "error"], prefix)]
    for author in result.authors:
        for v in author.violations:
            lines.append(
                f"::error title=not permitted::{_who(author)} in {v.commit[:10]}: "
                f"{v.target}: {v.reason}"
            )
    return "\n".join(line for line in lines if line)
