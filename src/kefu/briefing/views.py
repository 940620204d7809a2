"""Briefing pages: the list, preparing a day's briefing, reading it (with a read receipt), who has read it."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.briefing import selectors, services
from kefu.briefing.models import ItemKind
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.knowledge.access import can_manage_knowledge
from kefu.web.htmx import error_context, form_int, page, render, run_action


def _list_context(request, **extra) -> dict:
    return {"items": selectors.list_briefings(request.user), "can_manage": can_manage_knowledge(request.user),
            "today": timezone.localdate(),
            "latest": selectors.latest_published(request.user, on_or_before=timezone.localdate()), **extra}


@login_required
@page
def briefing_list(request):
    """Today's (latest) briefing first, then the last 30; the information desk prepares a new one here."""
    if request.method == "POST":
        try:
            try:
                day = date.fromisoformat(request.POST.get("day", ""))
            except ValueError:
                raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), code="invalid", field="day") from None
            briefing = services.prepare_briefing(actor=request.user, day=day, title=request.POST.get("title", ""))
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            return render(request, "briefing/list.html", _list_context(request, **error_context(exc)), status=422)
        return redirect("briefing:detail", briefing.pk)
    return render(request, "briefing/list.html", _list_context(request))


def _detail_context(request, briefing_id: int, **extra) -> dict:
    briefing = selectors.briefing_detail(request.user, briefing_id)
    manage = can_manage_knowledge(request.user)
    return {"briefing": briefing, "read": selectors.has_read(request.user, briefing), "can_manage": manage,
            "kinds": ItemKind.choices,
            "groups": [(label, [i for i in briefing.items.all() if i.kind == value])
                       for value, label in ItemKind.choices],
            "status": selectors.read_status(request.user, briefing_id) if manage and briefing.status == "published"
            else None, **extra}


@login_required
@page
def detail(request, briefing_id: int):
    return render(request, "briefing/detail.html", _detail_context(request, briefing_id))


@login_required
@require_POST
@page
def action(request, briefing_id: int, name: str):
    """Add or remove a point, publish, or record that the user has read it."""
    user, post = request.user, request.POST
    calls = {
        "add": lambda: services.add_item(actor=user, briefing_id=briefing_id, kind=post.get("kind", ""),
                                         text=post.get("text", "")),
        "remove": lambda: services.remove_item(actor=user, item_id=form_int(post.get("item_id"), "item_id")),
        "publish": lambda: services.publish_briefing(actor=user, briefing_id=briefing_id,
                                                     version=form_int(post.get("version"), "version")),
        "read": lambda: services.mark_read(actor=user, briefing_id=briefing_id),
    }
    response = run_action(calls, name, lambda exc: render(
        request, "briefing/detail.html", _detail_context(request, briefing_id, values=post, **error_context(exc)),
        status=exc.status))
    if response is not None:
        return response
    if name == "read":
        messages.success(request, _("Thank you; your reading is recorded."))
    return redirect("briefing:detail", briefing_id)
