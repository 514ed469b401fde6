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

A chart is first a list of marks (`_scene`) and then painted. When no label can touch a bar,
every pixel is white, a grey or the bar colour, so it is painted as its red channel only and
saved with a fixed palette: no RGB image to count colours in (`getcolors` was 0.45 s of the
314 charts). Rendered label masks are cached: the period labels repeat from chart to chart.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import cache, lru_cache
from html import escape
from typing import TYPE_CHECKING, NamedTuple

from datracker.core.numbers import format_number
from datracker.render.internals import blend_mask, text_mask
from datracker.render.view import Chart

if TYPE_CHECKING:
    from PIL import Image, ImageDraw
    from PIL._imaging import ImagingCore
    from PIL.ImageFont import FreeTypeFont

Colour = tuple[int, int, int]

WIDTH, HEIGHT = 960, 400
PNG_LEVEL = 3  # zlib level: on palette charts 3 is as fast as 1 and about 30% smaller
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 56, 56
BAR_COLOUR: Colour = (0x1F, 0x4E, 0x79)
AXIS_COLOUR: Colour = (0x40, 0x40, 0x40)
TEXT_COLOUR: Colour = (0x20, 0x20, 0x20)
# Text and axis are grey and darker in red than the bars are, so wherever text stays off the
# bars every pixel is a grey or the bar colour, and the red channel alone tells them apart.
GREYS = (TEXT_COLOUR, AXIS_COLOUR)
RED_MARKS_THE_BARS = all(len(set(grey)) == 1 and BAR_COLOUR[0] < grey[0] for grey in GREYS)
RED_PALETTE = [
    channel
    for red in range(256)
    for channel in (BAR_COLOUR if red == BAR_COLOUR[0] else (red, red, red))
]


@cache
def _font(size: int) -> FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.load_default(size=size)
    assert isinstance(font, ImageFont.FreeTypeFont)
    return font.font_variant(layout_engine=ImageFont.Layout.BASIC)


def chart_png(chart: Chart) -> bytes:
    scene = _scene(chart)
    if _red_tells_colours_apart(scene):
        return _encode(_red_palette_image(_paint(scene, "L")))
    return _encode(_palette_image(_paint(scene, "RGB")))


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
    base = HEIGHT - BOTTOM
    zero_y = base - (0.0 - low) / span * plot_height
    slot, columns = _columns(len(chart.values))
    bars = []
    figures = zip(chart.periods, chart.values, strict=True)
    for (period, value), (x0, x1) in zip(figures, columns, strict=True):
        y = base - (value - low) / span * plot_height
        top, bottom = (y, zero_y) if y <= zero_y else (zero_y, y)  # the bar grows up or down
        bars.append(_Bar(period, value, x0, x1, top, bottom))
    return _Layout(slot, zero_y, bars)


def _columns(count: int) -> tuple[float, tuple[tuple[float, float], ...]]:
    """The slot width and each bar's left and right edge for a chart of `count` bars."""
    slot = (WIDTH - LEFT - RIGHT) / count
    edges = tuple(
        (LEFT + slot * index + slot * 0.18, LEFT + slot * (index + 1) - slot * 0.18)
        for index in range(count)
    )
    return slot, edges


def _svg_columns(count: int) -> tuple[tuple[str, str, str], ...]:
    """Each bar's x, width and centre as the SVG writes them, from `_columns`."""
    slot, edges = _columns(count)
    width = slot * 0.64
    return tuple((f"{x0:.1f}", f"{width:.1f}", f"{x0 + width / 2:.1f}") for x0, _ in edges)


class _Rect(NamedTuple):
    box: tuple[float, float, float, float]
    colour: Colour


class _Label(NamedTuple):
    """Text placed as `ImageDraw.text(xy, text, anchor=anchor)` would place it."""

    xy: tuple[float, float]
    text: str
    size: int
    colour: Colour
    anchor: str = "la"  # Pillow's default for horizontal text


class _Line(NamedTuple):
    points: tuple[float, float, float, float]
    colour: Colour
    width: int


_Mark = _Rect | _Label | _Line


def _scene(chart: Chart) -> list[_Mark]:
    """Everything drawn, in drawing order (it matters where antialiased text overlaps)."""
    layout = _layout(chart)
    marks: list[_Mark] = [
        _Label((LEFT - 50, 14), _fit(chart.caption, 24, WIDTH - 40), 24, TEXT_COLOUR)
    ]
    for period, value, x0, x1, top, bottom in layout.bars:
        centre = (x0 + x1) / 2
        marks += [
            _Rect((x0, top, x1, max(bottom, top + 1)), BAR_COLOUR),
            _Label((centre, top - 4), format_number(value), 16, TEXT_COLOUR, "md"),
            _Label(
                (centre, HEIGHT - BOTTOM + 8), _fit(period, 16, layout.slot), 16, TEXT_COLOUR, "ma"
            ),
        ]
    marks.append(_Line((LEFT, layout.zero_y, WIDTH - RIGHT, layout.zero_y), AXIS_COLOUR, 2))
    if chart.unit:
        marks.append(_Label((LEFT - 50, TOP - 2), chart.unit, 14, AXIS_COLOUR))
    return marks


def _paint(scene: Sequence[_Mark], mode: str) -> Image.Image:
    """Draw the marks on white; in mode "L" each colour is drawn as its red value."""
    from PIL import Image, ImageDraw

    image = Image.new(mode, (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)

    def ink(colour: Colour) -> Colour | int:
        return colour[0] if mode == "L" else colour

    for mark in scene:
        if isinstance(mark, _Label):
            _write(draw, mark, ink(mark.colour))
        elif isinstance(mark, _Rect):
            draw.rectangle(mark.box, fill=ink(mark.colour))
        else:
            draw.line(mark.points, fill=ink(mark.colour), width=mark.width)
    return image


def _write(draw: ImageDraw.ImageDraw, label: _Label, fill: Colour | int) -> None:
    """What `draw.text` does for one line of text, with the rendered mask cached.

    FreeType rendered about 6,000 labels for a 1,000-action plan, but period labels repeat
    (57 distinct of 2,816). Pillow renders a label's mask from the text and the fractional
    part of its position, then blends it in at the integer part: the same steps here, so the
    pixels are those `draw.text` draws (tests compare the two).
    """
    if "\n" in label.text:  # several lines: Pillow lays them out itself
        draw.text(label.xy, label.text, fill, _font(label.size), label.anchor)
        return
    mask, left, top = _placed_mask(label)
    blend_mask(draw, (left, top), mask, fill)


def _placed_mask(label: _Label) -> tuple[ImagingCore, int, int]:
    """The label's rendered mask and the pixel where its top-left corner goes."""
    x, y = label.xy
    mask, (dx, dy) = _mask(label.text, label.size, label.anchor, math.modf(x)[0], math.modf(y)[0])
    return mask, int(x) + dx, int(y) + dy


@lru_cache(maxsize=8192)
def _mask(
    text: str, size: int, anchor: str, x_fraction: float, y_fraction: float
) -> tuple[ImagingCore, tuple[int, int]]:
    return text_mask(_font(size), text, anchor, (x_fraction, y_fraction))


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=PNG_LEVEL)
    return buffer.getvalue()


def _red_tells_colours_apart(scene: Sequence[_Mark]) -> bool:
    """Whether no label can touch a bar, so the chart can be drawn in its red channel alone.

    Then the chart is drawn as one 8-bit channel and saved as a palette PNG without first
    drawing all three channels and counting colours (`getcolors`): a third of the pixels to
    paint, and about 1.5 ms a chart less. Boxes are the labels' rendered masks and the bars
    grown by a pixel, so a near miss counts as a touch and takes the RGB path.
    """
    if not RED_MARKS_THE_BARS:
        return False
    bars = [_grown(mark.box) for mark in scene if isinstance(mark, _Rect)]
    for mark in scene:
        if isinstance(mark, _Label):
            left, top, right, bottom = _label_box(mark)
            for x0, y0, x1, y1 in bars:
                if left < x1 and x0 < right and top < y1 and y0 < bottom:
                    return False
    return True


def _grown(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    return math.floor(x0) - 1, math.floor(y0) - 1, math.ceil(x1) + 2, math.ceil(y1) + 2


def _label_box(label: _Label) -> tuple[int, int, int, int]:
    """The pixels a label's mask covers (the whole chart for text Pillow lays out itself)."""
    if "\n" in label.text:
        return 0, 0, WIDTH, HEIGHT
    mask, left, top = _placed_mask(label)
    width, height = mask.size
    return left, top, left + width, top + height


def _red_palette_image(image: Image.Image) -> Image.Image:
    """The "L" image of red values as a palette image: each value its grey, the bars' red the
    bar colour. One fixed palette rather than only the colours present (what `_palette_image`
    writes) saves counting them: the same pixels, a different PLTE chunk."""
    image.putpalette(RED_PALETTE)
    return image


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


SVG_BAR_COLOUR = "#{:02X}{:02X}{:02X}".format(*BAR_COLOUR)
_LABEL_Y = HEIGHT - BOTTOM + 24


def chart_svg(chart: Chart) -> bytes:
    """The same chart as SVG text, for the Markdown output: microseconds to write, diffable,
    and its numbers stay text (searchable, read by screen readers).

    Each bar is one f-string: a large plan has thousands of charts, and building every element
    as its own string was most of the Markdown render's chart time.
    """
    layout = _layout(chart)
    alt = escape(chart.alt_text)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Arial, Helvetica, sans-serif" '
        f'role="img" aria-label="{alt}">\n'
        f"<title>{alt}</title>\n"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>\n'
        f'<text x="{LEFT - 50}" y="36" font-size="24">{escape(chart.caption)}</text>\n'
    ]
    if chart.unit:
        parts.append(
            f'<text x="{LEFT - 50}" y="{TOP + 10}" font-size="14">{escape(chart.unit)}</text>\n'
        )
    columns = _svg_columns(len(layout.bars))
    for (period, value, _, _, top, bottom), (x, width, centre) in zip(
        layout.bars, columns, strict=True
    ):
        parts.append(
            f'<rect x="{x}" y="{top:.1f}" width="{width}" '
            f'height="{max(bottom - top, 1):.1f}" fill="{SVG_BAR_COLOUR}"/>\n'
            f'<text x="{centre}" y="{top - 6:.1f}" font-size="16" text-anchor="middle">'
            f"{format_number(value)}</text>\n"
            f'<text x="{centre}" y="{_LABEL_Y}" font-size="16" text-anchor="middle">'
            f"{escape(period)}</text>\n"
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{layout.zero_y:.1f}" x2="{WIDTH - RIGHT}" '
        f'y2="{layout.zero_y:.1f}" stroke="#404040" stroke-width="2"/>\n</svg>\n'
    )
    return "".join(parts).encode("utf-8")
