"""Reading memos: the information desk's inbox, an agent's own memos, the open questions for a briefing."""

from datetime import date

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from kefu.api.schemas import user_ref
from kefu.memos.models import OPEN_STATUSES, Memo, MemoStatus

MAX_PAGE_SIZE = 100


def _base(user):
    return Memo.objects.visible_to(user).select_related("ticket", "asked_by", "owner", "answered_by",
                                                         "forwarded_to")


def inbox(user, *, status: str = "open", page: int = 1, page_size: int = 50) -> tuple[int, list[Memo]]:
    """The desk's inbox: open (and forwarded) memos oldest first; status=answered|closed|all for the rest."""
    qs = _base(user)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES).order_by("asked_at", "id")
    elif status in MemoStatus.values:
        qs = qs.filter(status=status).order_by("-asked_at", "-id")
    else:
        qs = qs.order_by(Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1),
                              output_field=IntegerField()), "-asked_at", "-id")
    size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    offset = (max(1, int(page)) - 1) * size
    return qs.count(), list(qs[offset:offset + size])


def my_memos(user, *, limit: int = 100) -> list[Memo]:
    """What the agent asked: answered (to pass on) first, then open, then closed."""
    order = Case(When(status=MemoStatus.ANSWERED, then=Value(0)), When(status__in=OPEN_STATUSES, then=Value(1)),
                 default=Value(2), output_field=IntegerField())
    return list(_base(user).filter(asked_by_id=user.pk).order_by(order, "-asked_at", "-id")[:limit])


def memos_for_ticket(user, ticket_id: int) -> list[Memo]:
    return list(_base(user).filter(ticket_id=ticket_id).order_by("asked_at", "id"))


def open_questions(user, day: date) -> list[Memo]:
    """Memos still unanswered that were carried to `day`'s briefing (or earlier ones still open)."""
    return list(_base(user).filter(status__in=OPEN_STATUSES, briefing_date__isnull=False,
                                   briefing_date__lte=day).order_by("asked_at", "id"))


def memo_out(memo: Memo, now=None) -> dict:
    now = now or timezone.now()
    return {
        "id": memo.pk, "question": memo.question, "status": memo.status,
        "status_label": str(memo.get_status_display()),
        "ticket": {"id": memo.ticket_id, "number": memo.ticket.number, "title": memo.ticket.title}
        if memo.ticket_id else None,
        "asked_by": user_ref(memo.asked_by), "asked_at": memo.asked_at,
        "age_minutes": int(memo.age(now).total_seconds() // 60),
        "owner": user_ref(memo.owner),
        "forwarded_to": {"id": memo.forwarded_to_id, "name": memo.forwarded_to.name} if memo.forwarded_to_id else None,
        "forward_note": memo.forward_note, "answer": memo.answer, "answered_by": user_ref(memo.answered_by),
        "answered_at": memo.answered_at, "closed_at": memo.closed_at, "briefing_date": memo.briefing_date,
        "version": memo.version,
    }
