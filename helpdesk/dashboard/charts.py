"""SVG chart geometry, computed on the server: templates draw the shapes, tables beside them
carry the numbers. Right-to-left pages get mirrored geometry (labels on the right, bars growing
leftwards), never mirrored text."""

from __future__ import annotations

from dataclasses import dataclass, field

LABEL_WIDTH = 130
BAR_AREA = 360
VALUE_WIDTH = 50
ROW = 24


@dataclass(frozen=True)
class Segment:
    css: str
    value: float
    x: float = 0.0
    width: float = 0.0


@dataclass(frozen=True)
class BarRow:
    label: str
    y: float
    label_x: float
    value_x: float
    total: float
    segments: list[Segment] = field(default_factory=list)
    highlight: bool = False


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    rows: list[BarRow]
    anchor: str  # text-anchor of the labels (in the page's direction)
    value_anchor: str


def bar_chart(
    items: list[tuple[str, list[tuple[str, float]], bool]], rtl: bool = False
) -> BarChart:
    """Horizontal (stacked) bars: one row per ``(label, [(css class, value)], highlight)``,
    scaled to the largest total."""
    largest = max((sum(v for _, v in segments) for _, segments, _ in items), default=0) or 1
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    rows = []
    for n, (label, segments, highlight) in enumerate(items):
        offset, placed = 0.0, []
        for css, value in segments:
            length = BAR_AREA * value / largest
            start = LABEL_WIDTH + offset
            x = width - start - length if rtl else start
            placed.append(Segment(css, value, round(x, 1), round(length, 1)))
            offset += length
        end = LABEL_WIDTH + offset + 6
        rows.append(
            BarRow(
                label=label,
                y=n * ROW,
                label_x=width - LABEL_WIDTH + 6 if rtl else LABEL_WIDTH - 6,
                value_x=round(width - end if rtl else end, 1),
                total=sum(v for _, v in segments),
                segments=placed,
                highlight=highlight,
            )
        )
    # The SVG inherits the page's direction, which flips what "start" and "end" mean: the same
    # anchors put labels against their bars both ways.
    return BarChart(width, max(len(items), 1) * ROW, rows, "end", "start")


def sparkline(values: list[int], rtl: bool = False, width: int = 120, height: int = 24) -> str:
    """The points of a polyline for ``values`` (oldest first; on the right in RTL)."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(len(values) - 1, 1)
    points = []
    for n, value in enumerate(values):
        x = width - n * step if rtl else n * step
        y = height - 2 - (height - 4) * value / top
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)
