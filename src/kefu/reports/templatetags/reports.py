"""Showing report figures: a rate as a percentage, or "—" when nothing was counted."""

from django import template

register = template.Library()


@register.filter
def pct(rate) -> str:
    """0.6667 → 66.7%; None (a zero denominator) → —."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


@register.filter
def score(value) -> str:
    """An NPS or a mean score, or — when there were no answers."""
    return "—" if value is None else f"{value:g}"
