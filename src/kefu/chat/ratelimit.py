"""Rate limits of the widget's public endpoints: per visitor and per client address, per minute.

Counted in Django's cache (one per process by default; a shared cache makes the limit shared by app servers)."""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 60


def _hit(key: str, limit: int) -> bool:
    bucket = f"chat-rl:{key}:{int(time.time() // WINDOW)}"
    cache.add(bucket, 0, WINDOW * 2)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, WINDOW * 2)
        count = 1
    return count <= limit


def allowed(*, address: str, visitor: str = "") -> bool:
    """False when this address or this visitor has used up the minute's requests."""
    ok = _hit(f"a:{address}", settings.CHAT_RATE_ADDRESS)
    if visitor:
        ok = _hit(f"v:{visitor[:64]}", settings.CHAT_RATE_VISITOR) and ok
    return ok
