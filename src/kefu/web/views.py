"""Login, logout and the landing page that sends each role to the screen it works in."""

import math

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kefu.accounts import throttle
from kefu.core.errors import ServiceError
from kefu.web import services


class ThrottledLoginForm(AuthenticationForm):
    """Says that the name is locked (and until when) instead of "wrong password" while the throttle holds it."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            ends = throttle.locked_until(username, throttle.client_address(self.request))
            if ends is not None:
                minutes = max(1, math.ceil((ends - timezone.now()).total_seconds() / 60))
                raise ValidationError(
                    ngettext("Too many failed logins for this user name. Try again in %(minutes)d minute.",
                             "Too many failed logins for this user name. Try again in %(minutes)d minutes.",
                             minutes) % {"minutes": minutes}, code="login_throttled")
        return super().clean()

    @property
    def throttled(self) -> bool:
        return any(e.code == "login_throttled" for e in self.errors.as_data().get("__all__", []))


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429  # Too Many Requests: scripts see it without reading the page
        return response


class LogoutView(auth_views.LogoutView):
    next_page = "web:login"


@login_required
def home(request):
    """Agents land on their own tickets, team leads and above on the board, field crews on their work, QA on
    their inspection queue."""
    from kefu.quality.access import can_inspect

    if request.user.works_in_field():
        return redirect("tickets:field")
    if request.user.can_read_audit():
        return redirect("audit:log")
    if request.user.can_manage_security():
        return redirect("web:security")
    if request.user.can_supervise():
        return redirect("tickets:board")
    if not request.user.can_handle_tickets() and can_inspect(request.user):  # 质检员: their inspection queue
        return redirect("quality:queue")
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
