"""Surgical edits of one YAML file, at positions taken from the fast compose pass.

Reviewers read a plan's changes as a git diff, so a write must leave every other byte alone:
comments, quoting, block scalars, blank lines, indentation, line endings, the final newline.
Re-dumping through a round-trip library cannot promise that (and costs ~2 s per MB), so
datracker edits the text itself: it finds the node to change in libyaml's node tree (whose
marks give character offsets), and inserts or replaces only the lines of that entry, written
in the file's own indentation and line ending. Every scalar written is checked by parsing it
back; callers also compare the whole re-parsed file with the data they expect.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from datracker.core.problems import DatrackerError

Value = str | int | float
Fields = Sequence[tuple[str, Value]]

WRAP_WIDTH = 92  # folded text is wrapped to this line length, like the shipped plan
_SCALAR_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")


class EditError(DatrackerError):
    """The file is written in a way this edit cannot change safely; it is left as it is."""


@dataclass(frozen=True)
class Layout:
    """How a file indents: detected from its own lines, so new lines look like their neighbours.

    `seq_offset`: columns from a key to the '-' of its block sequence (0 for indentless lists);
    `dash_gap`: columns from '-' to the item's first key; `step`: a nested mapping's indent.
    """

    newline: str = "\n"
    seq_offset: int = 2
    dash_gap: int = 2
    step: int = 2


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


@dataclass
class FileEditor:
    """Collects non-overlapping edits of one file's text and applies them together."""

    text: str
    root: yaml.Node
    layout: Layout = field(init=False)
    edits: list[_Edit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.layout = detect_layout(self.text, self.root)

    def result(self) -> str:
        out = self.text
        last_start = len(out) + 1
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end), reverse=True):
            if edit.end > last_start:
                raise EditError("two changes to the same lines of the file were requested")
            out = out[: edit.start] + edit.text + out[edit.end :]
            last_start = edit.start
        return out

    # --- primitives -------------------------------------------------------------------------

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append(_Edit(start, end, text))

    def insert_lines(self, pos: int, lines: Sequence[str]) -> None:
        """Insert whole lines at `pos`: a line start, or the end of a file with no final newline."""
        nl = self.layout.newline
        if pos == len(self.text) and self.text and not self.text.endswith("\n"):
            self.replace(pos, pos, nl + nl.join(lines))  # keep the file's missing final newline
        else:
            self.replace(pos, pos, "".join(line + nl for line in lines))

    def after(self, node: yaml.Node) -> int:
        """Where a line inserted after `node` (and its end-of-line comment) goes."""
        leaf = _last_leaf(node)
        if _keeps_trailing_lines(self.text, leaf):
            return int(leaf.end_mark.index)
        return _after_line(self.text, _content_end(self.text, leaf))

    # --- operations on a block mapping ------------------------------------------------------

    def set_scalar(
        self, mapping: yaml.MappingNode, key: str, value: Value, after_key: str | None = None
    ) -> None:
        """Give `key` a one-line value: replace the old value in place, or add a line."""
        _require_block(mapping, key)
        found = child(mapping, key)
        if found is not None:
            old = found[1]
            if not isinstance(old, yaml.ScalarNode) or old.style in ("|", ">"):
                raise EditError(f"'{key}' is not written as a one-line value; edit it by hand")
            self.replace(old.start_mark.index, old.end_mark.index, inline_scalar(value))
            return
        indent = mapping.start_mark.column
        anchor = child(mapping, after_key) if after_key else None
        pos = self.after(anchor[1] if anchor else mapping.value[-1][1])
        self.insert_lines(pos, field_lines(key, value, indent, self.layout.step))

    def upsert_item(
        self,
        mapping: yaml.MappingNode,
        key: str,
        fields: Fields,
        existing: Sequence[dict[str, Any]],
        match: int | None,
        position: int,
        before_key: str | None = None,
    ) -> None:
        """Replace item `match` of the list under `key`, or insert a new item at `position`.

        `existing` is the list's current data, needed only to rewrite a one-line flow list
        (`key: []`) as a block list; everything else in the file is left as written. A new
        `key` goes at the end of the mapping, or before `before_key` (and the comment lines
        just above it, which belong to it) when the mapping has that key.
        """
        _require_block(mapping, key)
        found = child(mapping, key)
        key_col = mapping.start_mark.column
        if found is None:
            following = child(mapping, before_key) if before_key else None
            if following is not None:
                pos = _comments_above(
                    self.text, _line_start(self.text, following[0].start_mark.index)
                )
            else:
                pos = self.after(mapping.value[-1][1])
            lines = [" " * key_col + f"{key}:"]
            lines += self._item_lines(fields, key_col + self.layout.seq_offset)
            self.insert_lines(pos, lines)
            return
        key_node, seq = found
        if isinstance(seq, yaml.SequenceNode) and not seq.flow_style and seq.value:
            self._upsert_block(seq, fields, match, position)
            return
        if not (isinstance(seq, yaml.SequenceNode) or _is_null(seq)):
            raise EditError(f"'{key}' should be a list; fix it (datracker validate) and retry")
        self._flow_to_block(key_node, seq, key_col, fields, existing, match, position)

    def _upsert_block(
        self, seq: yaml.SequenceNode, fields: Fields, match: int | None, position: int
    ) -> None:
        items = seq.value
        dash_col = seq.start_mark.column
        if any(not isinstance(i, yaml.MappingNode) or i.flow_style for i in items):
            raise EditError("an entry of this list is written on one line in {…}; edit it by hand")
        lines = self._item_lines(fields, dash_col, items[0].start_mark.column - dash_col)
        if match is not None:
            start = _line_start(self.text, items[match].start_mark.index)
            end = self.after(items[match])
            if end == len(self.text) and not self.text.endswith("\n"):
                self.replace(start, end, self.layout.newline.join(lines))
            else:
                self.replace(start, end, "".join(line + self.layout.newline for line in lines))
        elif position < len(items):
            self.insert_lines(_line_start(self.text, items[position].start_mark.index), lines)
        else:
            self.insert_lines(self.after(items[-1]), lines)

    def _flow_to_block(
        self,
        key_node: yaml.Node,
        seq: yaml.Node,
        key_col: int,
        fields: Fields,
        existing: Sequence[dict[str, Any]],
        match: int | None,
        position: int,
    ) -> None:
        """`key: [...]` (or `key:` with nothing) becomes a block list; only that node changes."""
        items: list[Fields] = [list(item.items()) for item in existing]
        if match is not None:
            items[match] = fields
        else:
            items.insert(position, fields)
        colon = self.text.index(":", key_node.end_mark.index)
        end = seq.end_mark.index if seq.end_mark.index > colon else colon + 1
        rest = self.text[end : _after_line(self.text, end)]
        if rest.strip() and not rest.strip().startswith("#"):
            raise EditError("the list continues after its closing ']'; edit it by hand")
        self.replace(colon + 1, end, "")  # drop ' []' but keep an end-of-line comment
        lines: list[str] = []
        for item in items:
            lines += self._item_lines(item, key_col + self.layout.seq_offset)
        self.insert_lines(_after_line(self.text, end), lines)

    def _item_lines(self, fields: Fields, dash_col: int, dash_gap: int | None = None) -> list[str]:
        gap = dash_gap if dash_gap is not None else self.layout.dash_gap
        key_col = dash_col + gap
        lines: list[str] = []
        for key, value in fields:
            lines += field_lines(key, value, key_col, self.layout.step)
        first = lines[0]
        lines[0] = " " * dash_col + "-" + " " * (gap - 1) + first[key_col:]
        return lines


# --- finding nodes ----------------------------------------------------------------------------


def child(mapping: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if key_node.value == key:
            return key_node, value_node
    return None


def node_at(root: yaml.Node, path: Sequence[str | int]) -> yaml.Node:
    """The node at `path` (keys and list indexes); the caller knows it exists."""
    node = root
    for step in path:
        if isinstance(step, int):
            node = node.value[step]
        else:
            found = child(node, step)
            if found is None:
                raise EditError(f"'{step}' was not found where expected in the file")
            node = found[1]
    return node


def mapping_at(root: yaml.Node, path: Sequence[str | int], what: str) -> yaml.MappingNode:
    node = node_at(root, path)
    if not isinstance(node, yaml.MappingNode):
        raise EditError(f"{what} is not a mapping of fields")
    if node.flow_style:
        raise EditError(
            f"{what} is written on one line in {{…}} (flow style)",
            "rewrite it with one field per line, then run the command again",
        )
    return node


def _require_block(mapping: yaml.MappingNode, key: str) -> None:
    if mapping.flow_style:
        raise EditError(
            f"cannot add '{key}': the entry is written on one line in {{…}}",
            "rewrite it with one field per line, then run the command again",
        )


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


# --- positions ----------------------------------------------------------------------------------


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _comments_above(text: str, line_start: int) -> int:
    """The start of the run of comment lines that ends just above `line_start`."""
    start = line_start
    while start > 0:
        previous = _line_start(text, start - 1)
        if not text[previous:start].lstrip().startswith("#"):
            break
        start = previous
    return start


def _after_line(text: str, index: int) -> int:
    """Just after the newline ending the line that holds `index` (or the end of the text)."""
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _last_leaf(node: yaml.Node) -> yaml.Node:
    """The last scalar (or flow collection) of a block collection: where its content ends.

    libyaml's end mark for a block collection lies past trailing blank lines and comments
    that belong to whatever follows, so positions are taken from the last leaf instead.
    """
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        if not node.value:
            break
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def _content_end(text: str, leaf: yaml.Node) -> int:
    """Just after the leaf's last character, trailing blank lines (of a block scalar) excluded."""
    end = int(leaf.end_mark.index)
    while end > leaf.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _keeps_trailing_lines(text: str, leaf: yaml.Node) -> bool:
    """A `|+`/`>+` block scalar: its trailing blank lines are its content, not spacing."""
    if not isinstance(leaf, yaml.ScalarNode) or leaf.style not in ("|", ">"):
        return False
    header = re.match(r"[|>][0-9+-]*", text[leaf.start_mark.index :])
    return bool(header and "+" in header.group())


def detect_layout(text: str, root: yaml.Node) -> Layout:
    """The file's newline and list/mapping indentation, from its first block list under a key."""
    newline = "\r\n" if "\r\n" in text else "\n"
    found = _first_block_list(root)
    if found is None:
        return Layout(newline=newline)
    key_node, seq = found
    offset = seq.start_mark.column - key_node.start_mark.column
    first = seq.value[0]
    gap = first.start_mark.column - seq.start_mark.column
    step = _mapping_step(root) or 2
    return Layout(newline, max(offset, 0), gap if gap >= 2 else 2, step)


def _first_under_key(
    node: yaml.Node, wanted: Callable[[yaml.Node, yaml.Node], bool]
) -> tuple[yaml.Node, yaml.Node] | None:
    """The first key and value, in document order, for which `wanted(key, value)` holds."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if wanted(key_node, value):
                return key_node, value
            deeper = _first_under_key(value, wanted)
            if deeper:
                return deeper
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            deeper = _first_under_key(item, wanted)
            if deeper:
                return deeper
    return None


def _first_block_list(node: yaml.Node) -> tuple[yaml.Node, yaml.SequenceNode] | None:
    found = _first_under_key(
        node,
        lambda _, value: (
            isinstance(value, yaml.SequenceNode) and not value.flow_style and bool(value.value)
        ),
    )
    if found is None:
        return None
    key_node, value = found
    assert isinstance(value, yaml.SequenceNode)
    return key_node, value


def _mapping_step(node: yaml.Node) -> int | None:
    """The indent of the first block mapping nested directly under a key."""

    def indented_mapping(key_node: yaml.Node, value: yaml.Node) -> bool:
        nested = isinstance(value, yaml.MappingNode) and not value.flow_style and value.value
        return bool(nested) and value.start_mark.column > key_node.start_mark.column

    found = _first_under_key(node, indented_mapping)
    return int(found[1].start_mark.column - found[0].start_mark.column) if found else None


# --- writing scalars -----------------------------------------------------------------------------


def field_lines(key: str, value: Value, indent: int, step: int = 2) -> list[str]:
    """`key: value` as lines at column `indent`; long or multi-line text as a block scalar."""
    pad = " " * indent
    if not isinstance(value, str):
        return [pad + f"{key}: {inline_scalar(value)}"]
    plain = _plain(value)
    if plain is not None and len(pad) + len(key) + 2 + len(plain) <= WRAP_WIDTH:
        return [pad + f"{key}: {plain}"]
    width = max(WRAP_WIDTH - indent - step, 40)
    for candidate in (_literal(value, step), _folded(value, step, width)):
        if candidate is not None and _reads_back(key, candidate, value):
            header, *content = candidate
            return [pad + f"{key}: {header}"] + [pad + line if line else "" for line in content]
    return [pad + f"{key}: {double_quoted(value)}"]


def inline_scalar(value: Value) -> str:
    """A value on one line: plain when it reads back as the same text, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    plain = _plain(value)
    return plain if plain is not None else double_quoted(value)


def _float_text(value: float) -> str:
    """YAML 1.1 reads a float only with a '.', so 1e-05 is written 1.0e-05."""
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _plain(value: str) -> str | None:
    if not value or value != value.strip() or "\n" in value or len(value) > 200:
        return None
    return value if _reads_back("k", [value], value) else None


def _literal(value: str, step: int) -> list[str] | None:
    """`|` keeps line breaks exactly: used for text with more than one line."""
    if "\n" not in value:
        return None
    body = value.rstrip("\n")
    trailing = len(value) - len(body)
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    indicator = str(step) if body[:1] == " " else ""
    lines = body.split("\n") + [""] * (trailing - 1 if trailing > 1 else 0)
    return [f"|{indicator}{chomp}", *(" " * step + line if line else "" for line in lines)]


def _folded(value: str, step: int, width: int) -> list[str] | None:
    """`>-` wraps a long one-line text at single spaces; each break reads back as a space."""
    if "\n" in value or value != value.strip() or not value:
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


def _reads_back(key: str, candidate: list[str], value: str) -> bool:
    """Parse `key: <candidate>` on its own and check it gives exactly `value`, as text."""
    header, *content = candidate
    text = "\n".join([f"{key}: {header}", *content]) + "\n"
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return False
    scalar = node.value[0][1]
    return (
        isinstance(scalar, yaml.ScalarNode) and scalar.tag in _SCALAR_TAGS and scalar.value == value
    )


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
    "\ufeff": "\\uFEFF",
}


def double_quoted(value: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `value`, whatever it holds."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or 0xD800 <= ord(char) <= 0xDFFF:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def apply(text: str, root: yaml.Node, change: Callable[[FileEditor], None]) -> str:
    """Run `change` on an editor of `text` and return the edited text."""
    editor = FileEditor(text, root)
    change(editor)
    return editor.result()
