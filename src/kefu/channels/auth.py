"""Who may call the channel callbacks: not a user but a platform, proven by a signature over the request.

These are ninja auth classes, so the check runs before the body is parsed and the OpenAPI document shows it;
a refusal raises SignatureRefused (401 with its own code: bad_signature, stale_timestamp …)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyHeader, APIKeyQuery

from kefu.channels.errors import SignatureRefused
from kefu.channels.models import Endpoint, Medium
from kefu.channels.webhook.signing import verify


def _endpoint(request, media: tuple[str, ...]) -> Endpoint:
    slug = (request.resolver_match.kwargs if request.resolver_match else {}).get("slug", "")
    endpoint = Endpoint.objects.filter(slug=slug, enabled=True, medium__in=media).first()
    if endpoint is None:
        # Same answer as a wrong signature: a caller without the secret learns nothing about which slugs exist.
        raise SignatureRefused(_("The signature does not match."), code="bad_signature", field="slug")
    return endpoint


class WebhookSignature(APIKeyHeader):
    """X-Kefu-Signature: sha256=HMAC-SHA256(secret, "<X-Kefu-Timestamp>.<raw body>")."""

    param_name = "X-Kefu-Signature"

    def authenticate(self, request, key):
        endpoint = _endpoint(request, (Medium.WEBHOOK, Medium.QQ))
        verify(endpoint.secret, timestamp=request.headers.get("X-Kefu-Timestamp", ""), signature=key or "",
               body=request.body, now=timezone.now())
        return endpoint


class WechatSignature(APIKeyQuery):
    """The platform's signature (or msg_signature in encrypted mode) with timestamp and nonce in the query.

    The endpoint is found here; the SHA-1 check itself needs the body's ciphertext, so the callback service
    makes it before it reads anything else."""

    param_name = "signature"

    def authenticate(self, request, key):
        if not (key or request.GET.get("msg_signature")):
            raise SignatureRefused(_("The request is not signed."), code="missing_signature", field="signature")
        return _endpoint(request, (Medium.WECHAT, Medium.WECOM))
