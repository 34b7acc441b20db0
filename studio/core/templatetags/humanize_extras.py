from django import template

register = template.Library()


@register.filter
def intcomma_plain(value) -> str:
    """12345678 -> '12,345,678' (without django.contrib.humanize's locale machinery)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
