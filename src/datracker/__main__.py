"""The `datracker` command (and `python -m datracker`): pause the collector, then run the CLI.

The pause comes before anything else is imported, so Typer's and pydantic's start-up is not
scanned by the cyclic garbage collector; it resumes once the plan is read (datracker.core.gcpause).
"""

from datracker.core import gcpause


def main(args: list[str] | None = None) -> None:
    """Run one command (`args`, else the process's arguments); always ends in SystemExit."""
    gcpause.pause_for_start_up()
    try:
        from datracker.cli import main as run_cli

        run_cli(args)
    finally:
        gcpause.end_start_up_pause()


if __name__ == "__main__":
    main()
