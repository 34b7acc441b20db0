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
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
