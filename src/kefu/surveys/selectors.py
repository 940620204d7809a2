"""Reading questionnaires: the one for a ticket, the designers' list, the API shape."""

from django.db.models import Count

from kefu.surveys.models import QuestionKind, Questionnaire, Response
from kefu.tickets.models import Ticket


def questionnaire_for_ticket(ticket: Ticket) -> Questionnaire | None:
    """The active questionnaire for the ticket's type, else the default one (no types); newest first."""
    base = Questionnaire.objects.filter(active=True).prefetch_related("questions").order_by("-created_at", "-id")
    specific = base.filter(ticket_types=ticket.ticket_type_id).first()
    if specific is not None:
        return specific
    return base.filter(ticket_types__isnull=True).first()


def manage_questionnaires(user, *, active: bool | None = None) -> list[Questionnaire]:
    """The questionnaires the user may see with their question and response counts, for the list screen."""
    qs = (Questionnaire.objects.visible_to(user).prefetch_related("ticket_types")
          .annotate(question_count=Count("questions", distinct=True),
                    response_count=Count("responses", distinct=True)))
    if active is not None:
        qs = qs.filter(active=active)
    return list(qs.order_by("-active", "-created_at", "-id")[:500])


def responses_for_ticket(user, ticket: Ticket) -> list[Response]:
    """The answers given about one ticket, newest first (the ticket was loaded through visible_to)."""
    return list(Response.objects.filter(ticket_id=ticket.pk).select_related("questionnaire", "taken_by")
                .order_by("-created_at", "-id")[:50])


def question_out(q) -> dict:
    return {"id": q.pk, "position": q.position, "text": q.text, "text_en": q.text_en, "kind": q.kind,
            "required": q.required, "role": q.role, "field": q.field_name,
            "choices": [{"key": c["key"], "label": c["label"], "label_en": c.get("label_en", "")}
                        for c in q.choices]}


def questionnaire_out(q: Questionnaire) -> dict:
    return {"id": q.pk, "title": q.title, "title_en": q.title_en, "intro": q.intro, "intro_en": q.intro_en,
            "active": q.active, "ticket_types": sorted(t.code for t in q.ticket_types.all()),
            "questions": [question_out(x) for x in q.questions.all()], "version": q.version,
            "created_at": q.created_at, "updated_at": q.updated_at}


def response_out(r: Response) -> dict:
    return {"id": r.pk, "questionnaire": r.questionnaire_id, "ticket_id": r.ticket_id,
            "callback_task_id": r.callback_task_id, "via": r.via, "agent_id": r.agent_id,
            "taken_by_id": r.taken_by_id, "csat": r.csat, "nps": r.nps, "created_at": r.created_at,
            "answers": _answers_of(r)}


def _answers_of(r: Response) -> dict[str, object]:
    answers: dict[str, object] = {}
    for a in r.answers.select_related("question"):
        key = str(a.question_id)
        if a.choice:
            if a.question.kind == QuestionKind.MULTIPLE:
                answers.setdefault(key, []).append(a.choice)
            else:
                answers[key] = a.choice
        elif a.number is not None:
            answers[key] = a.number
        else:
            answers[key] = a.text
    return answers

