"""Reading the audit log: only the auditor (三员分立), filtered by period, action, actor and target."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.audit.models import AuditAction, AuditEntry
from kefu.core.errors import Forbidden, ValidationFailed

PAGE_SIZE = 50


def require_auditor(user) -> None:
    """Only the auditor reads the audit log; every other role gets 403."""
    if user is not None and not user.can_read_audit():
        raise Forbidden(_("Only the auditor reads the audit log."), code="not_auditor")


@dataclass
class AuditFilters:
    """What the auditor asked for; every field optional."""

    start: date | None = None
    end: date | None = None
    action: str = ""
    actor_id: int | None = None
    target_type: str = ""
    target_id: str = ""


def clean_filters(*, start: str = "", end: str = "", action: str = "", actor: str = "", target_type: str = "",
                  target_id: str = "") -> AuditFilters:
    """Parse the filters of the page and the API, naming each bad field."""
    days = {}
    for name, value in (("start", start), ("end", end)):
        try:
            days[name] = date.fromisoformat(value) if value else None
        except ValueError:
            raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), code="invalid", field=name) from None
        if days[name] and not 1900 <= days[name].year <= 2999:
            raise ValidationFailed(_("Enter a date between 1900 and 2999."), code="out_of_range", field=name)
    if action and action not in AuditAction.values:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="action")
    if actor and not actor.isdigit():
        raise ValidationFailed(_("This value is invalid."), code="invalid", field="actor")
    return AuditFilters(start=days["start"], end=days["end"], action=action,
                        actor_id=int(actor) if actor else None, target_type=target_type[:40], target_id=target_id[:40])


def entries(*, filters: AuditFilters | None = None, start: date | None = None, end: date | None = None):
    """Entries matching the filters, newest first, with their actors."""
    filters = filters or AuditFilters(start=start, end=end)
    qs = AuditEntry.objects.select_related("actor").order_by("-seq", "-id")
    zone = timezone.get_current_timezone()
    if filters.start:
        qs = qs.filter(at__gte=datetime.combine(filters.start, time.min, tzinfo=zone))
    if filters.end:
        qs = qs.filter(at__lt=datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=zone))
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.actor_id:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type)
    if filters.target_id:
        qs = qs.filter(target_id=filters.target_id)
    return qs


def entry_out(entry: AuditEntry) -> dict:
    """One entry for the page, the API and the CSV export."""
    return {"seq": entry.seq, "at": entry.at, "actor_id": entry.actor_id,
            "actor": entry.actor.label if entry.actor else "", "action": entry.action,
            "target_type": entry.target_type, "target_id": entry.target_id, "params": entry.params,
            "hash": entry.hash}
