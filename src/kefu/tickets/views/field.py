"""The field crew's list (外勤): only work dispatched to its team — to do, and recently handed back."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from kefu.tickets.lifecycle import Status
from kefu.tickets.models import Ticket
from kefu.web.htmx import render

LIST_LIMIT = 50


@login_required
def field_work(request):
    user = request.user
    if not user.works_in_field() and not user.can_supervise():
        raise PermissionDenied
    base = (Ticket.objects.visible_to(user).filter(dispatched_team_id=user.team_id)
            .select_related("ticket_type", "customer", "assignee"))
    todo = list(base.filter(is_open=True, status=Status.WAITING_OTHER)
                .order_by("appointment_start", "-priority", "created_at")[:LIST_LIMIT])
    handed_back = list(base.exclude(status=Status.WAITING_OTHER).order_by("-updated_at")[:LIST_LIMIT])
    return render(request, "tickets/field.html", {"todo": todo, "handed_back": handed_back})
