"""Showing a KPI figure: the value in its unit, and the numerator/denominator it came from."""

from django import template
from django.utils.translation import gettext as _

from kefu.kpi.definitions import MEASURES

register = template.Library()

_SUFFIX = {"percent": "%", "seconds": " s", "per_mille": "‰"}


@register.filter
def figure(ratio, code: str) -> str:
    measure = MEASURES.get(code)
    if ratio is None or ratio.value is None or measure is None:
        return "—"
    value = ratio.value
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text}{_SUFFIX.get(measure.unit, '')}"


@register.filter
def basis(ratio, code: str) -> str:
    """What the figure was computed from: numerator/denominator, or the parts of a count."""
    measure = MEASURES.get(code)
    if ratio is None or measure is None or ratio.denominator == 0:
        return ""
    if measure.unit == "count":
        from kefu.tickets.lifecycle import Channel

        return " · ".join(f"{Channel(k).label if k in Channel.values else k} {n}" for k, n in ratio.parts.items())
    if measure.unit == "per_mille":
        return f"{ratio.numerator}×1000/{ratio.denominator}"
    if measure.unit == "nps":
        return _("(promoters − detractors) %(net)d / %(total)d") % {"net": ratio.numerator, "total": ratio.denominator}
    return f"{ratio.numerator}/{ratio.denominator}"


@register.filter
def get_ratio(figures: dict, code: str):
    return figures.get(code)


@register.filter
def yuan(fen) -> str:
    if fen is None:
        return "—"
    return f"¥{fen // 100:,}.{fen % 100:02d}"


@register.filter
def measure_label(code: str) -> str:
    measure = MEASURES.get(code)
    return str(measure.label) if measure else code
