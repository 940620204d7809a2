"""API authentication: bearer tokens for integrations, the browser session (with CSRF) for the UI."""

from ninja.security import HttpBearer, django_auth

from kefu.accounts.selectors import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]
