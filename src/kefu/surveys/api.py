"""Survey endpoints: design questionnaires, read results, record answers, send links."""

from datetime import datetime

from ninja import Router, Schema, Status

from kefu.api.patch import merged, patch_schema
from kefu.api.schemas import ERRORS
from kefu.surveys import metrics, selectors, services
from kefu.surveys.validation import QuestionInput, QuestionnaireInput
from kefu.tickets.services.common import load_ticket

router = Router(tags=["surveys"])


class ChoiceIn(Schema):
    label: str
    label_en: str = ""


class QuestionIn(Schema):
    text: str
    text_en: str = ""
    kind: str
    required: bool = False
    choices: list[ChoiceIn] = []
    role: str = ""


class QuestionnaireIn(Schema):
    title: str
    title_en: str
    intro: str = ""
    intro_en: str = ""
    active: bool = True
    ticket_types: list[str] = []
    questions: list[QuestionIn]


QuestionnairePatch = patch_schema(QuestionnaireIn, "QuestionnairePatch")


class ChoiceOut(Schema):
    key: str
    label: str
    label_en: str


class QuestionOut(Schema):
    id: int
    position: int
    text: str
    text_en: str
    kind: str
    required: bool
    role: str
    field: str
    choices: list[ChoiceOut]


class QuestionnaireOut(Schema):
    id: int
    title: str
    title_en: str
    intro: str
    intro_en: str
    active: bool
    ticket_types: list[str]
    questions: list[QuestionOut]
    version: int
    created_at: datetime
    updated_at: datetime


class ResponseIn(Schema):
    questionnaire_id: int
    answers: dict
    ticket_id: int | None = None
    callback_task_id: int | None = None
    via: str = "callback"


class ResponseOut(Schema):
    id: int
    questionnaire: int
    ticket_id: int | None
    callback_task_id: int | None
    via: str
    agent_id: int | None
    taken_by_id: int | None
    csat: int | None
    nps: int | None
    created_at: datetime
    answers: dict


class InvitationIn(Schema):
    questionnaire_id: int
    ticket_id: int
    channel: str


class InvitationOut(Schema):
    id: int
    questionnaire: int
    ticket_id: int
    channel: str
    expires_at: datetime
    url: str


class CountOut(Schema):
    key: str
    label: str
    count: int


class QuestionResultOut(Schema):
    id: int
    label: str
    kind: str
    role: str
    counts: list[CountOut]
    texts: list[str]
    mean: float | None = None


class AgentResultOut(Schema):
    agent_id: int | None
    agent: str
    responses: int
    csat: float | None
    nps: float | None


class ResultsOut(Schema):
    questionnaire: int
    responses: int
    csat: dict
    nps: dict
    questions: list[QuestionResultOut]
    agents: list[AgentResultOut]


def _input(payload: QuestionnaireIn) -> QuestionnaireInput:
    data = payload.dict(exclude={"version", "questions"})
    questions = [QuestionInput(**{**q.dict(), "choices": [c.dict() for c in q.choices]}) for q in payload.questions]
    return QuestionnaireInput(**data, questions=questions)


@router.get("/questionnaires", response={200: list[QuestionnaireOut], **ERRORS})
def list_questionnaires(request, active: bool | None = None):
    """Questionnaires: every one for designers, the active ones for other staff."""
    return [selectors.questionnaire_out(q) for q in selectors.manage_questionnaires(request.auth, active=active)]


@router.post("/questionnaires", response={201: QuestionnaireOut, **ERRORS})
def create_questionnaire(request, payload: QuestionnaireIn):
    questionnaire = services.create_questionnaire(actor=request.auth, data=_input(payload))
    return Status(201, selectors.questionnaire_out(services.load_questionnaire(request.auth, questionnaire.pk)))


@router.get("/questionnaires/{int:questionnaire_id}", response={200: QuestionnaireOut, **ERRORS})
def get_questionnaire(request, questionnaire_id: int):
    return selectors.questionnaire_out(services.load_questionnaire(request.auth, questionnaire_id))


@router.patch("/questionnaires/{int:questionnaire_id}", response={200: QuestionnaireOut, **ERRORS})
def update_questionnaire(request, questionnaire_id: int, payload: QuestionnairePatch):
    """Change a questionnaire; one with answers keeps its questions' shape (422 questionnaire_in_use)."""
    current = selectors.questionnaire_out(services.load_questionnaire(request.auth, questionnaire_id))
    current["questions"] = [
        {**{k: q[k] for k in ("text", "text_en", "kind", "required", "role")},
         "choices": [{"label": c["label"], "label_en": c["label_en"]} for c in q["choices"]]}
        for q in current["questions"]]
    data = merged({name: current[name] for name in QuestionnaireIn.model_fields}, payload)
    questionnaire = services.update_questionnaire(actor=request.auth, questionnaire_id=questionnaire_id,
                                                  version=payload.version, data=_input(QuestionnaireIn(**data)))
    return selectors.questionnaire_out(questionnaire)


@router.post("/questionnaires/{int:questionnaire_id}/copy", response={201: QuestionnaireOut, **ERRORS})
def copy_questionnaire(request, questionnaire_id: int):
    """An inactive copy to change freely: the next version of a questionnaire in use."""
    copy = services.copy_questionnaire(actor=request.auth, questionnaire_id=questionnaire_id)
    return Status(201, selectors.questionnaire_out(services.load_questionnaire(request.auth, copy.pk)))


@router.get("/questionnaires/{int:questionnaire_id}/results", response={200: ResultsOut, **ERRORS})
def questionnaire_results(request, questionnaire_id: int):
    """Counts per choice and scale point, CSAT (% of 4–5 and mean), NPS and per-agent figures."""
    services.require_designer(request.auth)
    return metrics.results(services.load_questionnaire(request.auth, questionnaire_id))


@router.get("/for-ticket/{int:ticket_id}", response={200: QuestionnaireOut | None, **ERRORS})
def questionnaire_for_ticket(request, ticket_id: int):
    """The questionnaire to take for this ticket (its type's, else the default), or null."""
    questionnaire = selectors.questionnaire_for_ticket(load_ticket(request.auth, ticket_id, field="ticket_id"))
    return selectors.questionnaire_out(questionnaire) if questionnaire else None


@router.post("/responses", response={201: ResponseOut, **ERRORS})
def record_response(request, payload: ResponseIn):
    """Answers taken on the phone: `answers` maps question ids to a choice key, a list of keys, a number or text."""
    response = services.record_response(actor=request.auth, questionnaire_id=payload.questionnaire_id,
                                        answers=payload.answers, ticket_id=payload.ticket_id,
                                        callback_task_id=payload.callback_task_id, via=payload.via)
    return Status(201, selectors.response_out(response))


@router.post("/invitations", response={201: InvitationOut, **ERRORS})
def send_invitation(request, payload: InvitationIn):
    """Text or email the customer a link to the questionnaire, or make one to paste into a chat."""
    invitation = services.send_invitation(actor=request.auth, questionnaire_id=payload.questionnaire_id,
                                          ticket_id=payload.ticket_id, channel=payload.channel)
    return Status(201, {"id": invitation.pk, "questionnaire": invitation.questionnaire_id,
                        "ticket_id": invitation.ticket_id, "channel": invitation.channel,
                        "expires_at": invitation.expires_at, "url": invitation.url})
