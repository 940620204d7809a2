"""The ticket page's panel for the closed-loop complaint (TK7) and the manager's decision (TK8)."""

from kefu.accounts.models import Team
from kefu.accounts.roles import Role
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import ComplaintRecord, ManagerReferral
from kefu.tickets.services.complaints import closed_loop_missing
from kefu.tickets.services.referrals import managers

_DECIDE_ANY = (Role.DIRECTOR, Role.ADMIN)  # as decide_referral(): a manager decides only what was sent to them


def loop_panel(user, ticket, page: dict) -> dict | None:
    """Findings and override for complaints; referral form, pending question and decisions for every ticket."""
    referrals = list(ManagerReferral.objects.filter(ticket_id=ticket.pk).select_related("manager", "decided_by"))
    pending = next((r for r in referrals if r.state == ManagerReferral.State.PENDING), None)
    handler = page["can_handle"] and not page["is_crew"]
    if not ticket.ticket_type.is_complaint and not referrals and not (handler and ticket.is_open):
        return None
    ctx = {"referrals": referrals, "pending": pending,
           "can_refer": handler and ticket.is_open and pending is None,
           "can_decide": pending is not None and (pending.manager_id == user.pk or user.role in _DECIDE_ANY),
           "managers": list(managers()) if handler and ticket.is_open and pending is None else []}
    if ticket.ticket_type.is_complaint:
        ctx.update(is_complaint=True,
                   record=ComplaintRecord.objects.filter(ticket_id=ticket.pk).first(),
                   missing=closed_loop_missing(ticket),
                   departments=list(Team.objects.order_by("name")) if handler else [],
                   can_override=page["can_supervise"] and ticket.status in (Status.RESOLVED, Status.CALLBACK))
    return ctx
