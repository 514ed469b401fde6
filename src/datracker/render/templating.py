"""The one Jinja set-up every template output shares: the override folder, the sandbox for
templates that come from a plan repository, and errors that name the template and line.

A plan overrides templates file by file: `<templates>/<kind>/<name>` wins over the packaged
file of the same name. A template from a plan repository is not trusted code (anyone who can
open a pull request can write one), so as soon as a plan overrides any template of a kind,
every template of that kind runs in Jinja's immutable sandbox: no attribute starting with "_",
no Python internals, no method that changes a list, dict or set. The templates packaged with
datracker are part of the program, reviewed like its code, and run without the sandbox's
checks, which cost a fifth of a large site's render (benchmarks/README.md). Either way
undefined names fail loudly (StrictUndefined) with the template's name, line and the name,
instead of printing nothing into a board paper or a public page.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from datracker.core.problems import DatrackerError
from datracker.render.bounds import BUDGET_HINT, BoundedSandbox, OverBudget, time_limit

PACKAGED_TEMPLATES = Path(__file__).parent / "templates"


class Sandbox(BoundedSandbox):
    """Jinja's immutable sandbox (no attribute starting with "_", no Python internals, no
    method that changes a list, dict or set) within the budgets of bounds.py (time, ranges,
    repetition, output), with each attribute verdict remembered.

    Jinja decides whether `obj.attr` is safe from `type(obj)` and `attr` alone (its checks are
    isinstance tests and name tests), so the verdict for a (type, name) pair never changes. A
    site of 1,000 actions asks the same few hundred questions about 100,000 times, and asking
    Jinja each time was a third of the render (measured: benchmarks/README.md). The full check
    still runs the first time each pair is seen; `tests/test_templating.py` fails if a Jinja
    release ever makes a verdict depend on more than the type and the name.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def environment(
    kind: str,
    override: Path | None,
    *,
    autoescape: bool,
    finalize: Callable[[Any], Any] | None = None,
    sandbox: type[SandboxedEnvironment] = Sandbox,
) -> Environment:
    """The environment for one kind of output ("markdown", "html"): the packaged templates
    alone, trusted; or the plan's overrides over them, every one in the sandbox."""
    overrides = override / kind if override is not None else None
    untrusted = overrides is not None and overrides.is_dir() and any(overrides.iterdir())
    loaders = [FileSystemLoader(str(overrides))] if overrides is not None and untrusted else []
    loaders.append(FileSystemLoader(str(PACKAGED_TEMPLATES / kind)))
    return (sandbox if untrusted else Environment)(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        # each render reads its templates once; checking their files' dates again before every
        # one of a site's thousand pages would only cost time
        auto_reload=False,
    )


@contextlib.contextmanager
def budget(env: Environment) -> Iterator[None]:
    """One budget of time and range() numbers for everything rendered inside (a document, a
    whole site); only a sandbox, whose templates are not trusted, is bounded."""
    if not isinstance(env, BoundedSandbox):
        yield
        return
    env.start_budget()
    try:
        with time_limit():
            yield
    except OverBudget as error:  # the timer fired between two templates
        raise DatrackerError(f"template: {error}", error.hint) from None


def run_template(env: Environment, name: str, **context: Any) -> str:
    """Render one template; any template mistake becomes a DatrackerError naming where it is."""
    try:
        template = env.get_template(name)
        if isinstance(env, BoundedSandbox):
            return env.render_bounded(template, **context)
        return template.render(**context)
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}, line {error.lineno}"
        raise DatrackerError(
            f"template {where}: {error.message}", "fix the template's Jinja syntax"
        ) from None
    except TemplateNotFound as error:
        raise DatrackerError(
            f"template '{error.name}' not found",
            f"templates are looked up in {searched(env)}",
        ) from None
    except OverBudget as error:
        raise DatrackerError(f"{_where(error)}: {error}", error.hint) from None
    except SecurityError as error:
        raise DatrackerError(
            f"{_where(error)}: not allowed in a template: {error}",
            "templates may read the document's fields (doc.…) only; they cannot change them",
        ) from None
    except RecursionError as error:
        raise DatrackerError(
            f"{_where(error)}: the template includes or calls itself without end",
            "remove the include or macro call that leads back to the same template",
        ) from None
    except MemoryError:
        raise DatrackerError(
            "a template needed more memory than this machine has", BUDGET_HINT
        ) from None
    except TemplateError as error:
        raise DatrackerError(
            f"{_where(error)}: {error}",
            "check the spelling against the fields listed in the packaged templates",
        ) from None


def _where(error: Exception) -> str:
    """The template frame closest to the failure: Jinja rewrites tracebacks to template lines."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"template {frame.filename}, line {frame.lineno}"
    return "template"


def searched(env: Environment) -> str:
    """The folders a template is looked up in, in order, for the 'not found' hint."""
    loader = env.loader
    folders: list[str] = []
    if isinstance(loader, ChoiceLoader):
        for inner in loader.loaders:
            if isinstance(inner, FileSystemLoader):
                folders.extend(str(p) for p in inner.searchpath)
    return " and then ".join(folders)
