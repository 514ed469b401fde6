"""Chart PNGs: saved as palette images where that is exact, always the pixels that were drawn."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from datracker.charts import _draw, _palette_image, chart_png
from datracker.renderview import Chart

MONTHS = [f"2021-{m:02d}" for m in range(1, 13)]
CHARTS = [
    Chart("A5", 1, "Requests each month", "requests", MONTHS[:9], [8, 2, 4, 2, 2, 3, 4, 1, 2]),
    Chart("B1", 2, "Below and above zero", None, MONTHS[:4], [-5, 10, 0, 2.5]),
    Chart("C3", 1, "A title far too long " * 8, "£", MONTHS[:3], [1234567.25, 1, 99]),
    # Wide value labels over taller neighbouring bars: grey text blends into blue bars.
    Chart("D2", 1, "Crowded", "n", MONTHS * 2, [10**7 if i % 2 else 10**8 for i in range(24)]),
]


def _pixels(png: bytes) -> bytes:
    return Image.open(io.BytesIO(png)).convert("RGB").tobytes()


@pytest.mark.parametrize("chart", CHARTS, ids=[c.action_id for c in CHARTS])
def test_png_holds_exactly_the_drawn_pixels(chart: Chart) -> None:
    png = chart_png(chart)
    assert _pixels(png) == _draw(chart).tobytes()
    assert png == chart_png(chart)  # and the same bytes every time


def test_plain_chart_is_a_palette_png() -> None:
    assert Image.open(io.BytesIO(chart_png(CHARTS[0]))).mode == "P"


def test_palette_only_when_one_channel_tells_the_colours_apart() -> None:
    mixed = Image.new("RGB", (4, 1), "white")
    for x, colour in enumerate([(1, 2, 3), (1, 5, 3), (4, 2, 3)]):  # no channel is unique
        mixed.putpixel((x, 0), colour)
    assert _palette_image(mixed).mode == "RGB"
    gradient = Image.new("RGB", (300, 1))
    for x in range(300):  # more than 256 colours
        gradient.putpixel((x, 0), (x % 256, x // 256, 0))
    assert _palette_image(gradient).mode == "RGB"
    blue_on_grey = Image.new("RGB", (3, 1), (0x1F, 0x4E, 0x79))
    blue_on_grey.putpixel((1, 0), (0x20, 0x20, 0x20))
    indexed = _palette_image(blue_on_grey)
    assert indexed.mode == "P" and indexed.convert("RGB").tobytes() == blue_on_grey.tobytes()
