"""RAG ratings as people type them ("amber/ red", "Amber Green") and as the plan's scale spells
them: the one reading used by `update --rag`, its prompt, validation's hints and the importer."""

from __future__ import annotations

import difflib
import re


def _squash(text: str) -> str:
    """AMBER/GREEN for "amber / green", "Amber-Green" or "amber green": a separator is a slash,
    a hyphen or spaces, so a two-word level reads the same however it was joined."""
    return re.sub(r"\s*[/-]\s*|\s+", "/", text.strip()).upper()


def normalise_rag(text: str, scale_ids: list[str]) -> str | None:
    """The scale id `text` means, ignoring case and how words are joined; None if it means none."""
    wanted = _squash(text)
    return next((level for level in scale_ids if _squash(level) == wanted), None)


def rag_hint(text: str, scale_ids: list[str]) -> str:
    """The nearest level (`gren` -> GREEN), else the whole scale."""
    squashed = {_squash(level): level for level in scale_ids}
    close = difflib.get_close_matches(_squash(text), list(squashed), n=1, cutoff=0.6)
    if close:
        return f"did you mean {squashed[close[0]]}?"
    return f"choose one of: {', '.join(scale_ids)}"
