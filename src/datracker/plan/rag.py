"""RAG ratings as people type them ("amber/ red") and as the plan's scale spells them."""

from __future__ import annotations

import re


def _squash(text: str) -> str:
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", text.strip())).upper()


def normalise_rag(text: str, scale_ids: list[str]) -> str | None:
    """The scale id `text` means, ignoring case and spaces around '/'; None if it means none."""
    wanted = _squash(text)
    return next((level for level in scale_ids if _squash(level) == wanted), None)
