"""Surgical edits of one YAML file, at positions taken from the fast compose pass.

Reviewers read a plan's changes as a git diff, so a write must leave every other byte alone:
comments, quoting, block scalars, blank lines, indentation, line endings, the final newline.
Re-dumping through a round-trip library cannot promise that (and costs ~2 s per MB), so
datracker edits the text itself: it finds the node to change in libyaml's node tree (whose
marks give character offsets), and inserts or replaces only the lines of that entry, written
in the file's own indentation and (majority) line ending. A list the user wrote in flow style
(`[{…}, {…}]`) gets its new entry in flow style, so the entries already there keep their
bytes. How each value is written is `yamlscalar`'s business; callers also compare the whole
re-parsed file with the data they expect.

Layouts that cannot be edited without changing something the user wrote are refused with
the line and what to change, never left to the final check's "please report this".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import yaml

from datracker.core.problems import DatrackerError
from datracker.edit.yamlscalar import Value, field_lines, inline_scalar

Fields = Sequence[tuple[str, Value]]

_BREAK = re.compile(r"\r\n|\r|\n")
_BLOCK_HEADER = re.compile(r"(?:(?:![^\s]*|&\S+)\s+)*([|>])([0-9+-]*)")


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
    name: str = "the file"  # how messages name the file, e.g. priorities/a.yaml
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
        if pos == len(self.text) and self.text and not _ends_with_break(self.text):
            self._refuse_after_open_block()
            self.replace(pos, pos, nl + nl.join(lines))  # keep the file's missing final newline
        else:
            self.replace(pos, pos, "".join(line + nl for line in lines))

    def replace_lines(self, start: int, end: int, lines: Sequence[str]) -> None:
        """Replace whole lines from `start` (a line start) to `end` (after a line break or EOF)."""
        nl = self.layout.newline
        if end == len(self.text) and not _ends_with_break(self.text):
            self.replace(start, end, nl.join(lines))
        else:
            self.replace(start, end, "".join(line + nl for line in lines))

    def after(self, node: yaml.Node, column: int) -> int:
        """Where a line inserted after `node` goes: after its last line and end-of-line comment,
        and after the comment lines below it that are indented deeper than `column`, which
        annotate it (a new block of text inserted above them would take them in as text).
        """
        pos = self.end_of(node)
        found = pos
        for _, end, line in _lines_from(self.text, pos):
            stripped = line.lstrip(" ")
            if not stripped.strip():
                continue  # a blank line: look past it
            if not stripped.startswith("#") or len(line) - len(stripped) <= column:
                break
            found = end
        return found

    def end_of(self, node: yaml.Node) -> int:
        """Just after the line break that ends `node`'s last line (or the end of the text)."""
        leaf = _last_leaf(node)
        if isinstance(leaf, yaml.ScalarNode) and leaf.style in ("|", ">"):
            return _block_scalar_end(self.text, leaf)
        return _after_line(self.text, int(leaf.end_mark.index))

    def _refuse_after_open_block(self) -> None:
        """A `|` or `|+` text that ends the file without a line break has none in its value;
        a line added after it would add one. Changing its `|` would touch what the user wrote.
        """
        leaf = _last_leaf(self.root)
        header = _block_header(self.text, leaf)
        if header is None or "-" in header.group(2):
            return
        if _block_scalar_end(self.text, leaf) != len(self.text):
            return
        indicator = header.group(1) + header.group(2)
        raise EditError(
            f"{self.name}: the '{indicator}' text that starts on line {_line(leaf)} ends the file "
            "with no line break after it, so anything added below it would change that text; "
            "nothing was written",
            "end the file with a line break (go to the end of its last line, press Enter, "
            "save), then run the command again",
        )

    # --- operations on a block mapping ------------------------------------------------------

    def set_scalar(
        self, mapping: yaml.MappingNode, key: str, value: Value, after_key: str | None = None
    ) -> None:
        """Give `key` a one-line value: replace the old value in place, or add a line."""
        self._require_block(mapping, key)
        found = child(mapping, key)
        if found is not None:
            old = found[1]
            if not isinstance(old, yaml.ScalarNode) or old.style in ("|", ">"):
                raise EditError(
                    f"{self.name}, line {_line(old)}: '{key}' is not written as a one-line "
                    "value, so datracker will not change it; nothing was written",
                    f"write it on one line as '{key}: …', then run the command again",
                )
            self.replace(old.start_mark.index, old.end_mark.index, inline_scalar(value))
            return
        indent = _key_col(mapping)
        anchor = child(mapping, after_key) if after_key else None
        pos = self.after(anchor[1] if anchor else mapping.value[-1][1], indent)
        self.insert_lines(pos, field_lines(key, value, indent, self.layout.step))

    def upsert_item(
        self,
        mapping: yaml.MappingNode,
        key: str,
        fields: Fields,
        match: int | None,
        position: int,
        before_key: str | None = None,
    ) -> None:
        """Replace item `match` of the list under `key`, or insert a new item at `position`.

        A new `key` goes at the end of the mapping, or before `before_key` (and the comment
        lines just above it, which belong to it) when the mapping has that key.
        """
        self._require_block(mapping, key)
        found = child(mapping, key)
        key_col = _key_col(mapping)
        if found is None:
            following = child(mapping, before_key) if before_key else None
            if following is not None:
                start = _line_start(self.text, following[0].start_mark.index)
                pos = _comments_above(self.text, start)
            else:
                pos = self.after(mapping.value[-1][1], key_col)
            lines = [" " * key_col + f"{key}:"]
            lines += self._item_lines(fields, key_col + self.layout.seq_offset, pos)
            self.insert_lines(pos, lines)
            return
        key_node, seq = found
        if isinstance(seq, yaml.SequenceNode) and seq.value:
            if seq.flow_style:
                self._upsert_flow(seq, fields, match, position)
            else:
                self._upsert_block(seq, fields, match, position)
            return
        if not (isinstance(seq, yaml.SequenceNode) or _is_null(seq)):
            raise EditError(
                f"{self.name}, line {_line(seq)}: '{key}' should be a list; nothing was written",
                "fix it (datracker validate shows how), then run the command again",
            )
        self._empty_to_block(key_node, seq, key_col, fields)

    def _upsert_block(
        self, seq: yaml.SequenceNode, fields: Fields, match: int | None, position: int
    ) -> None:
        items = seq.value
        for item in items:
            if not isinstance(item, yaml.MappingNode):
                raise EditError(
                    f"{self.name}, line {_line(item)}: this entry of the list is not a set of "
                    "fields; nothing was written",
                    "fix it (datracker validate shows how), then run the command again",
                )
        dash_col = _column(self.text, _dash_index(self.text, items[0]))
        gap = next((g for g in (self._gap(i) for i in items) if g is not None), None)
        if match is not None:
            start = _line_start(self.text, _dash_index(self.text, items[match]))
            end = self.end_of(items[match])
            lines = self._entry_lines(fields, items, dash_col, gap, end)
            self.replace_lines(start, end, lines)
        elif position < len(items):
            start = _line_start(self.text, _dash_index(self.text, items[position]))
            self.insert_lines(start, self._entry_lines(fields, items, dash_col, gap, start))
        else:
            pos = self.after(items[-1], dash_col)
            self.insert_lines(pos, self._entry_lines(fields, items, dash_col, gap, pos))

    def _entry_lines(
        self,
        fields: Fields,
        items: Sequence[yaml.Node],
        dash_col: int,
        gap: int | None,
        pos: int,
    ) -> list[str]:
        """A new block-list entry, on one line in {…} when every entry there is written so."""
        if all(getattr(item, "flow_style", False) for item in items):
            return [" " * dash_col + "- " + flow_mapping(fields)]
        return self._item_lines(fields, dash_col, pos, gap)

    def _gap(self, item: yaml.Node) -> int | None:
        """Columns from an item's '-' to its first key, when both are on one line."""
        dash = _dash_index(self.text, item)
        if _line_start(self.text, dash) != _line_start(self.text, item.start_mark.index):
            return None
        return int(item.start_mark.index - dash)

    def _upsert_flow(
        self, seq: yaml.SequenceNode, fields: Fields, match: int | None, position: int
    ) -> None:
        """An entry of `key: [{…}, {…}]` replaced, or a new one added, in flow style."""
        items = seq.value
        new = flow_mapping(fields)
        if match is not None:
            old = items[match]
            self.replace(old.start_mark.index, old.end_mark.index, new)
            return
        multi_line = seq.start_mark.line != seq.end_mark.line
        if position < len(items):
            target = items[position]
            start = target.start_mark.index
            own_line = not self.text[_line_start(self.text, start) : start].strip()
            if multi_line and own_line:
                indent = " " * _column(self.text, start)
                line_start = _line_start(self.text, start)
                self.replace(line_start, line_start, indent + new + "," + self.layout.newline)
            else:
                self.replace(start, start, new + ", ")
            return
        last = items[-1]
        end = int(last.end_mark.index)
        start = last.start_mark.index
        own_line = not self.text[_line_start(self.text, start) : start].strip()
        if not (multi_line and own_line):
            self.replace(end, end, ", " + new)
            return
        indent = " " * _column(self.text, start)
        line_end = _after_line(self.text, end)
        rest = self.text[end:line_end].rstrip("\r\n")
        if re.fullmatch(r"[ \t]*,[ \t]*(#.*)?", rest):
            self.insert_lines(line_end, [indent + new + ","])
        elif re.fullmatch(r"[ \t]*(#.*)?", rest):
            self.replace(end, end, ",")
            self.insert_lines(line_end, [indent + new])
        else:
            self.replace(end, end, "," + self.layout.newline + indent + new)

    def _empty_to_block(
        self, key_node: yaml.Node, seq: yaml.Node, key_col: int, fields: Fields
    ) -> None:
        """`key: []` (or `key:` with nothing) becomes a block list; only that node changes."""
        colon = self.text.index(":", key_node.end_mark.index)
        end = seq.end_mark.index if seq.end_mark.index > colon else colon + 1
        rest = self.text[end : _after_line(self.text, end)]
        if rest.strip() and not rest.strip().startswith("#"):
            raise EditError(
                f"{self.name}, line {_line(key_node)}: the list continues after its closing "
                "']'; nothing was written",
                "put anything after ']' on its own line, then run the command again",
            )
        self.replace(colon + 1, end, "")  # drop ' []' but keep an end-of-line comment
        pos = _after_line(self.text, end)
        self.insert_lines(pos, self._item_lines(fields, key_col + self.layout.seq_offset, pos))

    def _item_lines(
        self, fields: Fields, dash_col: int, pos: int, dash_gap: int | None = None
    ) -> list[str]:
        """A block-list entry; its last text is kept on one line if the lines that will follow
        it (a comment or spaces indented as deep as its text) would otherwise become text."""
        gap = max(dash_gap if dash_gap is not None else self.layout.dash_gap, 2)
        key_col = dash_col + gap
        lines: list[str] = []
        for i, (key, value) in enumerate(fields):
            written = field_lines(key, value, key_col, self.layout.step)
            last = i == len(fields) - 1
            deeper = key_col + self.layout.step
            if last and len(written) > 1 and self._would_take_in(pos, deeper):
                written = [" " * key_col + f"{key}: {inline_scalar(value)}"]
            lines += written
        first = lines[0]
        lines[0] = " " * dash_col + "-" + " " * (gap - 1) + first[key_col:]
        return lines

    def _would_take_in(self, pos: int, indent: int) -> bool:
        """Whether a block of text indented by `indent`, inserted to end at `pos`, would take
        in the lines after it: a comment as deep as its text, or spaces deeper than it."""
        for _, _, line in _lines_from(self.text, pos):
            stripped = line.strip(" ")
            if stripped and not stripped.startswith("#"):
                return False
            depth = len(line) - len(line.lstrip(" "))
            if (depth >= indent) if stripped else (len(line) > indent):
                return True
        return False

    def append_word(
        self, mapping: yaml.MappingNode, key: str, value: str, existing: Sequence[str]
    ) -> None:
        """Add `value` to the end of the list of words under `key` (e-mails, owner ids).

        A list written on one line (`[a, b]`, `[]`) stays on one line; a block list gets a
        `- value` line like its others; a missing key becomes `key: [value]` after the
        mapping's last field.
        """
        self._require_block(mapping, key)
        key_col = mapping.value[0][0].start_mark.column
        found = child(mapping, key)
        if found is None:
            line = " " * key_col + f"{key}: {_flow_list([value])}"
            self.insert_lines(self.after(mapping.value[-1][1], key_col), [line])
            return
        seq = found[1]
        if isinstance(seq, yaml.SequenceNode) and not seq.flow_style and seq.value:
            last = seq.value[-1]
            if not isinstance(last, yaml.ScalarNode):
                raise EditError(
                    f"{self.name}, line {_line(seq)}: '{key}' is not a list of single values; "
                    "nothing was written",
                    "edit it by hand",
                )
            gap = last.start_mark.column - seq.start_mark.column
            line = " " * seq.start_mark.column + "-" + " " * (gap - 1) + inline_scalar(value)
            self.insert_lines(self.after(last, seq.start_mark.column), [line])
        elif isinstance(seq, yaml.SequenceNode):
            self.replace(seq.start_mark.index, seq.end_mark.index, _flow_list([*existing, value]))
        else:
            raise EditError(
                f"{self.name}, line {_line(seq)}: '{key}' should be a list; nothing was written",
                "fix it (datracker validate shows how), then run the command again",
            )

    def _require_block(self, mapping: yaml.MappingNode, key: str) -> None:
        if mapping.flow_style:
            raise EditError(
                f"{self.name}, line {_line(mapping)}: cannot add '{key}': the entry is written "
                "on one line in {…}; nothing was written",
                "rewrite it with one field per line, then run the command again",
            )


def _flow_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(inline_scalar(v, flow=True) for v in values) + "]"


def flow_mapping(fields: Fields) -> str:
    """An entry written on one line, `{key: value, …}`, for a list written in flow style."""
    return (
        "{" + ", ".join(f"{key}: {inline_scalar(value, flow=True)}" for key, value in fields) + "}"
    )


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
        raise EditError(f"{what} (line {_line(node)}) is not a mapping of fields")
    if node.flow_style:
        raise EditError(
            f"{what} is written on one line in {{…}} (flow style), on line {_line(node)}",
            "rewrite it with one field per line, then run the command again",
        )
    return node


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _key_col(mapping: yaml.MappingNode) -> int:
    """The column of a block mapping's keys (its start mark may be a tag before them)."""
    return int(mapping.value[0][0].start_mark.column) if mapping.value else 0


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


# --- positions ----------------------------------------------------------------------------------


def _ends_with_break(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def _line_start(text: str, index: int) -> int:
    return max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1


def _column(text: str, index: int) -> int:
    return index - _line_start(text, index)


def _comments_above(text: str, line_start: int) -> int:
    """The start of the run of comment lines that ends just above `line_start`."""
    start = line_start
    while start > 0:
        end = start - 1  # the line break ending the line above (its \r of a \r\n pair)
        if text[end] == "\n" and end > 0 and text[end - 1] == "\r":
            end -= 1
        previous = _line_start(text, end)
        if not text[previous:start].lstrip().startswith("#"):
            break
        start = previous
    return start


def _after_line(text: str, index: int) -> int:
    """Just after the line break ending the line that holds `index` (or the end of the text)."""
    found = _BREAK.search(text, index)
    return len(text) if found is None else found.end()


def _lines_from(text: str, pos: int) -> list[tuple[int, int, str]]:
    """The blank and comment lines from `pos` (a line start) on, and the first line after
    them: each as its start, its end after the line break, and its text without the break."""
    out: list[tuple[int, int, str]] = []
    while pos < len(text):
        end = _after_line(text, pos)
        line = text[pos:end].rstrip("\r\n")
        out.append((pos, end, line))
        if line.strip() and not line.lstrip().startswith("#"):
            break
        pos = end
    return out


def _dash_index(text: str, item: yaml.Node) -> int:
    """Where the '-' that opens a block-list item is: on the item's line, or (when the dash
    stands alone) on the nearest line above it that is not blank or only a comment."""
    index = int(item.start_mark.index)
    start = _line_start(text, index)
    code = text[start:index]
    while True:
        code = code.rstrip(" \t")
        if code.endswith("-"):
            return start + len(code) - 1
        if code.strip() or start == 0:
            raise EditError(f"line {_line(item)}: the '-' of this list entry was not found")
        line_end = start - 2 if text[start - 2 : start] == "\r\n" else start - 1
        start = _line_start(text, line_end)
        code = text[start:line_end].split("#", 1)[0]


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


def _block_header(text: str, node: yaml.Node) -> re.Match[str] | None:
    """The `|`/`>` header of a block scalar and its indicators, after any `!tag`."""
    if not isinstance(node, yaml.ScalarNode) or node.style not in ("|", ">"):
        return None
    return _BLOCK_HEADER.match(text, node.start_mark.index)


def _block_scalar_end(text: str, leaf: yaml.Node) -> int:
    """After a block scalar's last line of content.

    libyaml's end mark lies after the scalar's trailing empty lines. With `+` (keep) those
    are content; otherwise they are spacing and stay where they are, except a space-only line
    deeper than the text, which is content (its spaces are part of the value).
    """
    end = int(leaf.end_mark.index)
    header = _block_header(text, leaf)
    if header is not None and "+" in header.group(2):
        return end
    body = _after_line(text, leaf.start_mark.index)
    lines = _all_lines(text, body, end)
    indents = [len(line) - len(line.lstrip(" ")) for _, _, line in lines if line.strip()]
    depth = min(indents) if indents else 0
    last = body
    for _, line_end, line in lines:
        if line.strip() or len(line) > depth:
            last = line_end
    return last


def _all_lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    out = []
    pos = start
    while pos < end:
        line_end = min(_after_line(text, pos), end)
        out.append((pos, line_end, text[pos:line_end].rstrip("\r\n")))
        pos = line_end
    return out


def detect_layout(text: str, root: yaml.Node) -> Layout:
    """The file's newline and list/mapping indentation, from its first block list under a key."""
    newline = majority_newline(text)
    found = _first_block_list(root)
    if found is None:
        return Layout(newline=newline)
    key_node, seq = found
    first = seq.value[0]
    dash = _dash_index(text, first)
    offset = _column(text, dash) - key_node.start_mark.column
    same_line = _line_start(text, dash) == _line_start(text, first.start_mark.index)
    gap = int(first.start_mark.index - dash) if same_line else 2
    step = _mapping_step(root) or 2
    return Layout(newline, max(offset, 0), gap if gap >= 2 else 2, step)


def majority_newline(text: str) -> str:
    """The line ending most lines have: one stray CRLF line does not make new lines CRLF."""
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    best = max(counts.values())
    first = _BREAK.search(text)
    if best == 0 or first is None:
        return "\n"
    return first.group() if counts[first.group()] == best else max(counts, key=counts.__getitem__)


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
        if not isinstance(value, yaml.MappingNode) or value.flow_style or not value.value:
            return False
        return _key_col(value) > key_node.start_mark.column

    found = _first_under_key(node, indented_mapping)
    if found is None:
        return None
    key_node, value = found
    assert isinstance(value, yaml.MappingNode)
    return _key_col(value) - int(key_node.start_mark.column)
