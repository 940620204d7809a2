"""Channel screens: the reply box and split decision on the ticket page, attachment downloads, and the
administrator's channel setup overview."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kefu.channels import files, selectors
from kefu.channels.email.imap import poll_mailbox
from kefu.channels.merge import merge_customers
from kefu.channels.outbound import send_reply
from kefu.channels.services import decide_split
from kefu.core.errors import ServiceError
from kefu.web.htmx import error_context, form_int, page, render


@login_required
@require_POST
@page
def reply(request, ticket_id: int):
    """Send the agent's reply on the ticket's channel; a refusal goes back to the ticket page with its reason."""
    try:
        send_reply(actor=request.user, ticket_id=ticket_id, body=request.POST.get("body", ""),
                   version=form_int(request.POST.get("version"), "version"))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        from kefu.tickets.views.detail import ticket_context

        context = ticket_context(request.user, ticket_id, posted=request.POST, form="channel_reply",
                                 **error_context(exc))
        return render(request, "tickets/detail.html", context, status=422)
    return redirect("tickets:detail", ticket_id)


@login_required
@require_POST
@page
def split(request, inbound_id: int, decision: str):
    """Split a new subject off its thread into a ticket of its own, or keep it."""
    if decision not in ("split", "keep"):
        raise Http404
    new = decide_split(actor=request.user, inbound_id=inbound_id, split=decision == "split")
    target = new.pk if new else int(request.POST.get("ticket") or 0)
    return redirect("tickets:detail", target) if target else redirect("tickets:mine")


@login_required
def attachment(request, attachment_id: int):
    """Download an attachment of a ticket the user may see; always as a download, never rendered inline."""
    found = selectors.attachment_for(request.user, attachment_id)
    if found is None:
        raise Http404
    try:
        handle = files.open_file(found.path)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=found.filename,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _admin_only(user) -> None:
    if not user.can_administer():
        raise PermissionDenied


@login_required
@page
def setup(request):
    """The administrator's overview of mailboxes and endpoints: state, last poll, last error."""
    _admin_only(request.user)
    return render(request, "channels/setup.html", {**selectors.setup_overview(), "polled": None})


@login_required
@require_POST
@page
def poll_now(request, mailbox_id: int):
    """Poll one mailbox now (while the administrator sets it up) and show what it found."""
    _admin_only(request.user)
    result = poll_mailbox(mailbox_id=mailbox_id)
    return render(request, "channels/setup.html", {**selectors.setup_overview(), "polled": result})


@login_required
@page
def leads(request):
    """Customer records opened by unknown senders, each with a merge form (CH6)."""
    if not request.user.can_handle_tickets():
        raise PermissionDenied
    return render(request, "channels/leads.html", {"leads": selectors.open_leads(request.user), "posted": {}})


@login_required
@require_POST
@page
def merge(request, customer_id: int):
    """Merge a lead (or any duplicate) into the customer the agent names."""
    try:
        merge_customers(actor=request.user, source_id=customer_id,
                        target_id=form_int(request.POST.get("target_id"), "target_id") or 0)
    except ServiceError as exc:
        if exc.status == 404 and exc.field != "target_id":
            raise
        return render(request, "channels/leads.html", {"leads": selectors.open_leads(request.user),
                                                       "posted": request.POST, "error_lead": customer_id,
                                                       **error_context(exc)}, status=exc.status)
    return redirect("channels:leads")
