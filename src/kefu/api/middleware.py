"""Refuse an oversize API body up front with the API's JSON error shape (413 body_too_large).

Django would raise RequestDataTooBig wherever the body is first read and answer with an HTML 400 page;
an integration needs the same JSON error contract as for every other bad input.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _


class ApiBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.path.startswith("/api/") and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                error = {"code": "body_too_large", "message": _("The request body is too large."),
                         "field": "body", "params": {"limit": limit}}
                return JsonResponse({"error": error}, status=413)
        return self.get_response(request)
