"""Abnormal meters raised as tickets (稽查 or 报修) with their evidence, and the outcome recorded back."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import Role
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.tickets.services import TicketInput, create_ticket
from kefu.utility.detection import Finding
from kefu.utility.models import AbnormalCase, AbnormalKind, Meter, MeterEventCode
from kefu.utility.services.common import load, require_office, require_pack
from kefu.utility.services.meters import meter_event

# A meter that stopped, runs backwards or jumped after a replacement needs a fitter (报修); one that runs
# fast or slow, or shows nothing for months on a live account, needs an inspector (稽查).
REPAIR_KINDS = {AbnormalKind.STOPPED, AbnormalKind.REVERSED, AbnormalKind.JUMP_AFTER_REPLACEMENT}
TITLES = {
    AbnormalKind.FAST: "表具异常（走快）", AbnormalKind.SLOW: "表具异常（走慢）",
    AbnormalKind.STOPPED: "表具异常（停走）",
    AbnormalKind.REVERSED: "表具异常（倒走）", AbnormalKind.ZERO_RUN: "连续零气量",
    AbnormalKind.JUMP_AFTER_REPLACEMENT: "换表后气量突增",
}
EVIDENCE_WORDS = {"period": "判定期", "recent_m3": "近三期用气(m³)", "year_before_m3": "去年同期(m³)",
                  "ratio": "同比(已按类别校正)", "class_ratio": "类别同比", "zero_periods": "零气量期数",
                  "negative_periods": "读数倒退期数", "consumption_m3": "本期用气(m³)",
                  "old_usual_m3": "旧表常用量(m³)"}


def _ticket_input(meter: Meter, kind: str, evidence: dict) -> TicketInput:
    lines = [f"{EVIDENCE_WORDS.get(k, k)}：{v}" for k, v in evidence.items()]
    description = f"户号 {meter.account.number}，表号 {meter.number}。\n" + "\n".join(lines)
    if kind in REPAIR_KINDS:
        return TicketInput(type="repair", title=f"{TITLES[kind]} {meter.number}", description=description,
                           customer_id=meter.account.customer_id, location=meter.account.address,
                           custom={"device_no": meter.number, "fault": "计量异常"})
    return TicketInput(type="audit", title=f"{TITLES[kind]} {meter.number}", description=description,
                       customer_id=meter.account.customer_id, location=meter.account.address,
                       custom={"audit_subject": f"表号 {meter.number}"})


@transaction.atomic
def raise_abnormal(*, actor: User | None, meter_id: int, kind: str, evidence: dict, ticket_id: int | None = None,
                   now: datetime | None = None) -> AbnormalCase:
    """Open a case and its ticket for an abnormal meter (409 already_open if one of that kind is open).

    With `ticket_id` the case is raised on a ticket the customer already has about the meter (from the
    ticket page) instead of a new one."""
    require_pack()
    if kind not in AbnormalKind.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="kind")
    meter = load(Meter, actor, meter_id, field="meter_id")
    meter = Meter.objects.select_related("account").get(pk=meter.pk)
    if AbnormalCase.objects.filter(meter=meter, kind=kind, is_open=True).exists():
        raise Conflict(_("This meter already has an open case of this kind."), code="already_open", field="kind")
    at = now or timezone.now()
    if ticket_id is not None:
        from kefu.tickets.services.common import load_ticket

        ticket = load_ticket(actor, ticket_id, field="ticket_id")
        if ticket.customer_id != meter.account.customer_id:
            raise ValidationFailed(_("The ticket is not about this meter's customer."), code="other_customer",
                                   field="ticket_id")
    else:
        ticket = create_ticket(actor=actor, data=_ticket_input(meter, kind, evidence), now=at)
    try:
        with transaction.atomic():
            case = AbnormalCase.objects.create(meter=meter, kind=kind, evidence=evidence, ticket=ticket,
                                               detected_at=at)
    except IntegrityError:  # a concurrent run raised the same case first
        raise Conflict(_("This meter already has an open case of this kind."), code="already_open",
                       field="kind") from None
    meter_event(meter, MeterEventCode.ABNORMAL_RAISED, actor=actor, at=at,
                params={"kind": kind, "case_id": case.pk, "ticket_id": ticket.pk})
    return case


def raise_findings(*, actor: User | None, findings: list[Finding], limit: int | None = None,
                   now: datetime | None = None) -> dict:
    """Raise each finding not already open, each in its own transaction; answers counts by outcome."""
    counts = {"raised": 0, "already_open": 0}
    open_now = set(AbnormalCase.objects.filter(is_open=True).values_list("meter_id", "kind"))
    for finding in findings:
        if limit is not None and counts["raised"] >= limit:
            break
        if (finding.meter_id, finding.kind) in open_now:
            counts["already_open"] += 1
            continue
        try:
            raise_abnormal(actor=actor, meter_id=finding.meter_id, kind=finding.kind, evidence=finding.evidence,
                           now=now)
        except Conflict:
            counts["already_open"] += 1
        else:
            counts["raised"] += 1
    return counts


def _may_close(actor: User | None, case: AbnormalCase) -> bool:
    """Office staff close any case; a fitter or inspector of the field crew the cases whose ticket they see."""
    from kefu.tickets.models import Ticket

    if actor is None:
        return True
    if actor.role == Role.FIELD_CREW:
        return Ticket.objects.visible_to(actor).filter(pk=case.ticket_id).exists()
    require_office(actor)
    return True


@transaction.atomic
def record_outcome(*, actor: User | None, case_id: int, outcome: str, note: str = "",
                   now: datetime | None = None) -> AbnormalCase:
    """Close a case with what the inspector or fitter found; the meter's history gets it too."""
    require_pack()
    if outcome not in AbnormalCase.Outcome.values:
        raise ValidationFailed(_("Choose one of the listed values."), code="invalid_choice", field="outcome")
    case = AbnormalCase.objects.select_related("meter").filter(pk=case_id).first()
    if case is None or not _may_close(actor, case):
        raise NotFound(_("Not found."), code="not_found", field="case_id")
    at = now or timezone.now()
    if not AbnormalCase.objects.filter(pk=case.pk, is_open=True).update(
            is_open=False, outcome=outcome, outcome_note=note.strip()[:500], closed_at=at, closed_by=actor):
        raise Conflict(_("This case is already closed."), code="already_closed", field="case_id")
    meter_event(case.meter, MeterEventCode.OUTCOME_RECORDED, actor=actor, at=at,
                params={"case_id": case.pk, "kind": case.kind, "outcome": outcome})
    case.refresh_from_db()
    return case
