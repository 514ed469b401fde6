"""The RAG scale of an imported plan: the plan's own words when it does not rate in colours.

Many plans rate actions "On Track / At Risk / Off Track / Delivered", "Achieved / Ongoing /
Not met" or by percentage complete. Mapping those onto RED/AMBER/GREEN would lose what the
board wrote (is "Ongoing" amber or green?), so the import keeps the words as the plan's own
scale in plan.yaml, which the plan format allows. Their order (worst first) is worked out
from words whose meaning is clear, and reported so the strategy lead can confirm it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from datracker.core.problems import InvalidValue
from datracker.importing import cells as c
from datracker.plan.models import ScaleLevel, default_scale

# How good each common rating word is, from 0 (worst) to 1 (done). Longer phrases are tried
# first, so "not on track" is never read as "on track".
_SCORES: dict[str, float] = {
    "significantly off track": 0.02,
    "not met": 0.05,
    "will not be met": 0.05,
    "failed": 0.05,
    "off track": 0.1,
    "off-track": 0.1,
    "not on track": 0.1,
    "red": 0.1,
    "unlikely to be met": 0.15,
    "not achieved": 0.05,
    "on hold": 0.2,
    "paused": 0.2,
    "not started": 0.22,
    "not yet started": 0.22,
    "behind schedule": 0.25,
    "pending": 0.3,
    "delayed": 0.3,
    "slipped": 0.3,
    "at risk": 0.35,
    "some risk": 0.4,
    "action required": 0.35,
    "amber": 0.45,
    "partially met": 0.5,
    "partly complete": 0.5,
    "under control": 0.55,
    "started": 0.55,
    "ongoing": 0.6,
    "in progress": 0.6,
    "progressing": 0.6,
    "initiated": 0.55,
    "good progress": 0.75,
    "on target": 0.8,
    "on-target": 0.8,
    "on track": 0.8,
    "on-track": 0.8,
    "green": 0.8,
    "ahead of schedule": 0.9,
    "ahead": 0.9,
    "substantially complete": 0.9,
    **dict.fromkeys(c.COMPLETION_WORDS, 1.0),
}
_PHRASES = sorted(_SCORES, key=len, reverse=True)
_UNKNOWN_SCORE = 0.5
_PERCENT = re.compile(r"(\d{1,3})\s*%")
_STAGE = re.compile(r"stage\s*:\s*(?P<stage>[^|]+?)\s*(?:\||$)", re.IGNORECASE)


def rating_parts(text: str) -> tuple[str, str | None]:
    """The rating in a cell, and what else it says: "Stage: Delivery | Percentage complete: 10%"
    → ("10%", "Stage: Delivery"); "✔ Complete" → ("Complete", None)."""
    cell = " ".join(text.split())
    cell = re.sub(r"^[^\w%]+", "", cell).strip()  # ticks, emoji and bullets before the word
    percent = re.search(r"percentage complete\s*:?\s*(\d{1,3})\s*%", cell, re.IGNORECASE)
    if percent:
        stage = _STAGE.search(cell)
        return f"{int(percent[1])}%", (f"Stage: {stage['stage']}" if stage else None)
    return cell, None


@dataclass(frozen=True)
class Level:
    label: str  # as the plan writes it: "On Track", "10%"
    score: float
    known: bool  # a word whose place on the scale datracker knows

    @property
    def complete(self) -> bool:
        return self.score >= 1.0


def level_for(text: str) -> tuple[Level, str] | None:
    """The rating word in a cell and the cell with it taken out (a qualifier), or None."""
    cell, _ = rating_parts(text)
    if not cell:
        return None
    percent = _PERCENT.fullmatch(cell)
    if percent:
        value = min(int(percent[1]), 100)
        return Level(f"{value}%", value / 100, True), ""
    lowered = cell.lower()
    for phrase in _PHRASES:
        match = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", lowered)
        if match:
            label = cell[match.start() : match.end()]
            rest = (cell[: match.start()] + " " + cell[match.end() :]).strip(" -–:,;()")
            return Level(label, _SCORES[phrase], True), " ".join(rest.split())
    return Level(cell, _UNKNOWN_SCORE, False), ""


def level_id(label: str) -> str:
    """ "On Track" → ON-TRACK, "10%" → 10%: the id owners write as `rag:`."""
    return re.sub(r"[\s/]+", "-", label.strip()).upper()


def _colour(score: float) -> str:
    if score >= 1.0:
        return "#4472C4"  # done: blue, as many plans show "complete"
    for floor, colour in ((0.75, "#00B050"), (0.6, "#A9D08E"), (0.4, "#FFC000"), (0.25, "#ED7D31")):
        if score >= floor:
            return colour
    return "#C00000"


@dataclass
class ImportScale:
    """The scale the imported plan rates on, and how to read a rating cell against it."""

    levels: list[ScaleLevel]
    custom: bool
    complete_ids: set[str] = field(default_factory=set)  # levels that mean "done"

    @property
    def ids(self) -> list[str]:
        return [level.id for level in self.levels]

    def read(self, text: str) -> c.Rag:
        """A rating cell on this scale: the level, words around it, and a status it implies."""
        if not self.custom:
            return c.parse_rag(text, self.ids)
        cell, extra = rating_parts(text)
        status = _status_word(cell)
        if status is not None and status != "complete":
            return c.Rag(None, status=status, changed=True)
        for label, level in self._labels:
            match = re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", cell, re.IGNORECASE)
            if match:
                rest = (cell[: match.start()] + " " + cell[match.end() :]).strip(" -–:,;()")
                qualifier = " ".join(part for part in (" ".join(rest.split()), extra) if part)
                done = "complete" if level in self.complete_ids else None
                return c.Rag(level, qualifier or None, status=done, changed=text.strip() != level)
        if status is not None:
            return c.Rag(None, status=status, changed=True)
        return c.Rag(None, qualifier=cell or None, changed=True)

    @property
    def _labels(self) -> list[tuple[str, str]]:
        """(words, level id) for every level, by its label and by its id, longest first."""
        pairs = {(level.label or level.id, level.id) for level in self.levels}
        pairs |= {(level.id, level.id) for level in self.levels}
        return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def is_no_rating(text: str) -> bool:
    """ "NOT RATED", "TBC", "-": the cell says there is no rating yet."""
    return " ".join(text.lower().split()).strip(" .") in c.NO_RATING_WORDS


def _status_word(cell: str) -> str | None:
    lowered = cell.lower().strip(" .")
    if lowered in c.COMPLETION_WORDS:
        return "complete"
    if lowered in c.REMOVAL_WORDS:
        return "removed"
    return c.STATUS_WORDS.get(lowered)


def default_import_scale() -> ImportScale:
    return ImportScale(default_scale(), custom=False)


def uses_default_scale(texts: list[str]) -> bool:
    """True when every rating is a RED/AMBER/GREEN level (in any case, with words around it)
    or a status word such as COMPLETE: the plan rates in colours."""
    ids = [level.id for level in default_scale()]
    for text in texts:
        rag = c.parse_rag(text, ids)
        if rag.rag is None and rag.status is None and _status_word(text) is None:
            return False
    return True


@dataclass(frozen=True)
class ScaleChoice:
    scale: ImportScale
    message: str | None  # what to tell the lead about the scale, if it is the plan's own


def infer_scale(texts: list[str]) -> ScaleChoice:
    """The default scale if the plan rates in colours; otherwise its own words, worst first."""
    ratings = [t for t in texts if t.strip() and not is_no_rating(t)]
    if uses_default_scale(ratings):
        return ScaleChoice(default_import_scale(), None)
    found: dict[str, Level] = {}
    for text in ratings:
        if _status_word(rating_parts(text)[0]) in ("removed", "n/a", "new", "active"):
            continue
        read = level_for(text)
        if read is not None:
            found.setdefault(level_id(read[0].label), read[0])  # "On track" = "on-track"
    if not found:  # only symbols or status words ("¤", "removed"): nothing to make a scale of
        return ScaleChoice(default_import_scale(), None)
    ordered = sorted(found.values(), key=lambda level: level.score)  # stable: first seen first
    scale = _scale_of([(level.label, level.score) for level in ordered])
    names = ", ".join(level.label for level in ordered)
    unknown = [level.label for level in ordered if not level.known]
    message = (
        f"the ratings are the plan's own words, not RED/AMBER/GREEN, so plan.yaml gets them as "
        f"its scale, worst first: {names}; check this order"
    )
    if unknown:
        message += (
            f" ({', '.join(repr(u) for u in unknown)}: not a word datracker knows, so placed "
            "in the middle)"
        )
    message += '; --scale "worst,…,best" sets it'
    return ScaleChoice(scale, message)


def scale_from_option(text: str) -> ImportScale:
    """--scale "Off Track,At Risk,On Track,Delivered": the levels, worst first."""
    labels = [" ".join(part.split()) for part in text.split(",")]
    labels = [label for label in labels if label]
    if not labels:
        raise InvalidValue(
            "--scale needs at least one level", 'e.g. --scale "Off Track,At Risk,On Track"'
        )
    ids = [level_id(label) for label in labels]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    if doubled:
        raise InvalidValue(f"--scale names {', '.join(doubled)} twice", "name each level once")
    count = len(labels)
    scored = []
    for index, label in enumerate(labels):
        done = label.lower() in c.COMPLETION_WORDS
        scored.append((label, 1.0 if done else (index + 1) / (count + 1)))
    return _scale_of(scored)


def _scale_of(labelled: list[tuple[str, float]]) -> ImportScale:
    levels, complete = [], set()
    for label, score in labelled:
        ident = level_id(label)
        levels.append(
            ScaleLevel(id=ident, label=label if label != ident else None, colour=_colour(score))
        )
        if score >= 1.0:
            complete.add(ident)
    return ImportScale(levels, custom=True, complete_ids=complete)
