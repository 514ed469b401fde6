"""How one value is written in YAML: the one scalar writer, for the editor and the importer.

Owners open plan files in editors and tools whose YAML is not ours: VS Code's YAML extension
and `yq` read YAML 1.2 (core schema), PyYAML's `safe_load` and many CI scripts read YAML 1.1,
ruamel.yaml reads 1.2 with timestamps. A value is therefore written **plain** (unquoted) only
when every one of them reads it back as the same text: `text: Done.` but `text: "2022-01-05"`
(a date to YAML 1.1 and ruamel), `"1e3"` (a number to YAML 1.2), `"0o17"`, `"yes"`, `"~"`.

Anything else is written **double-quoted**, never single-quoted, because English text is full
of apostrophes (single quotes would double each one: 'Children''s services') while double
quotes and backslashes are rare, and because only double quotes can escape a tab or a control
character: those are always escaped (`\\t`), never written raw, since YAML readers refuse
them or read them differently. Long text is folded (`>-`) and text with line breaks is
literal (`|`), like the hand-written plan; both read as text under every schema.

Full dates in date fields are the one exception, written plain (`date: 2022-04-20`) like the
shipped plan: every reader reads the same day (YAML 1.1 and ruamel as a date, YAML 1.2 core as
its text), and datracker keeps it as text. A date field's value is passed as `datetime.date`
(see `calendar_date`); a text that happens to look like a date is quoted.

Every plain, folded or literal candidate is parsed back with libyaml before it is used and
must give exactly the text, tagged as text (a timestamp does not count); the rules for the
YAML 1.2 readers, which are not a runtime dependency, are the regular expressions below, and
`tests/test_yaml_readers.py` proves them against ruamel.yaml itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import yaml

Value = str | int | float | bool | dt.date
WRAP_WIDTH = 92  # folded text is wrapped to this line length, like the shipped plan
PLAIN_MAX = 200  # a longer one-line text is folded instead, so no line runs off the screen
_STR_TAG = "tag:yaml.org,2002:str"

# What some reader takes as something other than text, when written plain: the union of
# YAML 1.1's types (with y/n, which PyYAML leaves as text but the 1.1 spec does not), YAML
# 1.2's core schema, and ruamel.yaml's 1.2 resolver (which allows '_' in numbers and reads
# timestamps). Matching too much only costs a pair of quotes; matching too little is the bug.
_NOT_TEXT = re.compile(
    r"""
    ~ | null | Null | NULL
    | y | Y | yes | Yes | YES | n | N | no | No | NO | true | True | TRUE | false | False | FALSE
    | on | On | ON | off | Off | OFF
    | [-+]? (?: 0b[01_]+ | 0o?[0-7_]+ | 0x[0-9a-fA-F_]+ | [0-9_]+ )
    | [-+]? [0-9][0-9_]* (?: :[0-5]?[0-9] )+ (?: \.[0-9_]* )?
    | [-+]? (?: [0-9_]* \. [0-9_]* | [0-9][0-9_]* ) (?: [eE][-+]?[0-9]+ )?
    | [-+]? \. (?: inf | Inf | INF ) | \. (?: nan | NaN | NAN )
    | [0-9]{4} - [0-9]{1,2} - [0-9]{1,2}
      (?: (?: [Tt] | [ \t]+ ) [0-9]{1,2} : [0-9]{2} : [0-9]{2} (?: \.[0-9]* )?
          (?: [ \t]* (?: Z | [-+][0-9]{1,2} (?: :[0-9]{2} )? ) )? )?
    | << | = | ! | & | \*
    """,
    re.VERBOSE,
)

# Characters YAML may hold raw (its printable set), less those a reader may take as a line
# break or a byte-order mark, and less tab (refused in some places, invisible everywhere).
_NOT_RAW = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_FLOW_SPECIAL = re.compile(r"[,\[\]{}:#?]")  # PyYAML's own parser ends a plain value at '?'


def calendar_date(text: str) -> dt.date | str:
    """A date field's value as it should be written: a full date as a date, else its text."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text  # not a real day (2022-02-30): text, so quoted
    return text


def inline_scalar(value: Value, flow: bool = False) -> str:
    """A value on one line: plain when every reader reads it the same, else double-quoted.

    `flow=True` for a value inside `[...]` or `{...}`, where `,[]{}` end a plain value.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if plain_everywhere(value, flow) else double_quoted(value)


def field_lines(key: str, value: Value, indent: int, step: int = 2) -> list[str]:
    """`key: value` as lines at column `indent`; long or multi-line text as a block scalar.

    Lines of a block scalar are indented by `step` more than the key; empty lines stay empty.
    """
    pad = " " * indent
    if not isinstance(value, str):
        return [pad + f"{key}: {inline_scalar(value)}"]
    if len(pad) + len(key) + 2 + len(value) <= WRAP_WIDTH and plain_everywhere(value):
        return [pad + f"{key}: {value}"]
    quoted = double_quoted(value)
    if "\n" not in value and len(pad) + len(key) + 2 + len(quoted) <= WRAP_WIDTH:
        return [pad + f"{key}: {quoted}"]  # short text on its line: a block would only hide it
    width = max(WRAP_WIDTH - indent - step, 40)
    for candidate in (_literal(value, step), _folded(value, step, width)):
        if candidate is not None and _reads_back(candidate, value):
            header, *content = candidate
            return [pad + f"{key}: {header}"] + [pad + line if line else "" for line in content]
    if plain_everywhere(value):
        return [pad + f"{key}: {value}"]  # too long for its line, and cannot be folded
    return [pad + f"{key}: {quoted}"]


def plain_everywhere(text: str, flow: bool = False) -> bool:
    """Whether `text`, written plain, is read back as exactly this text by every reader."""
    if (
        not text
        or len(text) > PLAIN_MAX
        or text != text.strip(" ")
        or text[0] in _INDICATORS
        or _NOT_RAW.search(text)
        or "\n" in text
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or (flow and _FLOW_SPECIAL.search(text))
        or _NOT_TEXT.fullmatch(text)
    ):
        return False
    return _reads_back([text], text, flow)


def float_text(value: float) -> str:
    """A float every reader reads back as the same number.

    YAML 1.1 reads a float only with a '.' and a signed exponent: Python's `1e-05` is
    written `1.0e-05`. Infinities and NaN are refused: no plan figure is one.
    """
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a figure a plan can hold")
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def double_quoted(value: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `value`, whatever it holds."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _NOT_RAW.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\x00": "\\0",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _literal(value: str, step: int) -> list[str] | None:
    """`|` keeps line breaks exactly: used for text with more than one line."""
    if "\n" not in value or _NOT_RAW.search(value):
        return None
    body = value.rstrip("\n")
    trailing = len(value) - len(body)
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    indicator = str(step) if body[:1] in (" ", "\n") or not body else ""
    lines = body.split("\n") + [""] * (trailing - 1 if trailing > 1 else 0)
    return [f"|{indicator}{chomp}", *(" " * step + line if line else "" for line in lines)]


def _folded(value: str, step: int, width: int) -> list[str] | None:
    """`>-` wraps a long one-line text at single spaces; each break reads back as a space."""
    if "\n" in value or value != value.strip() or not value or _NOT_RAW.search(value):
        return None
    words = re.split(r"(?<=\S) (?=\S)", value)
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return [">-", *(" " * step + line for line in lines)]


def _reads_back(candidate: Sequence[str], value: str, flow: bool = False) -> bool:
    """Parse the candidate in place and check it gives exactly `value`, tagged as text.

    A timestamp is not text: YAML 1.1 readers would give a date (or fail on 2022-02-30).
    libyaml parses here; PyYAML's own parser (what `safe_load` uses) is left to the tests,
    which run it and ruamel's on every form written: checking with it here too made `import`
    six times slower (12 -> 73 ms for the shipped plan's 38 actions), and the one difference
    the tests found between the two parsers, '?' in a flow value, is in `_FLOW_SPECIAL`.
    """
    header, *content = candidate
    first = f"k: [{{k: {header}}}]" if flow else f"k: {header}"
    text = "\n".join([first, *content]) + "\n"
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return False
    scalar = node.value[0][1]
    if flow:
        if not isinstance(scalar, yaml.SequenceNode) or len(scalar.value) != 1:
            return False
        inner = scalar.value[0]
        if not isinstance(inner, yaml.MappingNode) or len(inner.value) != 1:
            return False
        scalar = inner.value[0][1]
    return isinstance(scalar, yaml.ScalarNode) and scalar.tag == _STR_TAG and scalar.value == value
