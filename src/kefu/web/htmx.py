"""One decision for every view: an HTMX request gets the partial, a plain request the full page (STYLE 10).

Pages degrade to full page loads when JavaScript is off: forms post normally and the view answers with the
whole page, so each view is written once and works both ways.
"""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from kefu.core.errors import ServiceError


def is_htmx(request: HttpRequest) -> bool:
    """True for a request made by htmx (it sets HX-Request), except history restores, which need a full page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def render(request: HttpRequest, template: str, context: dict, *, partial: str | None = None,
           status: int = 200) -> HttpResponse:
    """Render `partial` for htmx requests when given, else the full `template`."""
    name = partial if partial and is_htmx(request) else template
    return TemplateResponse(request, name, context, status=status)


def error_context(exc: ServiceError) -> dict:
    """A refused service call as template context: the message under its field, or at the top of the form."""
    message = str(exc.message)
    return {"error": {"code": exc.code, "message": message, "field": exc.field or "", "params": exc.params},
            "field_errors": {exc.field: message} if exc.field else {}}


def page(view):
    """A page view that turns a service's NotFound into a 404 page and Forbidden into 403 (never a 500)."""
    from functools import wraps

    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from kefu.core.errors import Forbidden, NotFound

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from None
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from None

    return wrapper


def form_int(value, field: str) -> int | None:
    """A whole number from a form field; empty is None; anything else is refused naming the field (422)."""
    from django.utils.translation import gettext as _

    from kefu.core.errors import ValidationFailed

    value = str(value if value is not None else "").strip()
    if not value:
        return None
    if not value.lstrip("-").isdigit():
        raise ValidationFailed(_("Enter a whole number."), code="invalid", field=field)
    return int(value)


def form_datetime(value, field: str):
    """A datetime-local field (2026-11-23T14:30) in the center's time zone; empty is None; else 422 naming it."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime
    from django.utils.translation import gettext as _

    from kefu.core.errors import ValidationFailed

    value = str(value or "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:  # well-formed but impossible, e.g. 2026-02-30T10:00
        parsed = None
    if parsed is None:
        raise ValidationFailed(_("Enter a date and time."), code="invalid_datetime", field=field)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def run_action(calls: dict, name: str, refused):
    """Run the named service call of a POST view; a refusal (but not a 404) is shown by `refused(exc)`.

    Returns None when the call succeeded (the view then redirects) or the response of `refused`."""
    from django.http import Http404

    if name not in calls:
        raise Http404
    try:
        calls[name]()
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return refused(exc)
    return None
