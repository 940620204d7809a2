"""KPI pages: the figures with their definitions, the monthly appraisal with its bonus split, the star board."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import ServiceError
from kefu.kpi import appraisal, stars
from kefu.kpi.access import can_appraise, can_see_bonus
from kefu.kpi.definitions import MEASURES
from kefu.kpi.export import workbook
from kefu.kpi.models import AppraisalResult, AppraisalRule, StarBoard
from kefu.kpi.periods import KINDS, MONTH, Period
from kefu.kpi.selectors import allowed_groups, kpi_table
from kefu.web.htmx import form_int, page, render


def _day(request, key: str = "date") -> date:
    value = request.GET.get(key) or request.POST.get(key) or ""
    try:
        return date.fromisoformat(value if len(value) > 7 else f"{value}-01")
    except ValueError:
        return timezone.localdate()


@login_required
@page
def overview(request):
    """Every KPI per agent, team or center for a day, week or month, numerator/denominator beside each."""
    groups = allowed_groups(request.user)
    if not groups:
        raise PermissionDenied
    kind = request.GET.get("period") if request.GET.get("period") in KINDS else MONTH
    group = request.GET.get("group") if request.GET.get("group") in groups else groups[0]
    period = Period.of(kind, _day(request))
    measures = list(MEASURES.values())
    return render(request, "kpi/overview.html", {
        "rows": kpi_table(request.user, period, group), "measures": measures, "period": period, "kind": kind,
        "group": group, "groups": groups, "kinds": KINDS, "day": period.first})


def _month(request) -> date:
    return _day(request, "month").replace(day=1)


@login_required
@page
def appraisal_page(request):
    """The month's appraisal: each visible agent's score with the breakdown; bonus only for those with the right."""
    month = _month(request)
    results = list(AppraisalResult.objects.visible_to(request.user).filter(month=month)
                   .select_related("agent__team", "rule").order_by("-score", "agent__username"))
    rules = list(AppraisalRule.objects.filter(active=True)) if can_appraise(request.user) else []
    return render(request, "kpi/appraisal.html", {
        "results": results, "month": month, "can_appraise": can_appraise(request.user),
        "see_bonus": can_see_bonus(request.user), "rules": rules, "labels": {c: m.label for c, m in MEASURES.items()}})


@login_required
@require_POST
@page
def appraisal_action(request):
    """Compute the month, or set a rule's bonus pool (yuan, stored in fen)."""
    month = _month(request)
    try:
        if request.POST.get("action") == "pool":
            yuan = (request.POST.get("amount") or "").strip()
            try:
                fen = int(round(float(yuan) * 100)) if yuan else -1
            except ValueError:
                fen = -1
            appraisal.set_pool(actor=request.user, rule_id=form_int(request.POST.get("rule_id"), "rule_id") or 0,
                               month=month, amount_fen=fen)
        appraisal.compute_appraisal(actor=request.user, month=month)
        messages.success(request, _("Appraisal computed."))
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise PermissionDenied(str(exc.message)) from None
        messages.error(request, str(exc.message))
    return redirect(f"{redirect('kpi:appraisal').url}?month={month:%Y-%m}")


@login_required
@page
def appraisal_export(request):
    """The month's appraisal as Excel for payroll; audited."""
    if not can_see_bonus(request.user):
        raise PermissionDenied
    month = _month(request)
    results = list(AppraisalResult.objects.visible_to(request.user).filter(month=month)
                   .select_related("agent__team", "rule").order_by("agent__agent_no", "agent__username"))
    record(actor=request.user, action=AuditAction.EXPORT, target_type="kpi_appraisal", target_id=f"{month:%Y-%m}",
           params={"rows": len(results), "format": "xlsx"})
    response = HttpResponse(workbook(results),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="appraisal-{month:%Y-%m}.xlsx"'
    return response


@login_required
@page
def star_board(request):
    """The month's published stars (everyone); publishers see the live preview and publish it."""
    month = _month(request)
    if request.method == "POST":
        try:
            stars.publish_stars(actor=request.user, month=month)
        except ServiceError as exc:
            raise PermissionDenied(str(exc.message)) from None
        messages.success(request, _("Star board published."))
        return redirect(f"{redirect('kpi:stars').url}?month={month:%Y-%m}")
    board = StarBoard.objects.filter(month=month).first()
    can_publish = stars.can_publish(request.user)
    preview = stars.label_entries(stars.compute_stars(month)) if can_publish else []
    return render(request, "kpi/stars.html", {
        "month": month, "board": board, "entries": stars.label_entries(board.entries) if board else [],
        "preview": preview, "can_publish": can_publish})
