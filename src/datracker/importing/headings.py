"""Headings above and inside tables: the priority they start, or a status they state.

Plans head each priority in many ways ("Priority A: …", "NEW: Priority F - …", "Police and
Crime Plan: Objective 1 Cut crimes …", "Theme 2 – …", a row reading "1. Prevention"), and
some state a status only in a heading ("Completed projects", "Actions on track") with the
rows under it carrying none of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datracker.importing import cells as c

_WORDS = (
    r"priority|priorities|section|theme|outcome|objective|aim|goal|strand|pillar|workstream"
    r"|ambition|commitment|area|key area|strategic priority|strategic objective|chapter|part"
)
_HEADING = re.compile(
    rf"^(?:(?!NEW\b)[^:]{{1,60}}:\s*)?(?P<new>NEW\s*[:\-–]?\s*)?(?:{_WORDS})\s+"
    r"(?P<id>[A-Z0-9]{1,3})(?:\s*[:.\-–)]\s*(?P<title>.*)|\s+(?P<plain>[^\d\s].*))?$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(?P<id>\d{1,2})[.)]?\s+(?P<title>[^\d\s].{2,})$")
_STATUS_PHRASES = (
    "on track",
    "at risk",
    "off track",
    "not started",
    "in progress",
    "delayed",
    "behind schedule",
    "not met",
    "ongoing",
)


@dataclass(frozen=True)
class Heading:
    id: str
    title: str  # "" when the heading gives none ("Priority 3:"): the importer names it
    new: bool


def parse_heading(text: str) -> Heading | None:
    """ "NEW: Priority F - Safe accommodation" → F, "Safe accommodation", new."""
    line = " ".join(text.split())
    match = _HEADING.match(line)
    if not match:
        return None
    ident = match["id"].upper()
    title = (match["title"] or match["plain"] or "").strip()
    return Heading(ident, title, bool(match["new"]))


def parse_numbered_heading(text: str) -> Heading | None:
    """ "1. Prevention" as a row of its own: priority 1, when actions are numbered 1.1, 1.2."""
    match = _NUMBERED.match(" ".join(text.split()))
    if not match or heading_status(match["title"]) is not None:
        return None
    return Heading(match["id"], match["title"].strip(" :-–"), False)


@dataclass(frozen=True)
class HeadingStatus:
    text: str  # the heading as written
    status: str | None  # "complete" or "removed"
    rating: str | None  # a rating phrase such as "On track"


def heading_status(text: str) -> HeadingStatus | None:
    """ "Completed projects" → status complete; "Actions at risk" → rating "at risk"."""
    line = " ".join(text.split())
    if not line or len(line.split()) > 8 or parse_heading(line):
        return None
    words = re.findall(r"[a-z]+", line.lower())
    if any(word in c.COMPLETION_WORDS for word in words):
        return HeadingStatus(line, "complete", None)
    if any(word in c.REMOVAL_WORDS for word in words):
        return HeadingStatus(line, "removed", None)
    lowered = " ".join(words)
    for phrase in _STATUS_PHRASES:
        if re.search(rf"\b{phrase}\b", lowered):
            start = lowered.index(phrase)
            return HeadingStatus(line, None, " ".join(lowered[start : start + len(phrase)].split()))
    return None


def priority_from_cell(text: str, title: str) -> Heading:
    """A Priority column's cell ("2", "Priority 2: …", "1.The organisation …") as a heading."""
    line = " ".join(text.split())
    heading = parse_heading(line)
    if heading:
        return Heading(heading.id, title or heading.title, heading.new)
    parsed = c.parse_id(line)
    if parsed is not None:
        return Heading(parsed.id, title or parsed.rest, False)
    if re.fullmatch(r"[A-Z]{1,3}", line):  # "A", "HSG": a code, not a name
        return Heading(line, title, False)
    return Heading("", title or line, False)  # words only: the importer numbers it
