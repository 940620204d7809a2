"""One error shape for the whole API: {"error": {"code", "message", "field"?, "params"?}} with a stable code."""

import json

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kefu.core.errors import ServiceError

# pydantic error types → our stable codes and a translated message
_PYDANTIC_CODES = {
    "missing": ("required", lambda: _("This field is required.")),
    "string_too_long": ("too_long", lambda: _("This value is too long.")),
    "string_too_short": ("too_short", lambda: _("This value is too short.")),
    "extra_forbidden": ("unknown_field", lambda: _("This field is not accepted here.")),
    "literal_error": ("invalid_choice", lambda: _("Not one of the allowed values.")),
    "enum": ("invalid_choice", lambda: _("Not one of the allowed values.")),
}


_SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")
_WRAPPERS = ("payload", "data", "filters", "q")


def _field_name(loc) -> str:
    # loc looks like ("body", "payload", "custom", "x"): a source, then the view's parameter name when the input
    # is a schema. Only those leading parts are ninja's; a field may itself be called `body` or `q`.
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in _WRAPPERS:
        parts = parts[1:]
    return ".".join(parts)


def error_body(code: str, message: str, field: str | None = None, params: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if field:
        error["field"] = field
    if params:
        error["params"] = params
    return {"error": error}


def install(api) -> None:
    @api.exception_handler(ServiceError)
    def service_error(request, exc: ServiceError):
        return api.create_response(request, {"error": exc.as_dict()}, status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        code, message = _PYDANTIC_CODES.get(first.get("type", ""), ("invalid", lambda: _("This value is invalid.")))
        details = [{"field": _field_name(e.get("loc", ())), "type": e.get("type")} for e in exc.errors]
        body = error_body(code, message(), _field_name(first.get("loc", ())), {"errors": details})
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        body = error_body("unauthenticated", _("Log in or send a valid API token."))
        return api.create_response(request, body, status=401)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        cause = exc.__cause__
        if isinstance(cause, RequestDataTooBig):
            body = error_body("body_too_large", _("The request body is too large."), "body")
            return api.create_response(request, body, status=413)
        if isinstance(cause, json.JSONDecodeError | UnicodeDecodeError):
            body = error_body("malformed_json", _("The request body is not valid JSON."), "body")
            return api.create_response(request, body, status=400)
        return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)
