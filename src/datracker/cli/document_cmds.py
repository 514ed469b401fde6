"""Documents in and out: render the refresh document, import a plan, export it as a table."""

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from datracker.cli.app import (
    PlanDir,
    app,
    display_prefix,
    load,
)
from datracker.core.problems import DatrackerError


class RenderFormat(StrEnum):
    docx = "docx"
    md = "md"
    pdf = "pdf"
    all = "all"


@app.command()
def render(
    plan: PlanDir = None,
    output_format: Annotated[
        RenderFormat,
        typer.Option(
            "--format",
            "-f",
            help="docx, md, all (both), or pdf (a tagged, accessible PDF; needs LibreOffice).",
        ),
    ] = RenderFormat.all,
    review: Annotated[
        str | None,
        typer.Option("--review", help="A review id from plan.yaml (default: the latest)."),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Build from the plan as it was at this revision in git (a commit, a tag or a "
            "review id), not the files on disk; the work tree is not touched.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The folder to write into.")
    ] = Path("build"),
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="A folder of templates (markdown/*.md.j2, reference.docx) overriding the "
            "defaults file by file (default: templates/ beside the plan folder, if any).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the refresh document the board approves, as Word and/or Markdown, or as PDF.

    Writes <output>/refresh-<review>.docx and .md (charts beside the .md in charts/), or .pdf,
    and prints the paths written. Re-rendering the same plan gives identical files; --at
    rebuilds a past paper from git, exactly as it was.

    Example: datracker render --format docx --review 2022-01 --output build
    """
    from datracker.render.build import FORMATS, RenderRequest, render_at
    from datracker.render.build import render as render_document

    formats = FORMATS if output_format is RenderFormat.all else (output_format.value,)
    request = RenderRequest(formats, review, output, templates, at)
    if at is not None:
        from datracker.plan.store import resolve_plan_dir

        paths = render_at(resolve_plan_dir(plan), request)
    else:
        paths = render_document(load(plan), request)
    for path in paths:
        typer.echo(display_prefix(path))


PROGRESS_MIN_ROWS = 500  # below this an import is over before a bar would be worth drawing


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command("import")
def import_plan(
    source: Annotated[Path, typer.Argument(metavar="FILE", help="A .docx, .xlsx or .csv file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The plan directory to create.")],
    review_label: Annotated[
        str | None,
        typer.Option(
            "--review-label",
            help='The review the update column reports for, e.g. "Update January 2022" '
            "(default: the update column's header).",
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Only this sheet of an .xlsx file.")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the report as Markdown here.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace plan.yaml and priorities/ in --output.")
    ] = False,
) -> None:
    """Make a plan directory from a delivery plan in Word, Excel or CSV, and report every guess.

    Columns are found by their headers (Objective, Action, Suggested measure, By whom,
    Update <month year>, RAG, By when); priorities by headings such as "Priority A: …".
    Nothing is written unless the whole plan imports and validates.

    Example: datracker import delivery-plan.docx --output plan --report import-report.md
    """
    from datracker.importing.output import check_output, import_file
    from datracker.importing.report import report_markdown, report_text
    from datracker.importing.tables import read_source
    from datracker.report.formats import problems_summary

    check_output(output, force)
    document = read_source(source, sheet)
    rows = sum(len(t.rows) for t in document.tables)
    with _import_progress(rows) as advance:
        result = import_file(
            source,
            output,
            review_label=review_label,
            sheet=sheet,
            force=force,
            progress=advance,
            source=document,
        )
    shown = display_prefix(output)
    typer.echo(report_text(result.report, shown))
    summary = problems_summary(result.problems, len(result.files), result.report.actions)
    typer.echo(f"validate: {summary}")
    if report is not None:
        report.write_text(report_markdown(result.report, shown), encoding="utf-8")
        typer.echo(f"wrote {report}")
    typer.echo(f"next: datracker validate --plan {shown}")


@contextlib.contextmanager
def _import_progress(rows: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar for big imports, on a terminal only: never in pipes, CI or files."""
    if rows < PROGRESS_MIN_ROWS or not sys.stdout.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("importing rows", total=rows)
        yield lambda n: bar.advance(task, n)


@app.command()
def export(
    plan: PlanDir = None,
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv, xlsx or json.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (default: standard output)."),
    ] = None,
    excel_csv: Annotated[
        bool, typer.Option("--excel-csv", help="Start the CSV with a BOM so Excel reads UTF-8.")
    ] = False,
) -> None:
    """The plan as one row per action, for Excel, Power BI or scripts.

    Columns: priority, id, objective, action, measures, owners, due, status, RAG, qualifier,
    note and the latest update (review, date, text). xlsx needs --output.

    Example: datracker export --format xlsx --output plan.xlsx
    """
    from datracker.report.export import export_csv, export_json, export_rows, write_xlsx

    the_plan = load(plan).require_plan()
    rows = export_rows(the_plan)
    if output_format is ExportFormat.xlsx:
        if output is None:
            raise DatrackerError("--format xlsx needs --output FILE.xlsx")
        write_xlsx(the_plan, rows, output)
    else:
        text = export_json(rows) if output_format is ExportFormat.json else export_csv(rows)
        if excel_csv and output_format is ExportFormat.csv:
            text = "\ufeff" + text
        if output is None:
            sys.stdout.write(text)
            return
        output.write_text(text, encoding="utf-8", newline="")
    typer.echo(f"wrote {output} ({len(rows)} actions)", err=True)
