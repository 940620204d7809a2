"""`Idempotency-Key` on API writes: the first answer is stored and replayed to every retry within 24 hours.

After a crash or a lost connection a client cannot know whether its create committed; it sends the same
request with the same key again and gets the first answer back instead of a duplicate. The write and its
stored answer commit in one transaction, so either both exist or neither (a crash leaves nothing half-done),
and a concurrent retry waits for the first to finish (the unique key) and then gets its answer.
A key reused for a different request is refused (422 `idempotency_key_reused`).
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.selectors import user_for_token
from kefu.api.middleware import error_response
from kefu.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEEP = timedelta(hours=24)
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _user(request):
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return user_for_token(auth[7:].strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _replay(stored: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(stored.body), status=stored.status_code, content_type=stored.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def purge(*, now=None) -> int:
    """Forget stored answers older than 24 hours; returns how many."""
    return IdempotentRequest.objects.filter(created_at__lt=(now or timezone.now()) - KEEP).delete()[0]


class IdempotencyMiddleware:
    """Stores and replays the answer of an API write that carries an Idempotency-Key header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER, "")
        if not key or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 255:
            return error_response(422, "too_long", _("This value is too long."), HEADER)
        user = _user(request)
        if user is None:
            return self.get_response(request)  # the view answers 401
        return self._once(request, user, key)

    def _once(self, request, user, key):
        now = timezone.now()
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            IdempotentRequest.objects.filter(user=user, key=key, created_at__lt=now - KEEP).delete()
            stored = IdempotentRequest.objects.select_for_update().filter(user=user, key=key).first()
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    return error_response(422, "idempotency_key_reused",
                                          _("This Idempotency-Key was used for a different request."), HEADER)
                return _replay(stored)
            response = self.get_response(request)
            if response.status_code >= 500 or response.streaming:
                transaction.set_rollback(True)
                return response
            try:
                with transaction.atomic():
                    IdempotentRequest.objects.create(
                        user=user, key=key, fingerprint=fingerprint, status_code=response.status_code,
                        content_type=response.get("Content-Type", "application/json"), body=response.content,
                        created_at=now)
            except IntegrityError:
                # A concurrent request with the same key won; this one's write must not stand beside it.
                transaction.set_rollback(True)
                return error_response(409, "idempotency_in_progress",
                                      _("A request with this Idempotency-Key is being handled. Retry shortly."),
                                      HEADER)
            return response
