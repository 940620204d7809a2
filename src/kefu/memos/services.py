"""Every change to memos: ask, take, forward, answer (with a notice to the agent), close, carry over."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Department, User
from kefu.accounts.roles import Role
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.knowledge.access import can_manage_knowledge, require_knowledge_manager
from kefu.memos.events import memo_answered_event, memo_asked_event
from kefu.memos.models import OPEN_STATUSES, Memo, MemoStatus
from kefu.notify.services import queue_notification
from kefu.tickets.services.common import load_ticket

MAX_TEXT = 4000
MEMO_ANSWERED_KIND = "memo_answered"
MEMO_FORWARDED_KIND = "memo_forwarded"
MAX_FORWARD_NOTICES = 50


def _clean_text(text: str, *, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("This field is required."), code="required", field=field)
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("At most 4000 characters."), code="too_long", field=field)
    return text


def load_memo(actor: User | None, memo_id: int) -> Memo:
    """The memo as the actor may see it; an invisible one is reported exactly like a missing one."""
    qs = Memo.objects.select_related("ticket", "asked_by", "owner", "forwarded_to")
    if actor is not None:
        qs = qs.visible_to(actor)
    memo = qs.filter(pk=memo_id).first()
    if memo is None:
        raise NotFound(_("No such memo."), field="memo_id")
    return memo


def _save(memo: Memo, version: int | None, changes: dict) -> None:
    """Conditional UPDATE on the version (when given), else on the memo still being open."""
    qs = Memo.objects.filter(pk=memo.pk)
    qs = qs.filter(version=version) if version is not None else qs.filter(status=memo.status)
    if not qs.update(version=F("version") + 1, **changes):
        current = Memo.objects.filter(pk=memo.pk).values_list("version", flat=True).first()
        raise Conflict(_("Someone else changed this memo since you opened it. Reload and try again."),
                       field="version", params={"current_version": current, "your_version": version})
    for key, value in changes.items():
        setattr(memo, key, value)
    memo.version = (version if version is not None else memo.version) + 1


def may_answer(actor: User | None, memo: Memo) -> bool:
    if actor is None or can_manage_knowledge(actor):
        return True
    return bool(memo.forwarded_to_id and actor.team_id and actor.team.department_id == memo.forwarded_to_id)


@transaction.atomic
def ask_memo(*, actor: User, question: str, ticket_id: int | None = None, now: datetime | None = None) -> Memo:
    """An agent asks the information desk; the ticket's history shows it."""
    if actor is None or not actor.is_active:
        raise Forbidden(_("Only a signed-in user can ask the information desk."), code="forbidden")
    question = _clean_text(question, field="question")
    ticket = load_ticket(actor, ticket_id, field="ticket_id") if ticket_id else None
    at = now or timezone.now()
    memo = Memo.objects.create(ticket=ticket, question=question, asked_by=actor, asked_at=at)
    if ticket is not None:
        memo_asked_event(ticket=ticket, memo=memo, actor=actor, at=at)
    return memo


@transaction.atomic
def take_memo(*, actor: User | None, memo_id: int, now: datetime | None = None) -> Memo:
    """A desk member takes an open memo as its owner; two members clicking at once: one wins, one gets 409."""
    require_knowledge_manager(actor)
    memo = load_memo(actor, memo_id)
    if not memo.is_open:
        raise ValidationFailed(_("This memo is already answered."), code="not_open", field="status")
    owner = actor if getattr(actor, "pk", None) else None
    # Claimed with a conditional UPDATE on "no owner yet", so the race has exactly one winner.
    if not Memo.objects.filter(pk=memo.pk, owner__isnull=True).update(owner=owner, version=F("version") + 1):
        if memo.owner_id == getattr(owner, "pk", None):
            return memo
        raise Conflict(_("Someone else has taken this memo."), code="already_taken", field="owner",
                       params={"owner": memo.owner_id})
    memo.refresh_from_db()
    return memo


@transaction.atomic
def forward_memo(*, actor: User | None, memo_id: int, version: int, department_id: int, note: str = "",
                 now: datetime | None = None) -> Memo:
    """The desk sends the question on to another department (工程部, 维修队 …), which may then answer it."""
    require_knowledge_manager(actor)
    memo = load_memo(actor, memo_id)
    if not memo.is_open:
        raise ValidationFailed(_("This memo is already answered."), code="not_open", field="status")
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise ValidationFailed(_("No such department."), code="unknown_department", field="department_id")
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise ValidationFailed(_("The note is too long."), code="too_long", field="note")
    _save(memo, version, {"status": MemoStatus.FORWARDED, "forwarded_to": department, "forward_note": note,
                          "owner": memo.owner or (actor if getattr(actor, "pk", None) else None)})
    # The department hears of it in the app: its team leads, or every member when it has no lead.
    members = User.objects.filter(is_active=True, team__department=department)
    leads = members.filter(role=Role.TEAM_LEAD)
    for member in (leads if leads.exists() else members)[:MAX_FORWARD_NOTICES]:
        queue_notification(recipient=member, channel="in_app", kind=MEMO_FORWARDED_KIND,
                           subject=gettext("A memo was forwarded to %(department)s") % {"department": department.name},
                           body=memo.question[:1000], ticket=memo.ticket, params={"memo": memo.pk}, now=now)
    return memo


@transaction.atomic
def answer_memo(*, actor: User | None, memo_id: int, version: int, answer: str, now: datetime | None = None) -> Memo:
    """Answer the question; the agent who asked gets an in-app notice and replies to the customer."""
    memo = load_memo(actor, memo_id)
    if not may_answer(actor, memo):
        raise Forbidden(_("Only the information desk or the department it was forwarded to can answer."),
                        code="cannot_answer")
    if not memo.is_open:
        raise ValidationFailed(_("This memo is already answered."), code="not_open", field="status")
    answer = _clean_text(answer, field="answer")
    at = now or timezone.now()
    by = actor if getattr(actor, "pk", None) else None
    _save(memo, version, {"status": MemoStatus.ANSWERED, "answer": answer, "answered_by": by, "answered_at": at,
                          "owner": memo.owner or by})
    if memo.ticket_id:
        memo_answered_event(ticket=memo.ticket, memo=memo, actor=actor, at=at)
    # An in-app notice is a row in the same transaction: it exists exactly when the answer does.
    subject = gettext("Your memo has been answered")
    if memo.ticket_id:
        subject = gettext("Your memo on %(number)s has been answered") % {"number": memo.ticket.number}
    queue_notification(recipient=memo.asked_by, channel="in_app", kind=MEMO_ANSWERED_KIND, subject=subject,
                       body=answer[:1000], ticket=memo.ticket, params={"memo": memo.pk}, now=at)
    return memo


@transaction.atomic
def close_memo(*, actor: User | None, memo_id: int, now: datetime | None = None) -> Memo:
    """The agent has passed the answer on to the customer; the memo is done."""
    memo = load_memo(actor, memo_id)
    if actor is not None and memo.asked_by_id != actor.pk and not can_manage_knowledge(actor):
        raise Forbidden(_("Only the agent who asked can close this memo."), code="not_asker")
    if memo.status != MemoStatus.ANSWERED:
        raise ValidationFailed(_("Only an answered memo can be closed."), code="not_answered", field="status")
    _save(memo, None, {"status": MemoStatus.CLOSED, "closed_at": now or timezone.now()})
    return memo


def next_briefing_date(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now()) + timedelta(days=1)


@transaction.atomic
def carry_over_unanswered(*, now: datetime | None = None) -> int:
    """End of day: every memo still unanswered goes to the next day's briefing as an open question.

    Idempotent (a memo already set for that day or a later one is left alone); returns how many moved."""
    target = next_briefing_date(now)
    moved = Memo.objects.filter(status__in=OPEN_STATUSES).exclude(briefing_date__gte=target) \
        .update(briefing_date=target)
    return moved
