"""Setting up: a new plan repository, CODEOWNERS, and the JSON Schemas for editors."""

import os
from pathlib import Path
from typing import Annotated

import typer

from datracker.cli.app import TEXT_ALIASES, PlanDir, app, load
from datracker.cli.options import one_of


@app.command()
def init(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Where to create the plan repository (default: here)."),
    ] = Path("."),
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="The strategy's title.")
    ] = "Our Strategy",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Start a new plan repository: a small valid plan, a CI workflow and a pre-commit hook.

    Writes plan/, schema/, .github/workflows/datracker.yml and .pre-commit-config.yaml;
    refuses to overwrite existing files unless --force.

    Example: datracker init my-strategy --title "Domestic Abuse Strategy 2024-2027"
    """
    import datetime as dt

    from datracker.edit.scaffold import scaffold_files, write_scaffold

    written = write_scaffold(directory, scaffold_files(title, dt.date.today()), force)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"next: cd {directory} && git init && datracker validate")


@app.command()
def codeowners(
    plan: PlanDir = None,
    output: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text (default: a CODEOWNERS file) or json.",
            callback=one_of(("text", "json"), TEXT_ALIASES),
            show_default=False,
        ),
    ] = "text",
) -> None:
    """Print a CODEOWNERS file: each priority file's owners (forge handles) and maintainers.

    Owners need `handles` (or `git_emails`) in plan.yaml's owners directory.

    Example: datracker codeowners > .github/CODEOWNERS
    """
    from datracker.report.codeowners import codeowners_entries, codeowners_text
    from datracker.vcs.gitrepo import open_plan_repo

    loaded = load(plan)
    repo = open_plan_repo(loaded.root)
    prefix = repo.plan_prefix if repo else os.path.relpath(loaded.root)
    entries = codeowners_entries(loaded, "" if prefix == "." else prefix)
    if output == "json":
        from datracker.report.codeowners import codeowners_json

        typer.echo(codeowners_json(entries))
    else:
        typer.echo(codeowners_text(entries), nl=False)
    for entry in entries:
        if not entry.identities:
            typer.echo(f"warning: {entry.path}: {entry.unowned_reason}", err=True)


@app.command()
def schema(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="plan (plan.yaml) or priority (priorities/*.yaml).",
            callback=one_of(("plan", "priority")),
        ),
    ],
) -> None:
    """Print the JSON Schema of a plan file, for editors that check YAML as you type.

    Point a file at it with a first line such as
    "# yaml-language-server: $schema=../schema/plan.schema.json".

    Example: datracker schema plan > schema/plan.schema.json
    """
    from datracker.plan.schema import schema_text

    typer.echo(schema_text(kind), nl=False)
