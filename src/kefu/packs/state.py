"""Which packs are on, cached per process and checked against the database once per request.

The cache holds the set of enabled codes and the sum of the PackState versions it was loaded at. A switch in
this process clears it at once (signals, via ConfigCache). Every other process notices on its next request:
the first is_enabled() of a request reads the version sum — one tiny aggregate, the only query a request
pays for packs — and reloads when it moved. Outside requests (the worker, commands) the sum is read at most
every RECHECK seconds.
"""

import threading
import time

from django.core.signals import request_finished, request_started
from django.db.models import Sum

from kefu.core.configcache import ConfigCache

RECHECK = 5.0
_request = threading.local()  # .checked: None outside a request, else whether this request has checked


def _started(**_kwargs) -> None:
    _request.checked = False


def _finished(**_kwargs) -> None:
    _request.checked = None


request_started.connect(_started, dispatch_uid="packs-request-started")
request_finished.connect(_finished, dispatch_uid="packs-request-finished")


def _stamp() -> int:
    from kefu.packs.models import PackState

    return PackState.objects.aggregate(total=Sum("version"))["total"] or 0


def _load() -> tuple[int, frozenset[str]]:
    from kefu.packs.models import PackState

    rows = list(PackState.objects.values_list("code", "enabled", "version"))
    return sum(v for _c, _e, v in rows), frozenset(code for code, on, _v in rows if on)


class _PackCache(ConfigCache):
    """ConfigCache that asks the database whether anything changed (per request) instead of expiring blindly."""

    def _due(self) -> bool:
        checked = getattr(_request, "checked", None)
        if checked is None:
            return time.monotonic() - self._loaded_at >= self.seconds
        return not checked

    def get(self):
        if self._value is not None and self._due() and _stamp() != self._value[0]:
            self._value = None
        if self._value is None:
            self._value = self.loader()
        self._loaded_at = time.monotonic()
        if getattr(_request, "checked", None) is not None:
            _request.checked = True
        return self._value


_cache: _PackCache | None = None


def cache() -> _PackCache:
    global _cache
    if _cache is None:
        from kefu.packs.models import PackState

        _cache = _PackCache("packs", _load, (PackState,), seconds=RECHECK)
    return _cache


def enabled_codes() -> frozenset[str]:
    return cache().get()[1]
