"""Memo pages: the information desk's inbox, the agent's own memos, asking, and one memo with its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.models import Department
from kefu.core.errors import ServiceError
from kefu.knowledge.access import can_manage_knowledge
from kefu.memos import selectors, services
from kefu.memos.models import MemoStatus
from kefu.web.htmx import error_context, form_int, page, render, run_action


def _int(value) -> int | None:
    return form_int(value, "version")


@login_required
@page
def inbox(request):
    """Open memos oldest first, with their age and owner (the desk sees all; a department what was forwarded)."""
    status = request.GET.get("status", "open")
    total, items = selectors.inbox(request.user, status=status)
    return render(request, "memos/inbox.html", {"items": items, "total": total, "status": status,
                                                "statuses": MemoStatus.choices, "now": timezone.now()},
                  partial="memos/partials/table.html")


@login_required
@page
def mine(request):
    return render(request, "memos/mine.html", {"items": selectors.my_memos(request.user), "now": timezone.now()})


@login_required
@page
def ask(request):
    """Ask the information desk; from a ticket page (?ticket=ID) the memo is tied to that ticket."""
    ticket_id = _int(request.POST.get("ticket_id") or request.GET.get("ticket"))
    if request.method == "POST":
        try:
            memo = services.ask_memo(actor=request.user, question=request.POST.get("question", ""),
                                     ticket_id=ticket_id or None)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            return render(request, "memos/ask.html", {"ticket_id": ticket_id, "values": request.POST,
                                                      **error_context(exc)},
                          partial="memos/partials/ask_form.html", status=exc.status)
        messages.success(request, _("Your question has been sent to the information desk."))
        return redirect("memos:detail", memo.pk)
    return render(request, "memos/ask.html", {"ticket_id": ticket_id, "values": {}},
                  partial="memos/partials/ask_form.html")


def _detail_context(request, memo_id: int, **extra) -> dict:
    memo = services.load_memo(request.user, memo_id)
    return {"memo": memo, "now": timezone.now(), "can_manage": can_manage_knowledge(request.user),
            "may_answer": services.may_answer(request.user, memo), "departments": Department.objects.all(),
            **extra}


@login_required
@page
def detail(request, memo_id: int):
    return render(request, "memos/detail.html", _detail_context(request, memo_id))


@login_required
@require_POST
@page
def action(request, memo_id: int, name: str):
    """Take, forward, answer or close — one service each — then back to the memo."""
    user, post = request.user, request.POST
    calls = {
        "take": lambda: services.take_memo(actor=user, memo_id=memo_id),
        "forward": lambda: services.forward_memo(actor=user, memo_id=memo_id, version=_int(post.get("version")),
                                                 department_id=_int(post.get("department_id")),
                                                 note=post.get("note", "")),
        "answer": lambda: services.answer_memo(actor=user, memo_id=memo_id, version=_int(post.get("version")),
                                               answer=post.get("answer", "")),
        "close": lambda: services.close_memo(actor=user, memo_id=memo_id),
    }
    response = run_action(calls, name, lambda exc: render(
        request, "memos/detail.html", _detail_context(request, memo_id, values=post, **error_context(exc)),
        status=exc.status))
    if response is not None:
        return response
    messages.success(request, _("Done."))
    return redirect("memos:detail", memo_id)
