"""A rating stated only by a cell's colour, as many Word and Excel plans state it.

A board's RAG column is often a row of shaded cells with no words. Reading only the text, an
import would call every action unrated. So a cell with no words and a solid fill is read by
the fill's hue, the way a reader of the printed plan reads it, and the import report lists each
such reading as a guess for the lead to confirm. Bands of hue rather than a list of "known"
shades: councils use Office's palette, their own house colours and hand-picked ones, and the
eye sorts them by hue. A fill too pale, too dark or too grey to be a rating (white, a header
grey, black) says nothing.
"""

from __future__ import annotations

import colorsys
import re

_HEX = re.compile(r"[0-9A-Fa-f]{6}")

# (last hue in degrees, the word): red wraps round from 330°
_HUE_BANDS = ((15.0, "RED"), (70.0, "AMBER"), (170.0, "GREEN"), (260.0, "Complete"))


def rating_from_colour(colour: str) -> str | None:
    """The rating word a fill colour shows: RED, AMBER or GREEN, or "Complete" for the blue
    of a BRAG scale; None when the colour is not a rating's. `colour` is RRGGBB (or ARGB as
    Excel writes it: AARRGGBB)."""
    rgb = colour[-6:]
    if not _HEX.fullmatch(rgb):
        return None
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < 0.35 or value < 0.35:
        return None  # white, greys, black, pastel header shading
    degrees = hue * 360
    if degrees >= 330:
        return "RED"
    return next((word for last, word in _HUE_BANDS if degrees < last), None)
