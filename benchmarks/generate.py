"""Write synthetic delivery plans of any size, for the benchmarks.

The plans should cost datracker what a real plan of that size would cost, so they look
hand-written: prose-like update text in folded block scalars, owners in flow sequences,
dates left unquoted, several files. The YAML is built as text rather than dumped, because a
dumper is slow for 10,000 actions and writes nothing like what people type.

Everything comes from `random.Random(seed)`, so a size and a seed always give the same bytes
and timings from different machines are of the same input.

Usage: python benchmarks/generate.py DIR --actions N [--seed S] [--force]
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# Bump when the output changes, so run.py regenerates plans it cached in benchmarks/.work/.
GENERATOR_VERSION = 1

ACTIONS_PER_FILE = 50
MIN_PRIORITIES = 6
OWNER_COUNT = 20
WRAP_WIDTH = 92

# Relative to a plan kept at the top of the repository, as the shipped plan is.
PLAN_SCHEMA = "../schema/plan.schema.json"
PRIORITY_SCHEMA = "../../schema/priority.schema.json"


@dataclass(frozen=True)
class Review:
    id: str
    label: str
    date: str
    status: str
    year: int
    month: int


REVIEWS = (
    Review("2021-10", "Review October 2021", "2021-10-28", "closed", 2021, 10),
    Review("2022-01", "Review January 2022", "2022-01-27", "closed", 2022, 1),
    Review("2022-04", "Review April 2022", "2022-04-28", "open", 2022, 4),
)

# Worst first, as on the default scale; the weights make most actions broadly on track.
RAGS = ("RED", "AMBER/RED", "AMBER", "AMBER/GREEN", "GREEN")
RAG_WEIGHTS = (8, 12, 25, 25, 30)

FIRST_NAMES = (
    "Aisha Ben Carys Dafydd Elin Farah Gareth Hannah Imran Jess Kofi Lowri Mohammed Nia "
    "Owen Priya Rhys Sian Tomasz Yasmin Zoe Alun Bethan Chidi"
).split()
LAST_NAMES = (
    "Ahmed Baker Collins Davies Evans Fraser Griffiths Hughes Iqbal Jones Khan Lewis Morgan "
    "Nowak Owens Patel Roberts Singh Thomas Watkins Williams Young"
).split()
ORGANISATIONS = (
    "City Council",
    "Health Board",
    "Regional Partnership",
    "Housing Association",
    "Fire and Rescue Service",
    "Third Sector Council",
    "University",
)
ROLES = (
    "Head of Service",
    "Programme Manager",
    "Director of Strategy",
    "Service Lead",
    "Data Lead",
    "Commissioning Manager",
    "Project Officer",
)

THEMES = (
    "Healthy lives",
    "Safe and connected communities",
    "Skills and employment",
    "Homes for everyone",
    "Children and young people",
    "A greener economy",
    "Ageing well",
    "Digital services",
    "Transport and access",
    "Culture and wellbeing",
    "Tackling poverty",
    "Workforce and leadership",
)
AREAS = (
    "the city centre",
    "the valleys",
    "the coastal towns",
    "rural communities",
    "the north of the region",
    "the south of the region",
    "partner organisations",
    "schools and colleges",
)

OBJECTIVE_VERBS = (
    "Improve",
    "Reduce",
    "Increase",
    "Widen",
    "Strengthen",
    "Speed up",
    "Sustain",
    "Simplify",
)
OBJECTIVE_TOPICS = (
    "access to community mental health support",
    "waiting times for adult social care assessments",
    "the number of young people in education or training",
    "take-up of energy efficiency grants",
    "digital skills among older residents",
    "the supply of affordable homes",
    "early help for families under pressure",
    "participation in sport and physical activity",
    "the reliability of rural bus services",
    "carbon emissions from public buildings",
    "the use of shared data across services",
    "recruitment and retention of care workers",
    "support for people leaving hospital",
    "the number of local apprenticeships",
    "school attendance in priority areas",
    "use of the online reporting service",
)
ACTION_VERBS = (
    "Deliver",
    "Commission",
    "Pilot",
    "Roll out",
    "Develop",
    "Review",
    "Agree and publish",
    "Establish",
)
ACTION_OBJECTS = (
    "a joint referral pathway",
    "a regional training programme",
    "an outcomes framework",
    "a shared case management system",
    "a community hub model",
    "a workforce plan",
    "a retrofit scheme for council homes",
    "a single point of contact service",
    "a data sharing agreement",
    "a co-produced engagement plan",
    "a transport demand study",
    "a neighbourhood grants programme",
)
ACTION_TAILS = (
    "with partners across the region",
    "in line with the national framework",
    "building on the findings of the pilot",
    "working with service users and carers",
    "within the existing budget",
    "starting in the areas of greatest need",
)

SUBJECTS = (
    "The project board",
    "The delivery team",
    "The steering group",
    "The regional partnership",
    "The working group",
    "The service manager",
    "The programme office",
    "The local authority lead",
    "The data team",
    "The frontline team",
    "The commissioning team",
    "The lead officer",
)
VERBS = (
    "has agreed",
    "is reviewing",
    "completed",
    "has started work on",
    "continues to develop",
    "presented",
    "signed off",
    "is finalising",
    "consulted on",
    "has revised",
    "tested",
    "published",
)
OBJECTS = (
    "the draft business case",
    "the revised delivery timeline",
    "a new data sharing agreement",
    "the procurement specification",
    "the training programme for frontline staff",
    "the pilot evaluation report",
    "the terms of reference for the partnership",
    "the communications plan",
    "the monitoring dashboard",
    "the options appraisal",
    "the equality impact assessment",
    "the funding bid to the regional board",
    "the recruitment plan for the new posts",
    "the service specification",
)
TAILS = (
    "",
    "",
    "ahead of the next review",
    "with support from the regional team",
    "following feedback from service users",
    "and expects to report back in the summer",
    "subject to funding being confirmed",
    "in line with the agreed milestones",
    "after a delay over the winter period",
    "with input from the third sector",
    "as set out in the last update",
)
RISKS = (
    "Recruitment remains the main risk and two posts are still vacant.",
    "Funding beyond March has not yet been confirmed, which puts the later milestones at risk.",
    "Supplier delays have pushed the go-live date back by at least one quarter.",
    "Staff absence over the winter slowed progress and the plan is being re-profiled.",
    "Data quality issues mean the measures are not yet reliable enough to report.",
    "Agreement from all partners is still needed before the next phase can start.",
)
COMPLETIONS = (
    "The action is complete and the new arrangements are now part of business as usual.",
    "All milestones have been met and the final report was accepted by the board.",
    "The service went live as planned and monitoring has passed to the operational team.",
)

MEASURES = (
    ("Percentage of referrals seen within 28 days", "percent", 40.0, 95.0),
    ("Number of people supported", "people", 50, 900),
    ("Average days from referral to assessment", "days", 5, 60),
    ("Number of sites live", "sites", 1, 40),
    ("Spend against budget", "£k", 20, 800),
    ("Percentage of staff trained", "percent", 10.0, 100.0),
    ("Number of homes improved", "homes", 10, 600),
    ("Satisfaction score from the quarterly survey", "score out of 10", 4.0, 9.5),
)


@dataclass(frozen=True)
class Owner:
    id: str
    name: str
    organisation: str
    role: str


def generate_plan(directory: Path, actions: int, seed: int = 0, *, overwrite: bool = False) -> None:
    """Write plan.yaml and priorities/*.yaml for a plan of `actions` actions into `directory`.

    Refuses to write over an existing plan unless `overwrite`, since stale priority files left
    behind would silently change the plan's size.
    """
    if actions < 1:
        raise ValueError("a plan needs at least one action")
    _prepare_directory(directory, overwrite)
    rng = random.Random(seed)
    owners = _owners(rng)
    (directory / "plan.yaml").write_text(_plan_yaml(owners), encoding="utf-8")
    counts = _split(actions, max(MIN_PRIORITIES, math.ceil(actions / ACTIONS_PER_FILE)))
    width = len(str(len(counts)))
    for number, count in enumerate(counts, start=1):
        title = _priority_title(number)
        name = f"{number:0{width}d}-{_slug(title)}.yaml"
        text = _priority_yaml(rng, number, title, count, owners)
        (directory / "priorities" / name).write_text(text, encoding="utf-8")


def _prepare_directory(directory: Path, overwrite: bool) -> None:
    priorities = directory / "priorities"
    existing = (directory / "plan.yaml").exists() or (
        priorities.exists() and any(priorities.iterdir())
    )
    if existing and not overwrite:
        raise FileExistsError(
            f"{directory} already holds a plan (use --force, or overwrite=True, to replace it)"
        )
    if priorities.exists():
        shutil.rmtree(priorities)
    priorities.mkdir(parents=True)


def _split(total: int, parts: int) -> list[int]:
    """Share `total` actions between `parts` files as evenly as possible (some may be empty)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _owners(rng: random.Random) -> list[Owner]:
    owners: list[Owner] = []
    seen: set[str] = set()
    while len(owners) < OWNER_COUNT:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        owner_id = f"{first[0]}.{last}".lower()
        if owner_id in seen:
            continue
        seen.add(owner_id)
        owners.append(
            Owner(owner_id, f"{first} {last}", rng.choice(ORGANISATIONS), rng.choice(ROLES))
        )
    return owners


def _plan_yaml(owners: Sequence[Owner]) -> str:
    lines = [
        f"# yaml-language-server: $schema={PLAN_SCHEMA}",
        "version: 1",
        "strategy:",
        "  title: Regional Wellbeing Strategy",
        "  period: 2021-2031",
        "  approving_body: Regional Partnership Board",
        "reviews:",
    ]
    for review in REVIEWS:
        lines += [
            f"  - id: {review.id}",
            f"    label: {review.label}",
            f"    date: {review.date}",
            f"    status: {review.status}",
        ]
    lines.append("owners:")
    for owner in owners:
        domain = _slug(owner.organisation).replace("-", "") + ".example.org"
        lines += [
            f"  - id: {owner.id}",
            f"    name: {owner.name}",
            f"    organisation: {owner.organisation}",
            f"    role: {owner.role}",
            f"    email: {owner.id}@{domain}",
        ]
    return "\n".join(lines) + "\n"


def _priority_title(number: int) -> str:
    """Twelve themes, then each theme again for an area, so titles stay unique and readable."""
    theme = THEMES[(number - 1) % len(THEMES)]
    cycle = (number - 1) // len(THEMES)
    if cycle == 0:
        return theme
    area = AREAS[(cycle - 1) % len(AREAS)]
    round_ = (cycle - 1) // len(AREAS)
    return f"{theme} in {area}" + (f", phase {round_ + 1}" if round_ else "")


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _priority_yaml(
    rng: random.Random, number: int, title: str, count: int, owners: Sequence[Owner]
) -> str:
    lines = [
        f"# yaml-language-server: $schema={PRIORITY_SCHEMA}",
        f"id: P{number}",
        f"title: {title}",
        f"focus: {'true' if number % 3 == 1 else 'false'}",
        "actions:" if count else "actions: []",
    ]
    for index in range(1, count + 1):
        lines.extend(_action_lines(rng, f"P{number}A{index}", owners))
    return "\n".join(lines) + "\n"


def _action_lines(rng: random.Random, action_id: str, owners: Sequence[Owner]) -> Iterator[str]:
    status = rng.choices(("active", "new", "complete"), weights=(85, 5, 10))[0]
    verb, topic = rng.choice(OBJECTIVE_VERBS), rng.choice(OBJECTIVE_TOPICS)
    yield f"  - id: {action_id}"
    yield f"    objective: {verb} {topic}"
    action = f"{rng.choice(ACTION_VERBS)} {rng.choice(ACTION_OBJECTS)} {rng.choice(ACTION_TAILS)}"
    yield from _text_field("    ", "action", action + ".")
    yield "    measures:"
    for _ in range(rng.choice((1, 1, 1, 2))):
        yield from _measure_lines(rng)
    chosen = rng.sample(owners, rng.choice((1, 1, 2)))
    yield f"    owners: [{', '.join(owner.id for owner in chosen)}]"
    yield f"    due: {_due(rng, status)}"
    yield f"    status: {status}"
    yield "    updates:"
    yield from _updates(rng, status)


def _text_field(indent: str, key: str, text: str) -> Iterator[str]:
    """A plain scalar when it fits on the line, otherwise a folded block as people write it."""
    if len(indent) + len(key) + 2 + len(text) <= WRAP_WIDTH:
        yield f"{indent}{key}: {text}"
        return
    yield f"{indent}{key}: >-"
    yield from _wrap(text, indent + "  ")


def _wrap(text: str, indent: str) -> Iterator[str]:
    """Greedy word wrap; much faster than textwrap, and the words never need breaking."""
    line: list[str] = []
    length = len(indent)
    for word in text.split():
        if line and length + 1 + len(word) > WRAP_WIDTH:
            yield indent + " ".join(line)
            line, length = [], len(indent)
        length += len(word) + (1 if line else 0)
        line.append(word)
    if line:
        yield indent + " ".join(line)


def _measure_lines(rng: random.Random) -> Iterator[str]:
    description, unit, low, high = rng.choice(MEASURES)
    as_float = isinstance(low, float)
    yield f"      - description: {description}"
    yield f"        unit: {unit}"
    if rng.random() < 0.4:
        yield "        target:"
        target = rng.uniform(low, high) if as_float else high
        yield f"          value: {_number(target, as_float)}"
        yield f"          by: {rng.choice(('2028-03', '2029-03', '2030-03'))}"
    if rng.random() < 0.3:
        yield "        data:"
        yield from _data_points(rng, low, high, as_float)


def _data_points(rng: random.Random, low: float, high: float, as_float: bool) -> Iterator[str]:
    """6–12 monthly points ending March 2022, drifting so the series looks like a trend."""
    months = rng.randint(6, 12)
    value = rng.uniform(low, (low + high) / 2)
    step = (high - low) / 40
    for offset in range(months - 1, -1, -1):
        year, month = divmod(2022 * 12 + 2 - offset, 12)
        value = min(high, max(low, value + rng.uniform(-step, 2 * step)))
        yield f"          - {{period: {year}-{month + 1:02d}, value: {_number(value, as_float)}}}"


def _number(value: float, as_float: bool) -> str:
    return f"{value:.1f}" if as_float else str(round(value))


def _due(rng: random.Random, status: str) -> str:
    """Complete actions fell due before the open review; open ones fall due from 2028.

    The reviews are fixed in 2022 but `validate` judges "overdue" against today, so open
    actions due soon after 2022 would flood every run with warnings and time the printing of
    thousands of lines instead of the checks. A ten-year strategy makes late dates plausible.
    """
    if status == "complete":
        year, month = rng.choice(((2021, 12), (2022, 1), (2022, 3), (2022, 4)))
    else:
        year, month = divmod(2028 * 12 + rng.randint(0, 35), 12)
        month += 1
    return f"{year}-{month:02d}"


def _updates(rng: random.Random, status: str) -> Iterator[str]:
    """Every action has an update for the open review; new actions have nothing earlier.

    Open actions are never best-on-the-scale three times running, which `validate` would
    flag as a green streak: the benchmark should time checking a clean plan.
    """
    reviews = REVIEWS[-1:] if status == "new" else REVIEWS[rng.choice((0, 0, 0, 1)) :]
    best = len(RAGS) - 1
    rag_index = rng.choices(range(len(RAGS)), weights=RAG_WEIGHTS)[0]
    streak = 0
    for review in reviews:
        is_last = review is REVIEWS[-1]
        if is_last and status == "complete":
            rag_index = best
        else:
            rag_index = min(best, max(0, rag_index + rng.choice((-1, 0, 0, 1))))
            if rag_index == best and streak == 2:
                rag_index = best - 1
        streak = streak + 1 if rag_index == best else 0
        day = rng.randint(3, 21)
        yield f"      - review: {review.id}"
        yield f"        date: {review.year}-{review.month:02d}-{day:02d}"
        yield f"        rag: {RAGS[rag_index]}"
        text = _update_text(rng, rag_index, complete=is_last and status == "complete")
        yield from _text_field("        ", "text", text)


def _update_text(rng: random.Random, rag_index: int, *, complete: bool) -> str:
    """One to three sentences, a risk for poor RAGs and a closing line for complete actions."""
    sentences = [_sentence(rng) for _ in range(rng.choice((1, 2, 2, 3)))]
    if rng.random() < 0.3:
        done = rng.randint(1, 20)
        sentences.append(f"{done} of {done + rng.randint(1, 12)} milestones have now been met.")
    if rag_index <= 2:
        sentences.append(rng.choice(RISKS))
    if complete:
        sentences.append(rng.choice(COMPLETIONS))
    return " ".join(sentences)


def _sentence(rng: random.Random) -> str:
    tail = rng.choice(TAILS)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}" + (
        f" {tail}." if tail else "."
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic datracker plan.")
    parser.add_argument("directory", type=Path, help="plan directory to create")
    parser.add_argument("--actions", type=int, required=True, help="number of actions")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--force", action="store_true", help="replace an existing plan")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        generate_plan(args.directory, args.actions, args.seed, overwrite=args.force)
    except (FileExistsError, ValueError) as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in args.directory.rglob("*.yaml"))
    elapsed = time.perf_counter() - start
    print(
        f"wrote {args.actions:,} actions to {args.directory} ({size / 1e6:.1f} MB, {elapsed:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
