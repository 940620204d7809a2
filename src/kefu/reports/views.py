"""The callback report page (with its monthly chart) and its CSV export; the same selectors as the API."""

from io import StringIO

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.accounts.models import Team
from kefu.core.errors import ValidationFailed
from kefu.core.spreadsheet import CsvWriter
from kefu.reports import selectors, services
from kefu.reports.access import TEAM, can_export_reports, report_scope, require_reader
from kefu.reports.chart import month_chart
from kefu.reports.definitions import NOTE, definitions
from kefu.reports.validation import GROUPS, clean_filters, clean_group
from kefu.tickets.models import TicketType
from kefu.web.htmx import error_context, page, render

GROUP_LABELS = {"agent": gettext_lazy("By agent"), "team": gettext_lazy("By team"),
                "type": gettext_lazy("By ticket type"), "month": gettext_lazy("By month")}


def _parse(request, now):
    get = request.GET
    return clean_group(get.get("group")), clean_filters(
        start=get.get("start"), end=get.get("end"), team=get.get("team"), type=get.get("type"),
        today=timezone.localdate(now))


def _context(request, now, group, filters, **extra) -> dict:
    from django.conf import settings

    report = selectors.callback_report(request.user, filters, group=group, now=now)
    monthly = report if group == "month" else selectors.callback_report(request.user, filters, group="month",
                                                                         now=now)
    query = request.GET.copy()
    tabs = []
    for name in GROUPS:
        query["group"] = name
        tabs.append({"name": name, "label": str(GROUP_LABELS[name]), "url": "?" + query.urlencode(),
                     "active": name == group})
    query["group"] = group
    return {"report": report, "rows": [selectors.row_out(r) for r in report.rows],
            "total": selectors.row_out(selectors.Row(key=None, label=_("Total"), figures=report.total)),
            "chart": month_chart(monthly.rows), "definitions": definitions(),
            "note": str(NOTE) % {"tz": settings.TIME_ZONE}, "tabs": tabs, "group": group, "filters": filters,
            "group_label": str(GROUP_LABELS[group]), "query": query.urlencode(),
            "can_export": can_export_reports(request.user),
            "teams": _teams(request.user),
            "types": TicketType.objects.filter(active=True).order_by("code"), **extra}


def _teams(user):
    """The teams the filter offers: a team lead reads only their own team's figures."""
    teams = Team.objects.filter(is_field_crew=False).order_by("name")
    return teams.filter(pk=user.team_id) if report_scope(user) == TEAM else teams


@login_required
@page
def callbacks(request):
    """Callback completion, on-time and acceptance rates, CSAT and NPS with their definitions (RP1)."""
    require_reader(request.user)
    now = selectors.clock()
    try:
        group, filters = _parse(request, now)
    except ValidationFailed as exc:
        ctx = _context(request, now, "agent", clean_filters(today=timezone.localdate(now)), **error_context(exc))
        return render(request, "reports/callbacks.html", ctx, partial="reports/partials/report.html", status=422)
    return render(request, "reports/callbacks.html", _context(request, now, group, filters),
                  partial="reports/partials/report.html")


CSV_HEADER = ["group", "key", "label", "completion_numerator", "completion_denominator", "completion_rate",
              "completion_pending", "on_time_numerator", "on_time_denominator", "on_time_rate",
              "acceptance_numerator", "acceptance_denominator", "acceptance_rate", "csat_numerator",
              "csat_denominator", "csat_rate", "csat_mean", "nps_promoters", "nps_detractors", "nps_answers",
              "nps_score"]


def _csv_row(group: str, row: dict) -> list:
    c, o, a, s, n = row["completion"], row["on_time"], row["acceptance"], row["csat"], row["nps"]
    blank = [None, ""]
    return [group, "" if row["key"] in blank else row["key"], row["label"],
            c["numerator"], c["denominator"], "" if c["rate"] is None else c["rate"], c["pending"],
            o["numerator"], o["denominator"], "" if o["rate"] is None else o["rate"],
            a["numerator"], a["denominator"], "" if a["rate"] is None else a["rate"],
            s["numerator"], s["denominator"], "" if s["rate"] is None else s["rate"],
            "" if s["mean"] is None else s["mean"],
            n["promoters"], n["detractors"], n["answers"], "" if n["score"] is None else n["score"]]


@login_required
@page
def callbacks_export(request):
    """The table of the page as CSV (UTF-8 with BOM for Excel); every export is audited."""
    require_reader(request.user)
    now = selectors.clock()
    try:
        group, filters = _parse(request, now)
    except ValidationFailed as exc:
        return HttpResponse(f"{exc.code} [{exc.field}]: {exc.message}", status=422,
                            content_type="text/plain; charset=utf-8")
    services.record_export(actor=request.user, group=group, filters=filters)
    report = selectors.callback_report(request.user, filters, group=group, now=now)
    out = StringIO()
    writer = CsvWriter(out)
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        writer.writerow(_csv_row(group, selectors.row_out(row)))
    writer.writerow(_csv_row("total", selectors.row_out(selectors.Row(key=None, label="", figures=report.total))))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="callbacks-{group}-{filters.start:%Y%m%d}-'
                                       f'{filters.end:%Y%m%d}.csv"')
    return response
