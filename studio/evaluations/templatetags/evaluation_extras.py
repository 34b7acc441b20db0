"""Numbers of evaluation reports as pages show them."""

import math

from django import template

register = template.Library()


@register.filter
def figure(value, digits: int = 4) -> str:
    """A metric value with `digits` significant digits; '—' when it was not measured."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:.{int(digits)}g}" if abs(value) < 1e5 else f"{value:,.0f}"


@register.filter
def signed(value, digits: int = 3) -> str:
    """A difference with its sign: '+0.15', '−2.1'; '—' when there is none."""
    if value is None:
        return "—"
    text = f"{abs(value):.{int(digits)}g}"
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


@register.filter
def change_class(improved) -> str:
    """CSS class of a change: better, worse, or nothing when it did not move."""
    return {True: "better", False: "worse"}.get(improved, "")
