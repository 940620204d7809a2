"""Setting up inspection: scorecards (a new version on every change), the checks' word lists, sampling plans."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Team
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.quality.access import require_decider
from kefu.quality.checks import KINDS
from kefu.quality.models import CheckRules, SamplingPlan, Scorecard, ScorecardVersion

MAX_WORDS = 200


@dataclass
class ItemInput:
    code: str
    category: str
    label: str
    points: int
    fatal: bool = False
    category_en: str = ""
    label_en: str = ""


def _clean_items(items: list[ItemInput]) -> list[dict]:
    if not items:
        raise ValidationFailed(_("A scorecard needs at least one item."), code="required", field="items")
    seen, cleaned = set(), []
    for i, item in enumerate(items):
        code = (item.code or "").strip()
        if not code or len(code) > 40:
            raise ValidationFailed(_("Give each item a short code."), code="invalid", field=f"items[{i}].code")
        if code in seen:
            raise ValidationFailed(_("Two items have the same code."), code="duplicate", field=f"items[{i}].code")
        if not (item.label or "").strip():
            raise ValidationFailed(_("This field is required."), code="required", field=f"items[{i}].label")
        if item.points < 0 or item.points > 100 or (item.fatal and item.points):
            raise ValidationFailed(_("Points are 0–100, and 0 for a fatal item."), code="invalid",
                                   field=f"items[{i}].points")
        seen.add(code)
        cleaned.append({"code": code, "category": item.category.strip(), "category_en": item.category_en.strip(),
                        "label": item.label.strip(), "label_en": item.label_en.strip(), "points": item.points,
                        "fatal": bool(item.fatal)})
    if sum(i["points"] for i in cleaned) != 100:
        raise ValidationFailed(_("The points of the items must add up to 100."), code="points_not_100",
                               field="items")
    return cleaned


@transaction.atomic
def save_scorecard(*, actor, scorecard_id: int | None, name: str, items: list[ItemInput], version: int | None = None,
                   now: datetime | None = None) -> Scorecard:
    """Create a scorecard, or give an existing one a new version (old evaluations keep theirs)."""
    require_decider(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("This field is required."), code="required", field="name")
    cleaned, at = _clean_items(items), now or timezone.now()
    if scorecard_id is None:
        card = Scorecard.objects.create(name=name)
        number = 1
    else:
        card = Scorecard.objects.filter(pk=scorecard_id).first()
        if card is None:
            raise NotFound(_("No such scorecard."), field="scorecard_id")
        if version is None:
            raise ValidationFailed(_("This field is required."), code="required", field="version")
        if not Scorecard.objects.filter(pk=card.pk, version=version).update(version=F("version") + 1, name=name):
            raise Conflict(_("Someone else changed this scorecard. Reload and try again."), field="version",
                           params={"current_version": card.version})
        number = (card.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    current = ScorecardVersion.objects.create(scorecard=card, number=number, items=cleaned, created_at=at,
                                              created_by=actor if getattr(actor, "pk", None) else None)
    Scorecard.objects.filter(pk=card.pk).update(current=current)
    card.refresh_from_db()
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="qa_scorecard", target_id=card.pk,
           params={"op": "scorecard_saved", "number": number})
    return card


def check_rules() -> CheckRules:
    """The center's check rules (created with the defaults when missing)."""
    from kefu.quality.defaults import DEFAULT_WORDS

    rules = CheckRules.objects.order_by("pk").first()
    return rules or CheckRules.objects.create(**DEFAULT_WORDS)


@transaction.atomic
def update_check_rules(*, actor, version: int, words: dict[str, list[str]] | None = None,
                       limits: dict[str, int] | None = None) -> CheckRules:
    """Change the word lists (only the kinds sent) and the limits of the automatic checks."""
    require_decider(actor)
    rules = check_rules()
    changes: dict = {}
    for kind, values in (words or {}).items():
        if kind not in KINDS:
            raise ValidationFailed(_("Unknown word list."), code="invalid_choice", field=f"words.{kind}")
        cleaned = list(dict.fromkeys(w.strip() for w in values if w and w.strip()))
        if len(cleaned) > MAX_WORDS or any(len(w) > 30 for w in cleaned):
            raise ValidationFailed(_("At most 200 words of 30 characters."), code="too_long", field=f"words.{kind}")
        changes[kind] = cleaned
    for key, value in (limits or {}).items():
        field = {"first_reply": "first_reply_limit", "talk": "talk_limit", "hold": "hold_limit",
                 "silence": "silence_limit"}.get(key)
        if field is None:
            raise ValidationFailed(_("Unknown limit."), code="invalid_choice", field=f"limits.{key}")
        if not isinstance(value, int) or not 1 <= value <= 86400:
            raise ValidationFailed(_("Enter seconds between 1 and 86400."), code="invalid", field=f"limits.{key}")
        changes[field] = value
    if not CheckRules.objects.filter(pk=rules.pk, version=version).update(version=F("version") + 1, **changes):
        raise Conflict(_("Someone else changed the word lists. Reload and try again."), field="version",
                       params={"current_version": rules.version})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="qa_check_rules", target_id=rules.pk,
           params={"op": "check_rules_changed", "fields": sorted(changes)})
    rules.refresh_from_db()
    return rules


@transaction.atomic
def save_plan(*, actor, team_id: int, per_agent: int, complaints: bool = True, low_surveys: bool = True,
              low_survey_max: int = 2, check_failures: bool = True, scorecard_id: int | None = None,
              active: bool = True) -> SamplingPlan:
    """Create or replace a team's sampling plan."""
    require_decider(actor)
    if not Team.objects.filter(pk=team_id).exists():
        raise ValidationFailed(_("No such team."), code="unknown_team", field="team_id")
    if not 0 <= per_agent <= 200:
        raise ValidationFailed(_("Between 0 and 200 contacts."), code="invalid", field="per_agent")
    if not 1 <= low_survey_max <= 5:
        raise ValidationFailed(_("A CSAT score is 1–5."), code="invalid", field="low_survey_max")
    if scorecard_id is not None and not Scorecard.objects.filter(pk=scorecard_id).exists():
        raise ValidationFailed(_("No such scorecard."), code="invalid_choice", field="scorecard_id")
    plan, _created = SamplingPlan.objects.update_or_create(team_id=team_id, defaults={
        "per_agent": per_agent, "complaints": complaints, "low_surveys": low_surveys, "low_survey_max": low_survey_max,
        "check_failures": check_failures, "scorecard_id": scorecard_id, "active": active})
    SamplingPlan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="qa_plan", target_id=plan.pk,
           params={"op": "plan_saved", "team": team_id, "per_agent": per_agent})
    return plan
