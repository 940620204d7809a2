"""Small template helpers shared by every page."""

from datetime import timedelta

from django import template
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ field_errors|get:"title" }} — a dict lookup with a variable or dotted key."""
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.filter
def duration(value) -> str:
    """A timedelta or a number of seconds as 2天3小时 / 3h 20m, for clocks and ages."""
    if value is None or value == "":
        return ""
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return sign + _("%(d)sd %(h)sh") % {"d": days, "h": hours}
    if hours:
        return sign + _("%(h)sh %(m)sm") % {"h": hours, "m": minutes}
    return sign + _("%(m)sm") % {"m": minutes}


@register.simple_tag(takes_context=True)
def with_page(context, page) -> str:
    """The current query string with another page number: ?type=repair&page=3 (without the private words a
    search keeps in the session: kefu.web.privatequery)."""
    request = context["request"]
    query = getattr(request, "public_GET", request.GET).copy()
    query["page"] = page
    return "?" + query.urlencode()


@register.filter
def person(user, default: str = "—") -> str:
    """A user as people name them: display name, else user name; `default` when there is nobody."""
    if not user:
        return default
    return user.get_full_name() or user.username


@register.filter
def short_time(value) -> str:
    """A datetime as 11-23 17:05 in the current time zone: what |date:"m-d H:i" prints, without Django's general
    date formatter, which costs ~4× more and which the queue and the board ran once per row."""
    if value in (None, ""):
        return ""
    return template_localtime(value).strftime("%m-%d %H:%M")


@register.simple_tag(takes_context=True)
def saved_views(context, page_name: str):
    """The user's saved filters of a list page (the page's own view never needs to know about them)."""
    from kefu.web.models import SavedView

    return SavedView.objects.filter(user=context["request"].user, page=page_name)
