"""The API's error contract at the edge: under /api/ every answer is the JSON error shape of kefu.api.errors.

- An oversize body is refused up front (413 body_too_large): Django would raise RequestDataTooBig wherever
  the body is first read and answer with an HTML 400 page. A chunked body (no Content-Length) is measured by
  `ChunkedBodyLimit` in front of Django, which would otherwise read it as empty.
- Input that no endpoint can store is refused before any view runs, with a stable code and the field named:
  integers outside the database's 64-bit range in the path, query string or JSON body, a `page` past any list,
  NUL characters (PostgreSQL refuses them in text), lone surrogates (not encodable as UTF-8), NaN/Infinity.
- Django's own 404 (unknown route, non-integer id), 405 and unhandled exceptions become JSON too.
"""

import io
import json
import logging
import math

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from kefu.api.strict import BodyRefused, check_body

logger = logging.getLogger(__name__)

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
# No list is this long; a larger page would overflow the database's OFFSET arithmetic.
MAX_PAGE = 1_000_000
TOO_LARGE_KEY = "kefu.body_too_large"


class EdgeInputError(Exception):
    """One refused edge input: HTTP status, stable code, message and field."""

    def __init__(self, status: int, code: str, message: str, field: str):
        super().__init__(code)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(status: int, code: str, message: str, field: str | None = None,
                   params: dict | None = None) -> JsonResponse:
    """The API's error shape as a Django response (for answers given outside ninja)."""
    from kefu.api.errors import error_body

    return JsonResponse(error_body(code, message, field, params), status=status)


def _check_text(text: str, field: str) -> None:
    if "\x00" in text:
        raise EdgeInputError(422, "nul_character", _("This value contains a NUL character."), field)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise EdgeInputError(422, "invalid_character", _("This value contains an invalid character."),
                             field) from None


def _check_number(value, field: str) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise EdgeInputError(422, "out_of_range", _("This number is out of range."), field)
    if isinstance(value, float) and not math.isfinite(value):
        raise EdgeInputError(422, "invalid_number", _("This value is not a number."), field)


def check_json(value, field: str = "") -> None:
    """Walk a parsed JSON body; raise EdgeInputError for the first value no endpoint can store."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, field or "body")
            check_json(item, f"{field}.{key}" if field else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, f"{field}[{index}]")
    elif isinstance(value, str):
        _check_text(value, field or "body")
    else:
        _check_number(value, field or "body")


def _check_query(request) -> None:
    for key, values in request.GET.lists():
        for value in values:
            _check_text(value, key)
            digits = value.lstrip("-")
            if digits.isdigit() and digits.isascii():
                number = int(value)
                _check_number(number, key)
                if key == "page" and number > MAX_PAGE:
                    raise EdgeInputError(422, "out_of_range", _("This number is out of range."), key)


def _check_path(request) -> None:
    for segment in request.path.split("/"):
        if segment.isdigit() and segment.isascii() and int(segment) > INT64_MAX:
            raise EdgeInputError(404, "not_found", _("Not found."), "id")


def _check_body(request) -> None:
    if not request.body or "json" not in request.content_type:
        return
    try:
        data = json.loads(request.body)
    except ValueError:
        return  # ninja answers 400 malformed_json
    check_json(data)
    check_body(request, data)


class ApiContractMiddleware:
    """JSON errors for everything under /api/ that ninja never sees or cannot shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.META.get(TOO_LARGE_KEY) or (limit is not None and _content_length(request) > limit):
            return error_response(413, "body_too_large", _("The request body is too large."), "body",
                                  {"limit": limit})
        try:
            _check_path(request)
            _check_query(request)
            _check_body(request)
        except EdgeInputError as exc:
            return error_response(exc.status, exc.code, exc.message, exc.field)
        except BodyRefused as exc:
            return error_response(422, exc.code, exc.message, exc.field, {"errors": exc.errors})
        response = self.get_response(request)
        if response.status_code in (404, 405) and "json" not in response.get("Content-Type", ""):
            return _json_instead(response)
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        logger.exception("API request failed: %s %s", request.method, request.path)
        return error_response(500, "server_error", _("Something went wrong on the server. Try again later."))


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _json_instead(response):
    if response.status_code == 404:
        return error_response(404, "not_found", _("Not found."))
    answer = error_response(405, "method_not_allowed", _("This method is not allowed here."),
                            params={"allowed": [m.strip() for m in response.get("Allow", "").split(",") if m]})
    if response.has_header("Allow"):
        answer["Allow"] = response["Allow"]
    return answer


class ChunkedBodyLimit:
    """WSGI wrapper: a chunked request body (no Content-Length) is read up to the limit and handed on with its
    length; beyond the limit the request is marked, and ApiContractMiddleware answers 413.

    Django reads a body without Content-Length as empty, so a 3 MB chunked body used to arrive as no body.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**31
            data = environ["wsgi.input"].read(limit + 1)
            if len(data) > limit:
                environ[TOO_LARGE_KEY] = True
                data = b""
            environ["wsgi.input"] = io.BytesIO(data)
            environ["CONTENT_LENGTH"] = str(len(data))
        return self.app(environ, start_response)
