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
