"""Account security pages: the login's TOTP step and set-up, changing one's password, one's own security
page, and the security administrator's page (安全管理). The services are kefu.accounts.security."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts import security, throttle, totp
from kefu.core.errors import Forbidden, ServiceError, ValidationFailed
from kefu.web.htmx import error_context, page, render


def _next(request) -> str:
    """Where to go once the step is done: a local path only (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return target
    return "/"


def _step_done(request, key: str, value) -> None:
    request.session[key] = value
    request.session.cycle_key()  # a new session id once the login is complete


@login_required
def two_factor(request):
    """The login's second step: the six digits the authenticator app shows."""
    if security.confirmed_factor(request.user) is None:
        return redirect("web:two_factor_setup")
    context = {"next": _next(request)}
    if request.method == "POST":
        try:
            security.verify_login_code(user=request.user, code=request.POST.get("code", ""),
                                       address=throttle.client_address(request))
        except Forbidden as exc:  # locked: the half-done login ends here
            logout(request)
            messages.error(request, exc.message)
            return redirect("web:login")
        except ServiceError as exc:
            context.update(error_context(exc))
            return render(request, "web/account/two_factor.html", context, status=422)
        _step_done(request, security.FACTOR_KEY, "ok")
        return redirect(_next(request))
    return render(request, "web/account/two_factor.html", context)


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    if security.confirmed_factor(request.user) is not None:
        return redirect("web:account")
    try:
        enrolment = security.start_enrolment(actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("web:account")
    context = {"next": _next(request), "secret": enrolment.secret,
               "secret_groups": [enrolment.secret[i:i + 4] for i in range(0, len(enrolment.secret), 4)],
               "qr": totp.qr_svg(enrolment.uri), "required": security.factor_required(request.user)}
    if request.method == "POST":
        try:
            security.confirm_enrolment(actor=request.user, code=request.POST.get("code", ""))
        except ServiceError as exc:
            context.update(error_context(exc))
            return render(request, "web/account/two_factor_setup.html", context, status=422)
        _step_done(request, security.FACTOR_KEY, "ok")
        messages.success(request, _("Two-factor login is on."))
        return redirect(_next(request))
    return render(request, "web/account/two_factor_setup.html", context)


@login_required
def password_change(request):
    """Change one's password (also the step an expired or reset password leads to)."""
    user = request.user
    context = {"next": _next(request), "expired": security.password_expired(user),
               "must": user.must_change_password, "expires_at": security.password_expires_at(user),
               "policy": {"min_length": settings.KEFU_PASSWORD_MIN_LENGTH, "classes": settings.KEFU_PASSWORD_CLASSES,
                          "history": settings.KEFU_PASSWORD_HISTORY}}
    if request.method == "POST":
        new, repeat = request.POST.get("password", ""), request.POST.get("repeat", "")
        try:
            if new != repeat:
                raise ValidationFailed(_("The two new passwords differ."), code="mismatch", field="repeat")
            security.change_password(actor=user, current=request.POST.get("current", ""), new=new)
        except ServiceError as exc:
            context.update(error_context(exc))
            return render(request, "web/account/password.html", context, status=422)
        update_session_auth_hash(request, user)  # this session stays logged in (with a new id); the others end
        messages.success(request, _("Your password was changed."))
        return redirect(_next(request) if _next(request) != "/" else "web:account")
    return render(request, "web/account/password.html", context)


@login_required
def account(request):
    """One's own login security: second factor, password age."""
    user = request.user
    factor = security.confirmed_factor(user)
    context = {"factor": factor, "required": security.factor_required(user),
               "expires_at": security.password_expires_at(user), "changed_at": user.password_changed_at}
    return render(request, "web/account/account.html", context)


@login_required
@require_POST
def two_factor_disable(request):
    try:
        security.disable_own_factor(actor=request.user, password=request.POST.get("password", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Two-factor login is off."))
    return redirect("web:account")


def _require_security_admin(user) -> None:
    if not user.can_manage_security():
        raise PermissionDenied(_("Only the security administrator can do this."))


@login_required
@page
def security_admin(request):
    """The security administrator's page: every account's second factor, password age and lock."""
    _require_security_admin(request.user)
    states = security.account_states(actor=request.user)
    context = {"states": states, "now": timezone.now(),
               "counts": {"factor_missing": sum(1 for s in states if s.factor_required and s.factor != "on"),
                          "expired": sum(1 for s in states if s.password_expired),
                          "locked": sum(1 for s in states if s.locked_until)}}
    return render(request, "web/account/security.html", context)


ACTIONS = {"unlock": (security.unlock_login, lambda: _("Login unlocked.")),
           "reset_factor": (security.reset_factor, lambda: _("Two-factor login reset: the user sets it up again.")),
           "require_password": (security.require_new_password,
                                lambda: _("The user must choose a new password at the next page."))}


@login_required
@require_POST
@page
def security_action(request, user_id: int, action: str):
    _require_security_admin(request.user)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, user_id=user_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done())
    return redirect("web:security")
