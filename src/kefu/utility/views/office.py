"""Office pages: accounts and meters, read rates, abnormal meters, arrears."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError, ValidationFailed
from kefu.utility import selectors, services
from kefu.utility.models import (
    AbnormalCase,
    ArrearsAction,
    Meter,
    Payment,
    PaymentPromise,
    Reading,
    ServiceAccount,
    SuspensionNotice,
)
from kefu.utility.services.arrears import BANDS, band_of
from kefu.utility.services.common import load
from kefu.utility.views.common import day_param, fen_param, month_param, office, pack_on, supervisor
from kefu.web.htmx import form_int, page, render

# Column names of the arrears file as the refusal lists them.
ARREARS_FIELDS = {"account": gettext_lazy("account"), "period": gettext_lazy("billing period"),
                  "amount": gettext_lazy("amount"), "due_on": gettext_lazy("due date"), "file": gettext_lazy("file")}


@login_required
@page
def accounts(request):
    office(request.user)
    q = request.GET.get("q", "")
    total, items = selectors.search_accounts(request.user, q, form_int(request.GET.get("page"), "page") or 1)
    due_total, due = selectors.replacement_due(request.user, timezone.localdate(), limit=20)
    return render(request, "utility/accounts.html", {"items": items, "total": total, "q": q, "due": due,
                                                     "due_total": due_total},
                  partial="utility/partials/account_rows.html")


@login_required
@page
def account(request, account_id: int):
    office(request.user)
    acct = load(ServiceAccount, request.user, account_id, field="account_id")
    meters = list(Meter.objects.filter(account=acct).prefetch_related("events", "abnormal_cases")
                  .order_by("status", "number"))
    readings = list(Reading.objects.filter(meter__account=acct).select_related("meter", "reader")
                    .order_by("-period", "meter_id")[:24])
    today = timezone.localdate()
    balance = getattr(acct, "arrears", None) if hasattr(acct, "arrears") else None
    return render(request, "utility/account.html", {
        "account": acct, "meters": meters, "readings": readings, "today": today, "lifespans": selectors.lifespans(),
        "balance": balance, "band": band_of(balance.due_since, today) if balance and balance.amount_fen else "",
        "actions": ArrearsAction.objects.filter(account=acct).select_related("actor")[:20],
        "promises": PaymentPromise.objects.filter(account=acct)[:10],
        "notices": SuspensionNotice.objects.filter(account=acct)[:5],
        "payments": Payment.objects.filter(account=acct).order_by("-at")[:10],
        "can_revenue": request.user.can_see_revenue(), "can_supervise": request.user.can_supervise()})


@login_required
@require_POST
@page
def account_action(request, account_id: int, name: str):
    """Promise to pay, suspension notice or an estimated reading from the account page."""
    office(request.user)
    user, post, now = request.user, request.POST, timezone.now()
    calls = {
        "promise": lambda: services.record_promise(actor=user, account_id=account_id,
                                                   amount_fen=fen_param(post.get("amount")) or 0,
                                                   due_on=day_param(post.get("due_on")), now=now),
        "notice": lambda: services.issue_notice(actor=user, account_id=account_id,
                                                notice_days=form_int(post.get("notice_days"), "notice_days") or 7,
                                                now=now),
        "estimate": lambda: services.estimate_reading(actor=user, meter_id=form_int(post.get("meter_id"),
                                                                                    "meter_id") or 0,
                                                      period=month_param(post.get("period")), now=now),
    }
    _run(request, calls, name)
    return redirect("utility:account", account_id)


def _run(request, calls: dict, name: str) -> None:
    from django.http import Http404

    if name not in calls:
        raise Http404
    try:
        calls[name]()
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))


@login_required
@page
def read_rates(request):
    supervisor(request.user)
    period = month_param(request.GET.get("period"))
    by = request.GET.get("by") if request.GET.get("by") in ("route", "reader", "class") else "route"
    route_id = form_int(request.GET.get("route"), "route")
    return render(request, "utility/read_rates.html", {
        "period": period, "by": by, "rows": selectors.read_rates(period, by=by),
        "missing": selectors.missing_meters(period, route_id=route_id, limit=100), "route_id": route_id},
        partial="utility/partials/rates.html")


@login_required
@page
def abnormal(request):
    office(request.user)
    return render(request, "utility/abnormal.html", {"cases": selectors.open_cases(request.user),
                                                     "can_detect": request.user.can_supervise(),
                                                     "period": month_param(request.GET.get("period"))})


@login_required
@require_POST
@page
def detect(request):
    """Run the detection for a month and raise a ticket for each new finding."""
    supervisor(request.user)
    from kefu.utility.detection import detect as find

    findings = find(month_param(request.POST.get("period")))
    counts = services.raise_findings(actor=request.user, findings=findings)
    messages.success(request, _("%(found)s abnormal meters found, %(raised)s tickets raised.")
                     % {"found": len(findings), "raised": counts["raised"]})
    return redirect("utility:abnormal")


@login_required
@require_POST
@page
def case_outcome(request, case_id: int):
    pack_on()
    case = AbnormalCase.objects.filter(pk=case_id).values_list("ticket_id", flat=True).first()
    _run(request, {"outcome": lambda: services.record_outcome(
        actor=request.user, case_id=case_id, outcome=request.POST.get("outcome", ""),
        note=request.POST.get("note", ""))}, "outcome")
    return redirect("tickets:detail", case) if case else redirect("utility:abnormal")


@login_required
@page
def arrears(request):
    office(request.user)
    today = timezone.localdate()
    band = request.GET.get("band", "") if request.GET.get("band") in [b[0] for b in BANDS] else ""
    items = selectors.arrears_list(request.user, today, band=band, limit=100)
    return render(request, "utility/arrears.html", {
        "items": [(b, band_of(b.due_since, today)) for b in items], "band": band, "bands": [b[0] for b in BANDS],
        "can_supervise": request.user.can_supervise()})


@login_required
@require_POST
@page
def import_arrears(request):
    """The arrears page's upload form: the billing system's file, all rows or none."""
    office(request.user)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed(_("Choose a file to import."), code="required", field="file")
        rows = services.read_arrears_file(upload.name, upload.read())
        result = services.import_arrears(actor=request.user, rows=rows, file_name=upload.name)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
        for error in exc.params.get("errors", []):
            messages.error(request, _("Line %(line)s, %(field)s: %(message)s")
                           % {"line": error["line"], "field": ARREARS_FIELDS.get(error["field"], error["field"]),
                              "message": error["message"]})
        if exc.params.get("error_count", 0) > len(exc.params.get("errors", [])):
            messages.error(request, _("%(count)s problems in all; the first ones are listed.")
                           % {"count": exc.params["error_count"]})
    else:
        messages.success(request, _("%(created)s bills imported, %(updated)s corrected, %(unchanged)s already on "
                                    "record.") % result.as_dict())
    return redirect("utility:arrears")


@login_required
@require_POST
@page
def remind(request):
    supervisor(request.user)
    try:
        run = services.send_reminders(actor=request.user, band=request.POST.get("band", ""),
                                      channel=request.POST.get("channel", ""))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(sent)s reminders sent; %(missing)s customers have no mobile on record.")
                         % {"sent": run.sent, "missing": run.without_mobile})
    return redirect("utility:arrears")
