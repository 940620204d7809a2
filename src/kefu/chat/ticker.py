"""Once a second in each app server: offers not accepted in time go to the next agent; waiting chats are routed.

Both steps are conditional claims, so several app servers running the ticker at once cannot double-assign."""

import logging
import threading
import time

log = logging.getLogger(__name__)
INTERVAL = 1.0
ROUTE_EVERY = 5  # ticks: routing runs after every change anyway; this is the safety net

_started = threading.Event()


def tick(n: int) -> None:
    from django.db import close_old_connections

    from kefu.chat.services.routing import expire_offers, route_all

    close_old_connections()
    expire_offers()
    if n % ROUTE_EVERY == 0:
        route_all()


def _run() -> None:
    n = 0
    while True:
        time.sleep(INTERVAL)
        n += 1
        try:
            tick(n)
        except Exception:  # noqa: BLE001 — a failed tick (database busy) is retried on the next one
            log.exception("chat ticker")


def start() -> None:
    """Start the ticker thread once per process."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_run, name="kefu-chat-ticker", daemon=True).start()
