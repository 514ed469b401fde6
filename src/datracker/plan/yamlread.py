"""Fast, safe, read-only YAML with positions: the read side of the plan store.

Read-only commands parse with libyaml's composer (C) and build plain Python data with a small
walker of our own instead of PyYAML's constructor. The walker is where safety lives: it refuses
anchors/aliases (no alias bombs), any tag beyond plain data (no `!!python/object`), duplicate
keys and absurd nesting, and keeps dates as the text the user wrote. The node tree is kept, so a
problem found later (by pydantic or a cross-file rule) can still be given its line and column.
Writes do not re-dump YAML at all: planedit edits the text at these same node positions.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from datracker.core import gcpause
from datracker.core.problems import DatrackerError, Problem, Severity
from datracker.core.text import BIDI, UNSAFE, char_name, visible
from datracker.plan.syntaxhints import explain_syntax_error

DEFAULT_MAX_FILE_MB = 20
MAX_DEPTH = 64
MAX_INT_DIGITS = 4000  # the model says how large; Python will not print over 4,300 digits


class _Loader(yaml.CSafeLoader):
    """libyaml's parser with a memo on tag resolution.

    PyYAML resolves every plain scalar's tag in Python with a regex per candidate tag; a plan
    repeats the same keys and values (id, rag, AMBER, review ids) thousands of times, so the
    answer is remembered per distinct short text. Only composing is used, never constructing.
    Measured (issue 19, callgrind, 1,000 actions, PYTHONHASHSEED=0): without the memo
    `validate` does 13% more instructions (2,869 million against 2,538 with the other caches
    also off), `status --format json` 13% more, `render --format md` 10% more.
    """

    _memo: dict[str, str] = {}

    # types-PyYAML leaves Resolver.resolve unannotated: the two calls below need an ignore
    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or not implicit[0] or len(value) > 40:
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        tag = self._memo.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            self._memo[value] = tag
        return tag


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

Location = tuple[int, int]  # 1-based line and column
PathKey = str | int


@dataclass
class Document:
    """One parsed file: its data, and the node tree to find where any part of it was written."""

    path: Path
    rel: str
    text: str
    root: yaml.Node | None
    data: Any
    problems: list[Problem] = field(default_factory=list)

    def require_root(self) -> yaml.Node:
        """The node tree, for an edit: a file that is empty or did not parse has none, and a
        plan with such a file is refused before any edit is made (`require_plan`)."""
        if self.root is None:
            raise DatrackerError(
                f"{self.rel} is empty or could not be read, so it cannot be edited; nothing "
                "was written",
                f"run: datracker validate, and correct {self.rel}",
            )
        return self.root

    def locate(self, loc: Sequence[PathKey], key: bool = False) -> Location:
        """Line and column of the value at `loc`, or of its key with key=True.

        Walks as deep as the path exists, so a missing field points at its parent mapping,
        where the user has to add it.
        """
        node = self.root
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for step in loc:
            child = _child(node, step)
            if child is None:
                break
            key_node, node = child
            mark = key_node.start_mark if key and step == loc[-1] and key_node else node.start_mark
        return (mark.line + 1, mark.column + 1)

    def problem(
        self,
        loc: Sequence[PathKey],
        severity: Any,
        code: str,
        message: str,
        hint: str | None = None,
        key: bool = False,
    ) -> Problem:
        line, column = self.locate(loc, key=key)
        return Problem(self.rel, line, column, severity, code, message, hint)


def _child(node: yaml.Node, step: PathKey) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == step:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        if 0 <= step < len(node.value):
            return None, node.value[step]
    return None


def max_file_bytes() -> int:
    """The size cap, overridable because a legitimate plan could one day exceed it."""
    try:
        return int(float(os.environ.get("DATRACKER_MAX_FILE_MB", DEFAULT_MAX_FILE_MB)) * 2**20)
    except ValueError:
        return DEFAULT_MAX_FILE_MB * 2**20


def read_document(path: Path, rel: str) -> Document:
    """Read and parse one YAML file; every failure becomes a Problem on the Document."""
    raw, problem = read_plan_bytes(path, rel)
    if problem:
        return unread_document(rel, problem, path)
    return document_from_bytes(raw, rel, path)


def unread_document(rel: str, why: Problem, path: Path | None = None) -> Document:
    """A plan file that was not read (too large, a link out, not a file): no data, one
    problem saying why, so every reader reports it where the file would have been."""
    doc = Document(path=path or Path(rel), rel=rel, text="", root=None, data=None)
    doc.problems.append(why)
    return doc


def document_from_bytes(raw: bytes, rel: str, path: Path | None = None) -> Document:
    """Parse a file's bytes, from disk or from a git blob, with the same checks either way."""
    text, problem = "", too_large(len(raw), rel)
    if problem is None:
        text, problem = _decode(raw, rel)
    if problem:
        return unread_document(rel, problem, path)
    return parse_document(text, rel, path)


def parse_document(text: str, rel: str, path: Path | None = None) -> Document:
    """Parse YAML text with the fast loader; `rel` names the file in problems."""
    doc = Document(path=path or Path(rel), rel=rel, text=text, root=None, data=None)
    if len(text) > max_file_bytes() // 4:  # e.g. an edit that would make it too large to read
        problem = too_large(len(text.encode("utf-8")), rel)
        if problem is not None:
            doc.text = ""
            doc.problems.append(problem)
            return doc
    if not _has_content(text):
        doc.problems.append(
            Problem(rel, 1, 1, "error", "empty-file", "the file is empty", _EMPTY_HINT)
        )
        return doc
    conflict = _conflict_problem(rel, text)
    if conflict is not None:
        doc.problems.append(conflict)
        return doc
    try:
        with gcpause.paused():
            doc.root = yaml.compose(text, Loader=_Loader)
            walker = _Walker(doc)
            doc.data = walker.build(doc.root, 0) if doc.root is not None else None
    except _Refused as refused:
        doc.root, doc.data = None, None
        doc.problems.append(refused.problem)
    except yaml.YAMLError as error:
        doc.root, doc.data = None, None
        doc.problems.append(_syntax_problem(rel, text, error))
    except RecursionError:
        doc.root, doc.data = None, None
        doc.problems.append(_too_deep(rel, 1, 1))
    return doc


_EMPTY_HINT = "a plan file needs at least its top-level keys; see docs/plan-format.md"


def too_large(size: int, rel: str) -> Problem | None:
    """The size cap, one rule for a file on disk and a file at a git revision alike, checked
    before the file is parsed (parsing costs ~70x the size)."""
    limit = max_file_bytes()
    if size <= limit:
        return None
    message = f"the file is {_size(size)}, over the limit of {_size(limit)}"
    hint = "split the plan into more files, or raise DATRACKER_MAX_FILE_MB"
    return Problem(rel, 1, 1, "error", "file-too-large", message, hint)


def read_plan_bytes(path: Path, rel: str) -> tuple[bytes, Problem | None]:
    """The file's bytes, or why not; never more than the size cap, never a device or a pipe.

    The file is opened without waiting (a named pipe would otherwise block for ever) and
    checked once open, so what is read is what was checked.
    """
    limit = max_file_bytes()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        return b"", _unreadable(rel, path, error)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
            message = f"this is {kind}, not a plan file"
            hint = "a plan file is an ordinary YAML file; move this out of the plan folder"
            return b"", Problem(rel, 1, 1, "error", "not-a-file", message, hint)
        problem = too_large(info.st_size, rel)
        if problem is not None:
            return b"", problem
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        return b"", _unreadable(rel, path, error)
    finally:
        os.close(fd)
    grown = too_large(len(data), rel)  # it grew while being read
    return (b"", grown) if grown is not None else (data, None)


def _unreadable(rel: str, path: Path, error: OSError) -> Problem:
    reason = error.strerror or str(error)
    if isinstance(error, FileNotFoundError) and path.is_symlink():
        reason = "it is a link to a file that does not exist"
    hint = "check the file's permissions, or restore it from git (git checkout -- FILE)"
    return Problem(rel, 1, 1, "error", "unreadable", f"cannot read the file: {reason}", hint)


def _decode(raw: bytes, rel: str) -> tuple[str, Problem | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        hint = (
            "save the file as UTF-8 without a BOM (in most editors: 'UTF-8', not 'UTF-8 with BOM')"
        )
        return "", Problem(
            rel, 1, 1, "error", "bom", "the file starts with a byte-order mark", hint
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line, column = _line_col(raw[: error.start])
        message = f"the file is not UTF-8: byte 0x{raw[error.start]:02x} cannot be read"
        hint = "save the file as UTF-8 (it may have been saved as Windows-1252 or Latin-1)"
        return "", Problem(rel, line, column, "error", "encoding", message, hint)


def _size(n: int) -> str:
    return (
        f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes" if n < 1024 else f"{n // 1024} KB"
    )


def _line_col(prefix: bytes) -> Location:
    line = prefix.count(b"\n") + 1
    column = len(prefix) - (prefix.rfind(b"\n") + 1) + 1
    return line, column


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _syntax_problem(rel: str, text: str, error: yaml.YAMLError) -> Problem:
    """The syntax error where the person has to look, in plain words.

    libyaml gives two places: where it gave up (`problem_mark`) and where the construct it was
    reading began (`context_mark`). For an unclosed quote or bracket it gives up at the end of
    the file or on a later line, so the place to look is where the quote or bracket opened;
    for a missing space after a colon, the line of the key. `syntaxhints` picks the place.
    """
    if isinstance(error, yaml.reader.ReaderError):
        line, column = _line_col(text[: error.position].encode())
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else "a character"
        message = f"the file contains {char}, a control character YAML does not allow"
        hint = "remove the character (it is often pasted in invisibly from another program)"
        return Problem(rel, line, column, "error", "control-character", message, hint)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return Problem(rel, 1, 1, "error", "yaml-syntax", f"YAML syntax error: {error}")
    problem = getattr(error, "problem", None) or str(error)
    if "maximum nesting depth" in problem:
        return _too_deep(rel, mark.line + 1, mark.column + 1)
    found = explain_syntax_error(text, error)
    if found is not None:
        line, column, code, message, hint = found
        return Problem(rel, line, column, "error", code, message, hint)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    hint = "check this line and the one above it against the lines around them"
    return Problem(rel, mark.line + 1, mark.column + 1, "error", "yaml-syntax", message, hint)


def _conflict_problem(rel: str, text: str) -> Problem | None:
    """Git's conflict markers left in the file: named as what they are, at the first one."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None
    markers = [
        (number, line[0])
        for number, line in enumerate(text.splitlines(), 1)
        if _CONFLICT_MARKER.match(line)
    ]
    if not any(kind in "<>" for _, kind in markers):
        return None
    listed = ", ".join(str(n) for n, _ in markers[:6]) + (" …" if len(markers) > 6 else "")
    message = (
        "the file holds an unresolved merge conflict: git's markers "
        f"(<<<<<<<, ======= and >>>>>>>) are still in it, on lines {listed}"
    )
    hint = (
        "keep the lines you want from between the markers, delete the three marker lines "
        "and anything you do not want, and save"
    )
    return Problem(rel, markers[0][0], 1, "error", "merge-conflict", message, hint)


_CONFLICT_MARKER = re.compile(r"^(?:<{7}|={7}|>{7})(?:[ \t].*)?$")


_RAW_UNSAFE = re.compile("[\x85\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _too_deep(rel: str, line: int, column: int) -> Problem:
    message = f"the YAML is nested more than {MAX_DEPTH} levels deep"
    hint = "a plan is only a few levels deep; check the indentation"
    return Problem(rel, line, column, "error", "too-deep", message, hint)


class _Walker:
    """Builds plain data from nodes, refusing what a plan never needs."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # An alias is the same node object met twice. Aliases need an anchor, and an anchor is
        # written with '&': a file without one cannot hold any, so the (costly) record of every
        # node seen is kept only for files that contain the character.
        self.seen: set[int] | None = set() if "&" in doc.text else None
        # Control characters reach a value only through a double-quoted escape ("\e", "\x1b"),
        # and the bidirectional controls and separators only raw (YAML allows them): a file with
        # neither a backslash nor one of those characters needs no look at its values.
        self.check_text = "\\" in doc.text or _RAW_UNSAFE.search(doc.text) is not None

    def build(self, node: yaml.Node, depth: int) -> Any:
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                return self._alias(node)
            seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(_too_deep(self.doc.rel, *_pos(node)))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, _SEQ)
            return [self.build(child, depth + 1) for child in node.value]
        self._check_tag(node, _MAP)
        return self._mapping(node, depth)

    def _mapping(self, node: yaml.Node, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen = self.seen
        for key_node, value_node in node.value:
            # keys are nearly always plain words: take them directly rather than via build()
            plain = key_node.tag == _STR and (seen is None or id(key_node) not in seen)
            key = key_node.value if plain else self.build(key_node, depth + 1)
            if not isinstance(key, str | int):
                self._report(key_node, "bad-key", "a key must be a plain word", None)
                continue
            if key in result:
                first = _first_key_line(node, key)
                shown = visible(key_node.value[:40])  # as written: a huge number is not printed
                hint = f"'{shown}' was first given on line {first}; keep one of them"
                self._report(key_node, "duplicate-key", f"'{shown}' is given twice", hint)
                continue
            result[key] = self.build(value_node, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag in (_STR, _TIMESTAMP):
            if self.check_text and UNSAFE.search(value):
                self._unsafe_text(node, value)
            return value  # dates stay as written; the model checks them
        if tag == _INT:
            return _to_int(value)
        if tag == _FLOAT:
            return _to_float(value)
        if tag == _BOOL:
            # YAML 1.1 also reads yes/no/on/off as booleans; a plan means them as words
            lowered = value.lower()
            return lowered == "true" if lowered in ("true", "false") else value
        if tag == _NULL:
            return None
        self._check_tag(node, _STR)
        return value

    def _unsafe_text(self, node: yaml.Node, value: str) -> None:
        """Report the first control or bidirectional character of a text, where it is.

        A control character is an error: it can take over the terminal that prints the plan
        (ESC) or hide text. A bidirectional control is a warning: it has rare honest uses in
        right-to-left text, but it can make a line display differently from what it says.
        """
        severity: Severity
        found = UNSAFE.search(value)
        assert found is not None, "the caller found an unsafe character"
        char = found[0]
        if BIDI.fullmatch(char):
            message = f"the text holds {char_name(char)}, which reorders how the text displays"
            hint = "remove it unless the text is right-to-left and needs it"
            code, severity = "bidi-control", "warning"
        else:
            message = f"the text holds {char_name(char)}, a control character"
            hint = "remove it (in a quoted text, delete the escape such as \\e or \\x1b)"
            code, severity = "control-character", "error"
        line, column = _pos(node)
        self.doc.problems.append(Problem(self.doc.rel, line, column, severity, code, message, hint))

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            message = f"the YAML tag '{node.tag}' is not allowed in a plan"
            hint = "remove the '!…' tag; plan files hold plain text, numbers, lists and mappings"
            self._report(node, "yaml-tag", message, hint)

    def _alias(self, node: yaml.Node) -> Any:
        message = "YAML anchors and aliases (&name / *name) are not allowed in a plan"
        hint = "write the value out in full where it is needed"
        line, column = _alias_position(self.doc.text) or _pos(node)
        raise _Refused(Problem(self.doc.rel, line, column, "error", "yaml-alias", message, hint))

    def _report(self, node: yaml.Node, code: str, message: str, hint: str | None) -> None:
        line, column = _pos(node)
        self.doc.problems.append(Problem(self.doc.rel, line, column, "error", code, message, hint))


class _Refused(yaml.YAMLError):
    """Stops the walk: the document cannot be read safely any further."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _first_key_line(mapping: yaml.Node, key: Any) -> int:
    """The line of a key's first occurrence, looked up only when a duplicate is found."""
    for key_node, _ in mapping.value:
        text = key_node.value
        if text == key or (key_node.tag == _INT and _to_int(text) == key):
            return _pos(key_node)[0]
    return _pos(mapping)[0]


def _pos(node: yaml.Node) -> Location:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _alias_position(text: str) -> Location | None:
    """Where the first alias is used; libyaml's nodes only remember where the anchor was."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) and event.start_mark:
            return event.start_mark.line + 1, event.start_mark.column + 1
    return None


def _to_int(text: str) -> int | str:
    """The integer, or the text when it is not one, or too long to be a figure at all.

    A hex or binary literal may be any length; past MAX_INT_DIGITS it stays text, so no message
    ever has to print it (Python refuses to print integers of more than 4,300 digits).
    """
    cleaned = text.replace("_", "")
    if len(cleaned) > MAX_INT_DIGITS:
        return text
    for base in (10, 0):
        try:
            return int(cleaned, base)
        except ValueError:
            continue
    return text


def _to_float(text: str) -> float | str:
    lowered = text.lower().replace("_", "")
    if lowered in (".inf", "+.inf", "-.inf", ".nan"):
        return text  # a plan has no use for infinities; left as text, the model will say so
    try:
        return float(lowered)
    except ValueError:
        return text
