"""Idle session timeout (MLPS level 3): a browser session unused for KEFU_IDLE_MINUTES is logged out.

Each request stamps the session with its time; a request after a longer pause ends the session first, so
the next page is the login page. API bearer tokens are not sessions and are not affected.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

KEY = "kefu_last_seen"
STAMP_EVERY = 60  # seconds


def stamp_login(sender, request, user, **kwargs):
    """A login counts as activity (so the first pages after it write nothing more to the session)."""
    if request is not None and hasattr(request, "session"):
        request.session[KEY] = time.time()


class IdleTimeoutMiddleware:
    """Logs out a session that has been idle longer than KEFU_IDLE_MINUTES (0: never)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.KEFU_IDLE_MINUTES * 60
        user = getattr(request, "user", None)
        if limit and user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(KEY)
            if last is not None and now - last > limit:
                logout(request)
            elif last is None or now - last >= STAMP_EVERY:
                # Not on every request: writing the session costs three queries, and a minute is fine enough.
                request.session[KEY] = now
        return self.get_response(request)
