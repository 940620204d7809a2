"""Abnormal meters found from consumption (000 抄表管理制度 §7: 快、慢、失灵 reported at once).

One grouped query sums each meter's last three periods, the same three months a year earlier, its zero and
negative periods; the comparison is against the meter's own year-ago use, divided by its class's (so a cold
winter or a price change that moves everyone is not a fault). Thresholds are defaults a caller can change.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum

from kefu.utility.models import AbnormalKind, Meter, Reading, ServiceAccount


@dataclass(frozen=True)
class Rules:
    fast_ratio: float = 2.5
    slow_ratio: float = 0.4
    min_base_m3: int = 15  # below this a year-ago use is too small to compare
    zero_periods: int = 3
    stopped_min_usual: int = 5  # zero on a meter that usually shows this much is "stopped", not just unused
    jump_ratio: float = 3.0


@dataclass
class Finding:
    meter_id: int
    kind: str
    evidence: dict = field(default_factory=dict)


def months_before(period: date, months: int) -> date:
    index = period.year * 12 + period.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _figures(period: date, rules: Rules):
    """Per meter: recent and year-ago sums, zero and negative periods, periods read (one grouped query)."""
    recent_from, base_from, base_to = months_before(period, 2), months_before(period, 14), months_before(period, 12)
    zero_from = months_before(period, rules.zero_periods - 1)
    return (Reading.objects.filter(period__gte=base_from, period__lte=period)
            .values_list("meter_id", "read_class")
            .annotate(recent=Sum("consumption", filter=Q(period__gte=recent_from)),
                      base=Sum("consumption", filter=Q(period__gte=base_from, period__lte=base_to)),
                      zeros=Count("id", filter=Q(period__gte=zero_from, consumption=0)),
                      reversed=Count("id", filter=Q(period__gte=recent_from, consumption__lt=0)))
            .order_by())


def _class_ratios(rows: list[tuple], rules: Rules) -> dict[str, float]:
    totals: dict[str, list[int]] = {}
    for _meter, read_class, recent, base, _z, _r in rows:
        if recent is not None and base and base >= rules.min_base_m3:
            pair = totals.setdefault(read_class, [0, 0])
            pair[0] += recent
            pair[1] += base
    return {c: (r / b if b else 1.0) for c, (r, b) in totals.items()}


def _judge(row: tuple, ratio_of_class: float, usual: int | None, rules: Rules) -> tuple[str, dict] | None:
    _meter, _class, recent, base, zeros, reversed_ = row
    if reversed_:
        return AbnormalKind.REVERSED, {"negative_periods": reversed_}
    if zeros >= rules.zero_periods:
        kind = AbnormalKind.STOPPED if (usual or 0) >= rules.stopped_min_usual or (base or 0) >= rules.min_base_m3 \
            else AbnormalKind.ZERO_RUN
        return kind, {"zero_periods": zeros, "year_before_m3": base}
    if recent is None or not base or base < rules.min_base_m3:
        return None
    ratio = recent / base / (ratio_of_class or 1.0)
    evidence = {"recent_m3": recent, "year_before_m3": base, "ratio": round(ratio, 2),
                "class_ratio": round(ratio_of_class, 2)}
    if ratio >= rules.fast_ratio:
        return AbnormalKind.FAST, evidence
    if ratio <= rules.slow_ratio:
        return AbnormalKind.SLOW, evidence
    return None


def _jumps(period: date, rules: Rules) -> list[Finding]:
    """New meters whose first consumption is far above the replaced meter's usual use."""
    found = []
    for meter_id, old_usual, consumption in Reading.objects.filter(
            period__gte=months_before(period, 2), period__lte=period, meter__replaces__isnull=False,
            consumption__isnull=False).values_list("meter_id", "meter__replaces__usual_consumption", "consumption"):
        if old_usual and consumption > rules.jump_ratio * old_usual:
            found.append(Finding(meter_id, AbnormalKind.JUMP_AFTER_REPLACEMENT,
                                 {"consumption_m3": consumption, "old_usual_m3": old_usual}))
    return found


def detect(period: date, rules: Rules = Rules()) -> list[Finding]:
    """Every abnormal meter in service on an active account, judged at the end of `period`."""
    period = period.replace(day=1)
    live = dict(Meter.objects.filter(status=Meter.Status.ACTIVE, account__status=ServiceAccount.Status.ACTIVE)
                .values_list("id", "usual_consumption").iterator(chunk_size=20000))
    rows = [row for row in _figures(period, rules).iterator(chunk_size=20000) if row[0] in live]
    ratios = _class_ratios(rows, rules)
    findings = []
    for row in rows:
        verdict = _judge(row, ratios.get(row[1], 1.0), live[row[0]], rules)
        if verdict:
            findings.append(Finding(row[0], verdict[0], {"period": period.isoformat(), **verdict[1]}))
    flagged = {f.meter_id for f in findings}
    findings += [f for f in _jumps(period, rules) if f.meter_id not in flagged and f.meter_id in live]
    return findings
