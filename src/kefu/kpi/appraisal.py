"""Appraisal (绩效考核) and bonus (奖金分配): scoring an agent's month by the role's rule, splitting the pool."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import NotFound, ValidationFailed
from kefu.kpi.access import require_appraiser
from kefu.kpi.definitions import AGENT, MEASURES
from kefu.kpi.models import AppraisalResult, AppraisalRule, BonusPool
from kefu.kpi.periods import Period


@dataclass
class ItemInput:
    measure: str
    weight: int
    floor: float
    target: float


def item_points(item: dict, value: float | None) -> Fraction | None:
    """weight × clamp((value − floor) ÷ (target − floor), 0, 1); None when the figure has no data."""
    if value is None:
        return None
    floor, target = Fraction(str(item["floor"])), Fraction(str(item["target"]))
    share = (Fraction(str(value)) - floor) / (target - floor)
    return item["weight"] * min(max(share, Fraction(0)), Fraction(1))


def score(rule_items: list[dict], figures: dict) -> tuple[Decimal, list[dict]]:
    """The score out of 100 and its breakdown; items without data are left out and the rest rescaled."""
    breakdown, earned, weights = [], Fraction(0), 0
    for item in rule_items:
        ratio = figures.get(item["measure"])
        value = ratio.value if ratio is not None else None
        points = item_points(item, value)
        if points is not None:
            earned, weights = earned + points, weights + item["weight"]
        breakdown.append({"measure": item["measure"], "weight": item["weight"], "floor": item["floor"],
                          "target": item["target"], "value": value,
                          "numerator": ratio.numerator if ratio else 0,
                          "denominator": ratio.denominator if ratio else 0,
                          "points": None if points is None else float(round(points, 2))})
    total = earned * 100 / weights if weights else Fraction(0)
    return Decimal(total.numerator) / Decimal(total.denominator), breakdown


def split_pool(pool_fen: int, scores: dict[int, Decimal], *, min_score: int, cap_fen: int | None) -> dict[int, int]:
    """Split the pool among those at or above `min_score` in proportion to their scores, in whole fen.

    Shares above the cap are cut to it and the rest is shared again among the others; whole fen are handed out
    by the largest remainder (ties to the lower agent id), so the shares add up to the pool unless every
    qualifying share is capped (then the remainder stays in the pool)."""
    eligible = {a: Fraction(s) for a, s in scores.items() if s >= min_score and s > 0}
    shares: dict[int, int] = {a: 0 for a in scores}
    left, open_ = pool_fen, dict(eligible)
    while open_ and left > 0:
        total = sum(open_.values())
        exact = {a: left * s / total for a, s in open_.items()}
        capped = {a for a, x in exact.items() if cap_fen is not None and x >= cap_fen}
        if not capped:
            whole = {a: int(x) for a, x in exact.items()}
            rest = left - sum(whole.values())
            for a in sorted(exact, key=lambda a: (-(exact[a] - whole[a]), a))[:rest]:
                whole[a] += 1
            for a, n in whole.items():
                shares[a] += n
            break
        for a in capped:
            shares[a] += cap_fen
            left -= cap_fen
            del open_[a]
    return shares


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def compute_appraisal(*, actor, month: date, now: datetime | None = None) -> list[AppraisalResult]:
    """(Re)compute every active rule's month: each agent's score and breakdown, and the pool's split."""
    require_appraiser(actor)
    at = now or timezone.now()
    period = Period.month(month, now=at)
    month = period.first
    results = []
    for rule in AppraisalRule.objects.filter(active=True):
        agents = list(User.objects.filter(role=rule.role, is_active=True).values_list("pk", flat=True))
        codes = sorted({i["measure"] for i in rule.items if i["measure"] in MEASURES})
        figures = {code: MEASURES[code].compute(period, AGENT) for code in codes}
        scored = {a: score(rule.items, {c: figures[c].get(a) for c in codes}) for a in agents}
        pool = BonusPool.objects.filter(month=month, rule=rule).values_list("amount_fen", flat=True).first()
        shares = split_pool(pool, {a: s for a, (s, _b) in scored.items()}, min_score=rule.min_score,
                            cap_fen=rule.cap_fen) if pool is not None else {}
        for agent, (value, breakdown) in scored.items():
            result, _created = AppraisalResult.objects.update_or_create(
                month=month, agent_id=agent, defaults={"rule": rule, "score": _round(value), "breakdown": breakdown,
                                                       "bonus_fen": shares.get(agent), "computed_at": at})
            results.append(result)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="kpi_appraisal", target_id=f"{month:%Y-%m}",
           params={"op": "appraisal_computed", "results": len(results)})
    return results


def _clean_items(items: list[ItemInput]) -> list[dict]:
    out = []
    for i, item in enumerate(items):
        if item.measure not in MEASURES or not MEASURES[item.measure].per_agent:
            raise ValidationFailed(_("Not a KPI of an agent."), code="invalid_choice", field=f"items[{i}].measure")
        if not 1 <= item.weight <= 100:
            raise ValidationFailed(_("A weight is 1–100."), code="invalid", field=f"items[{i}].weight")
        if item.floor == item.target:
            raise ValidationFailed(_("The floor and the target must differ."), code="invalid",
                                   field=f"items[{i}].target")
        out.append({"measure": item.measure, "weight": item.weight, "floor": item.floor, "target": item.target})
    if not out:
        raise ValidationFailed(_("A rule needs at least one KPI."), code="required", field="items")
    return out


@transaction.atomic
def save_rule(*, actor, role: str, name: str, items: list[ItemInput], min_score: int = 60,
              cap_fen: int | None = None) -> AppraisalRule:
    """Create or replace the appraisal rule of a role."""
    require_appraiser(actor, money=True)
    from kefu.accounts.roles import Role

    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), code="invalid_choice", field="role")
    if not (name or "").strip():
        raise ValidationFailed(_("This field is required."), code="required", field="name")
    if not 0 <= min_score <= 100:
        raise ValidationFailed(_("A score is 0–100."), code="invalid", field="min_score")
    rule, _created = AppraisalRule.objects.update_or_create(role=role, defaults={
        "name": name.strip(), "items": _clean_items(items), "min_score": min_score, "cap_fen": cap_fen})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="kpi_rule", target_id=rule.pk,
           params={"op": "rule_saved", "role": role})
    return rule


@transaction.atomic
def set_pool(*, actor, rule_id: int, month: date, amount_fen: int) -> BonusPool:
    """Set the month's bonus pool of a rule (whole fen)."""
    require_appraiser(actor, money=True)
    if not AppraisalRule.objects.filter(pk=rule_id).exists():
        raise NotFound(_("No such rule."), field="rule_id")
    if not isinstance(amount_fen, int) or amount_fen < 0:
        raise ValidationFailed(_("Enter an amount in whole fen."), code="invalid", field="amount_fen")
    pool, _created = BonusPool.objects.update_or_create(month=month.replace(day=1), rule_id=rule_id,
                                                        defaults={"amount_fen": amount_fen})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="kpi_pool", target_id=pool.pk,
           params={"op": "pool_set", "month": f"{month:%Y-%m}", "amount_fen": amount_fen})
    return pool
