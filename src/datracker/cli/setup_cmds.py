"""Setting up: a new plan repository, CODEOWNERS, and the JSON Schemas for editors."""

import os
from pathlib import Path
from typing import Annotated

import typer

from datracker.cli.app import PlanDir, app, format_option, load, plan_root
from datracker.cli.helpformat import DatrackerTyper
from datracker.cli.options import author as author_option
from datracker.cli.options import one_of
from datracker.cli.record_cmds import (
    Author,
    Commit,
    DryRun,
    WriteFormat,
    _report_written,
    write_options,
)


@app.command()
def init(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Where to create the plan repository (default: here)."),
    ] = Path("."),
    title: Annotated[
        str, typer.Option("--title", metavar="TITLE", help="The strategy's title.")
    ] = "Our Strategy",
    datracker: Annotated[
        str | None,
        typer.Option(
            "--datracker",
            metavar="SOURCE",
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
    no_site: Annotated[
        bool,
        typer.Option(
            "--no-site",
            help="Write no workflow publishing the progress site to GitHub Pages.",
        ),
    ] = False,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            metavar='"NAME <EMAIL>"',
            help='Who makes the first commit: "Name <email>" (default: git\'s user.name/email).',
            show_default=False,
            callback=author_option,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    output: WriteFormat = "text",
) -> None:
    """Start a plan repository: a small valid plan, a CI workflow, a pre-commit hook, a commit.

    Writes plan/, schema/, .gitignore, .github/workflows/datracker.yml (checks pull
    requests), .github/workflows/datracker-site.yml (publishes the progress site; --no-site
    leaves it out) and .pre-commit-config.yaml, runs `git init` unless DIR is already in a
    repository, and commits them. Refuses to overwrite existing files unless --force.

    Example: datracker init my-strategy --title "Domestic Abuse Strategy 2024-2027"
    """
    import datetime as dt
    import shlex

    from datracker.edit.installsource import choose_source
    from datracker.edit.scaffold import create_repository, scaffold_files
    from datracker.vcs.gitcommit import resolve_author

    if no_ci and datracker is not None:
        raise typer.BadParameter("--datracker has no use with --no-ci", param_hint="--datracker")
    # the rule of every committing command; a new plan has no owners directory to look in yet
    first_author = resolve_author(author, []) if author is not None else None
    source = None if no_ci else choose_source(datracker)
    files = scaffold_files(title, dt.date.today(), source, site=not no_site)
    created = create_repository(directory, files, force, first_author)
    next_command = f"cd {shlex.quote(str(directory))} && datracker validate"
    if output == "json":
        from datracker.report.table import json_text

        payload = {
            "written": [str(path) for path in created.written],
            "repository": "new" if created.new_repository else "existing",
            "commit": created.commit,
            "datracker": None if source is None else source.requirement,
            "next": next_command,
        }
        typer.echo(json_text(payload))
        return
    for path in created.written:
        typer.echo(f"wrote {path}")
    where = "a new git repository" if created.new_repository else "the git repository"
    if created.commit is None:
        typer.echo("nothing to commit: the files were already committed as they are")
    else:
        typer.echo(f"committed {created.commit[:7]} in {where}: Start the delivery plan")
    if source is not None:
        typer.echo(f"CI and the pre-commit hook install {source.requirement}")
    typer.echo(f"next: {next_command}")


@app.command()
def codeowners(
    plan: PlanDir = None,
    output: Annotated[
        str,
        format_option(("text", "json"), "text (default: a CODEOWNERS file) or json."),
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


owner_app = DatrackerTyper(
    help="The owners directory as `check` reads it: the e-mails owners commit with, and the "
    "plan's maintainers.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


app.add_typer(owner_app, name="owner")

OwnerId = Annotated[
    str, typer.Argument(metavar="OWNER", help="The owner's id, e.g. dee-hutchinson.")
]


@owner_app.command("email")
def owner_email(
    owner: OwnerId,
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="The address they commit with.")],
    dry_run: DryRun = False,
    commit: Commit = False,
    author: Author = None,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Record the e-mail an owner commits with, so `check` knows their pull requests are theirs.

    Adds the address to the owner's `git_emails` in plan.yaml. An address already given to
    another owner is refused: one address names one person. A name alone never identifies
    anyone, because anyone can commit under any name.

    Example: datracker owner email dee-hutchinson dee@example.org
    """
    from datracker.edit.owners import add_git_email

    options = write_options(dry_run, commit, author)
    _report_written(add_git_email(plan_root(plan), owner, email, options), output)


@owner_app.command("maintainer")
def owner_maintainer(
    owner: OwnerId,
    dry_run: DryRun = False,
    commit: Commit = False,
    author: Author = None,
    plan: PlanDir = None,
    output: WriteFormat = "text",
) -> None:
    """Make an owner a maintainer: in a pull request they may then change anything in the plan.

    Adds the owner's id to plan.yaml's `maintainers`. `check` reads maintainers from the branch
    a pull request targets, so make this change there (commit it to the main branch).

    Example: datracker owner maintainer hannah-byrne --commit
    """
    from datracker.edit.owners import add_maintainer

    options = write_options(dry_run, commit, author)
    _report_written(add_maintainer(plan_root(plan), owner, options), output)


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
    output: Annotated[
        str,
        format_option(
            ("json",),
            "json (the default, and the only form: a JSON Schema is JSON).",
            {"text": "a schema is JSON only; leave out --format"},
        ),
    ] = "json",
) -> None:
    """Print the JSON Schema of a plan file, for editors that check YAML as you type.

    Point a file at it with a first line such as
    "# yaml-language-server: $schema=../schema/plan.schema.json".

    Example: datracker schema plan > schema/plan.schema.json
    """
    from datracker.plan.schema import schema_text

    typer.echo(schema_text(kind), nl=False)
