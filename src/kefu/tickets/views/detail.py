"""The ticket page: 5W1H record, custom fields, timeline, clocks, customer panel and every action's form."""

from django.contrib.auth.decorators import login_required

from kefu.accounts.models import Team, User
from kefu.accounts.roles import CAN_HANDLE_TICKETS, Role
from kefu.core.pii import mask_phone
from kefu.tickets import panels, selectors
from kefu.tickets.lifecycle import DONE_STATUSES, Priority, Status
from kefu.tickets.models import Ticket, TicketLink
from kefu.tickets.timeline import timeline
from kefu.tickets.validation import type_fields
from kefu.web.htmx import page, render

HISTORY_LIMIT = 10


def _customer_panel(user, ticket: Ticket) -> dict | None:
    """The caller's record beside the ticket: masked contacts, tier, account manager, open tickets, history."""
    customer = ticket.customer
    if customer is None:
        return None
    contacts = list(customer.contacts.all())
    others = (Ticket.objects.visible_to(user).filter(customer=customer).exclude(pk=ticket.pk)
              .select_related("ticket_type").order_by("-created_at")[:HISTORY_LIMIT])
    others = list(others)
    return {
        "customer": customer, "contacts": contacts,
        "open_tickets": [t for t in others if t.is_open],
        "history": others,  # every channel: phone, WeChat, 12345 … each row shows where it came from
    }


def ticket_context(user, ticket_id: int, *, posted=None, form: str = "", **extra) -> dict:
    """Everything the ticket page shows; `form` names the form whose error (or typed input) is being shown."""
    ticket, events, messages = selectors.ticket_detail(user, ticket_id)
    handler = user.can_handle_tickets()
    next_statuses = [(s, Status(s).label) for s in ticket.ticket_type.allowed_next(ticket.status)]
    context = {
        "ticket": ticket, "entries": timeline(events, messages),
        "custom_fields": [(f, ticket.custom.get(f.key, "")) for f in type_fields(ticket.ticket_type)],
        "masked_phone": mask_phone(ticket.contact_phone) if ticket.contact_phone else "",
        "panel": _customer_panel(user, ticket),
        "links": selectors.visible_links(user, ticket),
        "can_handle": handler, "can_reveal": user.can_reveal_pii(),
        "is_crew": user.works_in_field(), "can_supervise": user.can_supervise(),
        "is_done": ticket.status in DONE_STATUSES, "next_statuses": next_statuses,
        "teams": Team.objects.order_by("-is_field_crew", "name") if handler else [],
        "assignees": (User.objects.filter(is_active=True, role__in=CAN_HANDLE_TICKETS).exclude(role=Role.FIELD_CREW)
                      .select_related("team").order_by("team__name", "agent_no")) if handler else [],
        "priorities": Priority.choices, "link_kinds": TicketLink.Kind.choices,
        "posted": posted or {}, "form": form, **extra,
    }
    found = panels.slotted(user, ticket, context)
    context.update(panels=found[panels.MAIN], side_panels=found[panels.SIDE], top_panels=found[panels.SIDE_TOP],
                   reply_panels=found[panels.REPLY])
    return context


@login_required
@page
def detail(request, ticket_id: int):
    return render(request, "tickets/detail.html", ticket_context(request.user, ticket_id))
