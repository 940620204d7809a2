"""The ticket page: 5W1H record, custom fields, timeline, clocks, customer panel and every action's form."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q

from kefu.accounts.models import Team, User
from kefu.accounts.roles import CAN_HANDLE_TICKETS, CAN_SUPERVISE, Role
from kefu.core.pii import mask_phone
from kefu.phrases.selectors import phrases_for_ticket
from kefu.tickets import selectors
from kefu.tickets.lifecycle import DONE_STATUSES, Priority, Status
from kefu.tickets.models import Ticket, TicketLink
from kefu.tickets.panels import panels_for
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
    from kefu.sla.selectors import clocks_for

    ticket, events, messages = selectors.ticket_detail(user, ticket_id)
    handler = user.role in CAN_HANDLE_TICKETS
    next_statuses = [(s, Status(s).label) for s in ticket.ticket_type.allowed_next(ticket.status)]
    links = list(TicketLink.objects.filter(Q(source=ticket) | Q(target=ticket)).select_related("source", "target"))
    context = {
        "ticket": ticket, "entries": timeline(events, messages), "clocks": clocks_for(ticket),
        "custom_fields": [(f, ticket.custom.get(f.key, "")) for f in type_fields(ticket.ticket_type)],
        "masked_phone": mask_phone(ticket.contact_phone) if ticket.contact_phone else "",
        "panel": _customer_panel(user, ticket),
        "links": [(link.target if link.source_id == ticket.pk else link.source, link) for link in links],
        "can_handle": handler, "can_reveal": user.can_reveal_pii(),
        "is_crew": user.role == Role.FIELD_CREW, "can_supervise": user.role in CAN_SUPERVISE,
        "is_done": ticket.status in DONE_STATUSES, "next_statuses": next_statuses,
        "teams": Team.objects.order_by("-is_field_crew", "name") if handler else [],
        "assignees": (User.objects.filter(is_active=True, role__in=CAN_HANDLE_TICKETS).exclude(role=Role.FIELD_CREW)
                      .select_related("team").order_by("team__name", "agent_no")) if handler else [],
        "priorities": Priority.choices, "link_kinds": TicketLink.Kind.choices,
        "phrases": phrases_for_ticket(user, ticket) if handler else [],
        "posted": posted or {}, "form": form, **extra,
    }
    context["panels"], context["side_panels"] = panels_for(user, ticket, context)
    return context


@login_required
@page
def detail(request, ticket_id: int):
    return render(request, "tickets/detail.html", ticket_context(request.user, ticket_id))
