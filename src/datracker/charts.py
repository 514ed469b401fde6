"""Charts of measures with three or more figures, as PNG bytes that are the same every run.

matplotlib is imported here only, and only when a document has a chart: it costs about half a
second to import, which `validate` and `status` must never pay. The figure is drawn without
pyplot (no global state) on the Agg canvas, at a fixed size and resolution, with no software
or date metadata in the file, so a re-render makes no spurious binary diff.
"""

from __future__ import annotations

import io

from datracker.renderview import Chart

WIDTH_IN, HEIGHT_IN, DPI = 6.4, 2.8, 150
BAR_COLOUR = "#1F4E79"


def chart_png(chart: Chart) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    axes = figure.subplots()
    positions = list(range(len(chart.values)))
    bars = axes.bar(positions, chart.values, color=BAR_COLOUR, width=0.65)
    axes.bar_label(bars, labels=[_number(v) for v in chart.values], padding=2, fontsize=8)
    axes.set_xticks(positions, chart.periods, fontsize=8, rotation=45 if len(positions) > 12 else 0)
    axes.tick_params(axis="y", labelsize=8)
    axes.set_title(chart.caption, fontsize=10, loc="left")
    if chart.unit:
        axes.set_ylabel(chart.unit, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(y=0.15)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
