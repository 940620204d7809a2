"""Retention schedules for personal data (PIPL art. 19, MLPS): after a configured time the person is removed
from records whose purpose is fulfilled, and the records themselves stay for the statistics.

- Closed tickets (KEFU_RETAIN_TICKET_DAYS after closing): contact phone, reporter, location, description and
  message texts; the mail/IM copies of their messages (sender, subject, body, attachments) and replies sent.
- Call recordings (KEFU_RETAIN_RECORDING_DAYS after the call): the reference to the switch's recording, so the
  recording can no longer be found from kefu (the switch deletes its own files on its own schedule).
- Chat transcripts (KEFU_RETAIN_CHAT_DAYS after the chat ended): message texts and pictures, the visitor's
  name, phone and e-mail, the rating comment.

0 days keeps that kind for ever. Counts, types, teams, times, SLA figures and ratings stay. The worker applies
the schedules every night (kefu.ops.tasks); `kefu retention show|apply` does it by hand. Each run that removed
something writes one audit entry with the counts and cut-off dates, never the data. Work is done in batches,
each in its own transaction, so a large first run does not hold locks for long; a run is idempotent.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kefu.audit.models import AuditAction
from kefu.audit.services import record

REMOVED = "[已删除]"
BATCH = 500


@dataclass
class Schedule:
    kind: str
    days: int

    def cutoff(self, now: datetime) -> datetime | None:
        return now - timedelta(days=self.days) if self.days else None


def schedules() -> list[Schedule]:
    return [Schedule("tickets", settings.KEFU_RETAIN_TICKET_DAYS),
            Schedule("recordings", settings.KEFU_RETAIN_RECORDING_DAYS),
            Schedule("chats", settings.KEFU_RETAIN_CHAT_DAYS)]


@dataclass
class RetentionResult:
    cutoffs: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    @property
    def removed_anything(self) -> bool:
        return any(self.counts.values())


def _ticket_ids_due(cutoff: datetime, limit: int) -> list[int]:
    from kefu.tickets.models import Ticket

    still_personal = (~Q(contact_phone="") | ~Q(reporter_name="") | ~Q(location="") | ~Q(description=REMOVED))
    return list(Ticket.objects.filter(closed_at__lt=cutoff).filter(still_personal)
                .order_by("pk").values_list("pk", flat=True)[:limit])


def clear_tickets(ids: list[int], now: datetime, *, marker: str = REMOVED) -> dict:
    """Remove the person from these tickets, their messages and their mail/IM copies (statistics stay)."""
    from kefu.channels.models import Attachment, InboundMessage, OutboundMessage
    from kefu.search.models import Kind
    from kefu.search.pending import mark_many
    from kefu.tickets.models import Ticket, TicketMessage

    counts = {
        "tickets": Ticket.objects.filter(pk__in=ids).update(contact_phone="", reporter_name="", location="",
                                                           description=marker),
        "ticket_messages": TicketMessage.objects.filter(ticket_id__in=ids).exclude(body=marker).update(
            body=marker),
        "mails": InboundMessage.objects.filter(ticket_id__in=ids).exclude(html="", sender="").update(
            sender="", sender_name="", subject="", html=""),
        "attachments": _delete_attachments(Attachment.objects.filter(ticket_id__in=ids)),
        "replies_sent": OutboundMessage.objects.filter(ticket_id__in=ids).exclude(body=marker).update(
            recipient="", subject="", body=marker),
    }
    mark_many(Kind.TICKET, ids, now=now)  # the search index holds the old texts: rewritten by the worker
    return counts


def _delete_attachments(rows) -> int:
    """Delete attachment rows, and after the commit their files that no other attachment still uses (the
    store is content-addressed: two mails with the same file share it)."""
    from kefu.channels import files
    from kefu.channels.models import Attachment

    paths = set(rows.exclude(path="").values_list("path", flat=True))
    removed = rows.delete()[0]

    def unlink():
        still_used = set(Attachment.objects.filter(path__in=paths).values_list("path", flat=True))
        for rel in paths - still_used:
            target = (files.root() / rel).resolve()
            if files.root().resolve() in target.parents:
                target.unlink(missing_ok=True)

    if paths:
        transaction.on_commit(unlink)
    return removed


def _clear_recordings(cutoff: datetime) -> int:
    from kefu.cti.models import Call

    done = 0
    while True:
        with transaction.atomic():
            ids = list(Call.objects.filter(rang_at__lt=cutoff).exclude(recording="")
                       .order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                return done
            done += Call.objects.filter(pk__in=ids).update(recording="")


def clear_chats(ids: list[int], *, marker: str = REMOVED) -> dict:
    """Remove the visitor and the transcript from these chats (times, team, agent and rating stay)."""
    from kefu.chat.models import ChatMessage, Conversation

    return {"chat_messages": ChatMessage.objects.filter(conversation_id__in=ids).exclude(body=marker, image=None)
            .update(body=marker, image=None, image_type=""),
            "chats": Conversation.objects.filter(pk__in=ids).update(
                visitor_name="", visitor_phone="", visitor_email="", rating_comment="", first_question="")}


def _clear_chats(cutoff: datetime) -> dict:
    from kefu.chat.models import Conversation

    counts = {"chats": 0, "chat_messages": 0}
    personal = (~Q(visitor_name="") | ~Q(visitor_phone="") | ~Q(visitor_email="") | ~Q(rating_comment="")
                | ~Q(first_question=""))
    while True:
        with transaction.atomic():
            ids = list(Conversation.objects.filter(ended_at__lt=cutoff).filter(personal)
                       .order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                return counts
            for key, count in clear_chats(ids).items():
                counts[key] += count


def due(now: datetime | None = None) -> dict:
    """How many records each schedule would change now (for `kefu retention show`)."""
    from kefu.chat.models import Conversation
    from kefu.cti.models import Call
    from kefu.tickets.models import Ticket

    now = now or timezone.now()
    out = {}
    for schedule in schedules():
        cutoff = schedule.cutoff(now)
        if cutoff is None:
            out[schedule.kind] = {"days": 0, "due": 0}
            continue
        if schedule.kind == "tickets":
            count = Ticket.objects.filter(pk__in=_ticket_ids_due(cutoff, 10**9)).count()
        elif schedule.kind == "recordings":
            count = Call.objects.filter(rang_at__lt=cutoff).exclude(recording="").count()
        else:
            count = Conversation.objects.filter(ended_at__lt=cutoff).exclude(
                visitor_name="", visitor_phone="", visitor_email="", rating_comment="", first_question="").count()
        out[schedule.kind] = {"days": schedule.days, "cutoff": cutoff.isoformat(), "due": count}
    return out


def apply_schedules(*, actor=None, now: datetime | None = None) -> RetentionResult:
    """Remove the personal data past every schedule; one audit entry when anything was removed."""
    now = now or timezone.now()
    result = RetentionResult()
    for schedule in schedules():
        cutoff = schedule.cutoff(now)
        if cutoff is None:
            continue
        result.cutoffs[schedule.kind] = cutoff.isoformat()
        if schedule.kind == "tickets":
            while True:
                with transaction.atomic():
                    ids = _ticket_ids_due(cutoff, BATCH)
                    if not ids:
                        break
                    for key, count in clear_tickets(ids, now).items():
                        result.counts[key] = result.counts.get(key, 0) + count
        elif schedule.kind == "recordings":
            result.counts["recordings"] = _clear_recordings(cutoff)
        else:
            for key, count in _clear_chats(cutoff).items():
                result.counts[key] = result.counts.get(key, 0) + count
    if result.removed_anything:
        record(actor=actor, action=AuditAction.RETENTION_APPLIED, target_type="retention", target_id="*",
               params={"counts": result.counts, "cutoffs": result.cutoffs}, now=now)
    return result
