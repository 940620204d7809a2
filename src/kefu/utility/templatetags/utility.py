"""Template filters of the utility pack: fen shown as yuan."""

from django import template

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """12345 → ¥123.45 (exact: integer arithmetic, no float)."""
    if fen is None or fen == "":
        return ""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100:,}.{fen % 100:02d}"


@register.filter
def permille(value) -> str:
    """980 → 98.0%."""
    if value is None:
        return "—"
    return f"{value // 10}.{value % 10}%"


@register.filter
def get_item(mapping, key):
    """A dict's value in a template: {{ labels|get_item:code }}."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
