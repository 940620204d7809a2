"""A per-process cache of rarely changed configuration (ticket types, SLA policies) read on every change.

A save or delete of any watched model in this process clears the cache at once (signals); other processes
reload within `seconds`. Tests clear it around each test because their rolled-back rows outlive nothing else.
"""

import time
from collections.abc import Callable

from django.db.models.signals import post_delete, post_save

_all: list["ConfigCache"] = []


class ConfigCache:
    def __init__(self, name: str, loader: Callable[[], object], watched: tuple, seconds: float = 30):
        self.name, self.loader, self.seconds = name, loader, seconds
        self._value, self._loaded_at = None, 0.0
        for model in watched:
            post_save.connect(self.invalidate, sender=model, dispatch_uid=f"{name}-save-{model.__name__}")
            post_delete.connect(self.invalidate, sender=model, dispatch_uid=f"{name}-delete-{model.__name__}")
        _all.append(self)

    def get(self):
        if self._value is None or time.monotonic() - self._loaded_at >= self.seconds:
            self._value, self._loaded_at = self.loader(), time.monotonic()
        return self._value

    def invalidate(self, **_kwargs) -> None:
        self._value = None


def invalidate_all() -> None:
    for cache in _all:
        cache.invalidate()
