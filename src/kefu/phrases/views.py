"""Phrase pages: management for the information desk and leads, and the picker agents insert from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.models import Team
from kefu.core.errors import ServiceError
from kefu.knowledge.access import can_manage_knowledge, require_knowledge_manager
from kefu.phrases import selectors, services
from kefu.phrases.models import Phrase, PhraseKind
from kefu.phrases.placeholders import PLACEHOLDERS
from kefu.phrases.services import PhraseInput
from kefu.tickets.models import TicketType
from kefu.tickets.services.common import load_ticket
from kefu.web.htmx import error_context, form_int, page, render


def _input(post) -> PhraseInput:
    def optional_int(name):
        value = post.get(name, "").strip()
        return int(value) if value.isdigit() else None

    return PhraseInput(title=post.get("title", ""), body=post.get("body", ""), kind=post.get("kind", "standard"),
                       team_id=optional_int("team_id"), ticket_type=post.get("ticket_type") or None,
                       position=optional_int("position") or 0, active=post.get("active") == "on")


def _form_context(phrase: Phrase | None = None, **extra) -> dict:
    return {"phrase": phrase, "kinds": PhraseKind.choices, "teams": Team.objects.select_related("department"),
            "types": TicketType.objects.filter(active=True), "placeholders": PLACEHOLDERS, **extra}


@login_required
@page
def manage(request):
    """Every phrase, grouped by kind, with a form to add one."""
    require_knowledge_manager(request.user)
    kind = request.GET.get("kind", "")
    context = _form_context(phrases=selectors.manage_phrases(request.user, kind=kind or None), kind=kind,
                            values={"active": True})
    if request.method == "POST":
        try:
            services.create_phrase(actor=request.user, data=_input(request.POST))
        except ServiceError as exc:
            return render(request, "phrases/manage.html", {**context, **error_context(exc), "values": request.POST},
                          partial="phrases/partials/form.html", status=422)
        messages.success(request, _("Phrase saved."))
        return redirect("phrases:manage")
    return render(request, "phrases/manage.html", context, partial="phrases/partials/table.html")


@login_required
@page
def edit(request, phrase_id: int):
    require_knowledge_manager(request.user)
    phrase = services.load_phrase(request.user, phrase_id)
    values = {"title": phrase.title, "body": phrase.body, "kind": phrase.kind, "team_id": phrase.team_id or "",
              "ticket_type": phrase.ticket_type.code if phrase.ticket_type_id else "", "position": phrase.position,
              "active": phrase.active, "version": phrase.version}
    if request.method == "POST":
        try:
            services.update_phrase(actor=request.user, phrase_id=phrase.pk,
                                   version=form_int(request.POST.get("version"), "version"), data=_input(request.POST))
        except ServiceError as exc:
            return render(request, "phrases/edit.html", _form_context(phrase, values=request.POST,
                                                                      **error_context(exc)),
                          partial="phrases/partials/form.html", status=422)
        messages.success(request, _("Phrase saved."))
        return redirect("phrases:manage")
    return render(request, "phrases/edit.html", _form_context(phrase, values=values))


@login_required
@require_POST
@page
def delete(request, phrase_id: int):
    try:
        services.delete_phrase(actor=request.user, phrase_id=phrase_id)
        messages.success(request, _("Phrase deleted."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("phrases:manage")


@login_required
@page
def picker(request):
    """The phrases an agent may insert into a reply, filled in for the ticket (?ticket=ID) — a partial."""
    ticket_id = request.GET.get("ticket", "")
    ticket = load_ticket(request.user, int(ticket_id), field="ticket") if ticket_id.isdigit() else None
    type_code = ticket.ticket_type.code if ticket else (request.GET.get("type") or None)
    items = [services.render_loaded(actor=request.user, phrase=p, ticket=ticket)
             for p in selectors.phrases_for(request.user, type_code)]
    return render(request, "phrases/picker.html", {"items": items, "ticket": ticket,
                                                   "can_manage": can_manage_knowledge(request.user)},
                  partial="phrases/partials/picker.html")
