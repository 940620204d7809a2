"""Helpers the ticket screens share: filters from a query string, and a refused action shown in its form."""

from django.http import HttpRequest

from kefu.core.errors import ServiceError
from kefu.core.pii import normalize_phone
from kefu.tickets import selectors
from kefu.web.htmx import error_context, form_int, render

int_or_none = form_int  # the ticket screens' name for it


def filters_from(request: HttpRequest, **fixed) -> selectors.TicketFilters:
    """The list filters a person chose in the filter bar; `fixed` is what the page itself sets (mine, team)."""
    g = request.GET
    phone = g.get("phone", "").strip()
    filters = selectors.TicketFilters(
        status=g.getlist("status") or None,
        type=g.get("type") or None,
        channel=g.get("channel") or None,
        priority=int_or_none(g.get("priority"), "priority"),
        tier=g.get("tier") or None,
        sla=g.get("sla") or None,
        q=g.get("q", "").strip() or None,
        phone=normalize_phone(phone, field="phone") if phone else None,
        team_id=int_or_none(g.get("team"), "team"),
        assignee_id=int_or_none(g.get("assignee"), "assignee"),
    )
    if g.get("open", "1") == "1" and not filters.status:
        filters.is_open = True
    for key, value in fixed.items():
        setattr(filters, key, value)
    return filters


def refused(request, exc: ServiceError, template: str, context: dict, *, partial: str | None = None):
    """Show a refused service call in the same form, with the field error, and the service's status code."""
    return render(request, template, {**context, **error_context(exc)}, partial=partial, status=exc.status)
