"""Report writes: recomputing the facts from events (`rebuild_facts`) and auditing exports (`record_export`)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Forbidden
from kefu.reports.access import can_export_reports
from kefu.reports.facts import CODES, MemoryStore, apply_event, clear_tickets
from kefu.reports.models import CallbackAttempt, CallbackCase, SurveyAnswer
from kefu.reports.validation import ReportFilters
from kefu.tickets.models import Ticket, TicketEvent


@transaction.atomic(durable=True)
def record_export(*, actor, group: str, filters: ReportFilters) -> None:
    """Authorise a CSV export of the report and write its audit entry (every export is audited)."""
    if not can_export_reports(actor):
        raise Forbidden(_("Only team leads, QA and management can export the reports."),
                        code="cannot_export_reports")
    record(actor=actor, action=AuditAction.EXPORT, target_type="callback_report", target_id=group,
           params={"group": group, "start": filters.start.isoformat(), "end": filters.end.isoformat(),
                   "team": filters.team_id, "type": filters.type_code or None})


@dataclass
class RebuildResult:
    tickets: int = 0
    events: int = 0
    cases: int = 0
    attempts: int = 0
    answers: int = 0


def local_midnight(day: date) -> datetime:
    """00:00 of `day` in the center's time zone, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def rebuild_facts(*, actor=None, since: date | None = None, batch: int = 200,
                  progress: Callable[[int, int, int], None] | None = None) -> RebuildResult:
    """Recompute the facts from ticket events, `batch` tickets per transaction; running it twice changes nothing.

    With `since`, only tickets with a callback or survey event on or after that local date are recomputed —
    from all their events, because a case that started earlier may have ended since. The actor is unused:
    the facts are derived data that anyone could recompute, and only the machine's operator runs this."""
    events = TicketEvent.objects.filter(code__in=CODES)
    if since is not None:
        events = events.filter(created_at__gte=local_midnight(since))
    ticket_ids = list(events.order_by("ticket_id").values_list("ticket_id", flat=True).distinct())
    if since is None:  # facts of tickets that no longer have any such event (none should exist) go too
        with transaction.atomic():
            # A subquery, not the list of ids: SQLite limits the number of parameters of one statement.
            having = TicketEvent.objects.filter(code__in=CODES).values("ticket_id")
            for model in (SurveyAnswer, CallbackAttempt, CallbackCase):
                model.objects.exclude(ticket_id__in=having).delete()
    result = RebuildResult(tickets=len(ticket_ids))
    for start in range(0, len(ticket_ids), max(1, batch)):
        chunk = ticket_ids[start:start + max(1, batch)]
        result.events += _rebuild_batch(chunk)
        if progress:
            progress(start + len(chunk), len(ticket_ids), result.events)
    result.cases = CallbackCase.objects.count()
    result.attempts = CallbackAttempt.objects.count()
    result.answers = SurveyAnswer.objects.count()
    return result


@transaction.atomic
def _rebuild_batch(ticket_ids: list[int]) -> int:
    """Clear and replay the facts of some tickets in one transaction; readers never see them half built."""
    # Lock the tickets like every ticket change does (a conditional UPDATE of the row), so an event emitted
    # meanwhile waits for this batch instead of adding its fact to rows that are being replaced.
    list(Ticket.objects.select_for_update().filter(pk__in=ticket_ids).values_list("pk", flat=True))
    clear_tickets(ticket_ids)
    store, count = MemoryStore(), 0
    # In the order they were written (id), which is the order the listener heard them in.
    for event in (TicketEvent.objects.filter(ticket_id__in=ticket_ids, code__in=CODES)
                  .only("id", "ticket_id", "code", "params", "actor_id", "created_at").order_by("id")
                  .iterator(chunk_size=2000)):
        apply_event(event, store)
        count += 1
    store.flush()
    return count
