"""Handover screens: the leaving agent's sheet (prepared, edited, passed on) and the items passed to me."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kefu.shiftlog import services
from kefu.shiftlog.models import Handover, HandoverItem, HandoverStatus, ItemKind
from kefu.web.htmx import error_context, form_int, page, render, run_action


def _context(user, **extra) -> dict:
    from kefu.attendance.selectors import teammates

    draft = Handover.objects.filter(author=user, status=HandoverStatus.DRAFT).prefetch_related(
        "items__to_user", "items__ticket").first()
    inbox = list(HandoverItem.objects.filter(to_user=user, handover__status=HandoverStatus.PASSED)
                 .select_related("handover__author", "ticket").order_by("acknowledged_at", "-handover__passed_at")[:50])
    passed = Handover.objects.filter(author=user, status=HandoverStatus.PASSED).prefetch_related(
        "items__to_user")[:5]
    return {"draft": draft, "inbox": inbox, "passed": passed, "people": teammates(user), "kinds": ItemKind.choices,
            **extra}


@login_required
@page
def handover(request):
    """交接班: my sheet for the end of the shift, and what colleagues passed to me."""
    return render(request, "shiftlog/handover.html", _context(request.user))


@login_required
@require_POST
@page
def act(request, action: str):
    user, post = request.user, request.POST

    def save():
        sheet_id = form_int(post.get("handover"), "handover") or 0
        assign = {int(k[3:]): form_int(v, k) for k, v in post.items() if k.startswith("to_") and k[3:].isdigit()}
        add = []
        if (post.get("new_text") or "").strip():
            add.append({"kind": post.get("new_kind", ""), "text": post.get("new_text", ""),
                        "to_user": form_int(post.get("new_to"), "new_to")})
        sheet = services.edit_handover(actor=user, handover_id=sheet_id, version=form_int(post.get("version"),
                                                                                            "version"),
                                       notes=post.get("notes", ""), assign=assign, add=add,
                                       remove=[int(x) for x in post.getlist("remove") if x.isdigit()])
        if post.get("then") == "pass":
            services.pass_handover(actor=user, handover_id=sheet.pk, version=sheet.version)

    calls = {
        "prepare": lambda: services.prepare_handover(actor=user),
        "save": save,
        "ack": lambda: services.acknowledge(actor=user, item_id=form_int(post.get("item"), "item") or 0),
    }
    refused = run_action(calls, action, lambda exc: render(request, "shiftlog/handover.html",
                                                           _context(user, **error_context(exc)), status=exc.status))
    return refused or redirect(reverse("shiftlog:handover"))
