"""Every change to surveys: design questionnaires, record answers, send links and take their answers."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from kefu.surveys.events import survey_answered_event, survey_sent_event
from kefu.surveys.models import (
    Answer,
    Invitation,
    InviteChannel,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionRole,
    Response,
    Via,
    is_designer,
)
from kefu.surveys.validation import QuestionnaireInput, clean_answers, clean_questionnaire, shape
from kefu.tickets.models import Ticket
from kefu.tickets.services.common import load_ticket, require_handler


class Gone(ServiceError):
    """The link existed but can no longer be answered (expired)."""

    status = 410
    default_code = "link_expired"


def require_designer(actor: User | None) -> None:
    # actor=None is the operator at the command line or a trusted system task.
    if actor is not None and not is_designer(actor):
        raise Forbidden(_("Only team leads, supervisors and administrators design questionnaires."),
                        code="cannot_design_surveys")


def load_questionnaire(actor: User | None, questionnaire_id: int, *, field: str = "questionnaire_id",
                       active: bool = False) -> Questionnaire:
    """The questionnaire as the actor may see it, questions prefetched; `active` refuses a retired one."""
    qs = Questionnaire.objects.prefetch_related("questions", "ticket_types")
    if actor is not None:
        qs = qs.visible_to(actor)
    questionnaire = qs.filter(pk=questionnaire_id).first()
    if questionnaire is None:
        raise NotFound(_("No such questionnaire."), field=field)
    if active and not questionnaire.active:
        raise ValidationFailed(_("This questionnaire is no longer in use."), code="questionnaire_inactive",
                               field=field)
    return questionnaire


def _write_questions(questionnaire: Questionnaire, questions: list[dict]) -> None:
    Question.objects.bulk_create([Question(questionnaire=questionnaire, **q) for q in questions])


@transaction.atomic
def create_questionnaire(*, actor: User | None, data: QuestionnaireInput,
                         now: datetime | None = None) -> Questionnaire:
    """Design a new questionnaire with its questions; any bad field refuses the whole of it."""
    require_designer(actor)
    fields, types, questions = clean_questionnaire(data)
    at = now or timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    questionnaire = Questionnaire.objects.create(**fields, created_by=who, updated_by=who, created_at=at,
                                                 updated_at=at)
    questionnaire.ticket_types.set(types)
    _write_questions(questionnaire, questions)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="questionnaire", target_id=questionnaire.pk,
           params={"op": "created", "questions": len(questions)})
    return questionnaire


@transaction.atomic
def update_questionnaire(*, actor: User | None, questionnaire_id: int, version: int | None,
                         data: QuestionnaireInput, now: datetime | None = None) -> Questionnaire:
    """Change a questionnaire if nobody changed it since `version`.

    Once it has answers, its questions keep their order, kinds, choices and roles (their wording may be
    corrected): the answers given and the figures computed from them stay about the questions asked. To ask
    something else, copy it (copy_questionnaire) and retire the old one."""
    require_designer(actor)
    questionnaire = load_questionnaire(actor, questionnaire_id)
    if version is None:
        raise ValidationFailed(_("Send the version you are changing."), code="required", field="version")
    fields, types, questions = clean_questionnaire(data)
    current = list(questionnaire.questions.all())
    in_use = Response.objects.filter(questionnaire_id=questionnaire.pk).exists()
    if in_use and shape(current) != shape(questions):
        raise ValidationFailed(
            _("This questionnaire has answers: only the wording of its questions can change. "
              "Copy it to ask different questions."), code="questionnaire_in_use", field="questions")
    updated = Questionnaire.objects.filter(pk=questionnaire.pk, version=version).update(
        version=F("version") + 1, updated_by=actor if getattr(actor, "pk", None) else None,
        updated_at=now or timezone.now(), **fields)
    if not updated:
        raise Conflict(_("Someone else changed this questionnaire since you opened it. Reload and try again."),
                       field="version", params={"current_version": questionnaire.version, "your_version": version})
    questionnaire.ticket_types.set(types)
    if in_use:  # same shape: reword in place, keeping the ids the answers point to
        for old, new in zip(current, questions, strict=True):
            Question.objects.filter(pk=old.pk).update(text=new["text"], text_en=new["text_en"],
                                                      choices=new["choices"])
    else:
        Question.objects.filter(questionnaire=questionnaire).delete()
        _write_questions(questionnaire, questions)
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="questionnaire", target_id=questionnaire.pk,
           params={"op": "changed", "questions": len(questions)})
    return load_questionnaire(actor, questionnaire.pk)


@transaction.atomic
def copy_questionnaire(*, actor: User | None, questionnaire_id: int, now: datetime | None = None) -> Questionnaire:
    """A new, inactive copy of a questionnaire to change freely (the next version of one in use)."""
    require_designer(actor)
    source = load_questionnaire(actor, questionnaire_id)
    at = now or timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    copy = Questionnaire.objects.create(
        title=_copy_title(source.title),
        title_en=_copy_title(source.title_en), intro=source.intro, intro_en=source.intro_en, active=False,
        created_by=who, updated_by=who, created_at=at, updated_at=at)
    copy.ticket_types.set(source.ticket_types.all())
    _write_questions(copy, [{"position": q.position, "text": q.text, "text_en": q.text_en, "kind": q.kind,
                             "required": q.required, "choices": q.choices, "role": q.role}
                            for q in source.questions.all()])
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="questionnaire", target_id=copy.pk,
           params={"op": "copied", "from": source.pk})
    return copy


def _copy_title(title: str) -> str:
    suffix = " (2)"
    return title[: 100 - len(suffix)] + suffix


# -- answers ---------------------------------------------------------------------------------------------


def _scores(questions: list[Question], cleaned: dict[int, object]) -> tuple[int | None, int | None]:
    csat = nps = None
    for q in questions:
        if q.role == QuestionRole.CSAT and q.pk in cleaned:
            csat = cleaned[q.pk]
        elif q.role == QuestionRole.NPS and q.pk in cleaned:
            nps = cleaned[q.pk]
    return csat, nps


def _answer_rows(response: Response, questions: list[Question], cleaned: dict[int, object]) -> list[Answer]:
    rows = []
    for q in questions:
        if q.pk not in cleaned:
            continue
        value = cleaned[q.pk]
        if q.kind == QuestionKind.MULTIPLE:
            rows.extend(Answer(response=response, question=q, choice=key) for key in value)
        elif q.kind == QuestionKind.SINGLE:
            rows.append(Answer(response=response, question=q, choice=value))
        elif q.kind == QuestionKind.TEXT:
            rows.append(Answer(response=response, question=q, text=value))
        else:
            rows.append(Answer(response=response, question=q, number=value))
    return rows


def _store(*, questionnaire: Questionnaire, questions: list[Question], cleaned: dict, ticket: Ticket | None,
           via: str, actor: User | None, callback_task_id: int | None, at: datetime) -> Response:
    csat, nps = _scores(questions, cleaned)
    agent_id = ticket.assignee_id if ticket else getattr(actor, "pk", None)
    response = Response.objects.create(
        questionnaire=questionnaire, ticket=ticket, callback_task_id=callback_task_id, via=via, agent_id=agent_id,
        taken_by=actor if getattr(actor, "pk", None) else None, csat=csat, nps=nps, created_at=at)
    Answer.objects.bulk_create(_answer_rows(response, questions, cleaned))
    if ticket is not None:
        # Appending a survey answer overwrites nothing on the ticket: no version bump, like a follow-up.
        survey_answered_event(ticket=ticket, response=response, questionnaire=questionnaire, via=via, csat=csat,
                              nps=nps, actor=actor, at=at)
    return response


@transaction.atomic
def record_response(*, actor: User | None, questionnaire_id: int, answers: dict, ticket_id: int | None = None,
                    callback_task_id: int | None = None, via: str, now: datetime | None = None) -> Response:
    """Store the answers an agent took on the phone (during a callback or a campaign call)."""
    require_handler(actor)
    if via not in (Via.CALLBACK, Via.CAMPAIGN):
        raise ValidationFailed(_("Answers are taken during a callback or a campaign call; a link is answered "
                                 "by the customer."), code="invalid_choice", field="via",
                               params={"allowed": [Via.CALLBACK, Via.CAMPAIGN]})
    if callback_task_id is not None and (isinstance(callback_task_id, bool) or not isinstance(callback_task_id, int)
                                         or callback_task_id < 1):
        raise ValidationFailed(_("Enter a whole number."), code="invalid", field="callback_task_id")
    questionnaire = load_questionnaire(actor, questionnaire_id, active=True)
    ticket = load_ticket(actor, ticket_id, field="ticket_id") if ticket_id is not None else None
    questions = list(questionnaire.questions.all())
    cleaned = clean_answers(questions, answers)
    return _store(questionnaire=questionnaire, questions=questions, cleaned=cleaned, ticket=ticket, via=via,
                  actor=actor, callback_task_id=callback_task_id, at=now or timezone.now())


# -- links -----------------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(token: str) -> str:
    """The absolute address of the public page for this token (KEFU_PUBLIC_URL + /s/<token>/)."""
    return settings.PUBLIC_URL.rstrip("/") + reverse("survey_public:take", args=[token])


def _address(ticket: Ticket, channel: str) -> str:
    """Where the link goes: the ticket's contact mobile (else the customer's), or the customer's email."""
    from kefu.customers.models import ContactPoint

    if channel == InviteChannel.CHAT:
        return ""
    kinds = [ContactPoint.Kind.MOBILE] if channel == InviteChannel.SMS else [ContactPoint.Kind.EMAIL]
    if channel == InviteChannel.SMS and ticket.contact_phone.startswith("1"):
        return ticket.contact_phone
    if ticket.customer_id:
        contact = ticket.customer.contacts.filter(kind__in=kinds).order_by("-is_primary", "id").first()
        if contact:
            return contact.value
    message = (_("This ticket has no mobile number to text the link to.") if channel == InviteChannel.SMS
               else _("The ticket's customer has no email address."))
    raise ValidationFailed(message, code="no_address", field="channel")


def _queue_message(ticket: Ticket, channel: str, url: str, days: int, at: datetime) -> None:
    from kefu.notify.services import queue_notification

    # The customer reads it in the center's language, whatever the agent's screen is set to.
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("How did we do? %(number)s") % {"number": ticket.number})
        body = str(_("Thank you for contacting us about %(number)s. Please tell us how we did: %(url)s "
                     "(valid for %(days)s days).") % {"number": ticket.number, "url": url, "days": days})
    queue_notification(channel=channel, address=_address(ticket, channel), kind="survey_invitation",
                       subject=subject, body=body, ticket=ticket,
                       params={"ticket": ticket.number, "url": url, "days": days}, now=at)


@transaction.atomic
def send_invitation(*, actor: User | None, questionnaire_id: int, ticket_id: int, channel: str,
                    now: datetime | None = None) -> Invitation:
    """Send the customer a link to answer a questionnaire (SMS, email) or make one to paste into a chat.

    The returned invitation carries `.token` and `.url` in memory only: the database keeps the token's hash."""
    require_handler(actor)
    if channel not in InviteChannel.values:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="channel",
                               params={"allowed": list(InviteChannel.values)})
    questionnaire = load_questionnaire(actor, questionnaire_id, active=True)
    ticket = load_ticket(actor, ticket_id, field="ticket_id")
    at = now or timezone.now()
    days = settings.SURVEY_LINK_DAYS
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        questionnaire=questionnaire, ticket=ticket, channel=channel, token_hash=hash_token(token),
        sent_by=actor if getattr(actor, "pk", None) else None, created_at=at, expires_at=at + timedelta(days=days))
    invitation.token, invitation.url = token, link_for(token)
    if channel != InviteChannel.CHAT:
        _queue_message(ticket, channel, invitation.url, days, at)
    survey_sent_event(ticket=ticket, invitation=invitation, questionnaire=questionnaire, channel=channel,
                      actor=actor, at=at)
    return invitation


def invitation_for_token(token: str, *, now: datetime | None = None) -> Invitation:
    """The invitation of a public link: 404 for an unknown token, 410 once expired (answered ones are kept)."""
    invitation = (Invitation.objects.select_related("questionnaire", "ticket")
                  .prefetch_related("questionnaire__questions").filter(token_hash=hash_token(token or "")).first())
    if invitation is None:
        raise NotFound(_("No such survey."), field="token")
    if invitation.answered_at is None and invitation.is_expired(now):
        raise Gone(_("This survey link has expired."), field="token")
    return invitation


@transaction.atomic
def answer_invitation(*, token: str, answers: dict, now: datetime | None = None) -> Response:
    """The customer's answers through a link: once, before it expires, checked like any other answers."""
    at = now or timezone.now()
    invitation = invitation_for_token(token, now=at)
    questions = list(invitation.questionnaire.questions.all())
    if invitation.answered_at is not None:
        raise Conflict(_("This survey has already been answered. Thank you."), code="already_answered",
                       field="token")
    cleaned = clean_answers(questions, answers)
    # Two submissions of the same link (a double tap, two tabs) can both get this far: the conditional
    # UPDATE lets exactly one of them claim the invitation; the other changes nothing and is refused.
    claimed = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True, expires_at__gt=at).update(
        answered_at=at)
    if not claimed:
        raise Conflict(_("This survey has already been answered. Thank you."), code="already_answered",
                       field="token")
    ticket = Ticket.objects.filter(pk=invitation.ticket_id).first()
    response = _store(questionnaire=invitation.questionnaire, questions=questions, cleaned=cleaned, ticket=ticket,
                      via=Via.LINK, actor=None, callback_task_id=None, at=at)
    Invitation.objects.filter(pk=invitation.pk).update(response=response)
    return response
