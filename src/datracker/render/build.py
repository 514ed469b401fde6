"""`datracker render`: the refresh document, built in memory, then written all or nothing.

Both writers read one view model (renderview.py). Every output is complete in memory before
any file is touched, and each file is written to a temporary name in the output folder and
renamed, so a template error or a full disk never leaves half a document for someone to
table by mistake. Templates come from `--templates DIR`, else the `templates/` folder at the
top of the plan's repository (the plan folder's parent), file by file over the packaged ones.

`render_at` builds the same from a revision in git (`render --at REV`): plan, narrative and
templates as they were in that commit, read without touching the work tree, so a paper tabled
in the past is rebuilt byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from datracker.core.atomic import cannot_write, write_atomic
from datracker.core.paths import inside, links_in
from datracker.core.problems import DatrackerError
from datracker.plan.lookup import choose_review
from datracker.plan.models import Plan, PlanConfig
from datracker.plan.store import LoadedPlan, templates_beside
from datracker.render.narrative import narrative_from_files, read_narrative
from datracker.render.templating import PACKAGED_TEMPLATES
from datracker.render.view import (
    Changes,
    ChangesUnknown,
    NarrativeSection,
    RefreshView,
    build_view,
    changes_from_diff,
)

FORMATS = ("docx", "md")  # what `--format all` writes; "pdf" and "html" only when asked for
SITE = "html"
REFERENCE = "reference.docx"


@dataclass(frozen=True)
class RenderRequest:
    formats: tuple[str, ...]  # any of "docx", "md", "pdf"
    review_id: str | None
    output: Path
    templates: Path | None  # --templates DIR, or None to look beside the plan
    at: str | None = None  # --at REV: build from that revision in git, not the files on disk


def template_dir(plan_root: Path, option: Path | None) -> Path | None:
    """The override folder: --templates, else <plan>/../templates when it exists.

    Every template is read from inside that folder: a link in it that leads out is refused
    (Jinja and Word would follow it), and the folder beside the plan may not itself be a link
    out of the plan's repository.
    """
    if option is not None:
        if not option.is_dir():
            raise DatrackerError(
                f"the templates folder {option} does not exist",
                "pass --templates with a folder holding markdown/*.md.j2 or reference.docx",
            )
        return _all_inside(option)
    beside = templates_beside(plan_root)
    inside(beside.parent, beside)
    return _all_inside(beside) if beside.is_dir() else None


def _all_inside(folder: Path) -> Path:
    for link in links_in(folder):
        inside(folder, folder / link.rel)
    return folder


def render(
    loaded: LoadedPlan, request: RenderRequest, notes: list[str] | None = None
) -> list[Path]:
    """Write the document from the plan files on disk; `notes` collects what the user should
    be told (a missing tag)."""
    if request.at is not None:
        return render_at(loaded.root, request, notes)
    _check_tools(request)
    plan = loaded.require_whole_plan()  # a document missing part of the plan is worse than none
    override = template_dir(loaded.root, request.templates)
    review = choose_review(plan.config, request.review_id, "latest", "render")
    narrative = read_narrative(loaded.root)
    changes = _changes(loaded.root, plan.config, review.id, None, notes)
    return _render(loaded.root, plan, review.id, narrative, changes, override, request)


def render_at(plan_dir: Path, request: RenderRequest, notes: list[str] | None = None) -> list[Path]:
    """The documents from the plan as it was at `request.at`, read from git.

    The review is `--review`, else the one `--at` names (a review id or its tag), else the
    latest in the plan at that revision. The templates folder beside the plan is taken from
    the revision too, unless `--templates` names one. The files are read as the work tree's
    are: the same size cap, and no symbolic link followed (vcs/revisionfiles.py).
    """
    from datracker.plan.store import load_plan_from_files
    from datracker.vcs.revisionfiles import NARRATIVE_DIR, files_at

    assert request.at is not None
    _check_tools(request)
    files = files_at(plan_dir, request.at)
    plan = load_plan_from_files(plan_dir, files.plan).require_whole_plan()
    review = choose_review(
        plan.config, request.review_id or files.revision.review, "latest", "render"
    )
    where = f"{NARRATIVE_DIR} at {request.at}"
    narrative = narrative_from_files(files.narrative, where)
    changes = _changes(plan_dir, plan.config, review.id, files.revision.commit, notes)
    with _templates_from(plan_dir, request.templates, files.templates) as override:
        return _render(plan_dir, plan, review.id, narrative, changes, override, request)


def _render(
    plan_dir: Path,
    plan: Plan,
    review_id: str,
    narrative: list[NarrativeSection],
    changes: Changes | ChangesUnknown | None,
    override: Path | None,
    request: RenderRequest,
) -> list[Path]:
    view = build_view(plan, review_id, narrative, changes)
    outputs = _build(view, request.formats, override)
    if SITE in request.formats:
        outputs.update(_site(plan_dir, plan, view, override))
    return _write_all(request.output, outputs)


def _check_tools(request: RenderRequest) -> None:
    """Refuse a PDF before any work when LibreOffice is missing, with the install line."""
    if "pdf" in request.formats:
        from datracker.render.pdf import find_soffice

        find_soffice()


@contextlib.contextmanager
def _templates_from(
    plan_dir: Path, option: Path | None, files: dict[str, bytes]
) -> Iterator[Path | None]:
    """The override folder for a render from git: --templates if given, else the revision's
    own templates folder, copied to a private temporary folder for the render's length."""
    if option is not None or not files:
        yield template_dir(plan_dir, option) if option is not None else None
        return
    with tempfile.TemporaryDirectory(prefix="datracker-templates-") as folder:
        root = Path(folder)
        for rel, data in files.items():
            target = inside(root, root / rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield root


def _changes(
    plan_dir: Path,
    config: PlanConfig,
    review_id: str,
    to_commit: str | None,
    notes: list[str] | None,
) -> Changes | ChangesUnknown | None:
    """Changes since the previous review, from git history; None (or why, when it is not the
    usual reason the view gives) when history cannot say.

    To: `to_commit` when rendering from a revision, else the review's commit or the files on
    disk.
    """
    from datracker.vcs.history import changes_since_previous_review

    ids = [r.id for r in config.reviews]
    if ids.index(review_id) == 0:
        return None
    found = changes_since_previous_review(plan_dir, review_id, config, to_commit)
    if found is None:
        return None
    if notes is not None:
        notes.extend(found.notes)
    previous = config.reviews[ids.index(review_id) - 1]
    if found.one_commit is not None:
        return ChangesUnknown(
            f"Not shown: the plan's git history records {previous.label} and this review in "
            f"one commit ({found.one_commit[:7]}), so it cannot tell what changed between them."
        )
    return changes_from_diff(previous.label, found.diff, review_id)


def _build(view: RefreshView, formats: tuple[str, ...], override: Path | None) -> dict[str, bytes]:
    """Every file to write, relative to the output folder, made before anything is written."""
    outputs: dict[str, bytes] = {}
    stem = f"refresh-{view.review_id}"
    if "md" in formats:
        from datracker.render.charts import chart_svg
        from datracker.render.markdown import render_markdown

        outputs[f"{stem}.md"] = render_markdown(view, override).encode("utf-8")
        outputs.update({chart.path: chart_svg(chart) for chart in view.charts})
    if "docx" in formats or "pdf" in formats:
        from datracker.render.charts import chart_png
        from datracker.render.word import write_docx

        images = {chart.path: chart_png(chart) for chart in view.charts}
        docx = write_docx(view, _reference(override), images)
        if "docx" in formats:
            outputs[f"{stem}.docx"] = docx
        if "pdf" in formats:
            from datracker.render.pdf import docx_to_pdf

            outputs[f"{stem}.pdf"] = docx_to_pdf(docx, stem)
    return outputs


def _site(root: Path, plan: Plan, view: RefreshView, override: Path | None) -> dict[str, bytes]:
    """The progress site: its pages, its stylesheet and every chart as SVG."""
    from datracker.render.charts import chart_svg
    from datracker.render.html import render_site
    from datracker.render.site import build_site
    from datracker.vcs.records import review_records

    closed = [r.id for r in plan.config.reviews if r.status == "closed"]
    records = review_records(root, closed)
    outputs = render_site(build_site(plan, view, records), override)
    outputs.update({chart.path: chart_svg(chart) for chart in view.charts})
    return outputs


def _reference(override: Path | None) -> Path:
    if override is not None and (override / REFERENCE).exists():
        return override / REFERENCE
    return PACKAGED_TEMPLATES / REFERENCE


def _write_all(folder: Path, outputs: dict[str, bytes]) -> list[Path]:
    _prepare(folder)
    base = folder.resolve()
    inside: dict[str, bool] = {}  # each folder written into, resolved once (links and all)
    written = []
    for name, data in outputs.items():
        # plain strings, not Path objects: a large plan has thousands of chart files
        parent, file_name = os.path.split(name)
        if parent not in inside:
            inside[parent] = (folder / parent).resolve().is_relative_to(base)
        target = os.path.join(folder, name)
        # the file itself is replaced by a rename, which replaces a link rather than follow it
        if not inside[parent] or file_name in ("", ".", ".."):
            raise DatrackerError(f"refusing to write {target}: it is outside {folder}")
        if not _already(target, data):
            _write_atomic(Path(target), data)
        if _is_headline(name):
            written.append(Path(target))
    return written


def _is_headline(name: str) -> bool:
    """Files worth printing: the documents and the site's front page, not its thousands of
    pages, charts and stylesheet."""
    return "/" not in name and not name.endswith((".html", ".css")) or name == "index.html"


def _already(target: str, data: bytes) -> bool:
    """Whether the file already holds exactly these bytes, so it can be left as it is.

    A re-render rewrites nothing that did not change: on a large plan the thousands of chart
    files cost more to replace atomically than to compare, and their timestamps stay true.
    The size is checked first, so nothing that is not a regular file of that size is opened.
    """
    try:
        if os.stat(target).st_size != len(data):
            return False
        with open(target, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False


def _prepare(folder: Path) -> None:
    if folder.is_dir():
        return
    if folder.exists():
        raise DatrackerError(
            f"the output path {folder} is a file, not a folder", "pass --output DIR"
        )
    if not folder.parent.is_dir():
        raise DatrackerError(
            f"cannot write to {folder}: the folder {folder.parent} does not exist",
            "create it first, or pass --output with an existing folder",
        )
    try:
        folder.mkdir()
    except OSError as error:
        raise DatrackerError(
            f"cannot create the output folder {folder}: {error.strerror}",
            "pass --output with a folder you can write to",
        ) from None


def _write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target and rename over it, so no reader ever sees half a file."""
    try:
        target.parent.mkdir(exist_ok=True)
    except OSError as error:
        raise cannot_write(str(target.parent), error) from None
    write_atomic(target, data, mode=0o644)
