"""Escaping text for a Markdown table cell: the one `md_escape` every listing and render uses."""

from __future__ import annotations

from datracker.core.text import visible


def md_escape(text: str) -> str:
    """Safe inside a Markdown table cell: no pipes, no raw HTML, no line breaks."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = visible(" ".join(text.split()))  # whitespace made spaces; other controls escaped
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
