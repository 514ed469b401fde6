"""Setting up: a new plan repository, CODEOWNERS, and the JSON Schemas for editors."""

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from datracker.cli.app import (
    PlanDir,
    app,
    load,
)


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to create the plan repository.", metavar="DIR")
    ] = Path("."),
    title: Annotated[str, typer.Option("--title", help="The strategy's title.")] = "Our Strategy",
    datracker: Annotated[
        str | None,
        typer.Option(
            "--datracker",
            help="Where CI and the pre-commit hook install this datracker from: a git URL "
            "pinned to a release tag or full commit (git+https://…/datracker@v1.2.3), or a "
            "wheel URL with #sha256=…. Default: where this copy was installed from.",
            show_default=False,
        ),
    ] = None,
    no_ci: Annotated[
        bool,
        typer.Option("--no-ci", help="Write no CI workflow and no pre-commit hook."),
    ] = False,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help='"Name <email>" for the first commit, when git does not know who you are.',
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Start a plan repository: a small valid plan, a CI workflow, a pre-commit hook, a commit.

    Writes plan/, schema/, .gitignore, .github/workflows/datracker.yml and
    .pre-commit-config.yaml, runs `git init` unless DIR is already in a repository, and
    commits them. Refuses to overwrite existing files unless --force.

    Example: datracker init my-strategy --title "Domestic Abuse Strategy 2024-2027"
    """
    import datetime as dt
    import shlex

    from datracker.edit.installsource import choose_source
    from datracker.edit.scaffold import create_repository, scaffold_files
    from datracker.vcs.newrepo import parse_author

    if no_ci and datracker is not None:
        raise typer.BadParameter("--datracker has no use with --no-ci", param_hint="--datracker")
    committer = parse_author(author) if author is not None else None
    source = None if no_ci else choose_source(datracker)
    files = scaffold_files(title, dt.date.today(), source)
    created = create_repository(directory, files, force, committer)
    for path in created.written:
        typer.echo(f"wrote {path}")
    where = "a new git repository" if created.new_repository else "the git repository"
    if created.commit is None:
        typer.echo("nothing to commit: the files were already committed as they are")
    else:
        typer.echo(f"committed {created.commit[:7]} in {where}: Start the delivery plan")
    if source is not None:
        typer.echo(f"CI and the pre-commit hook install {source.requirement}")
    typer.echo(f"next: cd {shlex.quote(str(directory))} && datracker validate")


@app.command()
def codeowners(plan: PlanDir = None) -> None:
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
    typer.echo(codeowners_text(entries), nl=False)
    for entry in entries:
        if not entry.identities:
            typer.echo(f"warning: {entry.path}: {entry.unowned_reason}", err=True)


class SchemaKind(StrEnum):
    plan = "plan"
    priority = "priority"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="plan (plan.yaml) or priority (priorities/*.yaml).")
    ] = SchemaKind.priority,
) -> None:
    """Print the JSON Schema of a plan file, for editors that check YAML as you type.

    Point a file at it with a first line such as
    "# yaml-language-server: $schema=../schema/plan.schema.json".

    Example: datracker schema plan > schema/plan.schema.json
    """
    from datracker.plan.schema import schema_text

    typer.echo(schema_text(kind.value), nl=False)
