"""Attendance screens: the agent's month with clock-in/out and corrections; the team lead's monthly sheet with
the corrections to decide and the Excel export."""

from datetime import date, datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.attendance import requests as R
from kefu.attendance import selectors, services
from kefu.attendance.models import Correction, Leave, LeaveKind, LeaveStatus, PunchKind, Swap, SwapStatus
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.web.htmx import error_context, form_int, page, render, run_action


def _month(value) -> date:
    try:
        return date.fromisoformat(f"{str(value)[:7]}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


def _shift_month(month: date, by: int) -> date:
    k = month.year * 12 + month.month - 1 + by
    return date(k // 12, k % 12 + 1, 1)


def _mine_context(user, month: date, **extra) -> dict:
    first, last = selectors.month_bounds(month)
    return {"month": month, "prev": _shift_month(month, -1), "next": _shift_month(month, 1),
            "rows": selectors.day_rows([user], first, last),
            "corrections": Correction.objects.visible_to(user).filter(user=user)[:20],
            "kinds": PunchKind.choices, "today": timezone.localdate(), **extra}


@login_required
@page
def mine(request):
    """The agent's own month: each rostered day's clock-in, clock-out and verdict; clock buttons; corrections."""
    return render(request, "attendance/mine.html", _mine_context(request.user, _month(request.GET.get("month"))))


def _require_lead(user):
    if not user.can_supervise():
        raise Forbidden(_("Only team leads and supervisors see a team's attendance."), code="not_a_lead")


def _team_context(user, month: date, **extra) -> dict:
    return {"month": month, "prev": _shift_month(month, -1), "next": _shift_month(month, 1),
            "sheet": selectors.monthly_sheet(selectors.people(user), month),
            "pending": selectors.pending_corrections(user), "leave_kinds": LeaveKind.choices, **extra}


@login_required
@page
def team(request):
    """The team lead's monthly attendance sheet (出勤, 迟到, 早退, 缺勤, 请假, 加班, 夜班) and corrections to decide."""
    _require_lead(request.user)
    return render(request, "attendance/team.html", _team_context(request.user, _month(request.GET.get("month"))))


def _board_context(user) -> dict:
    from kefu.attendance import adherence
    from kefu.workforce.models import RosterStatus, Shift

    now = timezone.now()
    start, end = adherence.day_window(timezone.localdate(now))
    people = selectors.people(user)
    today = (Shift.objects.filter(agent__in=people, roster__status=RosterStatus.PUBLISHED, start__lt=end,
                                  end__gt=start, start__lte=now).select_related("agent").order_by("agent__username"))
    return {"live": adherence.live_board(people, now=now), "today": adherence.agents_adherence(today, now=now),
            "now": now}


@login_required
@page
def board(request):
    """The live adherence board: who should be on the phones and is not (and for how long), today's adherence."""
    _require_lead(request.user)
    template = "attendance/partials/board.html" if request.headers.get("HX-Request") else "attendance/board.html"
    return render(request, template, _board_context(request.user))


@login_required
@page
def export(request):
    """The monthly sheet as an Excel workbook (audited: it lists people's attendance)."""
    from io import BytesIO

    from openpyxl import Workbook

    from kefu.audit.models import AuditAction
    from kefu.audit.services import record
    from kefu.core.spreadsheet import safe_row

    _require_lead(request.user)
    month = _month(request.GET.get("month"))
    sheet = selectors.monthly_sheet(selectors.people(request.user), month)
    book = Workbook()
    ws = book.active
    ws.title = month.strftime("%Y-%m")
    ws.append([_("Agent"), _("Agent no."), _("Rostered shifts"), _("Days attended"), _("Late"), _("Minutes late"),
               _("Early leave"), _("Minutes early"), _("Absent")] + [str(label) for _v, label in LeaveKind.choices]
              + [_("Overtime hours"), _("Night shifts")])
    for r in sheet:
        # A display name such as "=HYPERLINK(…)" must stay text, not become a formula in the lead's Excel.
        ws.append(safe_row([str(r["agent"]), r["agent"].agent_no or "", r["shifts"], r["attended"], r["late"],
                   r["late_minutes"], r["early"], r["early_minutes"], r["absent"]]
                  + [r["leave"][v] for v, _label in LeaveKind.choices] + [r["overtime_hours"], r["nights"]]))
    out = BytesIO()
    book.save(out)
    record(actor=request.user, action=AuditAction.EXPORT, target_type="attendance_sheet",
           target_id=month.strftime("%Y-%m"), params={"rows": len(sheet)})
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="attendance-{month:%Y-%m}.xlsx"'
    return response


def _local(value, field: str) -> datetime | None:
    raw = str(value or "").strip()
    if not raw:
        return None
    try:
        return timezone.make_aware(datetime.fromisoformat(raw))
    except ValueError:
        raise ValidationFailed(_("Enter a date and time like 2027-03-01 08:30."), code="invalid",
                               field=field) from None


def _day(value, field: str) -> date | None:
    raw = str(value or "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationFailed(_("Enter a date like 2027-03-01."), code="invalid", field=field) from None


@login_required
@require_POST
@page
def act(request, action: str):
    """Every attendance action, each one service call; a refusal is shown on the page it came from."""
    user, post = request.user, request.POST
    month = _month(post.get("month"))
    calls = {
        "clock_in": lambda: services.clock(actor=user, kind=PunchKind.IN),
        "clock_out": lambda: services.clock(actor=user, kind=PunchKind.OUT),
        "correction": lambda: services.request_correction(
            actor=user, day=_day(post.get("day"), "day"), kind=post.get("kind", ""), at=_local(post.get("at"), "at"),
            reason=post.get("reason", "")),
        "decide": lambda: services.decide_correction(
            actor=user, correction_id=form_int(post.get("correction"), "correction") or 0,
            version=form_int(post.get("version"), "version"), approve=post.get("decision") == "approve"),
    }
    lead_page = action == "decide"

    def refused(exc):
        if lead_page:
            return render(request, "attendance/team.html", _team_context(user, month, **error_context(exc)),
                          status=exc.status)
        return render(request, "attendance/mine.html", _mine_context(user, month, **error_context(exc)),
                      status=exc.status)

    done = run_action(calls, action, refused)
    target = "attendance:team" if lead_page else "attendance:mine"
    return done or redirect(f"{reverse(target)}?month={month:%Y-%m}")


# ------------------------------------------------------------------------------------------ swaps and leave
def _requests_context(user, **extra) -> dict:
    from kefu.workforce.models import RosterStatus, Shift

    today = timezone.localdate()
    mates = selectors.teammates(user)
    upcoming = (Shift.objects.filter(roster__status=RosterStatus.PUBLISHED, day__gt=today,
                                     day__lte=today + timedelta(days=28))
                .select_related("agent").order_by("start"))
    swaps = list(Swap.objects.visible_to(user).filter(Q(requester=user) | Q(colleague=user))
                 .select_related("requester", "colleague", "shift", "their_shift")[:30])
    return {"mine": [s for s in upcoming if s.agent_id == user.pk],
            "theirs": [s for s in upcoming if s.agent_id in {m.pk for m in mates}],
            "mates": mates, "swaps": swaps, "asked": SwapStatus.ASKED,
            "leaves": Leave.objects.visible_to(user).filter(user=user)[:20], "leave_kinds": LeaveKind.choices,
            "balances": [{"kind": label, **R.balance(user, kind, today.year)} for kind, label in LeaveKind.choices
                         if kind in R.BALANCED], "today": today, **extra}


@login_required
@page
def requests_page(request):
    """The agent's swaps and leave: ask a colleague to swap, answer a colleague, ask for leave."""
    return render(request, "attendance/requests.html", _requests_context(request.user))


def _strip(cover: list[dict]) -> list[dict]:
    """Coverage per day as cells for the strip: under the requirement red, newly under outlined."""
    if not cover:
        return []
    per_day = len(cover) // 7
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return [{"label": names[d], "cells": cover[d * per_day:(d + 1) * per_day]} for d in range(7)]


def _approvals_context(user, **extra) -> dict:
    swaps = list(Swap.objects.visible_to(user).filter(status=SwapStatus.ACCEPTED)
                 .exclude(requester=user).select_related("requester", "colleague", "shift", "their_shift"))
    for sw in swaps:
        week = sw.shift.day - timedelta(days=sw.shift.day.weekday())
        sw.cover = _strip(R.coverage_impact(week=week, user=user))
    leaves = list(Leave.objects.visible_to(user).filter(status=LeaveStatus.PENDING).exclude(user=user)
                  .select_related("user"))
    for lv in leaves:
        from kefu.workforce.models import RosterStatus, Shift

        gone = list(Shift.objects.filter(agent=lv.user, roster__status=RosterStatus.PUBLISHED,
                                         day__gte=lv.first_day, day__lte=lv.last_day).values_list("pk", flat=True))
        week = lv.first_day - timedelta(days=lv.first_day.weekday())
        lv.cover = _strip(R.coverage_impact(week=week, remove=gone, user=user))
        lv.shifts_lost = len(gone)
    return {"swaps": swaps, "leaves": leaves, **extra}


@login_required
@page
def approvals(request):
    """The team lead's swaps and leave to decide, each with the coverage of its week after the change."""
    _require_lead(request.user)
    return render(request, "attendance/approvals.html", _approvals_context(request.user))


@login_required
@require_POST
@page
def request_act(request, action: str):
    """Every swap and leave action, each one service call; a refusal is shown on the page it came from."""
    user, post = request.user, request.POST

    def version():
        return form_int(post.get("version"), "version")

    calls = {
        "ask_swap": lambda: R.ask_swap(actor=user, colleague_id=form_int(post.get("colleague"), "colleague"),
                                       shift_id=form_int(post.get("shift"), "shift"),
                                       their_shift_id=form_int(post.get("their_shift"), "their_shift"),
                                       reason=post.get("reason", "")),
        "answer": lambda: R.answer_swap(actor=user, swap_id=form_int(post.get("swap"), "swap") or 0,
                                        version=version(), accept=post.get("answer") == "accept"),
        "decide_swap": lambda: R.decide_swap(actor=user, swap_id=form_int(post.get("swap"), "swap") or 0,
                                             version=version(), approve=post.get("decision") == "approve"),
        "ask_leave": lambda: R.ask_leave(actor=user, kind=post.get("kind", ""),
                                         first_day=_day(post.get("first_day"), "first_day"),
                                         last_day=_day(post.get("last_day"), "last_day"),
                                         reason=post.get("reason", "")),
        "decide_leave": lambda: R.decide_leave(actor=user, leave_id=form_int(post.get("leave"), "leave") or 0,
                                               version=version(), approve=post.get("decision") == "approve"),
    }
    lead = action.startswith("decide")

    def refused(exc):
        if lead:
            return render(request, "attendance/approvals.html", _approvals_context(user, **error_context(exc)),
                          status=exc.status)
        return render(request, "attendance/requests.html", _requests_context(user, **error_context(exc)),
                      status=exc.status)

    return run_action(calls, action, refused) or redirect(reverse("attendance:approvals" if lead
                                                                  else "attendance:requests"))
