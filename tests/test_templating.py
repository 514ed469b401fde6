"""The template set-up: packaged templates trusted, a plan's own templates sandboxed, and the
sandbox's remembered verdicts always the ones Jinja itself would give."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from datracker.render.templating import Sandbox, environment


def test_packaged_templates_alone_are_trusted(tmp_path: Path) -> None:
    assert not isinstance(environment("markdown", None, autoescape=False), Sandbox)
    empty = tmp_path / "templates"
    (empty / "markdown").mkdir(parents=True)
    assert not isinstance(environment("markdown", empty, autoescape=False), Sandbox)
    assert not isinstance(environment("html", empty, autoescape=True), Sandbox)


def test_one_override_puts_every_template_of_its_kind_in_the_sandbox(tmp_path: Path) -> None:
    overrides = tmp_path / "templates"
    (overrides / "html").mkdir(parents=True)
    (overrides / "html" / "owners.html.j2").write_text("x", encoding="utf-8")
    html = environment("html", overrides, autoescape=True)
    assert isinstance(html, Sandbox)
    # the packaged pages this override sits among run in the same sandbox
    assert html.get_template("index.html.j2").environment is html
    assert not isinstance(environment("markdown", overrides, autoescape=False), Sandbox)


class _Plain:
    value = 1

    def method(self) -> int:
        return 1


def _generator() -> types.GeneratorType[int, None, None]:
    yield 1


SUBJECTS = [
    _Plain(),
    [1, 2],
    {"a": 1},
    {1, 2},
    "text",
    _Plain().method,
    _generator(),
    _generator,
    str,
    (lambda: 1).__code__,
]
NAMES = [
    "value", "method", "append", "clear", "pop", "update", "add", "upper", "format", "mro",
    "__class__", "__globals__", "_private", "gi_frame", "gi_code", "__func__", "__self__",
    "co_code", "func_globals", "__init__", "keys", "items",
]  # fmt: skip


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: type(s).__name__)
def test_remembered_verdicts_are_jinjas_own(subject: object) -> None:
    ours, jinjas = Sandbox(), ImmutableSandboxedEnvironment()
    for name in NAMES:
        value = getattr(subject, name, None)
        expected = jinjas.is_safe_attribute(subject, name, value)
        assert ours.is_safe_attribute(subject, name, value) == expected, name
        assert ours.is_safe_attribute(subject, name, value) == expected, name  # remembered


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: type(s).__name__)
def test_jinja_decides_from_the_type_and_the_name_alone(subject: object) -> None:
    """What remembering verdicts relies on: fails loudly if a Jinja release ever looks at the
    instance or the value, so the cache must go."""
    jinjas = ImmutableSandboxedEnvironment()
    other: object = subject
    if isinstance(subject, _Plain):
        other = _Plain()
        other.value = "changed"  # type: ignore[attr-defined]
    for name in NAMES:
        first = jinjas.is_safe_attribute(subject, name, getattr(subject, name, None))
        assert jinjas.is_safe_attribute(other, name, object()) == first, name
        assert jinjas.is_safe_attribute(other, name, None) == first, name
