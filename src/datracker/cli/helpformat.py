"""One style for every command's help: `ID`, `[FROM] [TO]`, `--plan DIR`, whatever Typer's release.

Typer's own rendering of arguments and options has changed between releases (`{ID}`,
`[[FROM]]`, `ID <str>`, `--rag <str>`), so commands registered on a `DatrackerTyper` get
`HelpCommand`, which writes the usage line and the argument and option lists itself: a value
is named by its metavar (`DIR`, `FORMAT`, `ID`), or else by its name in capitals; an optional
argument is in brackets.
"""

from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand


def value_name(param: Any) -> str:
    """`ID`, `DIR`, `FORMAT`: the metavar without Typer's brackets, or the name in capitals."""
    name: str = param.metavar or (param.name or "value").upper()
    return name.strip("[]{}")


def argument_usage(param: Any) -> str:
    return value_name(param) if param.required else f"[{value_name(param)}]"


def _extras(param: Any, is_option: bool) -> list[str]:
    extras = []
    envvar = getattr(param, "envvar", None)
    if is_option and envvar and getattr(param, "show_envvar", False):
        extras.append(f"env var: {envvar}")
    default = param.default
    show_default = getattr(param, "show_default", False)
    if (
        is_option
        and show_default
        and default not in (None, False, "", ())
        and not callable(default)
    ):
        extras.append(f"default: {getattr(default, 'value', default)}")
    if param.required:
        extras.append("required")
    return extras


def _long_last(name: str) -> bool:
    return name.startswith("--")


def _record(param: Any) -> tuple[str, str]:
    is_option = param.param_type_name == "option"
    if is_option:
        names = ", ".join(sorted([*param.opts, *param.secondary_opts], key=_long_last))
        term = names if param.is_flag else f"{names} {value_name(param)}"
    else:
        term = value_name(param)
    extras = _extras(param, is_option)
    help_text = param.help or ""
    if extras:
        help_text = f"{help_text}  [{'; '.join(extras)}]".strip()
    return term, help_text


class HelpCommand(TyperCommand):
    """A Typer command whose usage line and option list datracker writes itself."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        pieces += [
            argument_usage(p) for p in self.get_params(ctx) if p.param_type_name == "argument"
        ]
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        params = [p for p in self.get_params(ctx) if not getattr(p, "hidden", False)]
        arguments = [_record(p) for p in params if p.param_type_name == "argument"]
        options = [_record(p) for p in params if p.param_type_name == "option"]
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


class DatrackerTyper(typer.Typer):
    """A Typer app whose commands (and sub-apps' commands) all use `HelpCommand`."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        kwargs.setdefault("cls", HelpCommand)
        return super().command(*args, **kwargs)
