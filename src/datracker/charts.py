"""Charts of measures with three or more figures, as PNG bytes that are the same every run.

A plain bar chart — one bar per period, its value written above it, the measure as the title —
drawn with Pillow. matplotlib was tried first: at 0.14-0.3 s a chart it made a 1,000-action
plan with 314 data series take over 40 s, far outside the render budgets, while Pillow draws
one in a few milliseconds. Pillow's built-in scalable font is used, never a system font, and
the PNG carries no date or software metadata, so the bytes are the same on every machine and
every run. Pillow is imported only when a document has a chart.

Encoding was most of a chart's cost (about 2 s of a 1,000-action plan's 314 charts), so a chart
whose colours one channel tells apart (white, the bar colour and the grey shades of its
antialiased text: always, unless a long value label overlaps a bar) is saved as a palette PNG:
a third of the bytes to filter and deflate, the same pixels. Text is laid out with Pillow's
basic layout rather than Raqm: the same pixels for these labels, faster, and the same whether
or not a machine has libraqm.
"""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from datracker.renderview import Chart

if TYPE_CHECKING:
    from PIL import Image
    from PIL.ImageFont import FreeTypeFont

WIDTH, HEIGHT = 960, 400
PNG_LEVEL = 3  # zlib level: on palette charts 3 is as fast as 1 and about 30% smaller
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 56, 56
BAR_COLOUR = (0x1F, 0x4E, 0x79)
AXIS_COLOUR = (0x40, 0x40, 0x40)
TEXT_COLOUR = (0x20, 0x20, 0x20)


@cache
def _font(size: int) -> FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.load_default(size=size)
    assert isinstance(font, ImageFont.FreeTypeFont)
    return font.font_variant(layout_engine=ImageFont.Layout.BASIC)


def chart_png(chart: Chart) -> bytes:
    return _encode(_draw(chart))


class _Bar(NamedTuple):
    period: str
    value: float
    x0: float
    x1: float
    top: float
    bottom: float


class _Layout(NamedTuple):
    slot: float
    zero_y: float
    bars: list[_Bar]


def _layout(chart: Chart) -> _Layout:
    """Where every bar goes: shared by the PNG and the SVG, so the two always agree."""
    low = min(0.0, *chart.values)
    high = max(0.0, *chart.values) or 1.0
    span = (high - low) * 1.15 or 1.0
    plot_height = HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return HEIGHT - BOTTOM - (value - low) / span * plot_height

    zero_y = y_of(0.0)
    slot = (WIDTH - LEFT - RIGHT) / len(chart.values)
    bars = []
    for index, (period, value) in enumerate(zip(chart.periods, chart.values, strict=True)):
        x0 = LEFT + slot * index + slot * 0.18
        x1 = LEFT + slot * (index + 1) - slot * 0.18
        top, bottom = sorted((y_of(value), zero_y))
        bars.append(_Bar(period, value, x0, x1, top, bottom))
    return _Layout(slot, zero_y, bars)


def _draw(chart: Chart) -> Image.Image:
    """The chart as an RGB image."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text(
        (LEFT - 50, 14), _fit(chart.caption, 24, WIDTH - 40), fill=TEXT_COLOUR, font=_font(24)
    )
    layout = _layout(chart)
    slot, zero_y = layout.slot, layout.zero_y
    label_font = _font(16)
    for bar in layout.bars:
        period, value, x0, x1, top, bottom = bar
        draw.rectangle((x0, top, x1, max(bottom, top + 1)), fill=BAR_COLOUR)
        centre = (x0 + x1) / 2
        draw.text((centre, top - 4), _number(value), fill=TEXT_COLOUR, font=label_font, anchor="md")
        draw.text(
            (centre, HEIGHT - BOTTOM + 8),
            _fit(period, 16, slot),
            fill=TEXT_COLOUR,
            font=label_font,
            anchor="ma",
        )
    draw.line((LEFT, zero_y, WIDTH - RIGHT, zero_y), fill=AXIS_COLOUR, width=2)
    if chart.unit:
        draw.text((LEFT - 50, TOP - 2), chart.unit, fill=AXIS_COLOUR, font=_font(14))
    return image


def _encode(image: Image.Image) -> bytes:
    """PNG bytes: a palette image when one channel identifies every colour, else RGB.

    The palette index is that channel's value, so the conversion is one band copy and exact;
    the check (`getcolors`) costs far less than the encoding it saves.
    """
    buffer = io.BytesIO()
    _palette_image(image).save(buffer, format="PNG", optimize=False, compress_level=PNG_LEVEL)
    return buffer.getvalue()


def _palette_image(image: Image.Image) -> Image.Image:
    counted = image.getcolors(256)
    if counted is None:  # more than 256 colours
        return image
    colours = [colour for _, colour in counted if isinstance(colour, tuple)]
    for band in range(3):
        if len({colour[band] for colour in colours}) == len(counted):
            palette = [0] * 768
            for colour in colours:
                palette[3 * colour[band] : 3 * colour[band] + 3] = colour
            indexed = image.getchannel(band)
            indexed.putpalette(palette)
            return indexed
    return image


@cache
def _fit(text: str, size: int, width: float) -> str:
    """Shorten text with an ellipsis until it fits `width` pixels."""
    font = _font(size)
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def chart_svg(chart: Chart) -> bytes:
    """The same chart as SVG text, for the Markdown output: microseconds to write, diffable,
    and its numbers stay text (searchable, read by screen readers)."""
    from html import escape

    layout = _layout(chart)
    slot, zero_y = layout.slot, layout.zero_y
    colour = "#{:02X}{:02X}{:02X}".format(*BAR_COLOUR)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Arial, Helvetica, sans-serif" '
        f'role="img" aria-label="{escape(chart.alt_text)}">',
        f"<title>{escape(chart.alt_text)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>',
        f'<text x="{LEFT - 50}" y="36" font-size="24">{escape(chart.caption)}</text>',
    ]
    if chart.unit:
        parts.append(
            f'<text x="{LEFT - 50}" y="{TOP + 10}" font-size="14">{escape(chart.unit)}</text>'
        )
    for period, value, x0, _, top, bottom in layout.bars:
        width = slot * 0.64
        centre = x0 + width / 2
        parts += [
            f'<rect x="{x0:.1f}" y="{top:.1f}" width="{width:.1f}" '
            f'height="{max(bottom - top, 1):.1f}" fill="{colour}"/>',
            f'<text x="{centre:.1f}" y="{top - 6:.1f}" font-size="16" text-anchor="middle">'
            f"{_number(value)}</text>",
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 24}" font-size="16" '
            f'text-anchor="middle">{escape(period)}</text>',
        ]
    parts.append(
        f'<line x1="{LEFT}" y1="{zero_y:.1f}" x2="{WIDTH - RIGHT}" y2="{zero_y:.1f}" '
        'stroke="#404040" stroke-width="2"/>'
    )
    parts.append("</svg>\n")
    return "\n".join(parts).encode("utf-8")
