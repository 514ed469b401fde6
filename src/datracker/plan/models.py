"""The plan model: what a delivery plan is, independent of files, terminals and git.

Two kinds of file make a plan directory: `plan.yaml` (`PlanConfig`: strategy, RAG scale,
reviews, owners) and one file per priority (`PriorityFile`). Models are strict and forbid
unknown keys, so a typo in a web editor is caught with its location rather than ignored.

An action's current RAG is not stored: it is the RAG of its latest rated update. Storing it
twice would let the two disagree, and the board would not know which to believe.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeGuard, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from datracker.core.dates import check_partial_date, check_period, parse_partial_date

TERMINAL_STATUSES = ("complete", "removed", "n/a")
TERMINAL_LABELS = {"complete": "COMPLETE", "removed": "REMOVED", "n/a": "N/A"}
Status = Literal["active", "new", "complete", "removed", "n/a"]
ReviewState = Literal["open", "closed"]


def is_status(word: str) -> TypeGuard[Status]:
    """Whether `word` is one of the action statuses, for code that finds one in text."""
    return word in get_args(Status)


RollupRule = Literal["worst", "median"]


def _number_as_text(value: Any) -> Any:
    """YAML reads `period: 2021` as a number; a period is text, so accept it as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _check_due(text: str) -> str:
    parse_partial_date(text)  # raises for impossible dates such as 2022-13; words are fine
    return text


NumberAsText = Annotated[str, BeforeValidator(_number_as_text)]
PartialDate = Annotated[NumberAsText, AfterValidator(check_partial_date)]
Period = Annotated[NumberAsText, AfterValidator(check_period)]
Due = Annotated[NumberAsText, AfterValidator(_check_due)]
Identifier = Annotated[NumberAsText, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
# The largest figure a plan holds: 2**53, the last whole number a float (and so JSON readers
# and spreadsheets) holds exactly. Anything larger is a typo or an attack: a 401-digit integer
# or 1e400 (read as infinity) cannot be charted, summed or shown, so it is refused here, with
# its location, rather than crashing a command that does arithmetic on it later.
MAX_FIGURE = 2**53


def _check_figure(value: int | float) -> int | float:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("the figure is too large to hold (it reads as infinity)")
    if abs(value) > MAX_FIGURE:
        limit = f"figures can be at most {MAX_FIGURE:,}"
        raise ValueError(f"{figure_size(value)} is too large: {limit}")
    return value


def figure_size(value: int | float) -> str:
    """A huge number described without printing all its digits."""
    if isinstance(value, int):
        try:
            digits = len(str(abs(value)))
        except ValueError:  # over Python's 4,300 digits for printing a number
            return "a number of thousands of digits"
        return f"a number of {digits} digits" if digits > 20 else f"{value:,}"
    return f"{value:g}"


Number = Annotated[int | float, AfterValidator(_check_figure)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Strategy(Model):
    title: str
    period: NumberAsText | None = None
    approving_body: str | None = None


class ScaleLevel(Model):
    """One rung of the RAG scale; the scale lists rungs from worst to best."""

    id: Annotated[str, Field(min_length=1)]
    label: str | None = None
    colour: Colour
    meaning: str | None = None

    @property
    def display(self) -> str:
        return self.label or self.id


class Review(Model):
    id: Identifier
    label: str
    date: PartialDate
    status: ReviewState = "open"
    approved: PartialDate | None = None
    approved_by: str | None = None  # who approved it; the strategy's approving body if not said


class Owner(Model):
    id: Identifier
    name: str
    organisation: str | None = None
    role: str | None = None
    email: str | None = None
    git_emails: list[str] = []
    handles: list[str] = []


class DataPoint(Model):
    """One figure. `period` is left out only where the source gives a figure without saying
    when it was measured: datracker never invents one, and never puts such a figure on a time
    axis (charts, period order) but shows it as "period not stated"."""

    period: Period | None = None
    value: Number
    of: Number | None = None
    note: str | None = None

    @property
    def period_text(self) -> str:
        """The period as people read it; "period not stated" for a figure without one."""
        return self.period if self.period is not None else "period not stated"


class Target(Model):
    value: Number | None = None
    by: Due | None = None
    text: str | None = None


class Measure(Model):
    description: str
    unit: str | None = None
    baseline: DataPoint | None = None
    target: Target | None = None
    data: list[DataPoint] = []


class Update(Model):
    review: NumberAsText
    date: PartialDate | None = None
    rag: str | None = None
    qualifier: str | None = None
    text: str | None = None


class Action(Model):
    id: Identifier
    parent: Identifier | None = Field(
        default=None,
        description="The id of the action this one is a sub-action of (same priority), "
        "e.g. 2.6 for 2.6.1.",
    )
    objective: str | None = None
    action: str | None = None
    measures: list[Measure] = []
    owners: list[str] = []
    due: Due | None = None
    status: Status = "active"
    note: str | None = None
    updates: list[Update] = []

    @property
    def is_open(self) -> bool:
        """Active or new: still being delivered, so RAG, owners and updates matter."""
        return self.status not in TERMINAL_STATUSES

    @property
    def latest_rated_update(self) -> Update | None:
        # a plain loop: roll-ups, status and the refresh document ask this of every action,
        # several times each, and a generator expression was most of the cost
        for update in reversed(self.updates):
            if update.rag is not None:
                return update
        return None

    @property
    def rag(self) -> str | None:
        update = self.latest_rated_update
        return update.rag if update else None

    @property
    def qualifier(self) -> str | None:
        update = self.latest_rated_update
        return update.qualifier if update else None

    def update_for(self, review_id: str) -> Update | None:
        for update in self.updates:
            if update.review == review_id:
                return update
        return None


class Assessment(Model):
    """The rating a board or steering group stated for a whole priority at one review.

    Kept beside, never instead of, the roll-up datracker computes from the actions' RAGs: a
    board weighs things the action ratings do not hold, and its paper must show both. `text`
    is the board's own words (e.g. the counts line it printed); `retained` names an earlier
    review whose stated rating this one keeps, as a refresh that "retains the RAG rating"
    says.
    """

    review: NumberAsText
    rag: str
    text: str | None = None
    retained: NumberAsText | None = None


class PriorityFile(Model):
    id: Identifier
    title: str
    focus: bool = False
    draft: bool = False
    note: str | None = None
    assessments: list[Assessment] = []
    actions: list[Action] = []

    def assessment_for(self, review_id: str) -> Assessment | None:
        """The rating stated for this priority at that review; None when none was stated."""
        for assessment in self.assessments:
            if assessment.review == review_id:
                return assessment
        return None


def default_scale() -> list[ScaleLevel]:
    """The UK five-point delivery-confidence scale, worst first."""
    return [
        ScaleLevel(id="RED", colour="#C00000", meaning="Delivery appears unachievable"),
        ScaleLevel(id="AMBER/RED", colour="#ED7D31", meaning="Delivery is in doubt"),
        ScaleLevel(id="AMBER", colour="#FFC000", meaning="Delivery is feasible, with issues"),
        ScaleLevel(id="AMBER/GREEN", colour="#A9D08E", meaning="Delivery is probable"),
        ScaleLevel(id="GREEN", colour="#00B050", meaning="Delivery is on track"),
    ]


_OWNERS_BY_ID = "_owners_by_id"  # PlanConfig.owner's dict, in the instance's __dict__


class PlanConfig(Model):
    version: Literal[1] = 1
    strategy: Strategy
    scale: list[ScaleLevel] = Field(default_factory=default_scale, min_length=1)
    rollup: RollupRule = "worst"
    reviews: list[Review] = []
    owners: list[Owner] = []
    maintainers: list[str] = []

    @property
    def latest_review(self) -> Review | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def open_review(self) -> Review | None:
        return next((r for r in self.reviews if r.status == "open"), None)

    @property
    def current_review(self) -> Review | None:
        """The review the plan stands at: the open one, else the latest. Staleness, overdue
        dates and the stated priority ratings are judged as of this review."""
        return self.open_review or self.latest_review

    def review(self, review_id: str) -> Review | None:
        return next((r for r in self.reviews if r.id == review_id), None)

    def owner(self, owner_id: str) -> Owner | None:
        """The owner with this id (the first, where a plan repeats one), by a dict.

        Every listing asks once per owner of every action, so a scan of the directory made
        a large plan's output quadratic. The dict is built once per `owners` list and kept
        beside the fields (not a field: not dumped, not compared); a list put in its place
        (`model_copy(update=...)`, assignment) or grown gets a new dict, so the answer always
        follows `owners` (tests/test_owner_tools.py).
        """
        owners = self.owners
        kept = self.__dict__.get(_OWNERS_BY_ID)
        if kept is None or kept[0] is not owners or kept[1] != len(owners):
            by_id = {owner.id: owner for owner in reversed(owners)}  # the first one wins
            kept = self.__dict__[_OWNERS_BY_ID] = (owners, len(owners), by_id)
        return kept[2].get(owner_id)

    def rank(self, rag: str) -> int | None:
        """Position on the scale, 0 = worst; None for a RAG not on the scale."""
        for index, level in enumerate(self.scale):
            if level.id == rag:
                return index
        return None


@dataclass(frozen=True)
class Plan:
    """A whole plan once every file has been read: the config and the priorities in order."""

    config: PlanConfig
    priorities: list[PriorityFile]

    def actions(self) -> Iterator[tuple[PriorityFile, Action]]:
        for priority in self.priorities:
            for action in priority.actions:
                yield priority, action

    def find_action(self, action_id: str) -> tuple[PriorityFile, Action] | None:
        return next(((p, a) for p, a in self.actions() if a.id == action_id), None)
