"""Charts drawn on the server as SVG: readable without JavaScript, printable, and with no
inline style (colours come from classes in site.css, so a strict Content-Security-Policy
holds). Each chart has the same numbers in a table beside it for screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
MARGIN_LEFT = 48
MARGIN_BOTTOM = 36
MARGIN_TOP = 12
HEAT_LEVELS = 5


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    shown: str
    x: float
    y: float
    width: float
    height: float
    below_target: bool = False

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    value: str
    y: float


@dataclass(frozen=True)
class BarChart:
    """Vertical bars on a 0–maximum scale, with an optional target line."""

    title: str
    bars: list[Bar]
    ticks: list[Tick]
    target_y: float | None
    target_label: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    baseline: float = HEIGHT - MARGIN_BOTTOM

    @property
    def label_every(self) -> int:
        """Label every nth bar so that labels never overlap (31 days, 24 hours)."""
        return max(1, len(self.bars) // 12)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`, so the scale's ticks are round."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def bar_chart(
    title: str,
    points: list[tuple[str, float | None, str]],
    *,
    maximum: float | None = None,
    target: float | None = None,
    target_label: str = "",
    tick_format: str = "{:g}",
) -> BarChart:
    """`points` are (label, value or None for no data, value as shown)."""
    values = [value for _label, value, _shown in points if value is not None]
    top = maximum if maximum is not None else nice_ceiling(max([*values, target or 0, 1]))
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    plot_width = WIDTH - MARGIN_LEFT - 8
    slot = plot_width / max(len(points), 1)
    bars = []
    for index, (label, value, shown) in enumerate(points):
        height = 0.0 if value is None else plot_height * min(value, top) / top
        bars.append(
            Bar(
                label=label,
                value=value,
                shown=shown,
                x=round(MARGIN_LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                below_target=target is not None and value is not None and value < target,
            )
        )
    ticks = [
        Tick(tick_format.format(top * step / 4), round(HEIGHT - MARGIN_BOTTOM - plot_height * step / 4, 1))
        for step in range(5)
    ]
    target_y = (
        None if target is None else round(HEIGHT - MARGIN_BOTTOM - plot_height * min(target, top) / top, 1)
    )
    return BarChart(title, bars, ticks, target_y, target_label)


def heat_level(count: int, peak: int) -> int:
    """0 for none, then 1–5 by share of the busiest cell (the class of the table cell)."""
    if count <= 0 or peak <= 0:
        return 0
    return min(HEAT_LEVELS, 1 + int((count / peak) * HEAT_LEVELS * 0.999))
