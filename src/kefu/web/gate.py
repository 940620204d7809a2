"""The login's remaining steps, enforced on every request of a browser session (MLPS level 3).

After the password, a session may still owe a TOTP code (a confirmed authenticator, or a role that must have
one and has none yet: then it sets one up) or a new password (expired, or required by the security
administrator). Until then every page redirects to that step and the API answers 403 with the step's code;
only the step's own pages, logging out and static files are reachable. Bearer-token API calls are not
sessions and are not gated (tokens are issued from a session that passed these steps).
"""

from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.accounts import security

STEP_URLS = {security.VERIFY: "web:two_factor", security.SETUP: "web:two_factor_setup",
             security.PASSWORD: "web:password_change"}


def _messages():
    return {
        security.VERIFY: ("two_factor_required", _("Enter the code from your authenticator app first.")),
        security.SETUP: ("two_factor_setup_required", _("Set up two-factor login first.")),
        security.PASSWORD: ("password_change_required", _("Choose a new password first.")),
    }


class LoginStepsMiddleware:
    """Send a session that still owes a login step to that step (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and hasattr(request, "session")
                and not request.headers.get("Authorization")):
            step = security.pending_step(user, request.session)
            request.login_step = step  # the step's own page shows no menu and polls nothing (kefu.web.nav)
            if step is not None and not self._allowed(request.path, step):
                return self._refuse(request, step)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str, step: str) -> bool:
        allowed = (reverse(STEP_URLS[step]), reverse("web:logout"))
        return path in allowed or path.startswith("/static/")

    @staticmethod
    def _refuse(request, step: str):
        if request.path.startswith("/api/"):
            code, message = _messages()[step]  # the API's error shape (kefu.api.errors)
            return JsonResponse({"error": {"code": code, "message": message}}, status=403)
        target = reverse(STEP_URLS[step])
        wanted = request.get_full_path()
        if request.method == "GET" and wanted != "/" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": wanted})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target  # a whole page, not the step's page inside a fragment
            return response
        return HttpResponseRedirect(target)
