"""{% load kefu_memos %} {{ memo|memo_age:now }}: how long a memo has waited, as 2d 3h / 3h 20m / 5m."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def memo_age(memo, now=None) -> str:
    seconds = int(memo.age(now).total_seconds())
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(d)sd %(h)sh") % {"d": days, "h": hours}
    if hours:
        return _("%(h)sh %(m)sm") % {"h": hours, "m": minutes}
    return _("%(m)sm") % {"m": minutes}
