"""Running an import end to end, writing the plan directory only when all of it is good.

The plan is written to a temporary directory beside the output, loaded back with datracker's
own loader and validated; only then is it moved into place. A failure at any step leaves the
output exactly as it was, so a user can fix the source file and simply run the import again.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from datracker.core.atomic import cannot_write
from datracker.core.problems import DatrackerError, Problem
from datracker.importing.cells import squash
from datracker.importing.columns import parse_column_option
from datracker.importing.importer import Importer, Progress
from datracker.importing.planwriter import plan_yaml, priority_filename, priority_yaml
from datracker.importing.report import ImportReport
from datracker.importing.scales import scale_from_option
from datracker.importing.tables import SourceDocument, read_source
from datracker.plan.store import PLAN_FILE, PRIORITIES_DIR, load_plan


@dataclass
class ImportResult:
    report: ImportReport
    problems: list[Problem]  # what `validate` says about the written plan (warnings only)
    files: list[Path]


def check_output(output: Path, force: bool) -> None:
    """Refuse to mix an import into an existing non-empty directory unless told to.

    With --force only plan.yaml and priorities/ are replaced, so each must be what it seems:
    a file and a real folder. A link or a file where the folder should be is refused rather
    than followed or deleted.
    """
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        kind = "a link" if output.is_symlink() else "a file"
        raise DatrackerError(f"{output} is {kind}, not a directory", "choose another --output")
    try:
        occupied = output.is_dir() and any(output.iterdir())
    except OSError as error:
        raise cannot_write(str(output), error) from None
    if occupied and not force:
        raise DatrackerError(
            f"{output} is not empty",
            "choose an empty or new directory, or pass --force to replace its plan.yaml and "
            "priorities/",
        )
    priorities, plan_file = output / PRIORITIES_DIR, output / PLAN_FILE
    if priorities.is_symlink() or (priorities.exists() and not priorities.is_dir()):
        kind = "a link" if priorities.is_symlink() else "a file"
        raise DatrackerError(
            f"{priorities} is {kind}, not a folder, so --force will not replace it; "
            "nothing was written",
            f"remove or rename {priorities} yourself, or choose another --output",
        )
    if plan_file.is_dir() and not plan_file.is_symlink():
        raise DatrackerError(
            f"{plan_file} is a folder, so --force will not replace it; nothing was written",
            f"remove or rename {plan_file} yourself, or choose another --output",
        )


def import_file(
    source_path: Path,
    output: Path,
    *,
    review_label: str | None = None,
    sheet: str | None = None,
    force: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    source: SourceDocument | None = None,
    columns: str | None = None,
    scale: str | None = None,
) -> ImportResult:
    """Import `source_path` into the plan folder `output`; `columns` and `scale` are the
    --columns "Header=field,…" and --scale "worst,…,best" option values."""
    check_output(output, force)
    overrides = parse_column_option(columns) if columns else {}
    chosen_scale = scale_from_option(scale) if scale else None
    today = today or dt.date.today()
    source = source or read_source(source_path, sheet)
    importer = Importer(review_label, today.strftime("%Y-%m"), progress, overrides)
    draft = importer.run(source)
    _report_unused_overrides(source, overrides, draft.report)
    draft.report.source = source_path.name
    for where, message in source.notes:
        draft.report.add(where, "warning", message)
    title = source.title or draft.title_line or _title_from(source_path)
    if not source.title:
        origin = "the first line above the tables" if draft.title_line else "the file name"
        draft.report.add(source_path.name, "guess", f"strategy title '{title}' taken from {origin}")
    config, priorities = draft.to_models(title, chosen_scale)
    files = {PLAN_FILE: plan_yaml(config)}
    files |= {f"{PRIORITIES_DIR}/{priority_filename(p)}": priority_yaml(p) for p in priorities}
    problems = _write_checked(files, output, today)
    return ImportResult(draft.report, problems, [output / name for name in files])


def _report_unused_overrides(
    source: SourceDocument, overrides: dict[str, str], report: ImportReport
) -> None:
    """--columns naming a header that no table has: most likely a typo, so say so."""
    headers = {squash(cell) for table in source.tables for row in table.rows[:12] for cell in row}
    for header in overrides:
        if header not in headers:
            message = f"--columns names a column '{header}' that no table has a header for"
            report.add(source.path.name, "warning", message)


def _title_from(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words) or "Imported plan"


def _write_checked(files: dict[str, str], output: Path, today: dt.date) -> list[Problem]:
    from datracker.plan.validation import validate_plan

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".datracker-import-", dir=output.parent))
    except OSError as error:
        raise cannot_write(str(output), error) from None
    try:
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        problems = validate_plan(load_plan(staging), today)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DatrackerError(
                "the imported plan does not validate; nothing was written",
                "this is a bug in datracker's import: please report it with the file",
                errors,
            )
        _move_into_place(staging, output)
        return problems
    except OSError as error:  # a full disk, a read-only folder: nothing was moved into place
        raise cannot_write(str(output), error) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(staging: Path, output: Path) -> None:
    """Renames only, old priorities moved aside first, so a failure can be put back."""
    if output.is_dir() and not any(output.iterdir()):
        output.rmdir()
    if not output.exists():
        staging.rename(output)
        return
    old_priorities = output / PRIORITIES_DIR
    aside = staging / "old-priorities"  # removed with the staging folder afterwards
    if old_priorities.is_dir():
        old_priorities.rename(aside)
    try:
        (staging / PRIORITIES_DIR).rename(old_priorities)
        (staging / PLAN_FILE).replace(output / PLAN_FILE)
    except OSError:
        if aside.exists():
            if old_priorities.is_dir():
                old_priorities.rename(staging / PRIORITIES_DIR)
            aside.rename(old_priorities)
        raise
