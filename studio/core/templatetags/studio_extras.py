"""Small presentation helpers: inline SVG charts (no JavaScript library to ship) and durations."""

from datetime import timedelta

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM = 640, 200, 40, 34


@register.simple_tag
def bar_chart(labels, values, *, title: str = "", unit: str = ""):
    """A bar chart as inline SVG, accessible by its title and per-bar tooltips."""
    values = list(values or [])
    labels = [str(label) for label in (labels or [])]
    if not values:
        return ""
    top = max(values) or 1
    slot = (WIDTH - PAD_LEFT) / len(values)
    plot_h = HEIGHT - PAD_BOTTOM - 10
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        h = plot_h * value / top
        x = PAD_LEFT + i * slot
        # format_html escapes its arguments into strings, so numbers are formatted here.
        bars.append(
            (f"{x + 1:.1f}", f"{10 + plot_h - h:.1f}", f"{max(slot - 2, 1):.1f}", f"{h:.1f}", f"{label}: {value}{unit}")
        )
    label_every = max(1, len(values) // 8)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>{}{}'
        '<text x="4" y="16" class="tick">{}</text><text x="4" y="{}" class="tick">0</text></svg>',
        WIDTH,
        HEIGHT,
        title,
        title,
        PAD_LEFT,
        HEIGHT - PAD_BOTTOM,
        WIDTH,
        HEIGHT - PAD_BOTTOM,
        format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', bars),
        format_html_join(
            "",
            '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>',
            (
                (PAD_LEFT + (i + 0.5) * slot, HEIGHT - PAD_BOTTOM + 16, labels[i])
                for i in range(0, len(labels), label_every)
            ),
        ),
        top,
        HEIGHT - PAD_BOTTOM,
    )


COLORS = ("#3457d5", "#d5573b", "#1b7f4b", "#a86300", "#7b3fb5")


@register.simple_tag
def line_chart(series, *, title: str = "", x_label: str = "step", y_label: str = ""):
    """Lines as inline SVG. `series` is a list of {"name", "points": [(x, y), ...]}; one colour each."""
    series = [s for s in (series or []) if s.get("points")]
    if not series:
        return ""
    xs = [x for s in series for x, _ in s["points"]]
    ys = [y for s in series for _, y in s["points"]]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1
    plot_w, plot_h = WIDTH - PAD_LEFT - 10, HEIGHT - PAD_BOTTOM - 10

    def point(x, y):
        return f"{PAD_LEFT + plot_w * (x - x0) / (x1 - x0):.1f},{10 + plot_h * (1 - (y - y0) / (y1 - y0)):.1f}"

    lines = []
    for i, s in enumerate(series):
        color = COLORS[i % len(COLORS)]
        path = " ".join(point(x, y) for x, y in s["points"])
        marker = "" if len(s["points"]) > 30 else "circle"  # few points (eval loss): show each one
        lines.append((color, path, s["name"], marker))
    legend = format_html_join("", '<tspan fill="{}">■ {}</tspan> ', ((c, name) for c, _, name, _ in lines))
    top_label, bottom_label = _y_labels(y0, y1)
    return format_html(
        '<svg class="chart line" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>{}'
        '<text x="4" y="16" class="tick">{}</text><text x="4" y="{}" class="tick">{}</text>'
        '<text x="{}" y="{}" class="tick">{} {}</text><text x="{}" y="{}" class="tick" text-anchor="end">{} {}</text>'
        '<text x="{}" y="{}" class="tick legend">{}</text></svg>',
        WIDTH,
        HEIGHT,
        title,
        title,
        PAD_LEFT,
        HEIGHT - PAD_BOTTOM,
        WIDTH,
        HEIGHT - PAD_BOTTOM,
        format_html_join(
            "",
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"><title>{}</title></polyline>{}',
            ((path, color, name, _dots(path, color) if marker else "") for color, path, name, marker in lines),
        ),
        top_label,
        HEIGHT - PAD_BOTTOM,
        bottom_label,
        PAD_LEFT,
        HEIGHT - PAD_BOTTOM + 16,
        x_label,
        f"{x0:g}",
        WIDTH - 10,
        HEIGHT - PAD_BOTTOM + 16,
        x_label,
        f"{x1:g}",
        PAD_LEFT + 60,
        HEIGHT - 4,
        legend,
    )


def _y_labels(y0: float, y1: float) -> tuple[str, str]:
    """Top and bottom labels with the digits it takes to tell them apart (close losses would both read 10.8)."""
    digits = 3
    while f"{y0:.{digits}g}" == f"{y1:.{digits}g}" and digits < 8:
        digits += 1
    return f"{y1:.{digits}g}", f"{y0:.{digits}g}"


def _dots(path: str, color: str):
    return format_html_join(
        "", '<circle cx="{}" cy="{}" r="3" fill="{}"/>', ((*p.split(","), color) for p in path.split())
    )


@register.filter
def duration(value: timedelta | None) -> str:
    """'1 h 04 min', '3 min 20 s', '12 s'."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


@register.filter
def sci(value, digits: int = 2) -> str:
    """1.5e-05 style for small numbers such as learning rates; '—' when missing."""
    try:
        return f"{float(value):.{int(digits)}e}"
    except (TypeError, ValueError):
        return "—"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
