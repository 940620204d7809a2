"""Login, logout and the landing page that sends each role to the screen it works in."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.roles import CAN_SUPERVISE, Role
from kefu.core.errors import ServiceError
from kefu.web import services


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "web:login"


@login_required
def home(request):
    """Agents land on their own tickets, team leads and above on the board, field crews on their work."""
    role = request.user.role
    if role == Role.FIELD_CREW:
        return redirect("tickets:field")
    if role in CAN_SUPERVISE:
        return redirect("tickets:board")
    return redirect("tickets:mine")


def _back(request):
    """Return to the list the form was on; only a local path is accepted (no open redirect)."""
    target = request.POST.get("next", "")
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/") else "/"


@login_required
@require_POST
def save_view(request):
    try:
        view = services.save_view(actor=request.user, page=request.POST.get("page", ""),
                                  name=request.POST.get("name", ""), query=request.POST.get("query", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request) + "?" + request.POST.get("query", ""))
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(_back(request) + "?" + view.query)


@login_required
@require_POST
def delete_view(request, view_id: int):
    try:
        services.delete_view(actor=request.user, view_id=view_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request))
