"""Ticket lists: my tickets, my team's queue, everything I may see — with filters and saved views."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ServiceError
from kefu.customers.models import Customer
from kefu.tickets import selectors
from kefu.tickets.lifecycle import Channel, Priority, Status
from kefu.tickets.validation import active_types
from kefu.tickets.views.common import filters_from, int_or_none
from kefu.web.htmx import error_context, render

PAGE_SIZE = 20
FILTER_KEYS = ("q", "type", "status", "channel", "priority", "sla", "tier")


def _labels(choices) -> list[tuple]:
    # Translated once here: a lazy label in a template is translated again at every comparison and print.
    return [(value, str(label)) for value, label in choices]


def _choices() -> dict:
    return {
        "types": [(t.code, str(t)) for t in active_types()],
        "statuses": _labels(Status.choices), "channels": _labels(Channel.choices),
        "priorities": _labels(Priority.choices), "tiers": _labels(Customer.Tier.choices),
    }


def _queue(request, *, page_name: str, title, fixed: dict):
    if request.user.works_in_field() and page_name != "tickets:field":
        raise PermissionDenied  # a crew works from its own list of dispatched work
    context = {"title": title, "page_name": page_name, "query": request.GET.urlencode(),
               # Every filter present (empty when not chosen): the filter bar compares each option with these,
               # and a missing key in a template lookup costs a failed lookup and a dir() per comparison.
               "current": {key: request.GET.get(key, "") for key in FILTER_KEYS}, **_choices()}
    status = 200
    try:
        page = int_or_none(request.GET.get("page"), "page") or 1
        total, tickets = selectors.ticket_page(request.user, filters_from(request, **fixed), page=page,
                                               page_size=PAGE_SIZE)
    except ServiceError as exc:
        total, tickets, page, status = 0, [], 1, exc.status
        context.update(error_context(exc))
    pages = max(1, -(-total // PAGE_SIZE))
    context.update(tickets=tickets, total=total, page=page, pages=pages,
                   prev_page=page - 1 if page > 1 else None, next_page=page + 1 if page < pages else None)
    return render(request, "tickets/queue.html", context, partial="tickets/partials/queue_table.html",
                  status=status)


@login_required
def mine(request):
    return _queue(request, page_name="tickets:mine", title=_("My tickets"), fixed={"assignee_id": request.user.pk})


@login_required
def team(request):
    fixed = {"team_id": request.user.team_id} if request.user.team_id else {"assignee_id": request.user.pk}
    return _queue(request, page_name="tickets:team", title=_("Team queue"), fixed=fixed)


@login_required
def everything(request):
    return _queue(request, page_name="tickets:all", title=_("All tickets"), fixed={})
