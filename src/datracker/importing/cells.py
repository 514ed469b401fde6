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

# Column headers as real plans write them, squashed (see `squash`). Each field has its usual
# words, which claim a column outright, and looser synonyms ("Comments", "Progress") that only
# count when no column has the usual word for that field: a plan with "Update January 2022"
# and "Comments" keeps the comments in the note rather than mixing them into the update.
# Each pattern must match the whole squashed header.
_STRONG: list[tuple[str, str]] = [
    (
        ID,
        r"|id|ref|refs|ref no|reference|ref number|no|number|#|item|item no|action id"
        r"|action ref|action reference|action no|action number|commitment id|objective id"
        r"|milestone id",
    ),
    (
        PRIORITY,
        r"priority|priority id|priority ref|priority no|priority number|theme"
        r"|theme id|strand|workstream|work stream|pillar|key area|area of work|strategic priority"
        r"|priority area|section|chapter|ambition|goal|strategic aim|aim",
    ),
    (
        PRIORITY_TITLE,
        r"priority title|priority name|priority description|theme title"
        r"|theme name|strand title|strategic priority title",
    ),
    (
        OBJECTIVE,
        r"objectives?|outcomes?|key objectives?|strategic objectives?|requirements?"
        r"|what we want to achieve|intended outcomes?|outcome objective",
    ),
    (
        ACTION,
        r"actions?|strategic actions?|key actions?|actions? required|activity|activities"
        r"|tasks?|deliverables?|key deliverables?|commitments?|projects?|what we will do"
        r"|actions? for \d{4}( \d{2,4})?|action description|action title|planned actions?",
    ),
    (
        MEASURES,
        r"measures?|suggested measures?|success measures?|measures? of success"
        r"|kpis?|kpis? \w+|key performance indicators?|performance indicators?|indicators?"
        r"|milestones?|key milestones?|targets?|how (we will|will we) measure success"
        r"|success criteria|outputs?",
    ),
    (
        OWNERS,
        r"by whom|owners?|owner s|action owners?|leads?|lead officers?|lead officer s"
        r"|lead s|responsible|responsible officers?|responsible person|persons? responsible"
        r"|persons? responsible for .+|responsibility|accountable|accountable officers?"
        r"|lead directors?|executive leads?|lead organisations?|lead agency|lead partners?"
        r"|lead members?|lead services?|who|who is responsible|delivery lead",
    ),
    (
        RAG,
        r"rag|rag status|rag rating|r a g|r/a/g|overall rag|rag \w+ \d{4}|rag q\d"
        r"|overall rating|rating|delivery rating|confidence|delivery confidence",
    ),
    (
        DUE,
        r"by when|due|due date|deadline|target date|target dates|timescales?|timeframes?"
        r"|completion date|target completion date|forecast end date|end date|expected completion"
        r"|delivery date|when|date due|target completion",
    ),
    (DUE_OR_UPDATE, r"by when/update"),
    (QUALIFIER, r"qualifier"),
    (NOTE, r"notes?"),
    (REVIEW, r"review|review id"),
    (REVIEW_LABEL, r"review label|reporting period|period|quarter|review period"),
    (UPDATE_DATE, r"update date|date of update|last updated|date updated"),
]
# Looser words: a column reads as these only when no column has the field's usual words.
_WEAK: list[tuple[str, str]] = [
    (
        UPDATE,
        r"comments?|commentary|progress|progress to date|progress commentary"
        r"|current position|position|current status of action|current status|narrative"
        r"|performance against objective|current|update text|status update|progress notes?"
        r"|evidence of progress|delivery progress",
    ),
    (
        RAG,
        r"status|overall status|progress status|delivery status|action status"
        r"|status of action|current rag",
    ),
]
_STRONG_RE = [(name, re.compile(f"(?:{pattern})")) for name, pattern in _STRONG]
_WEAK_RE = [(name, re.compile(f"(?:{pattern})")) for name, pattern in _WEAK]
_DATED_UPDATE = re.compile(r"\b(update|updated|progress|commentary|comments|position)\b")
_UPDATE_HEADER = re.compile(r"^(update|updated|progress update|latest update|update text)\b")
FIELDS = (
    ID,
    PRIORITY,
    PRIORITY_TITLE,
    OBJECTIVE,
    ACTION,
    MEASURES,
    OWNERS,
    UPDATE,
    RAG,
    STATUS,
    DUE,
    QUALIFIER,
    NOTE,
    REVIEW,
    REVIEW_LABEL,
    UPDATE_DATE,
)

STATUS_WORDS = {
    "complete": "complete",
    "completed": "complete",
    "removed": "removed",
    "n/a": "n/a",
    "na": "n/a",
    "new": "new",
    "active": "active",
}
# Words that say an action is finished, or dropped, wherever they are written: a status or
# RAG cell, a "Deadline" cell reading "Completed", a heading such as "Completed projects".
COMPLETION_WORDS = {
    "complete",
    "completed",
    "delivered",
    "achieved",
    "done",
    "closed",
    "fully complete",
    "completed, with no further action",
}
# A rating cell that says there is no rating yet: read as no RAG, never as a scale level.
NO_RATING_WORDS = {
    "not rated",
    "no rating",
    "unrated",
    "not yet rated",
    "not assessed",
    "n/r",
    "nr",
    "tbc",
    "tbd",
    "-",
    "–",
    "none",
}
REMOVAL_WORDS = {"removed", "cancelled", "canceled", "deleted", "withdrawn", "stopped", "dropped"}

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
    """Header text without case, punctuation (other than '/'), underscores or extra spaces."""
    text = re.sub(r"[^\w/# ]+|_", " ", text.lower())
    text = re.sub(r"\s*/\s*", "/", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class HeaderMeaning:
    field: str | None
    strong: bool  # the field's usual word, rather than a looser synonym


def read_header(text: str) -> HeaderMeaning:
    """What a column header means, and how sure that is ("Status" alone could be either the
    action's status or its RAG: the importer decides from the column's cells)."""
    key = squash(text)
    if _UPDATE_HEADER.match(key):
        return HeaderMeaning(UPDATE, True)
    if _DATED_UPDATE.search(key) and read_review_label(text):
        return HeaderMeaning(UPDATE, True)  # "Q3 2016/17 progress", "Commentary March 2023"
    for name, pattern in _STRONG_RE:
        if pattern.fullmatch(key):
            return HeaderMeaning(name, True)
    for name, pattern in _WEAK_RE:
        if pattern.fullmatch(key):
            return HeaderMeaning(name, False)
    return HeaderMeaning(None, False)


_QUARTER = re.compile(r"\b(?:q|quarter)\s*([1-4])\b", re.IGNORECASE)
_FINANCIAL_YEAR = re.compile(r"\b(\d{4})\s*(?:/|-|–|to)\s*(\d{2}|\d{4})\b")
_YEAR = re.compile(r"\b(\d{4})\b")
_DMY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")


@dataclass(frozen=True)
class ReviewDate:
    id: str  # "2022-01"
    date: str  # "2022-01", a partial date
    how: str | None = None  # how a date was worked out when the label names no month


def read_review_label(label: str) -> ReviewDate | None:
    """The review a label names: "Update January 2022", "Delivery progress report 3 - February
    2025" (→ 2022-01, 2025-02), "Quarter 3 2020 to 2021" (the third quarter of the financial
    year 2020/21 ends in December 2020 → 2020-12), "as at 18.01.2016"; None when no date can
    be read. The latest month named wins: "October - December 2020" is December's review."""
    months = [
        (int(year), _MONTHS[word[:3].lower()])
        for word, year in re.findall(r"\b([A-Za-z]{3,9})\.?,?\s+(\d{4})\b", label)
        if word[:3].lower() in _MONTHS
    ]
    if months:
        year, month = max(months)
        return ReviewDate(f"{year}-{month:02d}", f"{year}-{month:02d}")
    match = re.search(r"\b(\d{4})-(\d{2})\b", label)
    if match and 1 <= int(match[2]) <= 12 and _financial_year(label) is None:
        return ReviewDate(match[0], match[0])
    day = _DMY.search(label)
    if day is None and not _QUARTER.search(label):
        years = set(_YEAR.findall(label))
        if len(years) == 1 and _financial_year(label) is None:
            year = years.pop()
            return ReviewDate(year, year, f"the year {year} only: the label names no month")
    if day and 1 <= int(day[2]) <= 12 and 1 <= int(day[1]) <= 31:
        month_id = f"{day[3]}-{int(day[2]):02d}"
        return ReviewDate(month_id, f"{month_id}-{int(day[1]):02d}")
    return _quarter(label)


def _financial_year(label: str) -> int | None:
    """2020 from "2020 to 2021", "2020/21" or "2020-21": a year followed by the next one."""
    for match in _FINANCIAL_YEAR.finditer(label):
        start, end = int(match[1]), int(match[2])
        if end in (start + 1, (start + 1) % 100):
            return start
    return None


def _quarter(label: str) -> ReviewDate | None:
    quarter = _QUARTER.search(label)
    if not quarter:
        return None
    number = int(quarter[1])
    start = _financial_year(label)
    if start is not None:
        end_month = (3 * number + 3 - 1) % 12 + 1  # Q1 → June, Q2 → September, Q4 → March
        year = start + 1 if number == 4 else start
        how = f"the end of quarter {number} of the financial year {start}/{str(start + 1)[2:]}"
    else:
        year_match = _YEAR.search(label)
        if not year_match:
            return None
        year, end_month = int(year_match[1]), 3 * number
        how = f"the end of quarter {number} of {year} (calendar quarters)"
    month_id = f"{year}-{end_month:02d}"
    return ReviewDate(month_id, month_id, how)


def review_from_label(label: str) -> tuple[str, str] | None:
    """("2022-01", "2022-01") from "Update January 2022": a review id and date; None if none."""
    found = read_review_label(label)
    return (found.id, found.date) if found else None


# Ids as people type them: letters and digits (A5, G12, CDP3, 1a), a prefix and a number
# (WAP-1, P2, WAP-1.2), dotted numbers of any depth (1.1, 2.02.01), a letter and dotted
# numbers (A1.2). A stray dot or bracket after an id ("2.7.", "6)") is not part of it.
_ID_BODY = (
    r"[A-Za-z]{1,6}[-_]?\d{1,3}(?:\.\d{1,3}){0,4}[a-z]?"
    r"|\d{1,3}(?:\.\d{1,3}){1,5}[a-z]?"
    r"|\d{1,3}[a-z]?"
)
_ID_START = re.compile(
    rf"^\s*(?P<id>{_ID_BODY})(?P<stray>[.)](?!\d))?(?=$|[\s\-–:,]|(?<=[.)])\S)"
    r"\s*[-–:.,]?\s*(?P<rest>.*)$",
    re.DOTALL,
)
_ID_TYPO = re.compile(r"^\s*([A-Z])([0-9IlO]{1,3})(?=$|[\s\-–:.,])\s*[-–:.,]?\s*(.*)$", re.DOTALL)
_TYPO_HAS_LETTER = re.compile(r"[IlO]")


@dataclass(frozen=True)
class ParsedId:
    id: str
    rest: str
    typo: str | None = None  # the text as written, when a letter stood for a digit
    stray: str | None = None  # the id as written, when it ended in a stray "." or ")"

    @property
    def levels(self) -> list[str]:
        """ "2.6.1" → ["2", "6", "1"]; "A5" → ["A5"]."""
        return self.id.split(".")


def parse_id(text: str) -> ParsedId | None:
    """The action id at the start of a cell ("A7 COMPLETE" → A7, "2.7. Deliver…" → 2.7), or None.

    "EI" is E1 typed with a capital I: a letter I, l or O after the prefix letter is read as
    1 or 0, and the caller warns about it.
    """
    typo = _ID_TYPO.match(text)
    if typo and _TYPO_HAS_LETTER.search(typo[2]):
        fixed = typo[1] + typo[2].translate(str.maketrans("IlO", "110"))
        return ParsedId(fixed, typo[3].strip(), typo=typo[1] + typo[2])
    match = _ID_START.match(text)
    if not match:
        return None
    ident, rest = match["id"], match["rest"].strip()
    if re.fullmatch(r"[A-Za-z]+", ident) or not re.search(r"\d", ident):
        return None
    if ident[0].isalpha() and not ident[0].isupper():
        return None  # "to 2022", "in 3": words, not ids
    stray = ident + match["stray"] if match["stray"] else None
    return ParsedId(ident, rest, stray=stray)


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
    # "Apr-20", "Sep '19", "Sep ‘19": a month and a two-digit year, as spreadsheets print them
    match = re.fullmatch(r"([A-Za-z]{3,9})\.?\s*[-\s'‘’]\s*'?(\d{2})", text)
    if match and match[1][:3].lower() in _MONTHS:
        return f"20{match[2]}-{_MONTHS[match[1][:3].lower()]:02d}"
    return None


def looks_like_dates(text: str) -> bool:
    """True when every line of a cell is a date or "TBC": a "By when" value, not an update."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return bool(lines) and all(_one_date(line) or line.upper() == "TBC" for line in lines)
