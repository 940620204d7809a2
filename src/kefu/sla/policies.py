"""Active SLA policies and their calendars, cached per process (kefu.core.configcache), and the rule that
picks a ticket's policy."""

from dataclasses import dataclass

from kefu.core.configcache import ConfigCache
from kefu.sla.calendar import WorkCalendar
from kefu.sla.models import BusinessCalendar, CalendarOverride, EscalationRung, SlaPolicy


@dataclass
class LoadedPolicy:
    policy: SlaPolicy
    calendar: WorkCalendar
    rungs: list[EscalationRung]


@dataclass
class Loaded:
    policies: list[LoadedPolicy]
    calendars: dict[int, WorkCalendar]
    by_id: dict[int, LoadedPolicy]


def _load() -> Loaded:
    calendars = {c.pk: c.to_work_calendar() for c in BusinessCalendar.objects.prefetch_related("overrides")}
    policies = [
        LoadedPolicy(p, calendars[p.calendar_id], list(p.rungs.select_related("team").order_by("position")))
        for p in SlaPolicy.objects.filter(active=True).select_related("calendar").order_by("position", "id")
    ]
    return Loaded(policies, calendars, {p.policy.pk: p for p in policies})


_cache = ConfigCache("sla-policies", _load, (BusinessCalendar, CalendarOverride, SlaPolicy, EscalationRung))
invalidate = _cache.invalidate


def loaded_policies() -> list[LoadedPolicy]:
    return _cache.get().policies


def calendar_for(calendar_id: int) -> WorkCalendar:
    return _cache.get().calendars[calendar_id]


def office_calendar() -> WorkCalendar | None:
    """The center's first office-hours calendar (24×7 ones last): the working days that rules in working days
    (partners' deadlines, shift-swap notice) count on. None when no calendar is stored."""
    calendar_id = (BusinessCalendar.objects.order_by("always_open", "pk").values_list("pk", flat=True).first())
    return calendar_for(calendar_id) if calendar_id is not None else None


def policy_by_id(policy_id: int) -> LoadedPolicy | None:
    return _cache.get().by_id.get(policy_id)


def match(ticket) -> LoadedPolicy | None:
    """The first active policy (by position) whose type, priority, channel and tier all fit the ticket."""
    tier = ticket.customer.tier if ticket.customer_id else "normal"
    for loaded in loaded_policies():
        p = loaded.policy
        if p.ticket_type_id and p.ticket_type_id != ticket.ticket_type_id:
            continue
        if p.priority and p.priority != ticket.priority:
            continue
        if p.channel and p.channel != ticket.channel:
            continue
        if p.tier and p.tier != tier:
            continue
        return loaded
    return None
