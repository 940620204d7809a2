"""Survey screens: questionnaires for designers, results, and taking or sending a survey on a ticket."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError, ValidationFailed
from kefu.surveys import metrics, selectors, services
from kefu.surveys.charts import bar_chart
from kefu.surveys.models import InviteChannel, QuestionKind, QuestionRole, Via
from kefu.surveys.validation import QuestionInput, QuestionnaireInput, answer_errors, answers_from_post
from kefu.tickets.models import TicketType
from kefu.tickets.services.common import load_ticket
from kefu.web.htmx import error_context, form_int, page, render

BLANK_ROWS = 3


def _question_inputs(post) -> list[QuestionInput]:
    """The question rows of the design form (q-<n>-text …), blank rows left out, in the order shown."""
    rows = post.get("rows", "")
    count = int(rows) if rows.isdigit() else 0  # the form's own hidden field: a tampered one just reads no rows
    questions = []
    for n in range(min(count, 60)):
        prefix = f"q-{n}-"
        text = post.get(prefix + "text", "").strip()
        if not text and not post.get(prefix + "text_en", "").strip():
            continue
        questions.append(QuestionInput(
            text=text, text_en=post.get(prefix + "text_en", ""), kind=post.get(prefix + "kind", ""),
            required=post.get(prefix + "required") == "on", role=post.get(prefix + "role", ""),
            choices=[line for line in post.get(prefix + "choices", "").splitlines() if line.strip()]))
    return questions


def _input(post) -> QuestionnaireInput:
    return QuestionnaireInput(title=post.get("title", ""), title_en=post.get("title_en", ""),
                              intro=post.get("intro", ""), intro_en=post.get("intro_en", ""),
                              active=post.get("active") == "on", ticket_types=post.getlist("ticket_types"),
                              questions=_question_inputs(post))


def _rows(questions: list, field_errors: dict, blanks: int = BLANK_ROWS) -> list[dict]:
    """Form rows for the questions given (inputs or saved questions) plus blank ones, each with its errors."""
    rows = []
    for n, q in enumerate(questions):
        choices = [c if isinstance(c, str) else (c["label"] + (f" | {c['label_en']}" if c.get("label_en") else ""))
                   for c in q.choices]
        prefix = f"questions[{n}]"
        errors = {key[len(prefix) + 1:].split("[")[0]: msg for key, msg in field_errors.items()
                  if key.startswith(prefix + ".")}
        rows.append({"n": n, "text": q.text, "text_en": q.text_en, "kind": q.kind, "required": q.required,
                     "role": q.role, "choices": "\n".join(choices), "errors": errors})
    rows += [{"n": len(questions) + i, "text": "", "text_en": "", "kind": QuestionKind.SCALE5, "required": False,
              "role": "", "choices": "", "errors": {}} for i in range(blanks)]
    return rows


def _form_context(questionnaire=None, *, data: QuestionnaireInput | None = None, field_errors=None,
                  blanks: int = BLANK_ROWS, **extra) -> dict:
    if data is None and questionnaire is not None:
        data = QuestionnaireInput(
            title=questionnaire.title, title_en=questionnaire.title_en, intro=questionnaire.intro,
            intro_en=questionnaire.intro_en, active=questionnaire.active,
            ticket_types=[t.code for t in questionnaire.ticket_types.all()],
            questions=list(questionnaire.questions.all()))
    data = data or QuestionnaireInput(title="", title_en="", active=True)
    rows = _rows(data.questions, field_errors or {}, blanks)
    return {"questionnaire": questionnaire, "values": data, "rows": rows, "row_count": len(rows),
            "kinds": QuestionKind.choices, "roles": QuestionRole.choices,
            "types": TicketType.objects.filter(active=True), "field_errors": field_errors or {}, **extra}


@login_required
@page
def manage(request):
    """Every questionnaire with its question and response counts."""
    services.require_designer(request.user)
    return render(request, "surveys/list.html",
                  {"questionnaires": selectors.manage_questionnaires(request.user)},
                  partial="surveys/partials/table.html")


def _save(request, questionnaire=None):
    """POST of the design form: `more` adds blank rows without saving; otherwise create or update."""
    data = _input(request.POST)
    if "more" in request.POST:
        return render(request, "surveys/edit.html", _form_context(questionnaire, data=data, blanks=BLANK_ROWS * 2),
                      partial="surveys/partials/form.html")
    try:
        if questionnaire is None:
            saved = services.create_questionnaire(actor=request.user, data=data)
        else:
            saved = services.update_questionnaire(actor=request.user, questionnaire_id=questionnaire.pk,
                                                  version=form_int(request.POST.get("version"), "version"),
                                                  data=data)
    except ServiceError as exc:
        context = error_context(exc)
        return render(request, "surveys/edit.html",
                      _form_context(questionnaire, data=data, **context, version=request.POST.get("version")),
                      partial="surveys/partials/form.html", status=exc.status)
    messages.success(request, _("Questionnaire saved."))
    return redirect("surveys:edit", saved.pk)


@login_required
@page
def create(request):
    services.require_designer(request.user)
    if request.method == "POST":
        return _save(request)
    return render(request, "surveys/edit.html", _form_context())


@login_required
@page
def edit(request, questionnaire_id: int):
    services.require_designer(request.user)
    questionnaire = services.load_questionnaire(request.user, questionnaire_id)
    if request.method == "POST":
        return _save(request, questionnaire)
    return render(request, "surveys/edit.html", _form_context(questionnaire, version=questionnaire.version))


@login_required
@require_POST
@page
def copy(request, questionnaire_id: int):
    """Make an inactive copy to change freely (the next version of a questionnaire in use)."""
    new = services.copy_questionnaire(actor=request.user, questionnaire_id=questionnaire_id)
    messages.success(request, _("Copied. Change the copy, then make it active and retire the old one."))
    return redirect("surveys:edit", new.pk)


@login_required
@page
def results(request, questionnaire_id: int):
    """Counts per choice and scale point, CSAT, NPS and per-agent figures, with server-drawn bar charts."""
    services.require_designer(request.user)
    questionnaire = services.load_questionnaire(request.user, questionnaire_id)
    data = metrics.results(questionnaire)
    for q in data["questions"]:
        q["chart"] = bar_chart([(r["label"], r["count"]) for r in q["counts"]], title=q["label"]) if q["counts"] \
            else ""
    agents_chart = bar_chart([(a["agent"], a["csat"]) for a in data["agents"] if a["csat"] is not None],
                             title=_("CSAT % per agent"), suffix="%", max_value=100)
    return render(request, "surveys/results.html", {"questionnaire": questionnaire, "data": data,
                                                    "agents_chart": agents_chart})


def _ticket_context(request, ticket, **extra) -> dict:
    questionnaire = selectors.questionnaire_for_ticket(ticket)
    return {"ticket": ticket, "questionnaire": questionnaire, "channels": InviteChannel.choices,
            "responses": selectors.responses_for_ticket(request.user, ticket), **extra}


@login_required
@page
def ticket_survey(request, ticket_id: int):
    """Take the ticket's survey on the phone, or send the customer a link to it."""
    services.require_handler(request.user)
    ticket = load_ticket(request.user, ticket_id)
    if request.method != "POST":
        return render(request, "surveys/ticket.html", _ticket_context(request, ticket))
    questionnaire = selectors.questionnaire_for_ticket(ticket)
    try:
        if questionnaire is None:
            raise ValidationFailed(_("No questionnaire applies to this ticket."), code="no_questionnaire",
                                   field="questionnaire_id")
        if request.POST.get("action") == "send":
            invitation = services.send_invitation(actor=request.user, questionnaire_id=questionnaire.pk,
                                                  ticket_id=ticket.pk, channel=request.POST.get("channel", ""))
            messages.success(request, _("Survey link made: %(url)s") % {"url": invitation.url})
        else:
            services.record_response(actor=request.user, questionnaire_id=questionnaire.pk, ticket_id=ticket.pk,
                                     answers=answers_from_post(questionnaire, request.POST), via=Via.CALLBACK)
            messages.success(request, _("Survey answers saved."))
    except ServiceError as exc:
        extra = error_context(exc)
        if isinstance(exc, ValidationFailed) and (exc.field or "").startswith("answers"):
            extra["field_errors"] = answer_errors(exc)
        return render(request, "surveys/ticket.html",
                      _ticket_context(request, ticket, survey_values=request.POST, **extra), status=exc.status)
    return redirect("surveys:ticket", ticket.pk)
