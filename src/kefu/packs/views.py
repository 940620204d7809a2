"""The administrator's packs screen: what is installed, what is on, a switch for each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.roles import CAN_ADMINISTER
from kefu.core.errors import ServiceError
from kefu.packs import selectors, services
from kefu.web.htmx import form_int, page, render


@login_required
@page
def settings_page(request):
    if request.user.role not in CAN_ADMINISTER:
        raise PermissionDenied
    return render(request, "packs/settings.html", {"rows": selectors.pack_rows()},
                  partial="packs/partials/table.html")


@login_required
@require_POST
@page
def switch(request, code: str):
    """On or off from the screen; a refusal is shown at the top of the page."""
    try:
        services.set_pack_enabled(actor=request.user, code=code, enabled=request.POST.get("enabled") == "1",
                                  version=form_int(request.POST.get("version"), "version"))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("packs:settings")
