"""The screen pop: the agent's page asks every second; a new call answers with the caller's record."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError
from kefu.core.pii import mask_phone
from kefu.cti import services
from kefu.tickets.models import Ticket

OPEN_TICKETS_SHOWN = 5


@login_required
def pop(request):
    """204 (nothing to change) when the page already shows the current call, or there is none to show."""
    call = services.current_call(request.user)
    shown = request.GET.get("shown", "")
    if call is None:
        return HttpResponse("") if shown else HttpResponse(status=204)
    if shown == str(call.pk):
        return HttpResponse(status=204)
    open_tickets = []
    if call.customer_id:
        open_tickets = list(Ticket.objects.visible_to(request.user).filter(customer_id=call.customer_id, is_open=True)
                            .select_related("ticket_type").order_by("-created_at")[:OPEN_TICKETS_SHOWN])
    return TemplateResponse(request, "cti/partials/pop.html", {
        "call": call, "masked_caller": mask_phone(call.caller), "open_tickets": open_tickets})


@login_required
@require_POST
def dismiss(request, call_pk: int):
    try:
        services.dismiss_call(actor=request.user, call_pk=call_pk)
    except ServiceError:
        return HttpResponse(status=404)
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect(request.POST.get("next") or "/")
