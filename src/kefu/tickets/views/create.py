"""New ticket (新建工单): built for a phone call — keyboard only, prefilled from the screen pop."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from kefu.core.errors import ServiceError, ValidationFailed
from kefu.customers.selectors import search_customers
from kefu.tickets import services
from kefu.tickets.lifecycle import Channel, Priority
from kefu.tickets.models import TicketType
from kefu.tickets.views.common import int_or_none
from kefu.web.htmx import error_context, form_datetime, render

_TEXT = ("title", "description", "reporter_name", "location", "cause", "handling", "contact_phone", "channel_ref")


def _caller(user, phone: str, customer_id: str):
    """The customer the call is from: given by the screen pop, or the one customer with this number."""
    if customer_id:
        from kefu.customers.selectors import get_customer

        try:
            return get_customer(user, int(customer_id))
        except (ServiceError, ValueError):
            return None
    if phone:
        try:
            total, found = search_customers(user, phone=phone, page_size=2)
        except ServiceError:
            return None
        return found[0] if total == 1 else None
    return None


# Other apps fill the new-ticket form from where the agent came from (the screen pop's call: kefu.cti).
_PREFILLERS: list = []


def register_prefill(fn) -> None:
    """`fn(request) -> dict` of form values for a new ticket; registered from the app's ready()."""
    if fn not in _PREFILLERS:
        _PREFILLERS.append(fn)


def _prefilled(request) -> dict:
    values: dict = {}
    for fn in _PREFILLERS:
        values.update(fn(request))
    return values


def _form_context(request, values: dict, **extra) -> dict:
    types = list(TicketType.objects.filter(active=True).prefetch_related("fields").order_by("code"))
    chosen = next((t for t in types if t.code == values.get("type")), types[0] if types else None)
    customer = _caller(request.user, values.get("contact_phone", ""), values.get("customer_id", ""))
    return {"types": types, "chosen": chosen, "values": values, "customer": customer,
            "custom_fields": [(f, values.get(f"custom.{f.key}", "")) for f in chosen.fields.all()] if chosen else [],
            "channels": Channel.choices, "priorities": Priority.choices, **extra}


def _input(request) -> services.TicketInput:
    post = request.POST
    ticket_type = TicketType.objects.filter(code=post.get("type", ""), active=True).prefetch_related("fields").first()
    if ticket_type is None:
        raise _unknown_type()
    mine = post.get("assign_to_me") == "on"
    return services.TicketInput(
        type=ticket_type.code, **{name: post.get(name, "") for name in _TEXT},
        occurred_at=form_datetime(post.get("occurred_at"), "occurred_at"),
        channel=post.get("channel") or Channel.PHONE,
        priority=int_or_none(post.get("priority"), "priority") or Priority.NORMAL,
        is_major=post.get("is_major") == "on",
        customer_id=int_or_none(post.get("customer_id"), "customer_id"),
        team_id=request.user.team_id if mine else None,
        assignee_id=request.user.pk if mine else None,
        custom={f.key: post[f"custom.{f.key}"] for f in ticket_type.fields.all() if post.get(f"custom.{f.key}")},
    )


def _unknown_type() -> ValidationFailed:
    from django.utils.translation import gettext as _

    return ValidationFailed(_("Choose a ticket type."), code="unknown_type", field="type")


@login_required
def new_ticket(request):
    if not request.user.can_take_calls():
        raise PermissionDenied
    if request.method == "POST":
        try:
            ticket = services.create_ticket(actor=request.user, data=_input(request))
        except ServiceError as exc:
            context = _form_context(request, request.POST.dict(), **error_context(exc))
            return render(request, "tickets/new.html", context, status=exc.status)
        return redirect("tickets:detail", ticket.pk)
    values = {"channel": Channel.PHONE, "assign_to_me": "on", **request.GET.dict()}
    values.update(_prefilled(request))
    partial = "tickets/partials/custom_fields.html" if request.GET.get("fields_only") else None
    return render(request, "tickets/new.html", _form_context(request, values), partial=partial)
