"""Template helpers of the quality pages: translated check failures, item labels in the page's language."""

from django import template
from django.utils.translation import get_language

from kefu.quality.checks import FAILURES

register = template.Library()


@register.filter
def failure_label(code: str) -> str:
    return str(FAILURES.get(code, code))


@register.filter
def item_label(item: dict, key: str = "label") -> str:
    """An item's label or category in the page's language (administrators enter both)."""
    if (get_language() or "").startswith("en") and item.get(f"{key}_en"):
        return item[f"{key}_en"]
    return item.get(key, "")


@register.filter
def reason_labels(reasons) -> str:
    from kefu.quality.models import SampleReason

    return "、".join(str(SampleReason(r).label) if r in SampleReason.values else r for r in reasons or [])


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


@register.filter
def inspects(user) -> bool:
    from kefu.quality.access import can_inspect

    return can_inspect(user)


@register.filter
def decides(user) -> bool:
    from kefu.quality.access import can_decide

    return can_decide(user)


@register.filter
def channel_label(code: str) -> str:
    from kefu.tickets.lifecycle import Channel

    return str(Channel(code).label) if code in Channel.values else code
