"""Reading one cell of a real delivery-plan table: headers, ids, RAG, owners, dates.

Each function is pure and returns what it understood plus a note of what it had to guess, so
the importer can record every guess with the cell's location. Text is never turned into
numbers: "75% (42 of 56 schools)" stays text, because guessing data series would be wrong
more often than right.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# Field names a column can map to; "note" collects anything unrecognised.
ID, OBJECTIVE, ACTION, MEASURES, OWNERS, UPDATE, RAG, DUE = (
    "id",
    "objective",
    "action",
    "measures",
    "owners",
    "update",
    "rag",
    "due",
)
DUE_OR_UPDATE, STATUS, QUALIFIER, NOTE = "due_or_update", "status", "qualifier", "note"
PRIORITY, PRIORITY_TITLE, REVIEW, REVIEW_LABEL, UPDATE_DATE = (
    "priority",
    "priority_title",
    "review",
    "review_label",
    "update_date",
)

_HEADERS: dict[str, str] = {
    "": ID,
    "id": ID,
    "ref": ID,
    "no": ID,
    "action id": ID,
    "objective": OBJECTIVE,
    "objectives": OBJECTIVE,
    "action": ACTION,
    "actions": ACTION,
    "measure": MEASURES,
    "measures": MEASURES,
    "suggested measure": MEASURES,
    "suggested measures": MEASURES,
    "success measure": MEASURES,
    "success measures": MEASURES,
    "by whom": OWNERS,
    "owner": OWNERS,
    "owners": OWNERS,
    "lead": OWNERS,
    "leads": OWNERS,
    "rag": RAG,
    "rag status": RAG,
    "rag rating": RAG,
    "by when": DUE,
    "due": DUE,
    "due date": DUE,
    "deadline": DUE,
    "by when/update": DUE_OR_UPDATE,
    "qualifier": QUALIFIER,
    "note": NOTE,
    "priority": PRIORITY,
    "priority title": PRIORITY_TITLE,
    "review": REVIEW,
    "review label": REVIEW_LABEL,
    "update date": UPDATE_DATE,
}

STATUS_WORDS = {
    "complete": "complete",
    "completed": "complete",
    "removed": "removed",
    "n/a": "n/a",
    "na": "n/a",
    "new": "new",
    "active": "active",
}

_MONTHS = {
    name[:3].lower(): number
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


def squash(text: str) -> str:
    """Header text without case, punctuation (other than '/') or extra spaces."""
    text = re.sub(r"[^\w/ ]+", " ", text.lower())
    text = re.sub(r"\s*/\s*", "/", text)
    return " ".join(text.split())


def map_header(text: str, has_rag_column: bool) -> str | None:
    """The field a column header means, or None when it means nothing we know.

    "Status" is the RAG column in most Word plans, but our own export has both a "Status"
    (the action's status) and a "RAG" column; with a RAG column present, Status is the status.
    """
    key = squash(text)
    if key == "status":
        return STATUS if has_rag_column else RAG
    if key in _HEADERS:
        return _HEADERS[key]
    if re.match(r"^(update|updated|progress update|latest update)\b", key):
        return UPDATE
    return None


def review_from_label(label: str) -> tuple[str, str] | None:
    """("2022-01", "2022-01") from "Update January 2022": a review id and date; None if no month."""
    match = re.search(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b", label)
    if match and match[1][:3].lower() in _MONTHS:
        month_id = f"{match[2]}-{_MONTHS[match[1][:3].lower()]:02d}"
        return month_id, month_id
    match = re.search(r"\b(\d{4})-(\d{2})\b", label)
    if match and 1 <= int(match[2]) <= 12:
        return match[0], match[0]
    return None


_ID = re.compile(r"^[A-Z]{1,3}\d{1,3}[a-z]?$")
_ID_TYPO = re.compile(r"^([A-Z])([0-9IlO]{1,3})$")
_ID_START = re.compile(r"^\s*([A-Za-z]{1,3}[0-9IlO]{1,3}[a-z]?)(?=$|[\s\-–:.,])\s*[-–:.,]?\s*(.*)$")


@dataclass(frozen=True)
class ParsedId:
    id: str
    rest: str
    typo: str | None = None  # the text as written, when a letter stood for a digit


def parse_id(text: str) -> ParsedId | None:
    """The action id at the start of a cell ("A7 COMPLETE" → A7), or None.

    "EI" is E1 typed with a capital I: a letter I, l or O after the prefix letter is read as
    1 or 0, and the caller warns about it.
    """
    match = _ID_START.match(text.strip())
    if not match:
        return None
    raw, rest = match[1], match[2].strip()
    if _ID.match(raw):
        return ParsedId(raw, rest)
    typo = _ID_TYPO.match(raw)
    if typo and not typo[2].isdigit():
        fixed = typo[1] + typo[2].translate(str.maketrans("IlO", "110"))
        return ParsedId(fixed, rest, typo=raw)
    return None


@dataclass
class OneLine:
    """What a one-line row ("A6 - No progress after 18 months - removed - RAG RED") says."""

    status: str | None = None
    rag_text: str | None = None
    notes: list[str] = field(default_factory=list)


def parse_one_line(rest: str) -> OneLine:
    """Split the words after the id on " - " into a status, a "RAG X" and notes."""
    result = OneLine()
    for part in re.split(r"\s+[-–]\s+|\s*[-–]\s*(?=RAG\b)", rest):
        part = part.strip(" -–")
        if not part:
            continue
        status, remainder = _leading_status(part)
        rag = re.match(r"^RAG\s*[:\-]?\s*(.+)$", remainder or part, re.IGNORECASE)
        if status:
            result.status = status
        if rag:
            result.rag_text = rag[1].strip()
        elif remainder:
            result.notes.append(remainder.strip("() "))
        elif not status:
            result.notes.append(part)
    return result


def _leading_status(part: str) -> tuple[str | None, str]:
    match = re.match(r"^(complete[d]?|removed|n/a|na)\b\s*(.*)$", part, re.IGNORECASE)
    if not match:
        return None, ""
    return STATUS_WORDS[match[1].lower()], match[2].strip()


@dataclass(frozen=True)
class Rag:
    rag: str | None
    qualifier: str | None = None
    status: str | None = None
    changed: bool = False  # True when the cell did not already spell a scale id exactly


def parse_rag(text: str, scale_ids: list[str]) -> Rag:
    """ "AMBER/ RED" → AMBER/RED; "POLICE ACTION AMBER" → AMBER + "police action"; "COMPLETE"."""
    cell = " ".join(text.split())
    if not cell:
        return Rag(None)
    status = STATUS_WORDS.get(cell.lower())
    if status:
        return Rag(None, status=status, changed=True)
    for level in sorted(scale_ids, key=len, reverse=True):
        pattern = r"\s*/\s*".join(re.escape(p.strip()) for p in level.split("/"))
        match = re.search(rf"(?<![A-Za-z]){pattern}(?![A-Za-z/])", cell, re.IGNORECASE)
        if match:
            rest = (cell[: match.start()] + " " + cell[match.end() :]).strip(" -–:,;()")
            rest = " ".join(rest.split())
            qualifier = (rest.lower() if rest.isupper() else rest) or None
            return Rag(level, qualifier, changed=cell != level)
    return Rag(None, qualifier=cell, changed=True)


_NEW_MEASURE = re.compile(r"^\s*NEW\s+(MEASURE|ACTION)\b[\s:\-–]*", re.IGNORECASE)


def strip_new_marker(text: str) -> tuple[str, bool]:
    """("To raise awareness…", True) from "NEW MEASURE To raise awareness…"."""
    match = _NEW_MEASURE.match(text)
    return (text[match.end() :].strip(), True) if match else (text, False)


def parse_due(text: str) -> tuple[str, bool]:
    """A due date in our form ("April 2022" → 2022-04) and whether it was rewritten.

    Several dates (one per step, as in the seed's priority F) give the latest; words such as
    "TBC" are kept as they are.
    """
    found = [d for line in text.splitlines() if (d := _one_date(line.strip()))]
    if not found:
        return " ".join(text.split()), False
    latest = max(found)
    return latest, latest != text.strip()


def _one_date(text: str) -> str | None:
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return text
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        except ValueError:
            return None
    match = re.fullmatch(r"(?:end of\s+)?([A-Za-z]{3,9})\.?\s+(\d{4})", text, re.IGNORECASE)
    if match and match[1][:3].lower() in _MONTHS:
        return f"{match[2]}-{_MONTHS[match[1][:3].lower()]:02d}"
    return None


def looks_like_dates(text: str) -> bool:
    """True when every line of a cell is a date or "TBC": a "By when" value, not an update."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return bool(lines) and all(_one_date(line) or line.upper() == "TBC" for line in lines)
