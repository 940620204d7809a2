"""What the quality services share: the typed history, listeners, months in the center's time zone, loaders."""

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import NotFound, ValidationFailed
from kefu.quality.models import Contact, Evaluation, QualityEvent, QualityEventCode

_listeners: list[Callable] = []


def listen(fn: Callable) -> None:
    """Call `fn(event)` after every quality event, inside its transaction (training assigns courses this way)."""
    if fn not in _listeners:
        _listeners.append(fn)


def emit(contact: Contact, code: QualityEventCode, *, actor, at: datetime, evaluation: Evaluation | None = None,
         params: dict | None = None) -> QualityEvent:
    """Record one quality event (codes and ids only) and tell the listeners."""
    event = QualityEvent.objects.create(contact=contact, evaluation=evaluation, code=code, params=params or {},
                                        actor=actor if getattr(actor, "pk", None) else None, created_at=at)
    for listener in _listeners:
        listener(event)
    return event


def local_month(at: datetime) -> date:
    """The first day of the month `at` falls in, in the center's time zone."""
    return at.astimezone(ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of a month, in the center's time zone."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = month.replace(day=1)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz)


def clean_month(value) -> date:
    """A month given as a date or 'YYYY-MM'; refused naming the field `month`."""
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        return date.fromisoformat(f"{str(value).strip()[:7]}-01")
    except ValueError:
        raise ValidationFailed(_("Enter a month as YYYY-MM."), code="invalid", field="month") from None


def load_contact(actor, contact_id: int) -> Contact:
    qs = Contact.objects.select_related("agent", "team")
    if actor is not None:
        qs = qs.visible_to(actor)
    contact = qs.filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("No such contact."), field="contact_id")
    return contact


def load_evaluation(actor, evaluation_id: int) -> Evaluation:
    qs = Evaluation.objects.select_related("contact", "card", "agent", "inspector")
    if actor is not None:
        qs = qs.visible_to(actor)
    evaluation = qs.filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotFound(_("No such evaluation."), field="evaluation_id")
    return evaluation


def local_midnight(day: date) -> datetime:
    """The first instant of a local date in the center's time zone."""
    return datetime.combine(day, time.min, ZoneInfo(settings.TIME_ZONE))
