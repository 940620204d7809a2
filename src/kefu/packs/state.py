"""Which packs are on, cached per process and reloaded when any process switches one.

The cache holds the set of enabled codes and the sum of the PackState versions it was loaded at. A switch in
this process clears it at once (signals, via ConfigCache); other processes compare the stored sum with the
database's at most every RECHECK seconds — one tiny aggregate — and reload when it moved.
"""

import time

from django.db.models import Sum

from kefu.core.configcache import ConfigCache

RECHECK = 2.0


def _stamp() -> int:
    from kefu.packs.models import PackState

    return PackState.objects.aggregate(total=Sum("version"))["total"] or 0


def _load() -> tuple[int, frozenset[str]]:
    from kefu.packs.models import PackState

    rows = list(PackState.objects.values_list("code", "enabled", "version"))
    return sum(v for _c, _e, v in rows), frozenset(code for code, on, _v in rows if on)


class _PackCache(ConfigCache):
    """ConfigCache whose expiry asks the database whether anything changed instead of reloading blindly."""

    def get(self):
        if self._value is not None and time.monotonic() - self._loaded_at >= self.seconds:
            if _stamp() == self._value[0]:
                self._loaded_at = time.monotonic()
            else:
                self._value = None
        return super().get()


_cache: _PackCache | None = None


def cache() -> _PackCache:
    global _cache
    if _cache is None:
        from kefu.packs.models import PackState

        _cache = _PackCache("packs", _load, (PackState,), seconds=RECHECK)
    return _cache


def enabled_codes() -> frozenset[str]:
    return cache().get()[1]
