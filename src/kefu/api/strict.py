"""JSON bodies checked against the OpenAPI document before ninja reads them: strict types, as documented.

pydantic's lax mode turns `0` into false, `{"day": 0}` into 1970-01-01, `"5"` into 5, and ninja's schemas
read any object's attributes, so an array body `[null, null]` became an input with every default. The
document already says what each body must be; validating the raw JSON against it with jsonschema makes the
API accept exactly what it documents — booleans are true/false, dates are strings, a body is an object.
"""

import re
from functools import cache

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

# jsonschema keyword → (our stable code, message): the codes pydantic's errors already had (kefu.api.errors).
_CODES = {
    "enum": ("invalid_choice", lambda: _("Not one of the allowed values.")),
    "const": ("invalid_choice", lambda: _("Not one of the allowed values.")),
    "required": ("required", lambda: _("This field is required.")),
    "maxLength": ("too_long", lambda: _("This value is too long.")),
    "minLength": ("too_short", lambda: _("This value is too short.")),
    "additionalProperties": ("unknown_field", lambda: _("This field is not accepted here.")),
}


class BodyRefused(Exception):
    """The body does not conform to the operation's documented schema."""

    def __init__(self, code: str, message: str, field: str, errors: list[dict]):
        super().__init__(code)
        self.code, self.message, self.field, self.errors = code, message, field, errors


@cache
def _validators() -> dict:
    from kefu.api.api import api

    document = api.get_openapi_schema(path_prefix="/api")
    components = document.get("components", {})
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is not None:
                validator = Draft202012Validator({**body, "components": components})
                found[(path, method.upper())] = (validator, bool(operation.get("security")))
    return found


def _openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _field(error) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        parts.append(missing[0] if missing else "")
    field = ""
    for part in parts:
        field += f"[{part}]" if part.isdigit() else (f".{part}" if field else part)
    return field or "body"


def conformance_errors(path: str, method: str, data) -> list:
    """The jsonschema errors of a body for an operation of the document (empty when it conforms)."""
    validator, _needs_auth = _validators().get((path, method.upper()), (None, False))
    if validator is None:
        return []
    # At one field a wrong type is named before a value outside the enum ("high" for a priority is a type error).
    return sorted(validator.iter_errors(data),
                  key=lambda e: ([str(p) for p in e.absolute_path], e.validator != "type"))


def _authenticated(request) -> bool:
    from kefu.accounts.selectors import user_for_token

    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return user_for_token(auth[7:].strip()) is not None
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def check_body(request, data) -> None:
    """Raise BodyRefused when the JSON body does not conform to its operation's documented schema."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return
    path = _openapi_path(match.route)
    _validator, needs_auth = _validators().get((path, request.method), (None, False))
    if needs_auth and not _authenticated(request):
        return  # ninja answers 401 unauthenticated, whatever the body
    errors = conformance_errors(path, request.method, data)
    if not errors:
        return
    first = errors[0]
    code, message = _CODES.get(first.validator, ("invalid", lambda: _("This value is invalid.")))
    details = [{"field": _field(e), "type": str(e.validator)} for e in errors]
    raise BodyRefused(code, message(), _field(first), details)
