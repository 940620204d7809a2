"""HMAC-SHA256 signatures of the generic webhook, the same in both directions.

    X-Kefu-Timestamp: 1764927000                       (Unix seconds)
    X-Kefu-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>

A timestamp more than WINDOW seconds from kefu's clock is refused, so a captured request cannot be
replayed later; within the window, the Idempotency-Key makes a replay change nothing.
"""

import hashlib
import hmac
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from kefu.channels.errors import SignatureRefused

WINDOW = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, *, timestamp: str, signature: str, body: bytes, now: datetime) -> None:
    """Refuse (401) a missing or wrong signature, or a timestamp outside the window."""
    if not timestamp or not signature:
        raise SignatureRefused(_("The request is not signed."), code="missing_signature", field="X-Kefu-Signature")
    if not timestamp.isdigit():
        raise SignatureRefused(_("The timestamp is not a number of seconds."), code="bad_timestamp",
                               field="X-Kefu-Timestamp")
    if abs(now.timestamp() - int(timestamp)) > WINDOW:
        raise SignatureRefused(_("The timestamp is too old or in the future; the request may be replayed."),
                               code="stale_timestamp", field="X-Kefu-Timestamp")
    if not hmac.compare_digest(sign(secret, int(timestamp), body), signature.strip()):
        raise SignatureRefused(_("The signature does not match."), code="bad_signature", field="X-Kefu-Signature")
