"""The monthly star board (明星榜, seed 002: the information desk publishes it each month) by the center's rule:
best QA score, best CSAT, most compliments, most improved QA score — each with the figures behind it."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Forbidden
from kefu.kpi.definitions import AGENT, MEASURES
from kefu.kpi.models import KpiSettings, StarBoard
from kefu.kpi.periods import Period

CATEGORIES = {
    "best_qa": _("Best QA score"),
    "best_csat": _("Best CSAT"),
    "most_compliments": _("Most compliments"),
    "most_improved": _("Most improved QA score"),
}
RULES = {
    "best_qa": _("Highest mean QA score of the month, with at least the set number of evaluations."),
    "best_csat": _("Highest share of 4–5 CSAT answers, with at least the set number of answers."),
    "most_compliments": _("Most survey answers with the top score (5 of 5)."),
    "most_improved": _("Largest rise of the mean QA score over the previous month (evaluated in both)."),
}


def _best(candidates: list[tuple]) -> tuple | None:
    """(agent, value, numerator, denominator) with the highest value; ties to more data, then lower id."""
    candidates = [c for c in candidates if c[1] is not None]
    return max(candidates, key=lambda c: (c[1], c[3], -c[0])) if candidates else None


def _entry(category: str, best: tuple | None, extra: dict | None = None) -> dict | None:
    if best is None:
        return None
    agent, value, numerator, denominator = best
    return {"category": category, "agent": agent, "value": value, "numerator": numerator,
            "denominator": denominator, **(extra or {})}


def compute_stars(month: date, *, now: datetime | None = None) -> list[dict]:
    """The stars of a month from the KPI definitions (not yet published)."""
    period, conf = Period.month(month, now=now), KpiSettings.current()
    qa, csat = MEASURES["qa"].compute(period, AGENT), MEASURES["csat"].compute(period, AGENT)
    praise, before = MEASURES["compliments"].compute(period, AGENT), MEASURES["qa"].compute(period.previous(), AGENT)
    entries = [
        _entry("best_qa", _best([(a, r.value, r.numerator, r.denominator) for a, r in qa.items()
                                 if r.denominator >= conf.star_min_evaluations])),
        _entry("best_csat", _best([(a, r.value, r.numerator, r.denominator) for a, r in csat.items()
                                   if r.denominator >= conf.star_min_answers])),
        _entry("most_compliments", _best([(a, r.numerator, r.numerator, 1) for a, r in praise.items()
                                          if r.numerator])),
    ]
    improved = [(a, round(r.value - before[a].value, 2), r.value, before[a].value) for a, r in qa.items()
                if a in before and r.value is not None and before[a].value is not None]
    best = _best([(a, d, now_, was) for a, d, now_, was in improved])
    entries.append(_entry("most_improved", (best[0], best[1], best[2], best[3]) if best and best[1] > 0 else None,
                          {"from": best[3], "to": best[2]} if best and best[1] > 0 else None))
    return [e for e in entries if e is not None]


def label_entries(entries: list[dict]) -> list[dict]:
    """Entries with the category's label and rule and the agent's name, for the page."""
    users = {u.pk: u for u in User.objects.filter(pk__in=[e["agent"] for e in entries])}
    return [{**e, "label": CATEGORIES.get(e["category"], e["category"]), "rule": RULES.get(e["category"], ""),
             "person": users.get(e["agent"])} for e in entries]


def can_publish(user) -> bool:
    """The information desk publishes the board (seed 002), and management."""
    from kefu.knowledge.access import can_manage_knowledge
    from kefu.kpi.access import can_appraise

    return can_appraise(user) or (user.is_authenticated and can_manage_knowledge(user))


@transaction.atomic
def publish_stars(*, actor, month: date, now: datetime | None = None) -> StarBoard:
    """Publish (or republish) the month's star board to everyone."""
    if actor is not None and not can_publish(actor):
        raise Forbidden(_("Your role does not publish the star board."), code="not_publisher")
    at = now or timezone.now()
    month = month.replace(day=1)
    board, _created = StarBoard.objects.update_or_create(month=month, defaults={
        "entries": compute_stars(month, now=at), "published_at": at,
        "published_by": actor if getattr(actor, "pk", None) else None})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="kpi_stars", target_id=f"{month:%Y-%m}",
           params={"op": "stars_published", "stars": len(board.entries)})
    return board
