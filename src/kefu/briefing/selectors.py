"""Reading briefings: by day, the latest one, its items, and who has (not yet) read it."""

from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.accounts.roles import Role
from kefu.api.schemas import user_ref
from kefu.briefing.models import Briefing, BriefingItem, BriefingRead, BriefingStatus
from kefu.briefing.services import load_briefing
from kefu.core.errors import Forbidden
from kefu.knowledge.access import can_manage_knowledge

# Who is expected to read the briefing before a shift: the people on the phones.
READERS = (Role.AGENT, Role.COMPLAINT_HANDLER, Role.INFO_DESK, Role.TEAM_LEAD)


def _with_items(qs):
    return qs.prefetch_related(Prefetch("items", queryset=BriefingItem.objects.select_related("memo")
                                        .order_by("kind", "position", "id")))


def list_briefings(user, *, limit: int = 30) -> list[Briefing]:
    return list(Briefing.objects.visible_to(user).select_related("prepared_by").order_by("-day")[:limit])


def briefing_detail(user, briefing_id: int) -> Briefing:
    load_briefing(user, briefing_id)
    return _with_items(Briefing.objects.select_related("prepared_by")).get(pk=briefing_id)


def latest_published(user, *, on_or_before: date | None = None) -> Briefing | None:
    qs = Briefing.objects.visible_to(user).filter(status=BriefingStatus.PUBLISHED)
    if on_or_before:
        qs = qs.filter(day__lte=on_or_before)
    return _with_items(qs.select_related("prepared_by")).order_by("-day").first()


def has_read(user, briefing: Briefing) -> bool:
    return BriefingRead.objects.filter(briefing=briefing, user_id=user.pk).exists()


def expected_readers(user) -> list[User]:
    """A team lead follows their own team; the information desk and management the whole center."""
    qs = User.objects.filter(is_active=True, role__in=READERS).select_related("team")
    if user.role == Role.TEAM_LEAD and user.team_id:
        qs = qs.filter(team_id=user.team_id)
    return list(qs.order_by("agent_no", "username"))


def read_status(user, briefing_id: int) -> dict:
    """Who read the briefing (and when) and who has not yet, among the readers this user follows."""
    if not can_manage_knowledge(user):
        raise Forbidden(_("Only team leads and the information desk can see who read the briefing."),
                        code="cannot_manage_knowledge")
    briefing = load_briefing(user, briefing_id)
    receipts = {r.user_id: r.read_at for r in BriefingRead.objects.filter(briefing=briefing)}
    readers = expected_readers(user)
    read = [(u, receipts[u.pk]) for u in readers if u.pk in receipts]
    unread = [u for u in readers if u.pk not in receipts]
    return {"briefing": briefing, "read": read, "unread": unread, "expected": len(readers)}


def briefing_out(briefing: Briefing, *, read: bool | None = None) -> dict:
    return {
        "id": briefing.pk, "day": briefing.day, "title": briefing.title, "notes": briefing.notes,
        "status": briefing.status, "prepared_by": user_ref(briefing.prepared_by),
        "published_at": briefing.published_at, "version": briefing.version, "read": read,
        "items": [{"id": i.pk, "kind": i.kind, "kind_label": str(i.get_kind_display()), "text": i.text,
                   "count": i.count, "memo_id": i.memo_id, "memo_status": i.memo.status if i.memo_id else None}
                  for i in briefing.items.all()] if hasattr(briefing, "_prefetched_objects_cache") else [],
    }

