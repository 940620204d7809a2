"""The live queue board for team leads and supervisors, and bulk reassignment from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.models import Team, User
from kefu.accounts.roles import CAN_HANDLE_TICKETS, Role
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.tickets import services
from kefu.tickets.board import board_for
from kefu.tickets.views.common import int_or_none
from kefu.web.htmx import render


def _require_lead(user):
    if not user.can_supervise():
        raise PermissionDenied


@login_required
def board(request):
    _require_lead(request.user)
    context = {
        "board": board_for(request.user),
        "teams": Team.objects.filter(is_field_crew=False).order_by("name"),
        "assignees": (User.objects.filter(is_active=True, role__in=CAN_HANDLE_TICKETS).exclude(role=Role.FIELD_CREW)
                      .select_related("team").order_by("team__name", "agent_no")),
    }
    return render(request, "tickets/board.html", context, partial="tickets/partials/board_body.html")


def _pairs(values: list[str]) -> list[tuple[int, int]]:
    pairs = []
    for value in values:
        ticket, _sep, version = value.partition(":")
        if not ticket.isdigit() or not version.isdigit():
            raise ValidationFailed(_("Choose tickets from the list."), code="invalid", field="tickets")
        pairs.append((int(ticket), int(version)))
    return pairs


@login_required
@require_POST
def bulk_assign(request):
    _require_lead(request.user)
    try:
        result = services.bulk_assign(actor=request.user, tickets=_pairs(request.POST.getlist("ticket")),
                                      team_id=int_or_none(request.POST.get("team_id"), "team_id"),
                                      assignee_id=int_or_none(request.POST.get("assignee_id"), "assignee_id"))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("tickets:board")
    if result.done:
        messages.success(request, _("%(n)s tickets reassigned.") % {"n": len(result.done)})
    for ticket_id, why in result.refused.items():
        messages.error(request, _("#%(id)s not reassigned: %(why)s") % {"id": ticket_id, "why": why})
    return redirect("tickets:board")
