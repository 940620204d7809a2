"""Every button on the ticket page: one POST view each, calling the same service the API calls.

Success redirects back to the ticket (post/redirect/get; htmx follows it and swaps the ticket in place).
A refusal shows the ticket again with the error beside the form that caused it, the typed text kept, and the
service's status code: 422 for bad input, 409 when someone else changed the ticket first.
"""


from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import Conflict, ServiceError, ValidationFailed
from kefu.tickets import services
from kefu.tickets.views.common import int_or_none
from kefu.tickets.views.detail import ticket_context
from kefu.web.htmx import error_context, form_datetime, page, render


def _version(post) -> int:
    version = int_or_none(post.get("version"), "version")
    if version is None:
        raise ValidationFailed(_("This field is required."), code="required", field="version")
    return version


def _reply(request, ticket_id):
    kind = request.POST.get("kind", "reply")
    services.add_message(actor=request.user, ticket_id=ticket_id, kind=kind, body=request.POST.get("body", ""),
                         version=_version(request.POST))


def _transition(request, ticket_id):
    services.transition_ticket(actor=request.user, ticket_id=ticket_id, version=_version(request.POST),
                               to=request.POST.get("to", ""), reason=request.POST.get("reason", ""))


def _reopen(request, ticket_id):
    services.reopen_ticket(actor=request.user, ticket_id=ticket_id, version=_version(request.POST),
                           reason=request.POST.get("reason", ""))


def _assign(request, ticket_id):
    services.assign_ticket(actor=request.user, ticket_id=ticket_id, version=_version(request.POST),
                           team_id=int_or_none(request.POST.get("team_id"), "team_id"),
                           assignee_id=int_or_none(request.POST.get("assignee_id"), "assignee_id"))


def _dispatch(request, ticket_id):
    team_id = int_or_none(request.POST.get("team_id"), "team_id")
    if team_id is None:
        raise ValidationFailed(_("Choose a team."), code="required", field="team_id")
    post = request.POST
    services.dispatch_ticket(actor=request.user, ticket_id=ticket_id, version=_version(post), team_id=team_id,
                             appointment_start=form_datetime(post.get("appointment_start"), "appointment_start"),
                             appointment_end=form_datetime(post.get("appointment_end"), "appointment_end"),
                             note=request.POST.get("note", ""))


def _link(request, ticket_id):
    other = int_or_none(request.POST.get("other_id", "").lstrip("#"), "other_id")
    if other is None:
        raise ValidationFailed(_("Enter a ticket number."), code="required", field="other_id")
    services.link_tickets(actor=request.user, ticket_id=ticket_id, other_id=other,
                          kind=request.POST.get("kind", "related"))


def _merge(request, ticket_id):
    into = int_or_none(request.POST.get("into_id", "").lstrip("#"), "into_id")
    if into is None:
        raise ValidationFailed(_("Enter a ticket number."), code="required", field="into_id")
    services.merge_ticket(actor=request.user, ticket_id=ticket_id, version=_version(request.POST), into_id=into)


def _arrive(request, ticket_id):
    services.record_arrival(actor=request.user, ticket_id=ticket_id, version=_version(request.POST),
                            note=request.POST.get("note", ""))


def _complete(request, ticket_id):
    services.complete_field_work(actor=request.user, ticket_id=ticket_id, version=_version(request.POST),
                                 result=request.POST.get("result", ""), notes=request.POST.get("notes", ""))


def _complaint(request, ticket_id):
    post = request.POST
    services.record_complaint_findings(
        actor=request.user, ticket_id=ticket_id, version=_version(post),
        responsible_party=post.get("responsible_party", ""), content=post.get("content", ""),
        result=post.get("result", ""),
        responsible_team_id=int_or_none(post.get("responsible_team_id"), "responsible_team_id"))


def _override(request, ticket_id):
    services.override_close(actor=request.user, ticket_id=ticket_id, version=_version(request.POST),
                            reason=request.POST.get("reason", ""))


def _refer(request, ticket_id):
    manager = int_or_none(request.POST.get("manager_id"), "manager_id")
    if manager is None:
        raise ValidationFailed(_("Choose a manager."), code="required", field="manager_id")
    services.refer_to_manager(actor=request.user, ticket_id=ticket_id, manager_id=manager,
                              question=request.POST.get("question", ""))


def _decide(request, ticket_id):
    referral = int_or_none(request.POST.get("referral_id"), "referral_id")
    if referral is None:
        raise ValidationFailed(_("This field is required."), code="required", field="referral_id")
    services.decide_referral(actor=request.user, referral_id=referral, decision=request.POST.get("decision", ""))


_EDITABLE_TEXT = ("title", "description", "reporter_name", "location", "cause", "handling", "contact_phone")


def _edit(request, ticket_id):
    """The 5W1H record and custom fields; only what the agent changed is sent to the service."""
    from kefu.tickets.selectors import ticket_detail

    ticket = ticket_detail(request.user, ticket_id)[0]
    post = request.POST
    changes: dict = {}
    for name in _EDITABLE_TEXT:
        if name == "contact_phone" and not post.get(name):
            continue  # the form never shows the full number; empty means "keep it"
        if name in post and post[name] != getattr(ticket, name):
            changes[name] = post[name]
    if "priority" in post and str(ticket.priority) != post["priority"]:
        changes["priority"] = int_or_none(post["priority"], "priority")
    is_major = post.get("is_major") == "on"
    if is_major != ticket.is_major:
        changes["is_major"] = is_major
    custom = {f.key: post.get(f"custom.{f.key}", "") for f in ticket.ticket_type.fields.all()}
    if {k: v for k, v in custom.items() if v} != {k: str(v) for k, v in ticket.custom.items()}:
        changes["custom"] = {k: v for k, v in custom.items() if v != ""}
    if "occurred_at" in post:
        occurred = form_datetime(post["occurred_at"], "occurred_at")
        if occurred != ticket.occurred_at:
            changes["occurred_at"] = occurred
    services.update_ticket(actor=request.user, ticket_id=ticket_id, version=_version(post), changes=changes)


ACTIONS = {"reply": _reply, "transition": _transition, "reopen": _reopen, "assign": _assign,
           "dispatch": _dispatch, "link": _link, "merge": _merge, "edit": _edit,
           "arrive": _arrive, "complete": _complete, "complaint": _complaint, "override": _override,
           "refer": _refer, "decide": _decide}


def register_action(name: str, handler) -> None:
    """A button another app adds to the ticket page (`handler(request, ticket_id)` calls its service), posted to
    tickets:act like the ticket app's own, so its refusals show beside its form the same way."""
    if ACTIONS.get(name, handler) is not handler:
        raise ValueError(f"Ticket page action {name!r} is taken.")
    ACTIONS[name] = handler


@login_required
@require_POST
@page
def act(request, ticket_id: int, action: str):
    handler = ACTIONS.get(action)
    if handler is None:
        return HttpResponse(status=404)
    try:
        handler(request, ticket_id)
    except ServiceError as exc:
        context = ticket_context(request.user, ticket_id, posted=request.POST, form=action, **error_context(exc))
        if isinstance(exc, Conflict):
            context["conflict"] = str(exc.message)
        return render(request, "tickets/detail.html", context, status=exc.status)
    target = ticket_id
    if action == "merge":  # the merged ticket is closed; the agent goes on in the one it was merged into
        target = int(request.POST["into_id"].lstrip("#"))
    return redirect("tickets:detail", target)


@login_required
@require_POST
@page
def reveal_phone(request, ticket_id: int):
    """Show the full contact phone to a role with the right; the reveal is audited and put on the timeline."""
    try:
        number = services.reveal_contact_phone(actor=request.user, ticket_id=ticket_id,
                                               reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return HttpResponse(format_html('<span class="form-error" role="alert">{}</span>', exc.message),
                            status=exc.status)
    return HttpResponse(format_html('<span data-testid="phone-full">{}</span>', number))

