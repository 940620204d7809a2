"""Loading a row for a service and saving it with optimistic concurrency: the steps every app's services share.

`load_visible` is "what the actor may see, or 404"; `save_versioned` is the conditional UPDATE that makes a
stale edit a 409 even when two requests pass the early version check at the same moment; `bump_version` is the
same for append-only changes that send no version. The ticket app's store (kefu.tickets.store) builds on these.
"""

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import Conflict, NotFound
from kefu.core.permissions import VIEW

STALE = _("Someone else changed this since you opened it. Reload and try again.")


def load_visible(queryset: models.QuerySet, actor, pk: int, *, message, field: str, action: str = VIEW):
    """The row `pk` of `queryset` as `actor` may `action` it (actor=None: the operator, everything); else 404."""
    if actor is not None:
        queryset = queryset.visible_to(actor, action)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound(message, field=field)
    return obj


def _current_version(obj) -> int | None:
    return type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()


def stale(message=STALE) -> Callable[[object, int | None], Conflict]:
    """A conflict factory for save_versioned: 409 `stale_version` with the current and the caller's version."""
    def make(obj, based_on: int | None) -> Conflict:
        return Conflict(message, code="stale_version", field="version",
                        params={"current_version": _current_version(obj), "your_version": based_on})
    return make


def save_versioned(obj, version: int, changes: dict, *, conflict: Callable[[object, int | None], Exception],
                   where: dict | None = None) -> int:
    """Write `changes` and `version + 1` in one conditional UPDATE, only while the row is still at `version` (and
    matches `where`); answer the new version, or raise `conflict(obj, version)` with nothing written."""
    rows = type(obj)._base_manager.filter(pk=obj.pk, version=version, **(where or {}))
    if not rows.update(version=version + 1, **changes):
        raise conflict(obj, version)
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.version = version + 1
    return obj.version


def bump_version(obj, changes: dict | None = None, *, gone: Callable[[], Exception]) -> int:
    """An append-only change (a reply, a link) moves the version on from whatever it is now, without a version
    from the caller: one conditional UPDATE from the version read, re-read only if another writer moved it."""
    version = obj.version
    while True:
        if type(obj)._base_manager.filter(pk=obj.pk, version=version).update(version=version + 1,
                                                                             **(changes or {})):
            break
        version = _current_version(obj)  # a concurrent change committed first: follow it
        if version is None:
            raise gone()
    for key, value in (changes or {}).items():
        setattr(obj, key, value)
    obj.version = version + 1
    return obj.version
