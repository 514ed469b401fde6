"""The lead's narrative: `<plan>/narrative/*.md`, read in file-name order and made safe.

The narrative is already Markdown, so the Markdown output includes it as written; only raw
HTML is neutralised (`<script>` becomes the text "<script>"), because a refresh document is
published and a pasted tag must not become live markup. Autolinks (`<https://…>`), fenced code
and code spans are left alone; indented code blocks are not (a tag there shows escaped, which
is safe). The Word writer parses the same text with markdown-it (html off), so there too a tag
is only text.
"""

from __future__ import annotations

import re
from pathlib import Path

from datracker.core.paths import inside
from datracker.core.problems import DatrackerError
from datracker.core.text import printable
from datracker.render.view import NarrativeSection

NARRATIVE_DIR = "narrative"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_AUTOLINK = r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>"
_HTML_START = re.compile(rf"({_AUTOLINK})|<(?=[A-Za-z/!?])")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")


def read_narrative(plan_root: Path) -> list[NarrativeSection]:
    """Every narrative file, in file-name order; none is fine (the document just has none).

    A link leading out of the plan (the folder or a file) stops the render: followed, it would
    copy whatever it points at into a published document.
    """
    folder = inside(plan_root, plan_root / NARRATIVE_DIR)
    if not folder.is_dir():
        return []
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.is_file())
    return [_section(path.name, inside(plan_root, path).read_bytes(), str(path)) for path in paths]


def narrative_from_files(files: dict[str, bytes], where: str) -> list[NarrativeSection]:
    """The same, from the files' bytes by name (the narrative at a revision in git)."""
    names = sorted(name for name in files if name.endswith(".md"))
    return [_section(name, files[name], f"{where}/{name}") for name in names]


def _section(name: str, data: bytes, shown: str) -> NarrativeSection:
    return NarrativeSection(name, neutralise_html(printable(_decode(data, shown))))


def _decode(data: bytes, shown: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DatrackerError(
            f"{shown}: line {line}: the file is not UTF-8 (byte 0x{data[error.start]:02X})",
            "open it in an editor and save it again as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def neutralise_html(markdown: str) -> str:
    """Escape the `<` of raw HTML outside code, so no tag survives into the published page."""
    out = []
    fence: str | None = None
    for line in markdown.split("\n"):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append(line)
        elif match:
            fence = match.group(1)
            out.append(line)
        else:
            out.append(_escape_outside_code(line))
    return "\n".join(out)


def _escape_outside_code(line: str) -> str:
    parts = []
    last = 0
    for code in _CODE_SPAN.finditer(line):
        parts.append(_escape_tags(line[last : code.start()]))
        parts.append(code.group(0))
        last = code.end()
    parts.append(_escape_tags(line[last:]))
    return "".join(parts)


def _escape_tags(text: str) -> str:
    return _HTML_START.sub(lambda m: m.group(1) or "&lt;", text)
