"""Settled days: the per-agent figures of the costly KPIs stored day by day, so a month adds up ≤ 31 × agents rows
instead of re-reading a million tickets (`kefu bench quality`).

A day is settled once the first-contact window after it has passed (its tickets' repeat contacts are all in),
and `settle_days()` stores it by running the very same Measure functions over that one day. A month's figure is
then the sum of its settled days plus the live computation of the days not settled yet, which is the figure the
live computation over the whole month gives (every stored figure is a sum over tickets or calls of that day).
`kefu kpi settle --since DATE` recomputes settled days after late corrections."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kefu.kpi.definitions import AGENT, MEASURES, Measure, Ratio, _roll
from kefu.kpi.models import DailyFigure, KpiSettings, SettledDay
from kefu.kpi.periods import DAY, Period

STORED = ("contacts", "aht", "fcr", "sla")  # additive per day and costly to read live


def settled_until(now: datetime) -> date:
    """The first day that is not settled yet at `now`."""
    days = KpiSettings.current().fcr_days
    return (timezone.localtime(now) - timedelta(days=days + 1)).date()


@transaction.atomic
def settle_day(day: date, *, now: datetime | None = None) -> int:
    """(Re)store one day's per-agent figures of the stored measures; returns the rows written."""
    at = now or timezone.now()
    period = Period.of(DAY, day, now=at)
    DailyFigure.objects.filter(day=day).delete()
    rows = []
    for code in STORED:
        for agent, ratio in MEASURES[code].compute(period, AGENT).items():
            rows.append(DailyFigure(day=day, measure=code, agent_id=agent, numerator=ratio.numerator,
                                    denominator=ratio.denominator, parts=ratio.parts))
    DailyFigure.objects.bulk_create(rows, batch_size=1000)
    SettledDay.objects.update_or_create(day=day, defaults={"computed_at": at})
    return len(rows)


def settle_days(*, actor=None, since: date, until: date | None = None, now: datetime | None = None,
                progress=None) -> dict:
    """Store every day from `since` up to (not including) `until` or the first unsettled day."""
    at = now or timezone.now()
    last = min(until or settled_until(at), settled_until(at))
    day, days, rows = since, 0, 0
    while day < last:
        rows += settle_day(day, now=at)
        days += 1
        if progress:
            progress(day)
        day += timedelta(days=1)
    return {"days": days, "rows": rows}


def compute(measure: Measure, period: Period, group: str) -> dict:
    """The measure over the period: stored settled days plus the live rest (the whole period live if none)."""
    if measure.code not in STORED or period.kind == DAY:
        return measure.compute(period, group)
    days = list(SettledDay.objects.filter(day__gte=period.first, day__lte=period.last).order_by("day")
                .values_list("day", flat=True))
    prefix = 0
    while prefix < len(days) and days[prefix] == period.first + timedelta(days=prefix):
        prefix += 1
    if prefix == 0:
        return measure.compute(period, group)
    by_agent: dict = {}
    for agent, num, den, parts in DailyFigure.objects.filter(
            measure=measure.code, day__gte=period.first, day__lt=period.first + timedelta(days=prefix)
    ).values_list("agent_id", "numerator", "denominator", "parts"):
        by_agent.setdefault(agent, Ratio(scale=_scale(measure))).add(Ratio(num, den, _scale(measure), parts or {}))
    if prefix < (period.last - period.first).days + 1:
        first = period.first + timedelta(days=prefix)
        rest = Period(period.kind, first, period.last, Period.of(DAY, first).start, period.end, period.now)
        for agent, ratio in measure.compute(rest, AGENT).items():
            by_agent.setdefault(agent, Ratio(scale=ratio.scale)).add(ratio)
    rolled = _roll(by_agent, group)
    if measure.unit == "count":
        for ratio in rolled.values():
            ratio.denominator = 1
    return rolled


def _scale(measure: Measure) -> int:
    return {"percent": 100, "per_mille": 1000, "nps": 100}.get(measure.unit, 1)
