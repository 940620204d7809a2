"""The auditor's screen (安全审计): search the audit log, check its chain, export it as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.utils import timezone

from kefu.audit import selectors, services
from kefu.audit.export import rows
from kefu.audit.models import AuditAction
from kefu.core.errors import ValidationFailed
from kefu.core.spreadsheet import safe_row
from kefu.web.htmx import error_context, page, render

FILTERS = ("start", "end", "action", "actor", "target_type", "target_id")


def _filters(request):
    return selectors.clean_filters(**{name: request.GET.get(name, "").strip() for name in FILTERS})


@login_required
@page
def audit_log(request):
    """Entries newest first, 50 a page, with the chain's state."""
    selectors.require_auditor(request.user)
    context = {"actions": AuditAction.choices, "query": {n: request.GET.get(n, "") for n in FILTERS},
               "verdict": services.verify()}
    try:
        filters = _filters(request)
    except ValidationFailed as exc:
        context.update(error_context(exc), entries=[], page_obj=None)
        return render(request, "audit/log.html", context, partial="audit/partials/entries.html", status=422)
    paginator = Paginator(selectors.entries(filters=filters), selectors.PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    labels = dict(AuditAction.choices)
    context.update(page_obj=page_obj, entries=[{**selectors.entry_out(e), "action_label": labels.get(e.action, "")}
                                               for e in page_obj.object_list])
    return render(request, "audit/log.html", context, partial="audit/partials/entries.html")


class _Echo:
    def write(self, value):
        return value


@login_required
@page
def audit_export(request):
    """The filtered entries as CSV (UTF-8 with BOM for Excel); the export is itself audited."""
    selectors.require_auditor(request.user)
    filters = _filters(request)
    services.record_export(actor=request.user, filters=filters.__dict__)
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"
        for row in rows(selectors.entries(filters=filters)):
            yield writer.writerow(safe_row(row))

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
