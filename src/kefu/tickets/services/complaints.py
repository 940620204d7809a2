"""The closed-loop complaint (TK7): findings, the close check, the supervisor's override.

A complaint closes only when it has its findings (responsible party, verified content, handling result), a
callback outcome since it was last resolved, and the customer's acceptance — or a supervisor overrides the
last two with a written reason. The check reads the ticket's events, so it holds whichever screen, API call or
task tries to close the ticket.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team, User
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.tickets import validation as v
from kefu.tickets.events import emit
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import ComplaintRecord, EventCode, Ticket, TicketEvent
from kefu.tickets.services.common import check_version, load_ticket, require_handler, save

# What the customer said on the callback that counts as accepting the result (a new need accepts the old one).
ACCEPTING_OUTCOMES = ("accepted", "new_need")
FINDINGS = ("responsible_party", "content", "result")
_MISSING_LABELS = {
    "responsible_party": _("the verified responsible party"),
    "content": _("the verified complaint content"),
    "result": _("the handling result"),
    "callback_outcome": _("a callback outcome"),
    "customer_acceptance": _("the customer's acceptance"),
}


# The callbacks app's outcome code (kefu.callbacks.events.CallbackEventCode): a complaint closes only after one,
# and tickets may not import the apps built on it.
CALLBACK_OUTCOME = "callback_outcome"


def type_requirements(ticket_type) -> dict[str, list[str]]:
    """What a ticket of this type needs before it enters each status (the checks the services make).

    Reads the type's prefetched fields, so listing every type costs no query per type."""
    required = ["title", *(f"custom.{f.key}" for f in ticket_type.fields.all() if f.required)]
    out = {Status.NEW: required, Status.ASSIGNED: ["assignee"]}
    if ticket_type.is_complaint:
        out[Status.CLOSED] = [*FINDINGS, CALLBACK_OUTCOME, "customer_acceptance"]
    return {str(k): v for k, v in out.items()}


def _since_resolution(ticket: Ticket) -> list[TicketEvent]:
    """Callback outcomes recorded after the ticket was last resolved, newest first."""
    resolved = (TicketEvent.objects.filter(ticket_id=ticket.pk, code=EventCode.STATUS_CHANGED,
                                           params__to=Status.RESOLVED).order_by("-id").values_list("id", flat=True)
                .first())
    qs = TicketEvent.objects.filter(ticket_id=ticket.pk, code=CALLBACK_OUTCOME)
    if resolved:
        qs = qs.filter(id__gt=resolved)
    return list(qs.order_by("-id")[:20])


def missing_findings(ticket: Ticket) -> list[str]:
    record = ComplaintRecord.objects.filter(ticket_id=ticket.pk).first()
    if record is None:
        return list(FINDINGS)
    return [name for name in FINDINGS
            if not (getattr(record, name) or "").strip() and not (name == "responsible_party"
                                                                   and record.responsible_team_id)]


def closed_loop_missing(ticket: Ticket) -> list[str]:
    """What a complaint still lacks before it may close; empty for other types or a complete loop."""
    if not ticket.ticket_type.is_complaint:
        return []
    missing = missing_findings(ticket)
    outcomes = _since_resolution(ticket)
    if not outcomes:
        missing += ["callback_outcome", "customer_acceptance"]
    elif outcomes[0].params.get("outcome") not in ACCEPTING_OUTCOMES:
        missing.append("customer_acceptance")
    return missing


def refuse_open_loop(ticket: Ticket, *, field: str = "to") -> None:
    """Raise the 422 that lists what the complaint lacks, if anything."""
    missing = closed_loop_missing(ticket)
    if missing:
        raise ValidationFailed(
            _("This complaint cannot close yet; it still needs %(items)s.") % {
                "items": "、".join(str(_MISSING_LABELS[m]) for m in missing)},
            code="complaint_loop_open", field=field, params={"missing": missing})


@transaction.atomic
def record_complaint_findings(*, actor: User | None, ticket_id: int, version: int, responsible_party: str = "",
                              responsible_team_id: int | None = None, content: str = "", result: str = "",
                              now: datetime | None = None) -> ComplaintRecord:
    """Record or correct the verified findings of a complaint (核实责任人, 投诉内容, 处理结果)."""
    require_handler(actor)
    ticket = load_ticket(actor, ticket_id)
    check_version(ticket, version)
    if not ticket.ticket_type.is_complaint:
        raise ValidationFailed(_("Only a complaint has findings."), code="not_a_complaint", field="ticket")
    team = None
    if responsible_team_id is not None:
        team = Team.objects.filter(pk=responsible_team_id).first()
        if team is None:
            raise ValidationFailed(_("No such team."), code="unknown_team", field="responsible_team_id")
    values = {"responsible_party": v.clean_text(responsible_party, field="responsible_party", limit=100),
              "content": v.clean_text(content, field="content"), "result": v.clean_text(result, field="result")}
    at = now or timezone.now()
    record = ComplaintRecord.objects.filter(ticket_id=ticket.pk).first()
    old = ({name: getattr(record, name) for name in values} | {"responsible_team": record.responsible_team_id}
           if record else {})
    new = values | {"responsible_team": team.pk if team else None}
    changed = sorted(name for name in new if old.get(name) != new[name] and (old or new[name]))
    if not changed:
        return record
    record = record or ComplaintRecord(ticket=ticket)
    for name, value in values.items():
        setattr(record, name, value)
    record.responsible_team, record.recorded_by, record.recorded_at = team, actor, at
    record.save()
    save(ticket, version, {"updated_at": at})
    emit(ticket, EventCode.COMPLAINT_RECORDED, actor=actor, at=at,
         params={"fields": changed, "missing": missing_findings(ticket)})
    return record


@transaction.atomic
def override_close(*, actor: User | None, ticket_id: int, version: int, reason: str,
                   now: datetime | None = None) -> Ticket:
    """A supervisor closes a resolved complaint without the customer's acceptance, saying why (TK7)."""
    if actor is not None and not actor.can_supervise():
        raise Forbidden(_("Only a team lead or above may close a complaint without the customer's acceptance."),
                        code="cannot_override")
    ticket = load_ticket(actor, ticket_id)
    check_version(ticket, version)
    if ticket.status not in (Status.RESOLVED, Status.CALLBACK):
        raise ValidationFailed(_("Only a resolved complaint can be closed this way."), code="not_resolved",
                               field="status")
    reason = v.clean_text(reason, field="reason", limit=500)
    if not reason:
        raise ValidationFailed(_("Say why the complaint closes without the customer's acceptance."),
                               code="required", field="reason")
    missing = missing_findings(ticket) if ticket.ticket_type.is_complaint else []
    if missing:
        raise ValidationFailed(_("Record the complaint's findings first."), code="complaint_loop_open",
                               field="reason", params={"missing": missing})
    at = now or timezone.now()
    previous = ticket.status
    save(ticket, version, {"status": Status.CLOSED, "is_open": False, "closed_at": at, "updated_at": at})
    emit(ticket, EventCode.CLOSE_OVERRIDDEN, actor=actor, at=at, params={"reason": reason})
    emit(ticket, EventCode.STATUS_CHANGED, actor=actor, at=at,
         params={"from": previous, "to": Status.CLOSED, "reason": reason})
    return ticket
