"""Quality endpoints: the queue, sampling, scoring, appeals, call transcripts and the checks' word lists."""

from datetime import datetime

from django.db.models import prefetch_related_objects
from ninja import Router, Schema

from kefu.api.schemas import ERRORS
from kefu.quality import selectors, services
from kefu.quality.models import Appeal, Contact, Evaluation, Sample
from kefu.quality.services.common import clean_month, load_evaluation
from kefu.quality.services.config import check_rules

router = Router(tags=["quality"])


class QualityContactOut(Schema):
    id: int
    source: str
    ref: str
    agent_id: int
    team_id: int | None
    channel: str
    started_at: datetime
    is_complaint: bool
    csat: int | None
    check_failed: bool
    failed_checks: list[str]


class SampleOut(Schema):
    id: int
    month: str
    reasons: list[str]
    state: str
    inspector_id: int | None
    contact: QualityContactOut


class LineOut(Schema):
    speaker: str
    offset: float | None
    text: str


class CommentOut(Schema):
    line: int | None
    second: int | None
    text: str


class EvaluationOut(Schema):
    id: int
    contact_id: int
    agent_id: int
    inspector_id: int
    card_version: int
    deductions: dict[str, int]
    fatal: list[str]
    score: int
    status: str
    note: str
    scored_at: datetime
    month: str
    comments: list[CommentOut]


class ContactDetailOut(QualityContactOut):
    checks: dict
    lines: list[LineOut]
    link: str
    recording: str
    evaluation: EvaluationOut | None


class MonthIn(Schema):
    month: str


class SamplingOut(Schema):
    contacts: int
    sampled: int


class CommentIn(Schema):
    text: str
    line: int | None = None
    second: int | None = None


class ScoreIn(Schema):
    deductions: dict[str, int] = {}
    fatal: list[str] = []
    comments: list[CommentIn] = []
    note: str = ""


class AppealIn(Schema):
    reason: str


class AppealOut(Schema):
    id: int
    evaluation_id: int
    reason: str
    state: str
    decision: str
    old_score: int
    new_score: int | None


class QualityDecisionIn(Schema):
    change: bool
    decision: str
    deductions: dict[str, int] = {}
    fatal: list[str] = []


class TranscriptLineIn(Schema):
    speaker: str
    offset: float
    text: str


class TranscriptIn(Schema):
    call_id: str
    lines: list[TranscriptLineIn]
    hold_seconds: int = 0


class OkOut(Schema):
    ok: bool


class RulesOut(Schema):
    version: int
    words: dict[str, list[str]]
    limits: dict[str, int]


class RulesPatch(Schema):
    version: int
    words: dict[str, list[str]] | None = None
    limits: dict[str, int] | None = None


def contact_out(contact: Contact) -> dict:
    return {"id": contact.pk, "source": contact.source, "ref": contact.ref, "agent_id": contact.agent_id,
            "team_id": contact.team_id, "channel": contact.channel, "started_at": contact.started_at,
            "is_complaint": contact.is_complaint, "csat": contact.csat, "check_failed": contact.check_failed,
            "failed_checks": (contact.checks or {}).get("failed", [])}


def evaluation_out(e: Evaluation) -> dict:
    return {"id": e.pk, "contact_id": e.contact_id, "agent_id": e.agent_id, "inspector_id": e.inspector_id,
            "card_version": e.card.number, "deductions": e.deductions, "fatal": e.fatal, "score": e.score,
            "status": e.status, "note": e.note, "scored_at": e.scored_at, "month": e.month.isoformat()[:7],
            "comments": [{"line": c.line, "second": c.second, "text": c.text} for c in e.comments.all()]}


def sample_out(s: Sample) -> dict:
    return {"id": s.pk, "month": s.month.isoformat()[:7], "reasons": s.reasons, "state": s.state,
            "inspector_id": s.inspector_id, "contact": contact_out(s.contact)}


def appeal_out(a: Appeal) -> dict:
    return {"id": a.pk, "evaluation_id": a.evaluation_id, "reason": a.reason, "state": a.state,
            "decision": a.decision, "old_score": a.old_score, "new_score": a.new_score}


@router.get("/queue", response={200: list[SampleOut], **ERRORS})
def queue(request, month: str | None = None):
    """The caller's inspection queue (pending samples they may score, never their own contacts)."""
    return [sample_out(s) for s in selectors.queue(request.auth, month=clean_month(month) if month else None)]


@router.post("/sampling", response={200: SamplingOut, **ERRORS})
def sample(request, payload: MonthIn):
    """Gather and check the month's contacts, then sample them by every team's plan (supervisors)."""
    return services.sample_month(actor=request.auth, month=clean_month(payload.month))


@router.get("/contacts/{contact_id}", response={200: ContactDetailOut, **ERRORS})
def contact(request, contact_id: int):
    """A contact with its transcript, automatic checks and evaluation."""
    item, data = selectors.contact_detail(request.auth, contact_id)
    evaluation = selectors.evaluation_of(request.auth, item)
    return {**contact_out(item), "checks": item.checks, "link": data.link if data else "",
            "recording": data.recording if data else "",
            "lines": [{"speaker": x.speaker, "offset": x.offset, "text": x.text} for x in (data.lines if data else [])],
            "evaluation": evaluation_out(evaluation) if evaluation else None}


@router.post("/contacts/{contact_id}/evaluation", response={200: EvaluationOut, **ERRORS})
def score(request, contact_id: int, payload: ScoreIn):
    """Score a contact against its scorecard (deductions per item, fatal items, comments on moments)."""
    evaluation = services.score_contact(
        actor=request.auth, contact_id=contact_id, deductions=payload.deductions, fatal=payload.fatal,
        comments=[services.CommentInput(text=c.text, line=c.line, second=c.second) for c in payload.comments],
        note=payload.note)
    return evaluation_out(load_evaluation(request.auth, evaluation.pk))


@router.get("/evaluations", response={200: list[EvaluationOut], **ERRORS})
def evaluations(request, month: str | None = None, agent_id: int | None = None):
    """Evaluations the caller may read: an agent their own, a team lead the team's, QA all."""
    rows = selectors.evaluations(request.auth, agent_id=agent_id, month=clean_month(month) if month else None)
    prefetch_related_objects(rows, "comments")
    return [evaluation_out(e) for e in rows]


@router.post("/evaluations/{evaluation_id}/appeal", response={200: AppealOut, **ERRORS})
def appeal(request, evaluation_id: int, payload: AppealIn):
    """The evaluated agent appeals (申诉) with a reason."""
    return appeal_out(services.file_appeal(actor=request.auth, evaluation_id=evaluation_id, reason=payload.reason))


@router.post("/appeals/{appeal_id}/decision", response={200: AppealOut, **ERRORS})
def decide(request, appeal_id: int, payload: QualityDecisionIn):
    """The supervisor keeps the score or re-scores the contact."""
    return appeal_out(services.decide_appeal(actor=request.auth, appeal_id=appeal_id, change=payload.change,
                                             decision=payload.decision, deductions=payload.deductions,
                                             fatal=payload.fatal))


@router.post("/call-transcripts", response={200: OkOut, **ERRORS})
def call_transcript(request, payload: TranscriptIn):
    """The telephony system sends a call's transcript and hold time (integration token)."""
    services.record_call_transcript(
        actor=request.auth, call_id=payload.call_id, hold_seconds=payload.hold_seconds,
        lines=[services.LineInput(x.speaker, x.offset, x.text) for x in payload.lines])
    return {"ok": True}


def _rules_out() -> dict:
    rules = check_rules()
    return {"version": rules.version,
            "words": {k: getattr(rules, k) for k in ("greeting", "closing", "polite", "forbidden", "rude", "arguing")},
            "limits": {"first_reply": rules.first_reply_limit, "talk": rules.talk_limit, "hold": rules.hold_limit,
                       "silence": rules.silence_limit}}


@router.get("/check-rules", response={200: RulesOut, **ERRORS})
def get_rules(request):
    """The automatic checks' word lists and limits."""
    return _rules_out()


@router.patch("/check-rules", response={200: RulesOut, **ERRORS})
def patch_rules(request, payload: RulesPatch):
    """Change the word lists sent (supervisors); the others stay."""
    services.update_check_rules(actor=request.auth, version=payload.version, words=payload.words,
                                limits=payload.limits)
    return _rules_out()


class QualityItemIn(Schema):
    code: str
    category: str
    label: str
    points: int
    fatal: bool = False
    category_en: str = ""
    label_en: str = ""


class ScorecardIn(Schema):
    name: str
    items: list[QualityItemIn]


class ScorecardPut(ScorecardIn):
    version: int


class ScorecardOut(Schema):
    id: int
    name: str
    version: int
    number: int
    items: list[dict]


def _card_out(card) -> dict:
    return {"id": card.pk, "name": card.name, "version": card.version, "number": card.current.number,
            "items": card.current.items}


@router.post("/scorecards", response={200: ScorecardOut, **ERRORS})
def create_scorecard(request, payload: ScorecardIn):
    """A new scorecard (supervisors); its items' points add up to 100, fatal items carry none."""
    card = services.save_scorecard(actor=request.auth, scorecard_id=None, name=payload.name,
                                   items=[services.ItemInput(**i.dict()) for i in payload.items])
    return _card_out(card)


@router.put("/scorecards/{scorecard_id}", response={200: ScorecardOut, **ERRORS})
def replace_scorecard(request, scorecard_id: int, payload: ScorecardPut):
    """A new version of a scorecard; evaluations already made keep the version they were scored on."""
    card = services.save_scorecard(actor=request.auth, scorecard_id=scorecard_id, name=payload.name,
                                   version=payload.version,
                                   items=[services.ItemInput(**i.dict()) for i in payload.items])
    return _card_out(card)


@router.post("/samples/{sample_id}/claim", response={200: SampleOut, **ERRORS})
def claim(request, sample_id: int):
    """Take a sample from the queue; another inspector's claim answers 409 `claimed`."""
    item = services.claim_sample(actor=request.auth, sample_id=sample_id)
    return sample_out(Sample.objects.select_related("contact").get(pk=item.pk))


# -- calibration sessions (QA4: several inspectors score the same contacts; spread, agreement, reference) ------

class CalibrationIn(Schema):
    title: str
    contact_ids: list[int]


class CalibrationScoreIn(Schema):
    contact_id: int
    deductions: dict[str, int] = {}
    fatal: list[str] = []


class CalibrationReferenceIn(Schema):
    score: int


class CalibrationScoreOut(Schema):
    inspector_id: int
    score: int
    deductions: dict[str, int]
    fatal: list[str]
    scored_at: datetime


class CalibrationContactOut(Schema):
    contact: QualityContactOut
    scores: list[CalibrationScoreOut]
    mean: float | None
    spread: int | None
    reference: int | None
    agreement: float | None  # share of the scores within the agreement band of the reference (else the mean)


class CalibrationOut(Schema):
    id: int
    title: str
    created_at: datetime
    created_by_id: int | None
    contacts: list[CalibrationContactOut]


class CalibrationBriefOut(Schema):
    id: int
    title: str
    created_at: datetime
    contact_count: int


def _calibration_out(user, calibration_id: int) -> dict:
    summary = selectors.calibration_summary(selectors.calibration_for(user, calibration_id))
    session = summary["session"]
    return {"id": session.pk, "title": session.title, "created_at": session.created_at,
            "created_by_id": session.created_by_id,
            "contacts": [{"contact": contact_out(row["contact"]), "mean": row["mean"], "spread": row["spread"],
                          "reference": row["reference"], "agreement": row["agreement"],
                          "scores": [{"inspector_id": s.inspector_id, "score": s.score, "deductions": s.deductions,
                                      "fatal": s.fatal, "scored_at": s.scored_at} for s in row["by"]]}
                         for row in summary["contacts"]]}


@router.get("/calibrations", response={200: list[CalibrationBriefOut], **ERRORS})
def calibrations(request):
    """Calibration sessions, newest first (inspectors and supervisors)."""
    return [{"id": s.pk, "title": s.title, "created_at": s.created_at, "contact_count": s.contact_count}
            for s in selectors.calibration_list(request.auth)]


@router.post("/calibrations", response={200: CalibrationOut, **ERRORS})
def create_calibration(request, payload: CalibrationIn):
    """Start a session over a few contacts (supervisors)."""
    session = services.create_calibration(actor=request.auth, title=payload.title, contact_ids=payload.contact_ids)
    return _calibration_out(request.auth, session.pk)


@router.get("/calibrations/{calibration_id}", response={200: CalibrationOut, **ERRORS})
def calibration(request, calibration_id: int):
    """A session: every inspector's scores per contact, their mean, spread and agreement, the reference."""
    return _calibration_out(request.auth, calibration_id)


@router.post("/calibrations/{calibration_id}/scores", response={200: CalibrationOut, **ERRORS})
def calibration_score(request, calibration_id: int, payload: CalibrationScoreIn):
    """The caller scores one contact of the session (once; again answers 409 `duplicate`)."""
    services.calibrate(actor=request.auth, calibration_id=calibration_id, contact_id=payload.contact_id,
                       deductions=payload.deductions, fatal=payload.fatal)
    return _calibration_out(request.auth, calibration_id)


@router.put("/calibrations/{calibration_id}/references/{contact_id}", response={200: CalibrationOut, **ERRORS})
def calibration_reference(request, calibration_id: int, contact_id: int, payload: CalibrationReferenceIn):
    """Set the reference score of a contact in the session (supervisors; audited)."""
    services.set_reference(actor=request.auth, calibration_id=calibration_id, contact_id=contact_id,
                           score=payload.score)
    return _calibration_out(request.auth, calibration_id)
