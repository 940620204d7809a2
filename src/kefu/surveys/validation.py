"""Checks on questionnaires and on answers; each raises ValidationFailed naming the field."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed
from kefu.surveys.models import Question, QuestionKind, QuestionRole
from kefu.tickets.models import TicketType

MAX_QUESTIONS = 50
MAX_CHOICES = 20
MAX_TEXT_ANSWER = 2000
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
ROLE_KIND = {QuestionRole.CSAT: QuestionKind.SCALE5, QuestionRole.NPS: QuestionKind.SCALE10}


@dataclass
class QuestionInput:
    """One question as the designer gives it; choices are labels, "label | English label" or dicts."""

    text: str
    text_en: str = ""
    kind: str = QuestionKind.SINGLE
    required: bool = False
    choices: list = field(default_factory=list)
    role: str = ""


@dataclass
class QuestionnaireInput:
    """A whole questionnaire: titles, scope (ticket type codes) and the questions in order."""

    title: str
    title_en: str
    intro: str = ""
    intro_en: str = ""
    active: bool = True
    ticket_types: list[str] = field(default_factory=list)
    questions: list[QuestionInput] = field(default_factory=list)


def _text(value, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise ValidationFailed(_("Enter text."), code="invalid", field=field)
    if required and not value:
        raise ValidationFailed(_("This field is required."), code="required", field=field)
    if len(value) > limit:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": limit}, code="too_long",
                               field=field, params={"max_length": limit})
    return value


def _choice(raw, *, field: str) -> tuple[str, str]:
    if isinstance(raw, dict):
        label, label_en = raw.get("label"), raw.get("label_en") or ""
    elif isinstance(raw, str):
        label, _sep, label_en = raw.partition("|")
    else:
        raise ValidationFailed(_("A choice is a text."), code="invalid", field=field)
    return _text(label, field=field, limit=100), _text(label_en, field=field, limit=100, required=False)


def clean_choices(kind: str, choices, *, field: str) -> list[dict]:
    """[{key, label, label_en}] with keys 1, 2, 3 … by position; choices only for choice questions."""
    choices = [c for c in (choices or []) if not (isinstance(c, str) and not c.strip())]
    if kind not in CHOICE_KINDS:
        if choices:
            raise ValidationFailed(_("Only choice questions have choices."), code="invalid", field=field)
        return []
    if len(choices) < 2:
        raise ValidationFailed(_("Give at least two choices."), code="too_few_choices", field=field)
    if len(choices) > MAX_CHOICES:
        raise ValidationFailed(_("At most %(limit)s choices.") % {"limit": MAX_CHOICES}, code="too_many_choices",
                               field=field)
    cleaned = []
    for index, raw in enumerate(choices):
        label, label_en = _choice(raw, field=f"{field}[{index}]")
        if any(c["label"] == label for c in cleaned):
            raise ValidationFailed(_("This choice appears twice."), code="duplicate", field=f"{field}[{index}]")
        cleaned.append({"key": str(index + 1), "label": label, "label_en": label_en})
    return cleaned


def _clean_question(q: QuestionInput, index: int) -> dict:
    where = f"questions[{index}]"
    kind = q.kind
    if kind not in QuestionKind.values:
        raise ValidationFailed(_("Unknown kind."), code="invalid_choice", field=f"{where}.kind",
                               params={"allowed": list(QuestionKind.values)})
    role = q.role or ""
    if role not in QuestionRole.values:
        raise ValidationFailed(_("Unknown role."), code="invalid_choice", field=f"{where}.role")
    if role and ROLE_KIND[role] != kind:
        message = (_("The CSAT question is a 1–5 scale.") if role == QuestionRole.CSAT
                   else _("The NPS question is a 0–10 scale."))
        raise ValidationFailed(message, code="role_needs_scale", field=f"{where}.role")
    return {"position": index, "text": _text(q.text, field=f"{where}.text", limit=300),
            "text_en": _text(q.text_en, field=f"{where}.text_en", limit=300, required=False),
            "kind": kind, "required": bool(q.required), "role": role,
            "choices": clean_choices(kind, q.choices, field=f"{where}.choices")}


def clean_questionnaire(data: QuestionnaireInput) -> tuple[dict, list[TicketType], list[dict]]:
    """The questionnaire's own fields, its ticket types and its questions, all checked; nothing is written."""
    fields = {"title": _text(data.title, field="title", limit=100),
              "title_en": _text(data.title_en, field="title_en", limit=100),
              "intro": _text(data.intro, field="intro", limit=500, required=False),
              "intro_en": _text(data.intro_en, field="intro_en", limit=500, required=False),
              "active": bool(data.active)}
    codes = sorted(set(data.ticket_types or []))
    types = list(TicketType.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {t.code for t in types})
    if unknown:
        raise ValidationFailed(_("No such ticket type: %(codes)s.") % {"codes": ", ".join(unknown)},
                               code="unknown_type", field="ticket_types", params={"unknown": unknown})
    if not data.questions:
        raise ValidationFailed(_("Add at least one question."), code="required", field="questions")
    if len(data.questions) > MAX_QUESTIONS:
        raise ValidationFailed(_("At most %(limit)s questions.") % {"limit": MAX_QUESTIONS}, code="too_many",
                               field="questions")
    questions = [_clean_question(q, i) for i, q in enumerate(data.questions)]
    for role in (QuestionRole.CSAT, QuestionRole.NPS):
        marked = [i for i, q in enumerate(questions) if q["role"] == role]
        if len(marked) > 1:
            raise ValidationFailed(_("Only one question can be the %(role)s question.") % {"role": role.upper()},
                                   code="duplicate_role", field=f"questions[{marked[1]}].role")
    return fields, types, questions


def shape(questions) -> list[tuple]:
    """What answers depend on: order, kind, required, role and choice keys (not the wording)."""
    def get(q, name):
        return q[name] if isinstance(q, dict) else getattr(q, name)

    return [(get(q, "kind"), bool(get(q, "required")), get(q, "role") or "",
             [c["key"] for c in get(q, "choices")]) for q in questions]


# -- answers ---------------------------------------------------------------------------------------------


def _missing(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _clean_answer(q: Question, value):
    """The answer to one question in its stored form (key, [keys], int or text); raises naming no field."""
    if q.kind == QuestionKind.SINGLE:
        if not isinstance(value, str) or value not in {c["key"] for c in q.choices}:
            raise ValidationFailed(_("Choose one of the offered answers."), code="invalid_choice")
        return value
    if q.kind == QuestionKind.MULTIPLE:
        values = [value] if isinstance(value, str) else value
        keys = {c["key"] for c in q.choices}
        if not isinstance(values, list) or any(not isinstance(v, str) or v not in keys for v in values):
            raise ValidationFailed(_("Choose among the offered answers."), code="invalid_choice")
        return [c["key"] for c in q.choices if c["key"] in values]  # in the questionnaire's order, once each
    if q.kind in (QuestionKind.SCALE5, QuestionKind.SCALE10):
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str)
                                                                       and value.strip().isdigit())):
            raise ValidationFailed(_("Enter a whole number."), code="invalid")
        number = int(value)
        if number not in q.scale:
            raise ValidationFailed(_("Give a number from %(low)s to %(high)s.") % {
                "low": q.scale.start, "high": q.scale.stop - 1}, code="out_of_range",
                params={"min": q.scale.start, "max": q.scale.stop - 1})
        return number
    if not isinstance(value, str):
        raise ValidationFailed(_("Enter text."), code="invalid")
    if len(value.strip()) > MAX_TEXT_ANSWER:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": MAX_TEXT_ANSWER}, code="too_long")
    return value.strip()


def clean_answers(questions: list[Question], answers) -> dict[int, object]:
    """Every answer checked against its question: {question id: value}; unanswered optional ones left out.

    Raises ValidationFailed for the first bad answer, its field `answers.<question id>`; params.errors lists
    every bad answer so that a form can show them all at once."""
    if not isinstance(answers, dict):
        raise ValidationFailed(_("Answers are an object of question ids and values."), code="invalid",
                               field="answers")
    by_id = {str(q.pk): q for q in questions}
    errors, cleaned = [], {}
    for key in answers:
        if str(key) not in by_id:
            errors.append({"field": f"answers.{key}", "code": "unknown_question",
                           "message": str(_("This question is not in the questionnaire."))})
    given = {str(k): v for k, v in answers.items()}
    for q in questions:
        value = given.get(str(q.pk))
        if _missing(value):
            if q.required:
                errors.append({"field": f"answers.{q.pk}", "code": "required",
                               "message": str(_("This question needs an answer."))})
            continue
        try:
            cleaned[q.pk] = _clean_answer(q, value)
        except ValidationFailed as exc:
            errors.append({"field": f"answers.{q.pk}", "code": exc.code, "message": str(exc.message)})
    if errors:
        first = errors[0]
        raise ValidationFailed(first["message"], code=first["code"], field=first["field"], params={"errors": errors})
    return cleaned


def answers_from_post(questionnaire, post) -> dict[str, object]:
    """The answers of the take partial's fields (q_<id>) in a POST, as record_response() takes them."""
    answers: dict[str, object] = {}
    for q in questionnaire.questions.all():
        if q.kind == QuestionKind.MULTIPLE:
            answers[str(q.pk)] = post.getlist(q.field_name)
        else:
            answers[str(q.pk)] = post.get(q.field_name, "")
    return answers


def answer_errors(exc: ValidationFailed) -> dict[str, str]:
    """Every bad answer of a refused response as {field: message}, for the take partial's field_errors."""
    errors = {e["field"]: e["message"] for e in exc.params.get("errors", []) if e.get("field")}
    if exc.field and exc.field not in errors:
        errors[exc.field] = str(exc.message)
    return errors
