"""Server-side SVG charts: the geometry is computed here, the templates
(stuurinformatie/chart_*.html) draw it. Readable without colour: every bar
carries its value as text, series differ in line style and marker shape,
categories in fill pattern, and the same figures are in the table below
each chart."""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 230
BAR_SPACE = 330
ROW = 26
LABEL_CHARS = 30
PATTERNS = ("solid", "hatch", "dots", "cross", "grid", "back")


@dataclass
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float
    pattern: str = "solid"

    @property
    def short_label(self):
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1] + "…"

    @property
    def text_x(self):
        return LABEL_WIDTH + self.width + 6

    @property
    def text_y(self):
        return self.y + ROW // 2 + 4


@dataclass
class BarChart:
    id: str
    title: str
    bars: list
    target: float | None = None  # a vertical line ("doel 80%") on the value axis
    target_label: str = ""
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = ROW - 8
    patterns: tuple = PATTERNS

    @property
    def height(self):
        return len(self.bars) * ROW + (24 if self.target is not None else 4)

    @property
    def target_x(self):
        return LABEL_WIDTH + BAR_SPACE * self.target / self.maximum if self.target is not None else None

    maximum: float = 1


def bar_chart(id, title, items, *, maximum=None, unit="", target=None, target_label="", patterned=False):
    """A horizontal bar chart of [(label, value)]; values None are drawn as
    "geen gegevens". `maximum` fixes the scale (100 for percentages)."""
    values = [value for _, value in items if value is not None]
    top = maximum or max(values, default=0) or 1
    bars = []
    for n, (label, value) in enumerate(items):
        text = "geen gegevens" if value is None else f"{format_number(value)}{unit}"
        width = 0 if value is None else BAR_SPACE * value / top
        pattern = PATTERNS[n % len(PATTERNS)] if patterned else "solid"
        bars.append(Bar(str(label), value or 0, text, 2 + n * ROW, width, pattern))
    return BarChart(id, title, bars, target=target, target_label=target_label, maximum=top)


def format_number(value):
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


@dataclass
class Series:
    label: str
    points: str  # "x,y x,y …" for <polyline>
    markers: list  # [(x, y, title)]
    style: str  # "solid" or "dashed": the line style tells the series apart
    shape: str  # "circle" or "square"


@dataclass
class LineChart:
    id: str
    title: str
    series: list
    y_ticks: list  # [(y, label)]
    x_ticks: list  # [(x, label)]
    width: int = WIDTH
    height: int = 240
    left: int = 56
    top: int = 12
    bottom: int = 206  # the x axis
    right: int = WIDTH - 12
    extra: dict = field(default_factory=dict)


def line_chart(id, title, days, series):
    """Lines over days: `series` is [(label, [value per day])]; the first is
    drawn solid with circles, the next dashed with squares."""
    chart = LineChart(id, title, [], [], [])
    top = max((max(values, default=0) for _, values in series), default=0)
    top = nice_ceiling(top)
    span_x = chart.right - chart.left
    span_y = chart.bottom - chart.top

    def x(n):
        return round(chart.left + (span_x * n / (len(days) - 1) if len(days) > 1 else span_x / 2), 1)

    def y(value):
        return round(chart.bottom - span_y * value / top, 1)

    for number, (label, values) in enumerate(series):
        points = [(x(n), y(v)) for n, v in enumerate(values)]
        markers = [(px, py, f"{days[n]:%d-%m-%Y}: {format_number(values[n])}") for n, (px, py) in enumerate(points)] if len(days) <= 62 else []
        chart.series.append(
            Series(label, " ".join(f"{px},{py}" for px, py in points), markers, "solid" if number == 0 else "dashed", "circle" if number == 0 else "square")
        )
    chart.y_ticks = [(y(value), format_number(value)) for value in (0, top / 2, top)]
    picks = sorted({0, len(days) // 2, len(days) - 1}) if days else []
    chart.x_ticks = [(x(n), f"{days[n]:%d-%m}") for n in picks]
    return chart


def nice_ceiling(value):
    """The next round number at or above value (1, 2, 5 × 10ⁿ), at least 2 so the middle tick is whole."""
    if value <= 2:
        return 2
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude
