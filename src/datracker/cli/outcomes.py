"""Every way a command can end, mapped to one exit code and one style of message.

    0    done (the plan has no errors)
    1    the plan has problems, or the command could not be done (`DatrackerError`), or
         standard output could not be written (a full disk, a closed pipe: `cli/streams.py`)
    2    an invalid option or argument value, or a usage mistake (`InvalidValue`, and
         Click's usage errors: an unknown option or command, a missing argument)
    3    a bug: anything else, with the traceback for the report
    130  interrupted: Ctrl-C, or the input closed at a question; nothing was written

The command runs without Click's standalone handling (its context is made and invoked here),
so no Typer or Click release can print "Aborted!" or exit 1 on Ctrl-C behind our back.
"""

import sys
from typing import Any

import typer

from datracker.cli.streams import flush_output, is_output_error, say_output_failed
from datracker.core.problems import DatrackerError, InvalidValue

OK, FAILED, INVALID, BUG, INTERRUPTED = 0, 1, 2, 3, 130


def run_command(command: Any, argv: list[str]) -> int:
    """Run the Click command for `argv`; print what went wrong, if anything; return the code.

    Standard output is flushed here, before the exit, so a full disk or a closed pipe under
    it is met where it can be answered (exit 1), not in Python's shutdown (exit 120)."""
    code = _outcome(command, argv)
    failed = flush_output()
    if failed is not None:
        say_output_failed(failed)
        return FAILED
    return code


def _outcome(command: Any, argv: list[str]) -> int:
    try:
        with command.make_context("datracker", argv) as ctx:
            command.invoke(ctx)
        return OK
    except typer.Exit as done:
        return int(done.exit_code)
    except SystemExit as done:  # sys.exit() in a command: None is success, as in Python
        if done.code is None:
            return OK
        return done.code if isinstance(done.code, int) else FAILED
    except (KeyboardInterrupt, EOFError, typer.Abort):
        _flush_quietly()
        after_the_prompt = "\n" if sys.stderr.isatty() else ""  # ^C leaves the cursor there
        print(f"{after_the_prompt}interrupted; nothing was written", file=sys.stderr)
        return INTERRUPTED
    except DatrackerError as error:
        report_error(error)
        return INVALID if isinstance(error, InvalidValue) else FAILED
    except OSError as error:
        if is_output_error(error):  # stdout is a full disk or a closed pipe: not a bug
            say_output_failed(error)
            return FAILED
        if error.filename is None:
            return _bug(error)
        # a path the user gave that cannot be read or written (a folder for a file, no
        # permission, a full disk): the command could not be done; it is not a bug
        print(f"error: cannot use {error.filename}: {error.strerror}", file=sys.stderr)
        print(
            "hint: check the path, that it is the right kind (file or folder) and that you "
            "may write there",
            file=sys.stderr,
        )
        return FAILED
    except typer.TyperException as error:  # Click's own: usage errors, help with no command
        return _click_error(error, command_named(command, argv))
    except Exception as error:
        return _bug(error)


def _bug(error: BaseException) -> int:
    """A bug: say so plainly, and keep the traceback for the report."""
    import traceback

    print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
    print("this is a bug in datracker; please report it with the lines below", file=sys.stderr)
    traceback.print_exception(error)
    return BUG


def report_error(error: DatrackerError) -> None:
    print(f"error: {error.message}", file=sys.stderr)
    if error.problems:
        from datracker.report.problems import problems_text

        print(problems_text(error.problems[:20], ""), file=sys.stderr)
    if error.hint:
        print(f"hint: {error.hint}", file=sys.stderr)


def command_named(root: Any, argv: list[str]) -> tuple[str, Any]:
    """The command line's command (`datracker review list`) and its Click command, found by
    walking the words of `argv` down the command tree, so a hint can name the right help."""
    path, command = ["datracker"], root
    for word in argv:
        if word.startswith("-"):
            continue
        sub = getattr(command, "commands", {}).get(word)
        if sub is None:
            break
        path.append(word)
        command = sub
    return " ".join(path), command


def _click_error(error: Any, named: tuple[str, Any]) -> int:
    """Click's usage errors in datracker's words; its bare help when no command was given."""
    ctx = getattr(error, "ctx", None)
    if type(error).__name__ == "NoArgsIsHelpError" and ctx is not None:
        print(ctx.get_help())  # `datracker` or `datracker review` alone: what can be done
        return OK
    code = getattr(error, "exit_code", INVALID)
    message, hint = usage_message(error, *named)
    print(f"error: {message}", file=sys.stderr)
    print(f"hint: {hint}", file=sys.stderr)
    return INVALID if code == INVALID else FAILED


def usage_message(error: Any, path: str, command: Any) -> tuple[str, str]:
    """What was wrong (Click's words, lower-cased) and a hint naming the command's help."""
    from datracker.cli.helpformat import value_name

    param = getattr(error, "param", None)
    text = str(getattr(error, "message", None) or error.format_message()).strip()
    if param is not None and type(error).__name__ == "BadParameter":
        where = param.opts[0] if param.param_type_name == "option" else value_name(param)
        text = f"{where}: {text}"
    elif type(error).__name__ == "MissingParameter" and param is not None:
        kind = "option" if param.param_type_name == "option" else "argument"
        where = param.opts[0] if kind == "option" else value_name(param)
        text = f"missing {kind} {where}"
    text, _, guess = text.partition(". Did you mean ")
    text = text[:1].lower() + text[1:]
    possibilities = sorted(getattr(error, "possibilities", None) or [])
    hint = f"see: {path} --help"
    if possibilities or guess:
        hint = f"did you mean {', '.join(possibilities) or guess.rstrip('?')}? ({hint})"
    example = _example(command)
    if example and type(error).__name__ in ("MissingParameter", "BadParameter"):
        hint = f"for example: {example} ({hint})"
    return text.rstrip("."), hint


def _example(command: Any) -> str | None:
    """The `Example: …` line of the command's help, which test_docs requires of every command."""
    help_text = getattr(command, "help", None) or ""
    for line in help_text.splitlines():
        if line.strip().startswith("Example: "):
            return line.strip().removeprefix("Example: ")
    return None


def _flush_quietly() -> None:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
