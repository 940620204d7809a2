"""Every change to daily briefings: prepare from yesterday's data, edit items, publish, record reading."""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.briefing import sources
from kefu.briefing.models import Briefing, BriefingItem, BriefingRead, BriefingStatus, ItemKind
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.knowledge.access import is_staff_user, require_knowledge_manager
from kefu.memos.models import OPEN_STATUSES, Memo
from kefu.tickets.models import Ticket

HOT_ISSUES = 5


def load_briefing(actor: User | None, briefing_id: int) -> Briefing:
    qs = Briefing.objects.select_related("prepared_by")
    if actor is not None:
        qs = qs.visible_to(actor)
    briefing = qs.filter(pk=briefing_id).first()
    if briefing is None:
        raise NotFound(_("No such briefing."), field="briefing_id")
    return briefing


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def hot_issues(day: date, limit: int = HOT_ISSUES) -> list[tuple[str, int]]:
    """The most frequent ticket types and repeated subjects of `day` (local), most frequent first."""
    start, end = _day_bounds(day)
    tickets = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    by_type = tickets.values("ticket_type__name").annotate(n=Count("id")).order_by("-n", "ticket_type__name")[:limit]
    by_title = tickets.values("title").annotate(n=Count("id")).filter(n__gte=2).order_by("-n", "title")[:limit]
    items = [(gettext("%(type)s tickets") % {"type": row["ticket_type__name"]}, row["n"]) for row in by_type]
    items += [(row["title"], row["n"]) for row in by_title]
    return sorted(items, key=lambda i: -i[1])[: limit * 2]


def _open_memos(day: date) -> list[Memo]:
    start, _end = _day_bounds(day)
    return list(Memo.objects.filter(status__in=OPEN_STATUSES, asked_at__lt=start).order_by("asked_at", "id")[:50])


@transaction.atomic
def prepare_briefing(*, actor: User | None, day: date, title: str = "", notes: str = "",
                     now: datetime | None = None) -> Briefing:
    """A draft briefing for `day`, filled with the previous day's hot issues and the memos still open."""
    require_knowledge_manager(actor)
    if Briefing.objects.filter(day=day).exists():
        raise ValidationFailed(_("There is already a briefing for this day."), code="duplicate", field="day")
    title = " ".join((title or "").split()) or gettext("Briefing of %(day)s") % {"day": day.isoformat()}
    if len(title) > 200:
        raise ValidationFailed(_("The title is too long."), code="too_long", field="title")
    at = now or timezone.now()
    try:
        with transaction.atomic():
            briefing = Briefing.objects.create(day=day, title=title, notes=(notes or "").strip(), created_at=at,
                                               prepared_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:  # two desk members preparing the same day at once
        raise ValidationFailed(_("There is already a briefing for this day."), code="duplicate",
                               field="day") from None
    items = [BriefingItem(briefing=briefing, kind=ItemKind.HOT_ISSUE, text=text, count=n, position=i)
             for i, (text, n) in enumerate(hot_issues(day - timedelta(days=1)))]
    items += [BriefingItem(briefing=briefing, kind=ItemKind.OPEN_QUESTION, text=memo.question[:1000], memo=memo,
                           position=i) for i, memo in enumerate(_open_memos(day))]
    items += [BriefingItem(briefing=briefing, kind=kind, text=text[:2000], count=count, position=100 + i)
              for i, (kind, text, count) in enumerate(sources.items_for(day)) if kind in ItemKind.values]
    BriefingItem.objects.bulk_create(items)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="briefing", target_id=briefing.pk,
           params={"op": "prepared", "items": len(items)})
    return briefing


def _bump(briefing: Briefing, version: int | None) -> None:
    qs = Briefing.objects.filter(pk=briefing.pk)
    if version is not None:
        qs = qs.filter(version=version)
    if not qs.update(version=F("version") + 1):
        raise Conflict(_("Someone else changed this briefing since you opened it. Reload and try again."),
                       field="version", params={"current_version": briefing.version, "your_version": version})
    briefing.version = (version if version is not None else briefing.version) + 1


@transaction.atomic
def add_item(*, actor: User | None, briefing_id: int, kind: str, text: str) -> BriefingItem:
    """Add a point (a temporary process change, a defect, a hot issue, a question) to a briefing."""
    require_knowledge_manager(actor)
    briefing = load_briefing(actor, briefing_id)
    if kind not in ItemKind.values:
        raise ValidationFailed(_("Unknown kind."), code="invalid_choice", field="kind")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("This field is required."), code="required", field="text")
    if len(text) > 2000:
        raise ValidationFailed(_("At most 2000 characters."), code="too_long", field="text")
    last = briefing.items.filter(kind=kind).order_by("-position").values_list("position", flat=True).first()
    _bump(briefing, None)
    return BriefingItem.objects.create(briefing=briefing, kind=kind, text=text,
                                       position=0 if last is None else last + 1)


@transaction.atomic
def remove_item(*, actor: User | None, item_id: int) -> None:
    require_knowledge_manager(actor)
    item = BriefingItem.objects.filter(pk=item_id, briefing__in=Briefing.objects.visible_to(actor)
                                       if actor is not None else Briefing.objects.all()).first()
    if item is None:
        raise NotFound(_("No such item."), field="item_id")
    _bump(item.briefing, None)
    item.delete()


@transaction.atomic
def publish_briefing(*, actor: User | None, briefing_id: int, version: int, now: datetime | None = None) -> Briefing:
    """Make the briefing readable by every agent; from now on reads are recorded."""
    require_knowledge_manager(actor)
    briefing = load_briefing(actor, briefing_id)
    if briefing.status == BriefingStatus.PUBLISHED:
        raise ValidationFailed(_("This briefing is already published."), code="already_published", field="status")
    _bump(briefing, version)
    at = now or timezone.now()
    Briefing.objects.filter(pk=briefing.pk).update(status=BriefingStatus.PUBLISHED, published_at=at)
    briefing.status, briefing.published_at = BriefingStatus.PUBLISHED, at
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="briefing", target_id=briefing.pk,
           params={"op": "published"})
    return briefing


@transaction.atomic
def mark_read(*, actor: User, briefing_id: int, now: datetime | None = None) -> BriefingRead:
    """Record that the actor read a published briefing; the first reading time is kept."""
    if not is_staff_user(actor):
        raise NotFound(_("No such briefing."), field="briefing_id")
    briefing = load_briefing(actor, briefing_id)
    if briefing.status != BriefingStatus.PUBLISHED:
        raise ValidationFailed(_("This briefing is not published yet."), code="not_published", field="status")
    # get_or_create under the unique constraint: two tabs at once still leave one receipt.
    try:
        with transaction.atomic():
            receipt, _created = BriefingRead.objects.get_or_create(briefing=briefing, user=actor,
                                                                   defaults={"read_at": now or timezone.now()})
    except IntegrityError:
        receipt = BriefingRead.objects.get(briefing=briefing, user=actor)
    return receipt
