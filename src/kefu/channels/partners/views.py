"""The partner cases screen: overdue cases first, importing a partner's file, signing for and finishing cases,
exporting results and recording the partner's acknowledgement."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kefu.channels import files
from kefu.channels.models import PartnerCase, PartnerSource, ResultBatch
from kefu.channels.partners import services
from kefu.channels.partners.sheets import read_cases
from kefu.core.errors import ServiceError
from kefu.web.htmx import error_context, form_int, page, render

MAX_UPLOAD = 10 * 1024 * 1024


def _context(user, **extra) -> dict:
    open_cases = list(PartnerCase.objects.filter(finished_at__isnull=True).select_related("source", "ticket")
                      .filter(ticket_id__in=_visible(user)).order_by("finish_due_at", "id")[:100])
    return {"overdue": services.overdue_cases(user), "open_cases": open_cases,
            "sources": list(PartnerSource.objects.filter(enabled=True).order_by("name")),
            "batches": list(ResultBatch.objects.select_related("source").order_by("-created_at")[:20]),
            "imported": None, "posted": {}, **extra}


def _visible(user):
    from kefu.tickets.models import Ticket

    return Ticket.objects.visible_to(user).values("pk")


def _handler(user) -> None:
    if not user.can_handle_tickets():
        raise PermissionDenied


@login_required
@page
def board(request):
    _handler(request.user)
    return render(request, "channels/partners.html", _context(request.user))


@login_required
@require_POST
@page
def upload(request):
    """Import a partner's Excel or CSV case list."""
    _handler(request.user)
    upload = request.FILES.get("file")
    try:
        if upload is None or upload.size > MAX_UPLOAD:
            from django.utils.translation import gettext as _

            from kefu.core.errors import ValidationFailed

            raise ValidationFailed(_("Choose an .xlsx or .csv file of at most 10 MB."), code="invalid_file",
                                   field="file")
        rows = read_cases(upload.read(), upload.name)
        done = services.import_cases(actor=request.user, rows=rows,
                                     source_id=form_int(request.POST.get("source_id"), "source_id") or 0)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return render(request, "channels/partners.html", {**_context(request.user), **error_context(exc)},
                      status=exc.status)
    return render(request, "channels/partners.html", _context(request.user, imported=done))


@login_required
@require_POST
@page
def act(request, case_id: int, action: str):
    """Sign for or finish one case."""
    _handler(request.user)
    calls = {"ack": lambda: services.acknowledge_case(actor=request.user, case_id=case_id),
             "finish": lambda: services.finish_case(actor=request.user, case_id=case_id,
                                                    result=request.POST.get("result", ""))}
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return render(request, "channels/partners.html",
                      {**_context(request.user, error_case=case_id, posted=request.POST), **error_context(exc)},
                      status=exc.status)
    return redirect("channels:partners")


@login_required
@require_POST
@page
def export(request, source_id: int):
    _handler(request.user)
    try:
        services.export_results(actor=request.user, source_id=source_id)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return render(request, "channels/partners.html", {**_context(request.user), **error_context(exc)},
                      status=exc.status)
    return redirect("channels:partners")


@login_required
@require_POST
@page
def acknowledge(request, batch_id: int):
    _handler(request.user)
    try:
        services.record_acknowledgement(actor=request.user, batch_id=batch_id,
                                        reference=request.POST.get("reference", ""))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return render(request, "channels/partners.html",
                      {**_context(request.user, error_batch=batch_id), **error_context(exc)}, status=exc.status)
    return redirect("channels:partners")


@login_required
@page
def workbook(request, batch_id: int):
    """Download a result workbook (to upload to the partner's own system by hand)."""
    _handler(request.user)
    batch = ResultBatch.objects.select_related("source").filter(pk=batch_id).first()
    if batch is None or not batch.path:
        raise Http404
    return FileResponse(files.open_file(batch.path), as_attachment=True,
                        filename=f"result-{batch.source.code}-{batch.pk}.xlsx")
