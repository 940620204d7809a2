"""Scoring a contact against its scorecard, appeals (申诉) and their decision, calibration sessions."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.quality.access import require_decider, require_inspector
from kefu.quality.models import (
    Appeal,
    AppealState,
    Calibration,
    CalibrationScore,
    Comment,
    Contact,
    Evaluation,
    EvaluationStatus,
    QualityEventCode,
    Sample,
    SampleReason,
    SampleState,
    SamplingPlan,
    Scorecard,
    ScorecardVersion,
)
from kefu.quality.services.common import emit, load_contact, load_evaluation


@dataclass
class CommentInput:
    text: str
    line: int | None = None  # index of the transcript line
    second: int | None = None  # time in the recording


def card_for(contact: Contact) -> ScorecardVersion:
    """The current version of the team plan's scorecard, else of the first active scorecard."""
    plan = SamplingPlan.objects.filter(team_id=contact.team_id).select_related("scorecard__current").first()
    card = plan.scorecard if plan and plan.scorecard_id and plan.scorecard.active else None
    card = card or Scorecard.objects.filter(active=True, current__isnull=False).select_related("current") \
        .order_by("pk").first()
    if card is None or card.current is None:
        raise ValidationFailed(_("No active scorecard."), code="no_scorecard", field="scorecard")
    return card.current


def compute_score(card: ScorecardVersion, deductions: dict[str, int], fatal: list[str]) -> tuple[dict, list, int]:
    """Check deductions and fatal items against the card; the score is 0 with a fatal item, else 100 − Σ."""
    cleaned, bad = {}, []
    for code, points in (deductions or {}).items():
        item = card.item(code)
        if item is None or item["fatal"]:
            bad.append(ValidationFailed(_("Not an item of this scorecard."), code="invalid_choice",
                                        field=f"deductions.{code}"))
        elif not isinstance(points, int) or isinstance(points, bool) or not 0 <= points <= item["points"]:
            bad.append(ValidationFailed(_("Deduct between 0 and the item's points."), code="invalid",
                                        field=f"deductions.{code}", params={"max": item["points"]}))
        elif points:
            cleaned[code] = points
    fatal_codes = []
    for code in fatal or []:
        item = card.item(code)
        if item is None or not item["fatal"]:
            bad.append(ValidationFailed(_("Not a fatal item of this scorecard."), code="invalid_choice",
                                        field="fatal"))
        elif code not in fatal_codes:
            fatal_codes.append(code)
    if bad:
        raise bad[0]
    score = 0 if fatal_codes else max(0, card.full_score - sum(cleaned.values()))
    return cleaned, fatal_codes, score


def _clean_comments(comments: list[CommentInput]) -> list[CommentInput]:
    for i, comment in enumerate(comments or []):
        if not (comment.text or "").strip():
            raise ValidationFailed(_("This field is required."), code="required", field=f"comments[{i}].text")
        if len(comment.text) > 500:
            raise ValidationFailed(_("At most 500 characters."), code="too_long", field=f"comments[{i}].text")
    return [c for c in comments or []]


def _take_sample(actor: User, contact: Contact, at: datetime) -> None:
    sample = Sample.objects.filter(contact=contact).first()
    if sample is None:
        Sample.objects.create(contact=contact, month=contact.month, reasons=[SampleReason.MANUAL],
                              state=SampleState.SCORED, inspector=actor, created_at=at)
        return
    # Conditional update: a sample claimed by another inspector stays theirs.
    taken = Sample.objects.filter(Q(inspector__isnull=True) | Q(inspector=actor), pk=sample.pk,
                                  state=SampleState.PENDING).update(state=SampleState.SCORED, inspector=actor)
    if not taken:
        raise Conflict(_("Another inspector has taken this contact."), code="claimed", field="contact_id")


@transaction.atomic
def score_contact(*, actor: User, contact_id: int, deductions: dict[str, int], fatal: list[str] | None = None,
                  comments: list[CommentInput] | None = None, note: str = "",
                  now: datetime | None = None) -> Evaluation:
    """Score one contact against its card; inspectors never score their own contacts."""
    require_inspector(actor)
    contact = load_contact(actor, contact_id)
    if actor is not None and contact.agent_id == actor.pk:
        raise Forbidden(_("Nobody scores their own contact."), code="own_contact", field="contact_id")
    if Evaluation.objects.filter(contact=contact).exists():
        raise Conflict(_("This contact has already been scored."), code="already_scored", field="contact_id")
    card = card_for(contact)
    cleaned, fatal_codes, score = compute_score(card, deductions, fatal or [])
    comments = _clean_comments(comments or [])
    if len(note or "") > 2000:
        raise ValidationFailed(_("At most 2000 characters."), code="too_long", field="note")
    at = now or timezone.now()
    _take_sample(actor, contact, at)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                contact=contact, card=card, inspector=actor, agent_id=contact.agent_id, deductions=cleaned,
                fatal=fatal_codes, score=score, note=(note or "").strip(), scored_at=at, month=contact.month)
    except IntegrityError:  # a second inspector's INSERT after the first one's
        raise Conflict(_("This contact has already been scored."), code="already_scored",
                       field="contact_id") from None
    Comment.objects.bulk_create([Comment(evaluation=evaluation, line=c.line, second=c.second, text=c.text.strip())
                                 for c in comments])
    emit(contact, QualityEventCode.SCORED, actor=actor, at=at, evaluation=evaluation,
         params={"score": score, "card": card.pk, "deductions": cleaned, "fatal": fatal_codes})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="qa_evaluation", target_id=evaluation.pk,
           params={"op": "scored", "score": score, "agent": contact.agent_id})
    return evaluation


@transaction.atomic
def file_appeal(*, actor: User, evaluation_id: int, reason: str, now: datetime | None = None) -> Appeal:
    """The evaluated agent appeals (申诉) with a reason; one open appeal at a time."""
    evaluation = load_evaluation(actor, evaluation_id)
    if actor is not None and evaluation.agent_id != actor.pk:
        raise Forbidden(_("Only the agent who was scored may appeal."), code="not_your_evaluation")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the score is wrong."), code="required", field="reason")
    if len(reason) > 2000:
        raise ValidationFailed(_("At most 2000 characters."), code="too_long", field="reason")
    if evaluation.appeals.exists():  # one appeal per evaluation: the supervisor's decision is final
        raise Conflict(_("This evaluation has already been appealed."), code="already_appealed",
                       field="evaluation_id")
    at = now or timezone.now()
    appeal = Appeal.objects.create(evaluation=evaluation, reason=reason, filed_at=at, old_score=evaluation.score)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.APPEALED, version=F("version") + 1)
    emit(evaluation.contact, QualityEventCode.APPEALED, actor=actor, at=at, evaluation=evaluation,
         params={"appeal": appeal.pk})
    return appeal


@transaction.atomic
def decide_appeal(*, actor: User, appeal_id: int, change: bool, decision: str,
                  deductions: dict[str, int] | None = None, fatal: list[str] | None = None,
                  now: datetime | None = None) -> Appeal:
    """The supervisor keeps the score or re-scores the contact on the same card; audited either way."""
    require_decider(actor)
    appeal = Appeal.objects.select_related("evaluation__contact", "evaluation__card").filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound(_("No such appeal."), field="appeal_id")
    if appeal.state != AppealState.OPEN:
        raise Conflict(_("This appeal has already been decided."), code="already_decided", field="appeal_id")
    decision = (decision or "").strip()
    if not decision:
        raise ValidationFailed(_("Write the decision for the agent."), code="required", field="decision")
    evaluation, at = appeal.evaluation, now or timezone.now()
    if actor is not None and evaluation.agent_id == actor.pk:
        raise Forbidden(_("Nobody decides their own appeal."), code="own_appeal")
    old = evaluation.score
    if change:
        cleaned, fatal_codes, score = compute_score(evaluation.card, deductions or {}, fatal or [])
        status, state, code = EvaluationStatus.CHANGED, AppealState.CHANGED, QualityEventCode.APPEAL_CHANGED
    else:
        cleaned, fatal_codes, score = evaluation.deductions, evaluation.fatal, old
        status, state, code = EvaluationStatus.KEPT, AppealState.KEPT, QualityEventCode.APPEAL_KEPT
    # Conditional: only the open appeal is decided, by one supervisor.
    if not Appeal.objects.filter(pk=appeal.pk, state=AppealState.OPEN).update(
            state=state, decided_by=actor if getattr(actor, "pk", None) else None, decided_at=at,
            decision=decision, new_score=score):
        raise Conflict(_("This appeal has already been decided."), code="already_decided", field="appeal_id")
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status, deductions=cleaned, fatal=fatal_codes,
                                                       score=score, version=F("version") + 1)
    emit(evaluation.contact, code, actor=actor, at=at, evaluation=evaluation,
         params={"appeal": appeal.pk, "from": old, "to": score, "deductions": cleaned, "fatal": fatal_codes})
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="qa_evaluation", target_id=evaluation.pk,
           params={"op": "appeal_decided", "appeal": appeal.pk, "from": old, "to": score})
    appeal.refresh_from_db()
    return appeal


@transaction.atomic
def create_calibration(*, actor: User, title: str, contact_ids: list[int], now: datetime | None = None) -> Calibration:
    """A calibration session over a few contacts that every inspector scores."""
    require_decider(actor)
    title = (title or "").strip()
    if not title or len(title) > 100:
        raise ValidationFailed(_("Give the session a title (at most 100 characters)."), code="required",
                               field="title")
    contacts = list(Contact.objects.filter(pk__in=contact_ids))
    if not contacts or len(contacts) != len(set(contact_ids)):
        raise ValidationFailed(_("Choose existing contacts."), code="invalid_choice", field="contact_ids")
    session = Calibration.objects.create(title=title, created_at=now or timezone.now(),
                                         created_by=actor if getattr(actor, "pk", None) else None)
    session.contacts.set(contacts)
    return session


@transaction.atomic
def calibrate(*, actor: User, calibration_id: int, contact_id: int, deductions: dict[str, int],
              fatal: list[str] | None = None, now: datetime | None = None) -> CalibrationScore:
    """An inspector's score of a contact in a session (once each); it does not count for the agent."""
    require_inspector(actor)
    session = Calibration.objects.filter(pk=calibration_id).first()
    if session is None:
        raise NotFound(_("No such calibration session."), field="calibration_id")
    contact = session.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise ValidationFailed(_("This contact is not in the session."), code="invalid_choice", field="contact_id")
    _cleaned, _fatal, score = compute_score(card_for(contact), deductions, fatal or [])
    try:
        with transaction.atomic():
            return CalibrationScore.objects.create(calibration=session, contact=contact, inspector=actor,
                                                   deductions=_cleaned, fatal=_fatal, score=score,
                                                   scored_at=now or timezone.now())
    except IntegrityError:
        raise Conflict(_("You have already scored this contact in the session."), code="duplicate",
                       field="contact_id") from None


@transaction.atomic
def set_reference(*, actor: User, calibration_id: int, contact_id: int, score: int) -> Calibration:
    """The supervisor sets the reference score of a contact in a session."""
    require_decider(actor)
    session = Calibration.objects.filter(pk=calibration_id).first()
    if session is None:
        raise NotFound(_("No such calibration session."), field="calibration_id")
    if not session.contacts.filter(pk=contact_id).exists():
        raise ValidationFailed(_("This contact is not in the session."), code="invalid_choice", field="contact_id")
    if not 0 <= score <= 100:
        raise ValidationFailed(_("A score is 0–100."), code="invalid", field="score")
    session.references = {**session.references, str(contact_id): score}
    session.save(update_fields=["references"])
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="qa_calibration", target_id=session.pk,
           params={"op": "reference_set", "contact": contact_id, "score": score})
    return session
