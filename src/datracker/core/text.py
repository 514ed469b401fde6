"""Characters no plan file or document should hold, defined once for every way text arrives.

Text is pasted into plans from Word, e-mail and web forms, which bring invisible control
characters with it. YAML refuses most of them, Word's XML cannot store them, and a person
cannot see them: `update` refuses them with their position, `import` and `render` remove them.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL and C1 controls, line/paragraph separators, the BOM,
# non-characters and lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def unify_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def printable(text: str) -> str:
    """The text with Windows line ends made plain and every control character removed."""
    if text.isprintable():  # no control, format, separator or unassigned character at all
        return text
    return CONTROL.sub("", unify_line_ends(text))


# Bidirectional embeddings, overrides and isolates: invisible, they reorder the text around
# them, so "A5 GREEN" can display as something else ("Trojan Source", CVE-2021-42574).
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What must never reach a terminal raw: control characters (ESC starts the sequences that
# retitle a window, clear the screen or move the cursor) and the bidirectional controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def escape_char(char: str) -> str:
    """One character as the escape a person can read and type: \\x1b, \\r, \\u202e."""
    return char.encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    """The text with every control and bidirectional character shown as an escape.

    For terminals: plan text arrives from web editors and pull requests, and an ESC written
    as a YAML escape ("\\e]0;…") would otherwise be run by the terminal that prints it.
    """
    if text.isprintable():
        return text
    return UNSAFE.sub(lambda match: escape_char(match[0]), text)


def json_safe(text: str) -> str:
    """JSON text with the characters of `UNSAFE` written as \\uXXXX escapes: the same JSON
    value, but nothing that a terminal would act on (json.dumps leaves DEL, C1 and bidi raw)."""
    if text.isascii() and text.isprintable():
        return text
    return UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def char_name(char: str) -> str:
    """ "ESC (U+001B)": how a problem names an invisible character."""
    import unicodedata

    names = {"\x1b": "ESC", "\x07": "BEL", "\r": "a carriage return", "\x00": "NUL"}
    name = names.get(char) or unicodedata.name(char, "a control character")
    return f"{name} (U+{ord(char):04X})"
