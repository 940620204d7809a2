"""API authentication: bearer tokens for integrations, the browser session (with CSRF) for the UI."""

from ninja.security import HttpBearer
from ninja.security.session import SessionAuth as NinjaSessionAuth

from kefu.accounts.selectors import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The logged-in browser, CSRF-checked; a request with no session is unauthenticated (401), not a CSRF 403.

    ninja checks CSRF before asking who the user is, so a bearer write with a missing or revoked token fell
    through to the session check and got 403 "CSRF check Failed" instead of 401 `unauthenticated`.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [TokenAuth(), SessionAuth()]
