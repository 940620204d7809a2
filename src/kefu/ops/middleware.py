"""Security headers on every answer: Content-Security-Policy (no inline script), Permissions-Policy.

Referrer-Policy, HSTS and X-Content-Type-Options come from Django's SecurityMiddleware (settings.py).
The UI loads only its own files (HTMX and kefu.js are vendored; there are no inline scripts or CDNs), so the
policy allows nothing else; inline styles stay allowed because HTMX adds its indicator style at run time.
"""

from django.conf import settings

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
# A call center's browser needs none of these; the softphone, if any, runs outside the page.
PERMISSIONS = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
               "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()")


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and Permissions-Policy headers unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "KEFU_CSP", CSP))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response
