"""The callback screens: the agent's list and the pull button, the lead's pool and approvals, the call itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.models import User
from kefu.accounts.roles import CAN_HANDLE_TICKETS, Role
from kefu.callbacks import selectors, services
from kefu.callbacks.models import CallbackTask, Outcome
from kefu.callbacks.script import script_for
from kefu.core.pii import mask_phone
from kefu.surveys.models import Questionnaire
from kefu.surveys.selectors import questionnaire_for_ticket
from kefu.surveys.validation import answer_errors, answers_from_post
from kefu.tickets.models import TicketType
from kefu.tickets.timeline import timeline
from kefu.web.htmx import error_context, form_datetime, form_int, page, render, run_action

OUTCOMES = [(o.value, o.label) for o in Outcome if o not in (Outcome.CLOSED_UNREACHABLE, Outcome.CANCELLED)]


def _caller(user) -> None:
    if not user.can_take_calls():
        raise PermissionDenied


def _queue_context(user, **extra) -> dict:
    lead = user.can_supervise()
    agents = (User.objects.filter(is_active=True, role__in=CAN_HANDLE_TICKETS).exclude(role=Role.FIELD_CREW)
              .filter(team_id=user.team_id) if lead and user.team_id else User.objects.none())
    return {"mine": list(selectors.my_tasks(user)[:selectors.LIST_LIMIT]),
            "pool": list(selectors.team_pool(user)[:selectors.LIST_LIMIT]),
            "team_open": list(selectors.team_open(user)[:selectors.LIST_LIMIT]) if lead else [],
            "approvals": list(selectors.awaiting_approval(user)[:selectors.LIST_LIMIT]) if lead else [],
            "is_lead": lead, "agents": list(agents.order_by("agent_no")), "posted": {}, "form": "", **extra}


@login_required
@page
def queue(request):
    _caller(request.user)
    return render(request, "callbacks/queue.html", _queue_context(request.user))


@login_required
@require_POST
@page
def pull(request):
    _caller(request.user)
    task = services.pull_next(actor=request.user)
    if task is None:
        return render(request, "callbacks/queue.html", _queue_context(request.user, empty_pull=True))
    return redirect("callbacks:task", task.pk)


def _refused_queue(request, task_id: int):
    return lambda exc: render(request, "callbacks/queue.html",
                              _queue_context(request.user, posted=request.POST, error_task=task_id,
                                             **error_context(exc)), status=exc.status)


@login_required
@require_POST
@page
def assign(request, task_id: int):
    post = request.POST
    calls = {"assign": lambda: services.assign_task(
        actor=request.user, task_id=task_id, version=form_int(post.get("version"), "version"),
        assignee_id=form_int(post.get("assignee_id"), "assignee_id") or 0)}
    return run_action(calls, "assign", _refused_queue(request, task_id)) or redirect("callbacks:queue")


def _phones(ticket) -> list[dict]:
    """The numbers to call, masked, each with its audited reveal: the ticket's own contact phone, else the
    customer's phones (primary first) — a ticket typed without a number still has a customer who has one."""
    if ticket.contact_phone:
        return [{"masked": mask_phone(ticket.contact_phone), "label": "", "dom_id": "contact-phone",
                 "reveal_url": reverse("tickets:reveal_phone", args=[ticket.pk])}]
    if not ticket.customer_id:
        return []
    return [{"masked": c.masked_value, "label": c.get_kind_display(), "dom_id": f"contact-{c.pk}",
             "reveal_url": reverse("customers:reveal_contact", args=[ticket.customer_id, c.pk])}
            for c in ticket.customer.contacts.all() if c.is_sensitive]


def _task_context(user, task: CallbackTask, **extra) -> dict:
    ticket = task.ticket
    questionnaire = questionnaire_for_ticket(ticket) if task.state == "open" else None
    # The whole handling history on the call screen: the agent reads out a result and must be able to
    # answer "and what about …?" without leaving the call. The same events give the script its result.
    events = list(ticket.events.select_related("actor").order_by("created_at", "id"))
    messages = {m.pk: m for m in ticket.messages.all()}
    return {"task": task, "ticket": ticket, "script": script_for(ticket, user, events), "outcomes": OUTCOMES,
            "entries": timeline(events, messages),
            "questionnaire": questionnaire,
            "phones": _phones(ticket), "can_reveal": user.can_reveal_pii(),
            "types": TicketType.objects.filter(active=True).order_by("position", "id"),
            "can_record": task.state == "open" and (task.assignee_id == user.pk or user.can_supervise()),
            "can_approve": task.state == "awaiting_approval" and user.can_supervise(),
            "posted": {}, "form": "", **extra}


def _load(user, task_id: int) -> CallbackTask:
    task = selectors.task_for(user, task_id)
    if task is None:
        raise Http404
    return task


@login_required
@page
def task(request, task_id: int):
    _caller(request.user)
    return render(request, "callbacks/task.html", _task_context(request.user, _load(request.user, task_id)))


def _survey_input(post) -> services.SurveyAnswers | None:
    """The survey fields of the call screen, if the agent asked any of the questions."""
    questionnaire_id = form_int(post.get("questionnaire_id"), "questionnaire_id")
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).first() if questionnaire_id else None
    if questionnaire is None:
        return None
    answers = answers_from_post(questionnaire, post)
    if not any(v not in ("", [], None) for v in answers.values()):
        return None  # the customer declined the survey: the outcome stands without it
    return services.SurveyAnswers(questionnaire_id=questionnaire.pk, answers=answers)


def _outcome_input(post) -> services.OutcomeInput:
    follow_up = None
    if post.get("follow_up_title", "").strip():
        follow_up = services.FollowUpCase(title=post["follow_up_title"],
                                          description=post.get("follow_up_description", ""),
                                          type=post.get("follow_up_type") or "inquiry")
    return services.OutcomeInput(outcome=post.get("outcome", ""), note=post.get("note", ""),
                                 answer=post.get("answer", ""), follow_up=follow_up,
                                 call_at=form_datetime(post.get("call_at", ""), "call_at"), survey=_survey_input(post))


@login_required
@require_POST
@page
def act(request, task_id: int, action: str):
    _caller(request.user)
    post = request.POST

    def version():
        return form_int(post.get("version"), "version")

    calls = {
        "outcome": lambda: services.record_outcome(actor=request.user, task_id=task_id, version=version(),
                                                   data=_outcome_input(post)),
        "approve": lambda: services.decide_unreachable(actor=request.user, task_id=task_id, version=version(),
                                                       approve=post.get("approve") == "yes",
                                                       reason=post.get("reason", "")),
    }

    def refused(exc):
        errors = error_context(exc)
        if exc.field and exc.field.startswith("answers."):  # every bad answer under its question
            errors["field_errors"] = answer_errors(exc)
        context = _task_context(request.user, _load(request.user, task_id), posted=post, form=action, **errors)
        return render(request, "callbacks/task.html", context, status=exc.status)

    refusal = run_action(calls, action, refused)
    if refusal is not None:
        return refusal
    if action == "outcome":
        # Say that it was recorded, and go straight on to the agent's next call instead of the list.
        messages.success(request, _("Outcome recorded for %(number)s.") % {"number": _load(request.user, task_id)
                                                                         .ticket.number})
        following = selectors.my_tasks(request.user).exclude(pk=task_id).first()
        if following is not None:
            return redirect("callbacks:task", following.pk)
    return redirect("callbacks:queue")
