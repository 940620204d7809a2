"""Partner cases: import (idempotent by the partner's case number), sign for (签收), finish with a result
(办结), send results back as a workbook per batch, record the partner's acknowledgement."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.channels import files
from kefu.channels.identity import find_customer
from kefu.channels.models import PartnerCase, PartnerSource, ResultBatch
from kefu.channels.partners.sheets import CaseRow, result_workbook
from kefu.core.errors import NotFound, ValidationFailed
from kefu.sla.policies import calendar_for, office_calendar
from kefu.tickets.services import TicketInput, create_ticket
from kefu.tickets.services.common import load_ticket, require_handler


@dataclass
class Imported:
    """What an import did: new cases, and the case numbers already known (a file sent twice)."""

    created: list[int]
    duplicates: list[str]


def _deadlines(source: PartnerSource, at: datetime) -> tuple[datetime, datetime]:
    """The partner's default deadlines counted on the business calendar (working hours and days)."""
    # Without a calendar of its own, the center's office calendar: partners count working days.
    calendar = calendar_for(source.calendar_id) if source.calendar_id else office_calendar()
    if calendar is None:
        return at + timedelta(hours=source.ack_hours), at + timedelta(days=source.finish_days)
    return calendar.add_minutes(at, source.ack_hours * 60), calendar.add_working_days(at, source.finish_days)


def _one(actor: User | None, source: PartnerSource, row: CaseRow, at: datetime) -> PartnerCase | None:
    if PartnerCase.objects.filter(source=source, external_id=row.external_id).exists():
        return None
    ack_due, finish_due = _deadlines(source, at)
    ticket = create_ticket(actor=actor, now=at, data=TicketInput(
        type=source.ticket_type, title=row.title or row.external_id,
        description=row.content, channel=source.kind, channel_ref=f"{source.code}:{row.external_id}"[:100],
        contact_phone=row.phone, reporter_name=row.name[:100], team_id=source.team_id,
        customer_id=find_customer(medium="phone", value=row.phone) if row.phone.isdigit() else None))
    try:
        with transaction.atomic():
            return PartnerCase.objects.create(
                source=source, external_id=row.external_id, ticket=ticket, received_at=at,
                ack_due_at=row.ack_due or ack_due, finish_due_at=row.finish_due or finish_due)
    except IntegrityError:
        raise ValidationFailed(_("This case is being imported by someone else right now."), code="duplicate",
                               field="external_id") from None


@transaction.atomic
def import_cases(*, actor: User | None, source_id: int, rows: list[CaseRow],
                 now: datetime | None = None) -> Imported:
    """Open a ticket per new case; a case number seen before is reported, not imported again. A refused row
    refuses the whole file (named by its row), so a file is either in or not."""
    require_handler(actor)
    source = PartnerSource.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        raise NotFound(_("No such partner source."), field="source_id")
    at = now or timezone.now()
    created, duplicates = [], []
    for i, row in enumerate(rows):
        try:
            case = _one(actor, source, row, at)
        except ValidationFailed as exc:
            exc.field = f"rows[{i}].{exc.field or 'title'}"
            raise
        if case is None:
            duplicates.append(row.external_id)
        else:
            created.append(case.pk)
    return Imported(created, duplicates)


def _case(actor: User | None, case_id: int) -> PartnerCase:
    require_handler(actor)
    case = PartnerCase.objects.select_related("source").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such partner case."), field="case")
    load_ticket(actor, case.ticket_id)  # what the actor may not see does not exist for them
    return case


@transaction.atomic
def acknowledge_case(*, actor: User | None, case_id: int, now: datetime | None = None) -> PartnerCase:
    """Sign for (签收) a partner case; once."""
    case = _case(actor, case_id)
    if not PartnerCase.objects.filter(pk=case.pk, acked_at__isnull=True).update(acked_at=now or timezone.now()):
        raise ValidationFailed(_("This case was signed for already."), code="already_done", field="case")
    case.refresh_from_db()
    return case


@transaction.atomic
def finish_case(*, actor: User | None, case_id: int, result: str, now: datetime | None = None) -> PartnerCase:
    """Record the result (办结) the partner will receive; signing for it is implied."""
    case = _case(actor, case_id)
    result = (result or "").strip()
    if not result:
        raise ValidationFailed(_("Write the result for the partner."), code="required", field="result")
    if len(result) > 2000:
        raise ValidationFailed(_("The result is too long."), code="too_long", field="result")
    at = now or timezone.now()
    if not PartnerCase.objects.filter(pk=case.pk, finished_at__isnull=True).update(
            finished_at=at, result=result):
        raise ValidationFailed(_("This case is finished already."), code="already_done", field="case")
    PartnerCase.objects.filter(pk=case.pk, acked_at__isnull=True).update(acked_at=at)
    case.refresh_from_db()
    return case


@transaction.atomic
def export_results(*, actor: User | None, source_id: int, now: datetime | None = None) -> ResultBatch:
    """Put every finished, not yet sent case of a source into one result workbook (a batch); mailed to the
    partner after commit when the source has an address."""
    require_handler(actor)
    source = PartnerSource.objects.filter(pk=source_id).first()
    if source is None:
        raise NotFound(_("No such partner source."), field="source_id")
    cases = list(PartnerCase.objects.filter(source=source, finished_at__isnull=False, batch__isnull=True)
                 .order_by("finished_at", "id"))
    if not cases:
        raise ValidationFailed(_("No finished case is waiting to be sent."), code="nothing_to_send",
                               field="source_id")
    at = now or timezone.now()
    data = result_workbook(cases)
    path, _digest = files.store(data)
    batch = ResultBatch.objects.create(source=source, created_at=at, created_by=actor if getattr(actor, "pk", None)
                                       else None, cases=len(cases), path=path)
    # Conditional on batch IS NULL: a case exported by a colleague a moment ago is not sent twice.
    claimed = PartnerCase.objects.filter(pk__in=[c.pk for c in cases], batch__isnull=True).update(batch=batch)
    if claimed != len(cases):
        raise ValidationFailed(_("Someone exported these results a moment ago."), code="stale_version",
                               field="source_id")
    if source.result_email:
        transaction.on_commit(lambda: _mail_results(batch.pk))
    return batch


def _mail_results(batch_id: int) -> None:
    from kefu.channels.tasks import mail_partner_results

    mail_partner_results(batch_id)


def send_batch_mail(*, batch_id: int) -> None:
    """Mail one result workbook to its partner (called by the worker)."""
    from django.core.mail import EmailMessage

    batch = ResultBatch.objects.select_related("source").get(pk=batch_id)
    with files.open_file(batch.path) as handle:
        data = handle.read()
    mail = EmailMessage(subject=f"{batch.source.name} 办结结果 第 {batch.pk} 批（{batch.cases} 件）",
                        body=f"附件为第 {batch.pk} 批办结结果，共 {batch.cases} 件。请回复确认收到。",
                        to=[batch.source.result_email])
    mail.attach(f"result-{batch.source.code}-{batch.pk}.xlsx", data,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    mail.send()


@transaction.atomic
def record_acknowledgement(*, actor: User | None, batch_id: int, reference: str,
                           now: datetime | None = None) -> ResultBatch:
    """Record that the partner confirmed receipt of a batch (their receipt number or a note)."""
    require_handler(actor)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed(_("Give the partner's receipt number or a note."), code="required", field="reference")
    if not ResultBatch.objects.filter(pk=batch_id, acknowledged_at__isnull=True).update(
            acknowledged_at=now or timezone.now(), acknowledgement=reference[:200]):
        if not ResultBatch.objects.filter(pk=batch_id).exists():
            raise NotFound(_("No such batch."), field="batch")
        raise ValidationFailed(_("This batch was acknowledged already."), code="already_done", field="batch")
    return ResultBatch.objects.get(pk=batch_id)


def overdue_cases(user, *, now: datetime | None = None, limit: int = 200) -> list[PartnerCase]:
    """Cases past the partner's sign-for or finish deadline, most overdue first, that the user may see."""
    from django.db.models import Q

    from kefu.tickets.models import Ticket

    at = now or timezone.now()
    visible = Ticket.objects.visible_to(user).values("pk")
    late = Q(acked_at__isnull=True, ack_due_at__lt=at) | Q(finished_at__isnull=True, finish_due_at__lt=at)
    return list(PartnerCase.objects.filter(late, ticket_id__in=visible).select_related("source", "ticket")
                .order_by("finish_due_at", "id")[:limit])
