"""The administrator's setup page: what the center is set up with, what cannot work, and a setup file to
plan and apply — the same document the API and `kefu center` take."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from kefu.core.errors import ServiceError
from kefu.provision import services
from kefu.provision.document import parse_text
from kefu.provision.document import render as render_document
from kefu.provision.problems import setup_problems
from kefu.web.htmx import error_context, page, render

# A pasted or uploaded setup file larger than this is refused before it is read.
MAX_DOCUMENT_BYTES = 1_000_000


def _admin(request) -> None:
    if not request.user.can_administer():
        raise PermissionDenied(_("Only an administrator can set up the center."))


@login_required
@page
def setup_page(request):
    """GET: the overview; POST: plan (or, with `apply`, apply) the pasted or uploaded document."""
    _admin(request)
    ctx = {"problems": setup_problems(), "text": "", "plan": None}
    document = services.export_setup(actor=request.user)
    ctx["sections"] = [(name, len(rows)) for name, rows in document.items()]
    if request.method == "POST":
        ctx.update(_plan_or_apply(request))
        if ctx.get("plan") and ctx["plan"]["applied"]:
            ctx["problems"] = setup_problems()
    status = 422 if ctx.get("error") else 200
    return render(request, "provision/setup.html", ctx, partial="provision/partials/result.html", status=status)


def _plan_or_apply(request) -> dict:
    upload = request.FILES.get("file")
    if upload is not None and upload.size > MAX_DOCUMENT_BYTES:
        return {"error": {"code": "too_large", "message": _("The setup file is larger than 1 MB.")}}
    raw = upload.read() if upload is not None else request.POST.get("text", "").encode()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {"error": {"code": "invalid_encoding", "message": _("Save the setup file as UTF-8.")}}
    try:
        plan = services.apply_setup(actor=request.user, document=parse_text(text),
                                    dry_run=request.POST.get("apply") != "1")
    except ServiceError as exc:
        return {"text": text, **error_context(exc)}
    return {"text": text, "plan": plan.as_dict()}


@login_required
@page
def export(request):
    """The current setup as a YAML file to keep under version control."""
    _admin(request)
    body = render_document(services.export_setup(actor=request.user), "yaml")
    response = HttpResponse(body, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kefu-center.yaml"'
    return response
