"""Documents in and out: render the refresh document, import a plan, export it as a table."""

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from datracker.cli.app import PlanDir, app, display_prefix, format_option, load, plan_root
from datracker.cli.options import column_map, scale_words
from datracker.core.problems import InvalidValue

RENDER_HAS_NO_JSON = (
    "render's --format names the document to write; what it prints, one written path per "
    "line, is already for scripts"
)


@app.command()
def render(
    plan: PlanDir = None,
    output_format: Annotated[
        str,
        format_option(
            ("docx", "md", "all", "pdf", "html"),
            "The document to write: docx, md, all (default: both), pdf (a tagged, accessible "
            "PDF; needs LibreOffice), or html (the progress site: index.html and its pages). "
            "Not json: the output is one written path per line, for scripts too.",
            hints={"json": RENDER_HAS_NO_JSON},
        ),
    ] = "all",
    review: Annotated[
        str | None,
        typer.Option(
            "--review", metavar="ID", help="A review id from plan.yaml (default: the latest)."
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="REV",
            help="Build from the plan as it was at this revision in git (a commit, a tag or a "
            "review id), not the files on disk; the work tree is not touched.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The folder to write into."),
    ] = Path("build"),
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            help="A folder of templates (markdown/*.md.j2, reference.docx) overriding the "
            "defaults file by file (default: templates/ beside the plan folder, if any).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the refresh document the board approves (Word, Markdown or PDF), or the progress site.

    Writes <output>/refresh-<review>.docx and .md (charts beside the .md in charts/), or .pdf,
    and prints each path written on a line of its own (--format names the document, so
    render has no json). Re-rendering the same plan gives identical files; --at
    rebuilds a past paper from git, exactly as it was.

    Example: datracker render --format docx --review 2022-01 --output build
    """
    from datracker.render.build import FORMATS, RenderRequest, render_at
    from datracker.render.build import render as render_document

    formats = FORMATS if output_format == "all" else (output_format,)
    request = RenderRequest(formats, review, output, templates, at)
    notes: list[str] = []
    if at is not None:  # the plan on disk is not read: it may not even parse any more
        paths = render_at(plan_root(plan), request, notes)
    else:
        paths = render_document(load(plan), request, notes)
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    for path in paths:
        typer.echo(display_prefix(path))


PROGRESS_MIN_ROWS = 500  # below this an import is over before a bar would be worth drawing


@app.command("import")
def import_plan(
    source: Annotated[Path, typer.Argument(metavar="FILE", help="A .docx, .xlsx or .csv file.")],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The plan directory to create."),
    ],
    review_label: Annotated[
        str | None,
        typer.Option(
            "--review-label",
            metavar="LABEL",
            help='The review the update column reports for, e.g. "Update January 2022" '
            "(default: the update column's header).",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", metavar="NAME", help="Only this sheet of an .xlsx file."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Also write the report as Markdown here."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace plan.yaml and priorities/ in --output.")
    ] = False,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help='What columns hold, for headers import does not know: "Lead officer=owners,'
            'Progress=update" (fields: id, priority, priority_title, objective, action, '
            "measures, owners, update, rag, status, due, note, review, review_label).",
            callback=column_map,
        ),
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option(
            "--scale",
            help='The plan\'s rating words, worst first: "Off Track,At Risk,On Track,Delivered" '
            "(default: RED…GREEN, or the words the plan uses, in an order reported to check).",
            callback=scale_words,
        ),
    ] = None,
    output_format: Annotated[
        str,
        format_option(
            ("text", "json"),
            "text (default: the report) or json (the same report as one object, for "
            "scripts; never a progress bar).",
        ),
    ] = "text",
) -> None:
    """Make a plan directory from a delivery plan in Word, Excel or CSV, and report every guess.

    Columns are found by their headers (ID/Ref, Objective, Action, Measure/KPI, By whom/Lead,
    Update <month year>, RAG/Status, By when/Deadline, and their variants); priorities by
    headings such as "Priority A: …" or a Priority column; ids such as A5, WAP-1 or 2.6.1.
    A plan rating in its own words (On Track, Delivered …) gets them as its scale.
    Nothing is written unless the whole plan imports and validates.

    Example: datracker import delivery-plan.docx --output plan --report import-report.md
    """
    import shlex

    from datracker.importing.output import check_output, import_file
    from datracker.importing.report import report_json, report_markdown, report_text
    from datracker.importing.tables import read_source
    from datracker.report.problems import problems_summary

    check_output(output, force)
    if report is not None:
        from datracker.core.atomic import check_target

        check_target(report)  # refused before the import, not after the plan is written
    document = read_source(source, sheet)
    rows = sum(len(t.rows) for t in document.tables)
    with _import_progress(rows, shown=output_format == "text") as advance:
        result = import_file(
            source,
            output,
            review_label=review_label,
            sheet=sheet,
            force=force,
            progress=advance,
            source=document,
            columns=columns,
            scale=scale,
        )
    shown = display_prefix(output)
    summary = problems_summary(result.problems, len(result.files), result.report.actions)
    next_command = f"datracker validate --plan {shlex.quote(shown)}"
    if report is not None:
        from datracker.core.atomic import write_atomic

        write_atomic(report, report_markdown(result.report, shown).encode("utf-8"))
    if output_format == "json":
        from datracker.report.table import json_text

        written = [display_prefix(path) for path in result.files]
        written += [str(report)] if report is not None else []
        payload = report_json(result.report, shown, result.problems, summary, written, next_command)
        typer.echo(json_text(payload))
        return
    typer.echo(report_text(result.report, shown))
    typer.echo(f"validate: {summary}")
    if report is not None:
        typer.echo(f"wrote {report}")
    typer.echo(f"next: {next_command}")


@contextlib.contextmanager
def _import_progress(rows: int, shown: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar for big imports, on a terminal only: never in pipes, CI or files, and
    never when `shown` is False (JSON output: a script reads every byte of it)."""
    if not shown or rows < PROGRESS_MIN_ROWS or not sys.stdout.isatty() or os.environ.get("CI"):
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
        str,
        format_option(("csv", "xlsx", "json"), "csv (default), xlsx or json."),
    ] = "csv",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write (default: standard output).",
        ),
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
    from datracker.core.atomic import check_target, write_atomic
    from datracker.report.export import export_csv, export_json, export_rows, xlsx_bytes

    if output_format == "xlsx" and output is None:
        raise InvalidValue(
            "--format xlsx needs --output FILE.xlsx", "a workbook cannot go to the terminal"
        )
    if output is not None:
        check_target(output)  # before reading the plan: a folder or /dev/full is refused now
    the_plan = load(plan).require_whole_plan()
    rows = export_rows(the_plan)
    if output_format == "xlsx":
        data = xlsx_bytes(the_plan, rows)
    else:
        text = export_json(rows) if output_format == "json" else export_csv(rows)
        if excel_csv and output_format == "csv":
            text = "\ufeff" + text
        if output is None:
            if sys.stdout.isatty():  # data for a pipe or a file; on a screen, nothing raw
                from datracker.core.text import visible

                text = visible(text)
            sys.stdout.write(text)
            return
        data = text.encode("utf-8")
    assert output is not None  # xlsx without --output was refused above
    write_atomic(output, data)
    typer.echo(f"wrote {output} ({len(rows)} actions)", err=True)
