"""Owners as "By whom" cells write them, turned into one de-duplicated owners directory.

Cells name several people at once ("Kelly Pierce/Danni Honey", "Alison Lawrence (Portsmouth
Safeguarding Adults Board - PSAB) and Bruce Marr", "Sayma Begum with Partner services (Police,
Health, Housing, DA providers)"). The brackets hold an organisation, a role, or an acronym that
the document uses on its own elsewhere ("Stop Domestic Abuse (SDA)" … "SDA"), so the acronym
is kept as an alias and both spellings become one owner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ROLE_WORDS = re.compile(
    r"\b(lead|chair|manager|officer|director|head|coordinator|co-ordinator|adviser|advisor)\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*/\s*|\s*,\s*|\s*;\s*|\s+and\s+|\s+with\s+|\s+&\s+", re.IGNORECASE)
# once a cell separates owners with '/', a comma belongs to a name ("Chair, DA Steering Group")
_SEPARATORS_NO_COMMA = re.compile(r"\s*/\s*|\s+and\s+|\s+with\s+|\s+&\s+", re.IGNORECASE)


@dataclass(frozen=True)
class OwnerName:
    """One owner as written in one cell, before de-duplication."""

    name: str
    organisation: str | None = None
    role: str | None = None
    alias: str | None = None


def split_owner_cell(text: str) -> list[OwnerName]:
    """Every owner a cell names. A ';' (as our export writes) is the only separator if present;
    a '/' (as the seed and our refresh document write) makes commas part of names."""
    if ";" in text:
        parts = [p.strip() for p in text.split(";")]
    else:
        separators = _SEPARATORS_NO_COMMA if "/" in _outside_brackets(text) else _SEPARATORS
        parts = [p for line in text.splitlines() for p in _split_outside_brackets(line, separators)]
    return [_parse_one(p) for p in parts if p.strip(" -–")]


def _outside_brackets(text: str) -> str:
    return re.sub(r"\([^()]*\)", "", text)


def _split_outside_brackets(line: str, separators: re.Pattern[str]) -> list[str]:
    parts: list[str] = []
    depth, start = 0, 0
    for match in re.finditer(r"[()]|" + separators.pattern, line, re.IGNORECASE):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(line[start : match.start()])
            start = match.end()
    parts.append(line[start:])
    return [" ".join(p.split()) for p in parts if p.strip()]


def _parse_one(text: str) -> OwnerName:
    text = " ".join(text.split()).strip(" -–")
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", text)
    if bracket:
        return _with_bracket(bracket[1].strip(), bracket[2].strip())
    prefix = re.fullmatch(r"([A-Z]{2,6})\s+((?:[A-Z][a-z'’-]+\s*){2,})", text)
    if prefix:  # "OPCC Lisa Allum": an organisation's acronym before a person's name
        return OwnerName(prefix[2].strip(), organisation=prefix[1])
    return OwnerName(text)


def _with_bracket(name: str, inside: str) -> OwnerName:
    if "," in inside:  # "Partner services (Police, Health, …)": a list, part of the name
        return OwnerName(f"{name} ({inside})")
    if inside.isupper() and inside.replace(" ", "").isalpha() and len(inside) <= 6:
        return OwnerName(name, alias=inside)
    if _ROLE_WORDS.search(inside):
        return OwnerName(name, role=inside)
    acronym = re.fullmatch(r"(.+?)\s+[-–]\s+([A-Z]{2,6})", inside)
    organisation = f"{acronym[1]} ({acronym[2]})" if acronym else inside
    return OwnerName(name, organisation=organisation)


def slug(text: str) -> str:
    """An id from a name: "Teresa O'Toole" → teresa-otoole.

    What is in brackets ("Partner services (Police, …)" → partner-services) is left out,
    so the id stays short and stable.
    """
    text = re.sub(r"\s*\(.*\)", "", text) or text
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64].strip("-") or "owner"


@dataclass
class DirectoryEntry:
    id: str
    name: str
    organisation: str | None = None
    role: str | None = None


@dataclass
class OwnerDirectory:
    """Owners in order of first appearance, one entry per name (ignoring case and spacing)."""

    entries: list[DirectoryEntry] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # "SDA" -> "stop-domestic-abuse"

    def learn_aliases(self, owners: list[OwnerName]) -> None:
        """Acronyms first, so "SDA" finds Stop Domestic Abuse even when it comes earlier."""
        for owner in owners:
            if owner.alias:
                self.aliases.setdefault(owner.alias, slug(owner.name))

    def add(self, owner: OwnerName) -> tuple[str, bool]:
        """The owner's id, and True when the name was an alias for another owner's name."""
        via_alias = owner.name in self.aliases and not owner.organisation and not owner.role
        owner_id = self.aliases[owner.name] if via_alias else slug(owner.name)
        entry = next((e for e in self.entries if e.id == owner_id), None)
        if entry is None:
            entry = DirectoryEntry(owner_id, owner.name)
            self.entries.append(entry)
        if via_alias:
            return owner_id, True
        if entry.name in self.aliases:  # first seen as "SDA": now we know the full name
            entry.name = owner.name
        entry.organisation = entry.organisation or owner.organisation
        entry.role = entry.role or owner.role
        return owner_id, False
